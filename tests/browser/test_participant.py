"""A participant of an improvement network: registered for a gathering, they follow
the personal link in their confirmation e-mail to the network's knowledge base and
find a document by a word in its text."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from knowledge import services as knowledge
from network.models import Network
from sessions_app.models import Session
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORD = "utskrivningssamtalen"


def _pdf_with(title, text):
    import weasyprint

    html = f"<html lang='nb'><body><h1>{title}</h1><p>{text}</p></body></html>"
    return weasyprint.HTML(string=html).write_pdf()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_participant_follows_the_emailed_link_and_finds_a_document_by_a_word_in_it(
    page, demo, width
):
    network = Network.objects.get(kind="improvement", title="Forbedringsnettverket Vestvågøy")
    gathering = Session.objects.get(network=network, number=2)
    # For the network's participants only (not public); the word is in its text alone.
    document = knowledge.add_document(
        network,
        name="notat-samling-1.pdf",
        data=_pdf_with(
            "Notat fra forrige samling",
            f"Sykehuset og kommunene ble enige om at {WORD.capitalize()} skjer "
            "innen 48 timer etter innleggelsen.",
        ),
        title="Notat fra forrige samling",
        session=gathering,
    )
    assert WORD not in document.title.lower() and WORD in document.text.lower()
    page.set_viewport_size({"width": width, "height": 900})
    base = reverse("knowledge:knowledge_base", args=[network.pk])
    page.goto(base)
    assert "/konto/logg-inn/" in page.url  # no way in without the link or a login

    # Registration, as the public gathering page offers it.
    page.goto(reverse("gatherings:gathering", args=[gathering.pk]))
    page.get_by_role("link", name="Meld deg på").click()
    page.get_by_label("Fullt navn").fill("Siri Deltaker")
    page.get_by_label("E-post").fill("siri@example.no")
    page.get_by_label("Organisasjon").fill("Nordlandssykehuset")
    page.get_by_label("Rolle").select_option("development")
    page.get_by_role("button", name="Meld deg på").click()
    page.wait_for_selector("text=Du har plass")

    # The confirmation e-mail, as it was sent, carries the personal link.
    message = next(m for m in reversed(mail.outbox) if m.to == ["siri@example.no"])
    link = re.search(r"(/kunnskapsbank/deltaker/[^/\s]+/)", message.body).group(1)
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    assert link in html

    # A fresh browser tab with no cookies but the link: it opens the knowledge base.
    page.context.clear_cookies()
    page.goto(link)
    assert page.url.endswith(base)
    page.get_by_role("heading", name="Kunnskapsbase").wait_for()
    page.get_by_label("Søk i dokumentene").fill(WORD)
    page.get_by_role("button", name="Søk").click()
    results = page.locator("main .list-group-item")
    assert results.count() == 1
    assert "Notat fra forrige samling" in results.first.inner_text()
    assert f"q={WORD}" in page.url
    with page.expect_download() as download:
        results.first.get_by_role("link", name="Notat fra forrige samling").click()
    assert download.value.suggested_filename == "notat-samling-1.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == document.file.open("rb").read()
    assert page.console_errors == []
    screenshot(page, f"participant-found-document-{width}")
