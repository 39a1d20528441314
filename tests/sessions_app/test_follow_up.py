"""The six-month follow-up call: a record per team, the team's part through a
one-time link, the coordinator's record, and the network moved to followed up."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from network.models import NetworkStatus
from reports import exports
from sessions_app import services
from sessions_app.models import FollowUpRecord, SessionKind, SessionStatus, Sustained
from sessions_app.services import propose_timeline
from teams.models import Measure, Role
from tests.factories import TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "sustained": "partly",
    "sustained_note": "Sokkene brukes, tavlemøtet har stoppet",
    "other_measures": "Antall fall med skade",
    "spread": "Avdeling 3 og Gravdal sykehjem",
    "obstacles": "Mange vikarer",
}


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


@pytest.fixture
def call(team, coordinator):
    network = team.network
    propose_timeline(network)
    network.status = NetworkStatus.ENDED
    network.save(update_fields=["status"])
    TeamMemberFactory(
        team=team, role=Role.TEAM_LEADER, person__user=UserFactory(email="leder@kommune.no")
    )
    Measure.objects.create(team=team, name="Antall fall", goal=2, direction="down")
    return network.sessions.get(kind=SessionKind.FOLLOW_UP)


def post_record(client, network, record, **extra):
    measure = record.team.measures.get()
    return client.post(
        reverse("sessions_app:follow_up_record", args=[network.pk, record.pk]),
        {
            **ANSWERS,
            "measures": [measure.pk],
            "coordinator_notes": "Godt samtale",
            "version": str(record.version),
            **extra,
        },
    )


def test_the_team_fills_in_its_part_through_the_link_once(
    client, call, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_team_links(call) == 1
    message = mail.outbox[-1]
    assert message.to == [team.members.get(role=Role.TEAM_LEADER).person.email]
    assert "Oppfølgingen seks måneder etter" in message.subject
    link = re.search(r"(/tidslinje/oppfolging/\S+/)", message.body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    assert "Er endringen opprettholdt?" in page.content.decode()
    assert "Antall fall" in page.content.decode()  # the team's measures to tick
    # Bad input: the answer is refused next to its field, and what was typed is kept.
    response = client.post(link, {**ANSWERS, "sustained": ""})
    assert response.status_code == 200
    assert "sustained" in response.context["form"].errors
    assert "Avdeling 3 og Gravdal sykehjem" in response.content.decode()
    measure = team.measures.get()
    response = client.post(link, {**ANSWERS, "measures": [measure.pk], "filled_by": "Kari"})
    assert "Takk: teamets del er sendt" in response.content.decode()
    record = FollowUpRecord.objects.get(team=team)
    assert (record.sustained, record.spread, record.team_filled_by) == (
        Sustained.PARTLY,
        "Avdeling 3 og Gravdal sykehjem",
        "Kari",
    )
    assert list(record.measures.all()) == [measure]
    assert record.recorded_at is None  # the coordinator's part is still to come
    # The link is used now: refused, nothing changed.
    used = client.post(link, {**ANSWERS, "spread": "Overskrevet", "filled_by": "X"})
    assert used.status_code == 410
    assert "Teamets del er allerede sendt" in used.content.decode()
    record.refresh_from_db()
    assert record.spread == "Avdeling 3 og Gravdal sykehjem"
    # A wrong token is not a page.
    wrong = client.get(reverse("sessions_app:team_follow_up", args=["feil-lenke"]))
    assert wrong.status_code == 404
    assert "Lenken er ikke gyldig" in wrong.content.decode()


def test_an_expired_link_is_refused(
    client, call, team, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_team_links(call)
    link = re.search(r"(/tidslinje/oppfolging/\S+/)", mail.outbox[-1].body).group(1)
    time_machine.move_to(call.ends_at + dt.timedelta(days=2))
    response = client.get(link)
    assert response.status_code == 410
    assert "Lenken er utløpt" in response.content.decode()


def test_the_coordinator_records_the_call_and_the_network_is_followed_up(
    client, call, team, coordinator
):
    network = team.network
    other = TeamFactory(network=network, unit="Avdeling Sør")
    client.force_login(coordinator)
    url = reverse("sessions_app:follow_up", args=[network.pk])
    page = client.get(url).content.decode()
    assert page.count("Ikke registrert") == 2
    record = FollowUpRecord.objects.get(team=team)
    form = client.get(reverse("sessions_app:follow_up_record", args=[network.pk, record.pk]))
    assert "Er endringen opprettholdt?" in form.content.decode()
    complete = reverse("sessions_app:follow_up_complete", args=[network.pk])
    # Nothing recorded yet: refused.
    response = client.post(complete, follow=True)
    assert "Lagre notatet for minst ett team først." in response.content.decode()
    network.refresh_from_db()
    assert network.status == NetworkStatus.ENDED

    record = FollowUpRecord.objects.get(team=team)
    response = post_record(client, network, record)
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.recorded_by, record.version, record.coordinator_notes) == (
        coordinator,
        1,
        "Godt samtale",
    )
    response = client.post(complete, follow=True)
    assert "Nettverket er nå fulgt opp." in response.content.decode()
    network.refresh_from_db()
    call.refresh_from_db()
    assert (network.status, call.status) == (NetworkStatus.FOLLOWED_UP, SessionStatus.HELD)
    assert services.complete_follow_up(call) is False  # once

    text = pdf_text(client.get(reverse("sessions_app:follow_up_pdf", args=[network.pk])).content)
    for expected in (
        "Oppfølging etter seks måneder",
        "Er endringen opprettholdt? Delvis",
        "Sokkene brukes, tavlemøtet har stoppet",
        "Antall fall",
        "Avdeling 3 og Gravdal sykehjem",
        "Mange vikarer",
        "Godt samtale",
        str(other),
        "ikke registrert",
    ):
        assert expected in text, expected
    summary = pdf_text(exports.summary_pdf(network))
    assert "Hva oppfølgingssamtalen viste" in summary
    assert "Avdeling 3 og Gravdal sykehjem" in summary


def test_the_follow_up_waits_for_the_network_to_end(client, call, team, coordinator):
    network = team.network
    network.status = NetworkStatus.RUNNING
    network.save(update_fields=["status"])
    client.force_login(coordinator)
    client.get(reverse("sessions_app:follow_up", args=[network.pk]))
    record = FollowUpRecord.objects.get(team=team)
    post_record(client, network, record)
    with pytest.raises(services.FollowUpError, match="ikke avsluttet"):
        services.complete_follow_up(call)
    network.refresh_from_db()
    call.refresh_from_db()
    assert (network.status, call.status) == (NetworkStatus.RUNNING, SessionStatus.PLANNED)


def test_a_stale_record_is_refused_and_what_was_typed_is_kept(client, call, team, coordinator):
    network = team.network
    client.force_login(coordinator)
    client.get(reverse("sessions_app:follow_up", args=[network.pk]))
    record = FollowUpRecord.objects.get(team=team)
    # The team sends its part after the coordinator opened the page.
    token = services.issue_link(record)
    services.fill_team_part(
        token, data={**ANSWERS, "spread": "Teamets svar"}, measures=[], name="Kari"
    )
    response = post_record(client, network, record, spread="Mitt svar")
    assert response.status_code == 200
    page = response.content.decode()
    assert "notatet ble lagret av noen andre" in page
    assert "Mitt svar" in page
    record.refresh_from_db()
    assert (record.spread, record.recorded_at) == ("Teamets svar", None)


def test_access_to_the_follow_up_pages(client, call, team, outsider):
    network = team.network
    leader = team.members.get(role=Role.TEAM_LEADER).person.user
    services.ensure_records(call)
    record = FollowUpRecord.objects.get(team=team)
    pages = [
        ("get", reverse("sessions_app:follow_up", args=[network.pk])),
        ("get", reverse("sessions_app:follow_up_pdf", args=[network.pk])),
        ("get", reverse("sessions_app:follow_up_record", args=[network.pk, record.pk])),
        ("post", reverse("sessions_app:follow_up_record", args=[network.pk, record.pk])),
        ("post", reverse("sessions_app:follow_up_send", args=[network.pk])),
        ("post", reverse("sessions_app:follow_up_complete", args=[network.pk])),
    ]
    for user, expected in ((leader, 403), (outsider, 404)):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == expected, (user, url)
    network.refresh_from_db()
    assert network.status == NetworkStatus.ENDED and not mail.outbox


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_team_and_the_coordinator_at_the_same_moment(call, team, coordinator):
    """Two connections at once, five times: exactly one of them writes, whichever
    comes first (the other is told: a used link, or a stale record)."""
    import threading

    from django.db import connection
    from django_scopes import scopes_disabled

    (record,) = services.ensure_records(call)
    wins = []
    for attempt in range(5):
        FollowUpRecord.objects.filter(pk=record.pk).update(
            version=0, recorded_at=None, team_filled_at=None, spread=""
        )
        token = services.issue_link(record)
        barrier, outcome = threading.Barrier(2), {}

        def team_part(token=token, attempt=attempt, outcome=outcome, barrier=barrier):
            barrier.wait()
            try:
                with scopes_disabled():
                    services.fill_team_part(
                        token, data={**ANSWERS, "spread": f"team {attempt}"}, measures=[], name="K"
                    )
                outcome["team"] = True
            except services.LinkProblem:
                outcome["team"] = False
            finally:
                connection.close()

        def coordinator_part(attempt=attempt, outcome=outcome, barrier=barrier):
            barrier.wait()
            try:
                with scopes_disabled():
                    services.save_record(
                        record,
                        data={**ANSWERS, "spread": f"koordinator {attempt}"},
                        measures=[],
                        by=coordinator,
                        seen_version=0,
                    )
                outcome["coordinator"] = True
            except services.StaleRecord:
                outcome["coordinator"] = False
            finally:
                connection.close()

        threads = [threading.Thread(target=team_part), threading.Thread(target=coordinator_part)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert outcome["team"] != outcome["coordinator"], outcome
        winner = "team" if outcome["team"] else "koordinator"
        assert FollowUpRecord.objects.get(pk=record.pk).spread == f"{winner} {attempt}"
        wins.append(winner)
    print(f"who wrote first: {wins}")
