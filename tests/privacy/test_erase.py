"""Erasure (art. 17): contact details and free text go, what the law requires and
what belongs to others stays, the login is closed and the calendar feed revoked."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus
from gatherings.models import AgendaItem, ProposalStatus, Registration, RegistrationStatus
from network.models import Coordinator, Person, User
from network.services import ERASED_NAME, ErasureRefused, erase_person
from reminders.calendar import new_feed_token
from reminders.models import CalendarFeed, Reminder
from sessions_app.models import Attendance
from teams.models import TeamMember
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def _log_in(email, password="pw"):
    client = Client()
    response = client.post(reverse("security:login"), {"username": email, "password": password})
    return client, response


def test_the_confirmation_page_says_what_goes_and_what_stays(client, coordinator, world):
    client.force_login(coordinator)
    page = client.get(reverse("privacy:erase", args=[world["kari"].pk])).content.decode()
    goes = page.split('class="erasure-goes"', 1)[1].split("</ul>", 1)[0]
    stays = page.split('class="erasure-stays"', 1)[1].split("</ul>", 1)[0]
    assert "Slett personopplysningene til Kari Nordmann" in page
    assert "Navn, e-postadresse og organisasjon i 1 påmelding" in goes
    assert "Innloggingen" in goes
    assert "1 medlemskap i team" in stays and "«slettet person»" in stays
    assert "sikkerhetsloggen" in stays.lower()
    # Nothing is erased by looking.
    assert Person.objects.get(pk=world["kari"].pk).name == "Kari Nordmann"


def test_erasure_takes_the_contact_details_and_keeps_the_teams_data(client, coordinator, world):
    kari, ola = world["kari"], world["ola"]
    feed = reverse("reminders:feed", args=[new_feed_token(kari)])
    kari_client, response = _log_in("kari@leknes.no")
    assert response.status_code == 302  # she could log in before
    member = TeamMember.objects.get(person=kari)
    client.force_login(coordinator)

    response = client.post(reverse("privacy:erase", args=[kari.pk]), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:network_person_change", args=[kari.pk])
    message = str(list(response.wsgi_request._messages)[0])
    assert "signerte avtaler" in message and "slettet person" in message
    kari.refresh_from_db()
    assert (kari.name, kari.email, kari.phone, kari.title, kari.organisation) == (
        ERASED_NAME,
        "",
        "",
        "",
        "",
    )
    assert kari.erased_at is not None
    entry = LogEntry.objects.get(object_id=str(kari.pk), content_type__model="person")
    assert (entry.user_id, entry.change_message) == (
        coordinator.pk,
        "Personal data erased (GDPR art. 17)",
    )
    # The team's data stays, attributed to "slettet person".
    member = TeamMember.objects.get(pk=member.pk)
    assert str(member.person) == "slettet person"
    assert Attendance.objects.filter(member=member, present=True).count() == 1
    # Registrations and proposals lose the person's details and free text.
    registration = Registration.objects.get(session=world["gathering"], name=ERASED_NAME)
    assert registration.email.endswith("@slettet.invalid") and registration.organisation == ""
    proposal = AgendaItem.objects.get(title="Innlegg av Kari Nordmann")
    assert (proposal.proposer_name, proposal.proposer_email, proposal.summary) == (
        ERASED_NAME,
        "",
        "",
    )
    # No more reminders, and the calendar feed is revoked.
    assert not Reminder.objects.filter(person=kari).exists()
    assert not Reminder.objects.filter(recipient_email__iexact="kari@leknes.no").exists()
    assert not CalendarFeed.objects.filter(person=kari).exists()
    assert Client().get(feed).status_code == 404
    # The login is closed: neither the old password nor the open session works.
    user = User.objects.get(pk=kari.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert not User.objects.filter(email="kari@leknes.no").exists()
    _client, response = _log_in("kari@leknes.no")
    assert response.status_code == 200 and "_auth_user_id" not in _client.session
    assert kari_client.get(reverse("teams:my_teams")).status_code == 302
    # Ola, on the same team, keeps everything.
    ola.refresh_from_db()
    assert (ola.name, ola.email) == ("Ola Hansen", "ola@leknes.no")
    assert Registration.objects.get(email="ola@leknes.no").name == "Ola Hansen"
    assert Reminder.objects.filter(person=ola).count() == 1


def test_the_signed_agreement_stays_when_its_signer_is_erased(client, coordinator, world):
    client.force_login(coordinator)
    client.post(reverse("privacy:erase", args=[world["leader"].pk]), {"confirm": "on"})
    agreement = Agreement.objects.get(pk=world["agreement"].pk)
    assert agreement.status == AgreementStatus.SIGNED
    assert (agreement.signer_name, agreement.signer_email) == ("Una Enhetsleder", "una@leknes.no")
    assert agreement.document_html == "<p>Avtale</p>"
    assert Person.objects.get(pk=world["leader"].pk).name == ERASED_NAME


def test_a_seat_at_a_gathering_ahead_goes_to_the_waiting_list(client, coordinator, world):
    gathering = world["gathering"]
    type(gathering).objects.filter(pk=gathering.pk).update(
        starts_at=timezone.now() + dt.timedelta(days=30),
        ends_at=timezone.now() + dt.timedelta(days=30, hours=6),
    )
    waiting = Registration.objects.create(
        session=gathering,
        name="Per Venter",
        email="per@leknes.no",
        organisation="Leknes",
        role="other",
        status=RegistrationStatus.WAITING,
        token_hash="w" * 64,
    )
    client.force_login(coordinator)
    client.post(reverse("privacy:erase", args=[world["kari"].pk]), {"confirm": "on"})
    assert Registration.objects.get(name=ERASED_NAME).status == RegistrationStatus.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_proposal_in_the_programme_keeps_its_text(coordinator, world):
    AgendaItem.objects.filter(proposer_email="kari@leknes.no").update(
        status=ProposalStatus.ACCEPTED
    )
    erase_person(world["kari"].pk, by=coordinator)
    item = AgendaItem.objects.get(title="Innlegg av Kari Nordmann")
    assert (item.summary, item.proposer_name) == ("Fritekst fra Kari Nordmann", ERASED_NAME)


def test_without_the_tick_nothing_is_erased(client, coordinator, world):
    client.force_login(coordinator)
    response = client.post(reverse("privacy:erase", args=[world["kari"].pk]), {})
    assert response.status_code == 200
    assert "Kryss av i boksen for å bekrefte slettingen." in response.content.decode()
    assert Person.objects.get(pk=world["kari"].pk).email == "kari@leknes.no"


def test_a_second_erasure_changes_nothing(coordinator, world):
    assert erase_person(world["kari"].pk, by=coordinator) is not None
    assert erase_person(world["kari"].pk, by=coordinator) is None


def test_a_coordinator_role_goes_and_oneself_is_refused(coordinator, centre, world):
    other = CoordinatorFactory(centre=centre).person
    erase_person(other.pk, by=coordinator)
    assert not Coordinator.objects.filter(person=other).exists()
    with pytest.raises(ErasureRefused):
        erase_person(coordinator.person.pk, by=coordinator)


def test_outsiders_and_members_cannot_erase(client, outsider, world):
    url = reverse("privacy:erase", args=[world["kari"].pk])
    client.force_login(outsider)
    assert client.post(url, {"confirm": "on"}).status_code == 404
    client.force_login(world["ola"].user)
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert Person.objects.get(pk=world["kari"].pk).email == "kari@leknes.no"


def test_the_persons_admin_page_links_to_the_erasure(client, coordinator, world):
    client.force_login(coordinator)
    page = client.get(reverse("admin:network_person_change", args=[world["kari"].pk]))
    assert reverse("privacy:erase", args=[world["kari"].pk]) in page.content.decode()


def test_an_erased_person_is_not_offered_again(client, coordinator, world):
    kari = world["kari"]
    erase_person(kari.pk, by=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("privacy:erase", args=[kari.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:network_person_change", args=[kari.pk])
    page = response.content.decode()
    assert "Personopplysningene til denne personen er allerede slettet." in page
    assert reverse("privacy:erase", args=[kari.pk]) not in page
