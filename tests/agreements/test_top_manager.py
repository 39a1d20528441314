"""The top-management attendee is named by the coordinator as well as by the unit
leader when signing; the last gathering's reminders follow."""

import pytest
from django.urls import reverse

from agreements.models import Agreement
from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def url(agreement):
    return reverse("admin:agreements_agreement_top_manager", args=[agreement.pk])


def test_the_coordinator_names_the_attendee_and_the_signer_sees_it(client, coordinator, sent):
    agreement = sent["agreement"]
    client.force_login(coordinator)
    change = client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk]))
    assert url(agreement) in change.content.decode()
    response = client.post(url(agreement), {"name": "Kommunalsjef Helse", "email": "ikke-epost"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Oppgi en gyldig e-postadresse." in page or "gyldig e-post" in page
    assert 'value="Kommunalsjef Helse"' in page  # nothing typed is lost
    response = client.post(
        url(agreement), {"name": "Kommunalsjef Helse", "email": "topp@kommune.no"}, follow=True
    )
    assert "Kommunalsjef Helse er satt som deltaker fra øverste ledelse" in (
        response.content.decode()
    )
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert (agreement.top_manager_name, agreement.top_manager_email) == (
        "Kommunalsjef Helse",
        "topp@kommune.no",
    )
    # The unit leader's signing form starts with the name; they may change it.
    client.logout()
    form = client.get(sent["path"]).context["sign_form"]
    assert form.initial["top_manager_name"] == "Kommunalsjef Helse"
    assert form.initial["top_manager_email"] == "topp@kommune.no"


def test_the_named_attendee_is_invited_to_the_last_gathering(client, coordinator, sent):
    agreement = sent["agreement"]
    client.force_login(coordinator)
    client.post(url(agreement), {"name": "Kommunalsjef Helse", "email": "topp@kommune.no"})
    assert Reminder.objects.filter(recipient_email="topp@kommune.no", kind="gathering").exists()


def test_an_outsider_cannot_name_the_attendee(client, outsider, sent):
    client.force_login(outsider)
    assert client.get(url(sent["agreement"])).status_code == 404
    assert client.post(url(sent["agreement"]), {"name": "X", "email": "x@y.no"}).status_code == 404
    assert Agreement.objects.get(pk=sent["agreement"].pk).top_manager_email == ""
