"""Participants of an improvement network: the personal link in their e-mail opens
the network's knowledge base and figures; a full gathering says so; the waiting
list gives each their place in the queue."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from gatherings.models import Registration
from knowledge import services as knowledge
from tests.gatherings.test_services import person, register_by_form

pytestmark = pytest.mark.django_db


def registered(client, session, n, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = register_by_form(client, session, person(n)).content.decode()
    message = next(m for m in reversed(mail.outbox) if m.to == [f"d{n}@example.no"])
    return page, message


def test_the_personal_link_opens_the_knowledge_base_and_finds_a_document(
    client, gathering, django_capture_on_commit_callbacks
):
    network = gathering.network
    knowledge.add_document(
        network, name="fall.pdf", data=b"%PDF-1.7 x", title="Sklisikre sokker om natten"
    )
    knowledge.add_document(network, name="ernaering.pdf", data=b"%PDF-1.7 y", title="Ernæring")
    base = reverse("knowledge:knowledge_base", args=[network.pk])
    # Before the link: the page asks for a login, the document is hidden.
    assert "/konto/logg-inn/" in client.get(base)["Location"]
    _page, message = registered(client, gathering, 1, django_capture_on_commit_callbacks)
    link = re.search(r"http://\S+(/kunnskapsbank/deltaker/\S+/)", message.body).group(1)
    response = client.get(link)
    assert response["Location"] == base
    found = client.get(base, {"q": "sokker"})
    titles = [d.title for d in found.context["documents"]]
    assert titles == ["Sklisikre sokker om natten"]
    document = found.context["documents"][0]
    assert client.get(reverse("knowledge:document", args=[document.key])).status_code == 200
    figures = client.get(reverse("gatherings:figures", args=[network.pk]))
    assert figures.status_code == 200
    # The gathering page links both for this browser.
    page = client.get(reverse("gatherings:gathering", args=[gathering.pk])).content.decode()
    assert base in page and reverse("gatherings:figures", args=[network.pk]) in page


def test_a_cancelled_registration_or_a_made_up_link_opens_nothing(
    client, gathering, django_capture_on_commit_callbacks
):
    _page, message = registered(client, gathering, 1, django_capture_on_commit_callbacks)
    link = re.search(r"http://\S+(/kunnskapsbank/deltaker/\S+/)", message.body).group(1)
    Registration.objects.update(status="cancelled")
    assert client.get(link).status_code == 404
    assert client.get(reverse("knowledge:participant_link", args=["x" * 32])).status_code == 404
    base = reverse("knowledge:knowledge_base", args=[gathering.network_id])
    assert "/konto/logg-inn/" in client.get(base)["Location"]


def test_a_full_gathering_offers_the_waiting_list_with_a_place_in_the_queue(
    client, gathering, django_capture_on_commit_callbacks
):
    for n in (1, 2):  # the two seats
        registered(client, gathering, n, django_capture_on_commit_callbacks)
    page = client.get(reverse("gatherings:gathering", args=[gathering.pk])).content.decode()
    assert "Samlingen er full" in page and "Sett meg på venteliste" in page
    form = client.get(reverse("gatherings:register", args=[gathering.pk])).content.decode()
    assert "Sett meg på venteliste" in form and "Samlingen er full" in form
    third, message = registered(client, gathering, 3, django_capture_on_commit_callbacks)
    assert "Du er nummer 1 i køen" in third and "Du er nummer 1 i køen" in message.body
    fourth, message = registered(client, gathering, 4, django_capture_on_commit_callbacks)
    assert "Du er nummer 2 i køen" in fourth and "Du er nummer 2 i køen" in message.body


def test_a_search_with_a_nul_character_is_no_error(client, coordinator, gathering):
    """PostgreSQL refuses a NUL in a string (found by the fuzz test)."""
    client.force_login(coordinator)
    base = reverse("knowledge:knowledge_base", args=[gathering.network_id])
    response = client.get(base, {"q": "sokker\x00"})
    assert response.status_code == 200
    assert response.context["query"] == "sokker"
