"""The network's admin page as the coordinator's cockpit: the checklist of where the
network stands, and its buttons, each of which asks before it acts."""

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreements
from agreements.models import AgreementStatus
from reminders.models import Reminder, ReminderKind, ReminderState
from reports.checklist import DONE, LATER, TODO, checklist
from reports.services import propose_report_periods
from sessions_app.models import Attendance, Session, SessionKind, SessionStatus
from sessions_app.services import propose_timeline, record_attendance
from tests.factories import (
    NetworkFactory,
    PersonFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    focus_area,
)

pytestmark = pytest.mark.django_db


def sign(agreement):
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_at = timezone.now()
    agreement.document_sha256 = "0" * 64
    agreement.save()


def change_url(network):
    return reverse("admin:network_network_change", args=[network.pk])


def steps(network):
    return {step.key: step for step in checklist(network)}


def hidden_fields(page):
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(html.unescape(value))
    return data


def test_an_empty_network_says_what_is_missing(client, coordinator, network):
    client.force_login(coordinator)
    page = client.get(change_url(network)).content.decode()
    assert "Hvor nettverket står" in page
    for text in (
        "Innsatsområder",
        "Ingen innsatsområder er valgt ennå.",
        "Team med medlemmer og enhetsleder",
        "Ingen team ennå.",
        "Tidslinjen",
        "Ingen samlinger ennå.",
        "Avtaleteksten",
        "Standardteksten er ikke lest gjennom og lagret for dette nettverket.",
        "Rapportperioder",
        "Oppmøte",
        "Oppfølgingssamtalen",
        "Ikke planlagt ennå.",
    ):
        assert text in page, text
    # Each step links to where it is done; the buttons are on the page itself.
    propose = reverse("admin:network_network_propose_timeline", args=[network.pk])
    assert f'href="{propose}">Foreslå tidslinjen</a>' in page
    assert f'href="{propose}">Foreslå standard tidslinje</a>' in page
    send = reverse("admin:network_network_send_agreements", args=[network.pk])
    assert f'href="{send}">Send avtaler</a>' in page
    overview = reverse("reports:network_reports", args=[network.pk])
    assert f'href="{overview}">Nettverksoversikt' in page
    knowledge = reverse("knowledge:knowledge_base", args=[network.pk])
    assert f'href="{knowledge}">Kunnskapsbase' in page
    assert f"{reverse('admin:teams_team_add')}?network={network.pk}" in page
    assert {step.state for step in checklist(network)} <= {TODO, LATER}


def test_teams_without_a_unit_leader_or_members_are_counted(network, centre):
    leader = PersonFactory(centre=centre)
    TeamFactory(network=network)
    TeamFactory(network=network)
    TeamMemberFactory(team=TeamFactory(network=network, unit_leader=leader))
    TeamFactory(network=network, unit_leader=leader)
    step = steps(network)["teams"]
    assert step.state == TODO
    assert step.detail == "4 team: 2 team mangler enhetsleder, 3 team har ingen medlemmer."
    assert step.url == f"{reverse('admin:teams_team_changelist')}?network__id__exact={network.pk}"


def test_a_network_set_up_and_run_through_has_every_step_done(network, centre, time_machine):
    time_machine.move_to(dt.datetime(2026, 8, 1, 12, tzinfo=dt.UTC))
    network.focus_areas.add(focus_area("fall"))
    leader = PersonFactory(centre=centre, email="enhetsleder@kommune.no")
    teams = [TeamFactory(network=network, unit_leader=leader) for _ in range(2)]
    for team in teams:
        TeamMemberFactory(team=team)
    propose_timeline(network)
    propose_report_periods(network)
    agreements.save_text_version(network, **agreements.default_text_fields())
    state = steps(network)
    assert state["agreements"].state == TODO
    assert state["agreements"].detail == ("0 signert, 0 avslått, 0 venter på svar. 2 ikke sendt.")
    assert state["agreements"].url == reverse(
        "admin:network_network_send_agreements", args=[network.pk]
    )
    for team in teams:
        sign(team.agreement)
    assert steps(network)["attendance"].state == LATER  # nothing held yet

    # A year on: the gatherings were held, one without attendance; then recorded.
    time_machine.move_to(dt.datetime(2027, 11, 1, 12, tzinfo=dt.UTC))
    gatherings = list(network.sessions.filter(kind=SessionKind.GATHERING).order_by("starts_at"))
    for gathering in gatherings[:2]:
        record_attendance(gathering, [], [teams[0].pk])
    state = steps(network)
    assert state["attendance"].state == TODO
    assert state["attendance"].detail == "1 avholdt samling mangler oppmøte."
    assert state["attendance"].url == reverse(
        "admin:sessions_app_session_attendance", args=[gatherings[2].pk]
    )
    record_attendance(gatherings[2], [], [t.pk for t in teams])
    follow_up = network.sessions.get(kind=SessionKind.FOLLOW_UP)
    assert steps(network)["follow_up"].state == LATER
    follow_up.status = SessionStatus.HELD
    follow_up.save()
    state = steps(network)
    assert {key: step.state for key, step in state.items()} == dict.fromkeys(state, DONE)
    assert state["follow_up"].detail.startswith("Holdt ")


def test_the_checklist_costs_the_same_queries_for_a_larger_network(client, coordinator, network):
    client.force_login(coordinator)
    url = change_url(network)

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert "Hvor nettverket står" in response.content.decode()
        return len(queries)

    TeamMemberFactory(team=TeamFactory(network=network))
    SessionFactory(network=network, number=50)
    small = count()
    for _ in range(4):
        team = TeamFactory(network=network)
        TeamMemberFactory.create_batch(2, team=team)
    for number in range(51, 55):
        starts = timezone.now() - dt.timedelta(days=number)
        session = SessionFactory(
            network=network, number=number, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
        )
        record_attendance(session, [], [])
    assert count() == small


def test_propose_timeline_asks_first_and_includes_the_pre_course(client, coordinator, network):
    network.has_precourse = True
    network.save()
    client.force_login(coordinator)
    url = reverse("admin:network_network_propose_timeline", args=[network.pk])
    page = client.get(url).content.decode()
    assert "Foreslå standard tidslinje?" in page
    assert "Forkurs 1" in page and "Samling 3" in page and "Oppfølgingssamtale 1" in page
    assert "Nettverket har forkurs: det er tatt med." in page
    assert f'href="{change_url(network)}" class="button cancel-link">Avbryt</a>' in page
    assert not network.sessions.exists()  # the GET only shows
    response = client.post(url, follow=True)
    assert "opprettet 9 samlinger" in response.content.decode()
    kinds = list(network.sessions.order_by("starts_at").values_list("kind", flat=True))
    assert kinds[0] == SessionKind.PRECOURSE and len(kinds) == 9
    assert network.report_periods.count() == 2
    # Asked again, everything exists and is kept.
    assert client.get(url).content.decode().count("finnes fra før: beholdes") == 9


def test_propose_timeline_without_a_pre_course(network):
    propose_timeline(network)
    assert not network.sessions.filter(kind=SessionKind.PRECOURSE).exists()


def test_send_agreements_lists_each_recipient_and_sends_only_when_confirmed(
    client, coordinator, network, centre, django_capture_on_commit_callbacks
):
    kari = PersonFactory(centre=centre, name="Kari Leder", email="kari@kommune.no")
    ola = PersonFactory(centre=centre, name="Ola Leder", email="ola@kommune.no")
    first = TeamFactory(network=network, unit="Avdeling A", unit_leader=kari)
    second = TeamFactory(network=network, unit="Avdeling B", unit_leader=ola)
    leaderless = TeamFactory(network=network, unit="Avdeling C")
    signed = TeamFactory(network=network, unit="Avdeling D", unit_leader=ola)
    sign(signed.agreement)
    client.force_login(coordinator)
    url = reverse("admin:network_network_send_agreements", args=[network.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url).content.decode()
    assert "Sende avtalene?" in page and "2 mottakere" in page
    assert '<th scope="row">Kari Leder</th>\n      <td>kari@kommune.no</td>' in page
    assert '<th scope="row">Ola Leder</th>\n      <td>ola@kommune.no</td>' in page
    assert f"En personlig lenke for å signere deltakeravtalen for {first}." in page
    assert f"{leaderless}: teamet har ingen enhetsleder med e-postadresse" in page
    assert f"{signed}: signert: den kan ikke sendes på nytt" in page
    assert f'href="{change_url(network)}" class="button cancel-link">Avbryt</a>' in page
    assert mail.outbox == []

    # A POST without the confirmation sends nothing either.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {f"confirmed_{first.agreement.pk}": "kari@kommune.no"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, hidden_fields(page), follow=True)
    assert "Sendte 2 signeringslenker." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["kari@kommune.no", "ola@kommune.no"]
    second.agreement.refresh_from_db()
    assert second.agreement.status == AgreementStatus.SENT
    # Sent links are not sent again by the button: the list of agreements resends.
    page = client.get(url).content.decode()
    assert "Ingen får e-post." in page and "allerede sendt og venter på svar" in page


def test_the_buttons_refuse_outsiders_and_other_roles(client, outsider, network, django_user_model):
    urls = [
        reverse("admin:network_network_propose_timeline", args=[network.pk]),
        reverse("admin:network_network_send_agreements", args=[network.pk]),
    ]
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"post": "yes"}).status_code == 404
    staff = django_user_model.objects.create_user("staff@example.no", "pw", is_staff=True)
    client.force_login(staff)
    for url in urls:
        assert client.get(url).status_code == 403
    assert not network.sessions.exists()


def test_retrying_failed_reminders_asks_first(client, coordinator, network):
    reminder = Reminder.objects.create(
        key="failed",
        kind=ReminderKind.GATHERING,
        network=network,
        person=PersonFactory(centre=network.centre, name="Kari Nordmann"),
        recipient_email="kari@leknes.no",
        due_at=timezone.now(),
        state=ReminderState.FAILED,
        last_error="550",
    )
    client.force_login(coordinator)
    url = reverse("admin:reminders_reminder_changelist")
    page = client.post(url, {"action": "retry", "_selected_action": [reminder.pk]})
    page = page.content.decode()
    assert "Sende de mislykkede påminnelsene på nytt?" in page
    assert "Kari Nordmann" in page and "kari@leknes.no" in page
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.FAILED  # the outbox has nothing new
    client.post(url, hidden_fields(page) | {"post": ["yes"]})
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.PENDING


def test_an_improvement_networks_page_links_each_gathering_to_publish(
    client, coordinator, improvement
):
    gathering = SessionFactory(network=improvement, kind=SessionKind.GATHERING, number=1)
    client.force_login(coordinator)
    page = client.get(change_url(improvement)).content.decode()
    assert "Send avtaler" not in page and "Foreslå standard tidslinje" not in page
    publish = reverse("admin:sessions_app_session_publish", args=[gathering.pk])
    assert f'href="{publish}">Publiser programmet' in page
    assert reverse("gatherings:gathering", args=[gathering.pk]) in page
    asked = client.get(publish).content.decode()
    assert "Publisere programmet?" in asked and "Ingen e-post sendes." in asked
    assert not hasattr(Session.objects.get(pk=gathering.pk), "gathering") or (
        gathering.gathering.programme_published_at is None
    )
    client.post(publish, {"post": "yes"})
    gathering.refresh_from_db()
    assert gathering.gathering.programme_published_at is not None


def test_attendance_rows_are_shown_on_the_timeline(client, coordinator, network, team):
    session = SessionFactory(network=network)
    member = TeamMemberFactory(team=team)
    Attendance.objects.create(session=session, member=member)
    client.force_login(coordinator)
    page = client.get(change_url(network)).content.decode()
    attendance = reverse("admin:sessions_app_session_attendance", args=[session.pk])
    assert f'href="{attendance}">Registrert' in page


def test_a_second_network_is_not_counted(network, centre):
    other = NetworkFactory(centre=centre)
    TeamFactory(network=other)
    assert steps(network)["teams"].detail == "Ingen team ennå."


def test_the_cockpits_pages_have_no_english_left(client, coordinator, network, centre):
    from tests.network.test_admin_norwegian import problems_of

    leader = PersonFactory(centre=centre)
    team = TeamFactory(network=network, unit_leader=leader)
    TeamMemberFactory(team=team)
    propose_timeline(network)
    gathering = network.sessions.filter(kind=SessionKind.GATHERING).first()
    client.force_login(coordinator)
    pages = {
        "network": client.get(change_url(network)),
        "propose": client.get(reverse("admin:network_network_propose_timeline", args=[network.pk])),
        "send": client.get(reverse("admin:network_network_send_agreements", args=[network.pk])),
        "attendance": client.get(
            reverse("admin:sessions_app_session_attendance", args=[gathering.pk])
        ),
        "attendance refused": client.post(
            reverse("admin:sessions_app_session_attendance", args=[gathering.pk]),
            {"member": ["x"]},
        ),
        "list action": client.post(
            reverse("admin:agreements_agreement_changelist"),
            {"action": "send_agreements", "_selected_action": [team.agreement.pk]},
        ),
    }
    problems = {name: problems_of(r.content.decode()) for name, r in pages.items()}
    assert problems == dict.fromkeys(pages, set())


def test_another_centres_gathering_cannot_be_published_from_here(client, outsider, improvement):
    gathering = SessionFactory(network=improvement, kind=SessionKind.GATHERING, number=1)
    client.force_login(outsider)
    url = reverse("admin:sessions_app_session_publish", args=[gathering.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "yes"}).status_code == 404
    assert not hasattr(Session.objects.get(pk=gathering.pk), "gathering")
