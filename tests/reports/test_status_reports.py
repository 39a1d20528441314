"""The report cycle: draft, submit, reopen; the PDF; the coordinator's overview."""

import datetime as dt
import io
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from reports import services
from reports.models import ReportStatus, StatusReport
from reports.services import propose_report_periods
from teams.models import Measure, Measurement, PDSACycle, Role
from tests.factories import TeamFactory, TeamMemberFactory, UserFactory
from tests.reports.conftest import TEXT

pytestmark = pytest.mark.django_db


def test_periods_come_from_the_timeline_and_are_not_duplicated(setup):
    network = setup["team"].network
    assert propose_report_periods(network) == []
    assert [(p.number, p.starts_on, p.due_on) for p in network.report_periods.all()] == [
        (1, dt.date(2026, 9, 1), dt.date(2026, 11, 24)),
        (2, dt.date(2026, 12, 1), dt.date(2027, 3, 9)),
    ]


def test_a_draft_can_be_saved_half_done_and_comes_back(client, setup):
    client.force_login(setup["leader"])
    response = client.post(setup["url"], {"activities": "Halvferdig tekst", "save": "1"})
    assert response.status_code == 302
    page = client.get(setup["url"]).content.decode()
    assert "Halvferdig tekst" in page
    assert StatusReport.objects.get().status == ReportStatus.DRAFT


def test_submitting_without_the_required_parts_keeps_everything(client, setup):
    client.force_login(setup["leader"])
    response = client.post(
        setup["url"], {"activities": "Noe vi gjorde", "what_worked": "", "submit": "1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["what_worked"] == ["Fyll ut dette før du sender inn."]
    assert set(errors) == {"what_worked", "challenges", "next_steps"}
    page = response.content.decode()
    assert "Noe vi gjorde" in page
    # The draft is saved, and the page says so once: never "nothing was saved" too.
    assert "Utkastet er lagret, men ikke sendt inn." in page
    assert "Ingenting er lagret" not in page and "Ingenting ble lagret" not in page
    report = StatusReport.objects.get()
    assert (report.status, report.activities) == (ReportStatus.DRAFT, "Noe vi gjorde")


def submit(client, setup, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            setup["url"], {**TEXT, "cycles": [setup["cycle"].pk], "submit": "1", **extra}
        )


def test_submitting_locks_the_report_and_emails_the_pdf(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["leader"])
    response = submit(client, setup, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    report = StatusReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == setup["leader"]
    message = mail.outbox[-1]
    # The coordinator and the unit leader, and a copy for the team leader (their
    # person's address, and the login that submitted it).
    leader_person = report.submitted_by.person
    assert sorted(message.to) == sorted(
        {"enhetsleder@kommune.no", "koordinator@usht.no", leader_person.email, "leder@kommune.no"}
    )
    assert message.subject.startswith("Statusrapport fra")
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and report.pdf.read() == content
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )
    for expected in (
        "Statusrapport 1 (før samling 2)",
        "Sklisikre sokker",
        "Det virker",
        "Mange vikarer i sommer",
        "Hjelp med målingene",
        "Spre til avdeling 3",
        "Antall fall",
        "12 punkter; median 6,5",
        "Signal: linjen krysser medianen bare 1 gang",
        f"av {leader_person.name}",  # by name, not by e-mail address
    ):
        assert expected in text, expected
    assert "leder@kommune.no" not in text
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "nb"

    locked = client.post(
        setup["url"], {**TEXT, "what_worked": "Endret etterpå", "save": "1"}, follow=True
    )
    page = locked.content.decode()
    assert "sendt inn og låst" in page
    assert "sendt inn mens du skrev" in page
    assert "Endret etterpå" in page  # what was typed is kept, to copy
    assert StatusReport.objects.get().what_worked == "Sklisikre sokker"


def test_the_coordinator_reopens_and_the_team_submits_again(
    client, setup, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(setup["leader"])
    submit(client, setup, django_capture_on_commit_callbacks)
    report = StatusReport.objects.get()
    client.force_login(coordinator)
    network = setup["team"].network
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:report_reopen", args=[network.pk, report.pk]),
            {"reason": "Legg til målingene fra november", "submitted_at": _iso(report)},
        )
    assert StatusReport.objects.get().status == ReportStatus.DRAFT
    client.force_login(setup["leader"])
    submit(client, setup, django_capture_on_commit_callbacks, next_steps="Ny plan")
    assert StatusReport.objects.get().status == ReportStatus.SUBMITTED
    assert len([m for m in mail.outbox if m.attachments]) == 2


def _iso(report):
    return report.submitted_at.isoformat()


def test_nothing_is_lost_when_the_login_has_expired(client, setup):
    url = setup["url"]
    client.get(reverse("security:login"))  # a CSRF cookie, as a browser would have
    response = client.post(
        url, {**TEXT, "what_worked": "Skrevet etter at økten gikk ut", "save": "1"}
    )
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.post(reverse("security:login"), {"username": "leder@kommune.no", "password": "pw"})
    page = client.get(url)
    assert "Skrevet etter at økten gikk ut" in page.content.decode()
    assert "Innloggingen din var utløpt" in page.content.decode()
    assert not StatusReport.objects.exists()  # kept, not saved behind the person's back


def test_access_to_reports(client, setup, coordinator, outsider, network):
    other = TeamFactory(network=network)
    client.force_login(setup["leader"])
    other_period = setup["period"]
    assert (
        client.get(reverse("reports:report", args=[other.pk, other_period.pk])).status_code == 404
    )
    member = TeamMemberFactory(
        team=setup["team"], role=Role.MEMBER, person__user=UserFactory()
    ).person.user
    client.force_login(member)
    assert client.get(setup["url"]).status_code == 200
    assert client.post(setup["url"], {**TEXT, "save": "1"}).status_code == 403
    overview = reverse("reports:network_reports", args=[network.pk])
    assert client.get(overview).status_code == 403
    client.force_login(outsider)
    assert client.get(overview).status_code == 404
    assert client.get(setup["url"]).status_code == 404


def test_the_coordinator_sees_which_reports_are_missing_or_overdue(
    client, setup, coordinator, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 12, 15, 12, tzinfo=dt.UTC))
    team = setup["team"]
    late = TeamFactory(network=team.network, unit="Sen avdeling")
    client.force_login(setup["leader"])
    submit(client, setup, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    response = client.get(reverse("reports:network_reports", args=[team.network.pk]))
    states = {
        row.team.unit: [state for _p, state, _r in row.cells] for row in response.context["rows"]
    }
    assert states[team.unit] == ["submitted", "missing"]
    assert states["Sen avdeling"] == ["overdue", "missing"]
    page = response.content.decode()
    assert "Forfalt" in page and "Sendt inn" in page and late.unit in page


def test_overview_query_count_does_not_grow(client, setup, coordinator):
    client.force_login(coordinator)
    url = reverse("reports:network_reports", args=[setup["team"].network.pk])
    TeamFactory(network=setup["team"].network)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(5):
        team = TeamFactory(network=setup["team"].network)
        StatusReport.objects.create(team=team, period=setup["period"])
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["rows"]) == 7
    assert len(small) == len(large)


def test_report_form_query_count_does_not_grow_with_the_measures(client, setup):
    """The form for a period with no report yet shows the team's charts."""
    client.force_login(setup["leader"])
    team = setup["team"]

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(setup["url"])
        assert response.status_code == 200
        return len(queries), response

    small, _ = count()
    for index in range(3):
        measure = Measure.objects.create(team=team, name=f"Måling {index}")
        Measurement.objects.create(measure=measure, period_start=dt.date(2026, 1, 1), value=1)
        PDSACycle.objects.create(
            team=team, measure=measure, change="Test", start_date=dt.date(2026, 2, 1)
        )
    large, response = count()
    assert len(response.context["charts"]) == 4
    assert small == large


def test_the_team_page_shows_the_next_report_due(client, setup, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC))
    client.force_login(setup["leader"])
    page = client.get(reverse("teams:team", args=[setup["team"].pk])).content.decode()
    assert "Neste rapportfrist" in page
    assert "Statusrapport 1 (før samling 2)</a>, 24. november 2026" in page


def test_the_team_page_shows_each_reports_state(client, setup, time_machine):
    team, first = setup["team"], setup["period"]
    second = team.network.report_periods.get(number=2)
    time_machine.move_to(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC))
    client.force_login(setup["leader"])

    def states():
        page = client.get(reverse("teams:team", args=[team.pk])).content.decode()
        found = []
        for period in (first, second):
            link = f'{reverse("reports:report", args=[team.pk, period.pk])}">{period}</a>'
            after = page[page.rindex(link) :]
            found.append(after[after.index('class="badge') :].split(">", 1)[1].split("<", 1)[0])
        return found, page

    found, page = states()
    assert found == ["Forfalt", "Frist 9.3.2027"]
    assert "Statusrapport 2" in page.split("Neste rapportfrist", 1)[1].split("</dd>", 1)[0]
    StatusReport.objects.create(team=team, period=second, status=ReportStatus.DRAFT)
    StatusReport.objects.create(team=team, period=first, status=ReportStatus.SUBMITTED)
    found, _page = states()
    assert found == ["Sendt inn", "Utkast"]


def test_a_draft_save_from_a_stale_page_never_turns_a_submitted_report_back(setup):
    """The draft save read the report before the submit; it is refused, and the
    submitted report keeps its status and its text."""
    report = services.report_for(setup["team"], setup["period"])
    stale = StatusReport.objects.get(pk=report.pk)  # the page the other person has open
    services.save_and_submit(report, user=setup["leader"], cycles=[], **TEXT)
    with pytest.raises(services.SubmittedMeanwhile):
        services.save_draft(stale, cycles=[], **{**TEXT, "what_worked": "Gammel kladd"})
    fresh = StatusReport.objects.get(pk=report.pk)
    assert fresh.status == ReportStatus.SUBMITTED
    assert fresh.what_worked == "Sklisikre sokker"


def _race_a_draft_against_a_submit(report, leader, attempt):
    """Both read the draft first, as two open pages would, then write at once."""
    barrier, outcomes = threading.Barrier(2), {}
    draft_page = StatusReport.objects.get(pk=report.pk)
    submit_page = StatusReport.objects.get(pk=report.pk)

    def draft():
        barrier.wait()
        try:
            with scopes_disabled():
                services.save_draft(draft_page, cycles=[], what_worked=f"Kladd {attempt}")
            outcomes["draft"] = "saved"
        except services.SubmittedMeanwhile:
            outcomes["draft"] = "refused"
        finally:
            connection.close()

    def submit_it():
        barrier.wait()
        try:
            with scopes_disabled():
                services.save_and_submit(submit_page, user=leader, cycles=[], **TEXT)
            outcomes["submit"] = "submitted"
        finally:
            connection.close()

    threads = [threading.Thread(target=draft), threading.Thread(target=submit_it)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_save_and_a_submit_at_the_same_moment(setup):
    """Two connections at once, ten times: the submitted report stays submitted,
    with the text it was submitted with, whichever comes first."""
    report = services.report_for(setup["team"], setup["period"])
    seen = set()
    for attempt in range(10):
        StatusReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.DRAFT, what_worked="", challenges="", next_steps=""
        )
        outcomes = _race_a_draft_against_a_submit(report, setup["leader"], attempt)
        fresh = StatusReport.objects.get(pk=report.pk)
        assert outcomes["submit"] == "submitted"
        assert fresh.status == ReportStatus.SUBMITTED, outcomes
        assert fresh.what_worked == "Sklisikre sokker", outcomes
        seen.add(outcomes["draft"])
    print(f"draft saves before the submit / refused after it: {sorted(seen)}")


def test_a_refused_first_save_stores_no_report(client, setup):
    """Found by the fuzz test: an invalid first save made an empty draft."""
    client.force_login(setup["leader"])
    response = client.post(setup["url"], {"cycles": "ikke en syklus", "save": "1"})
    assert response.status_code == 200
    assert "cycles" in response.context["form"].errors
    assert not StatusReport.objects.exists()


def test_the_cycles_offered_are_those_that_ran_in_the_period(client, setup):
    """Period 1 runs from 1 September to 24 November 2026."""
    team, measure = setup["team"], setup["cycle"].measure
    before = PDSACycle.objects.create(
        team=team,
        measure=measure,
        change="Før",
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 8, 31),
    )
    across = PDSACycle.objects.create(
        team=team,
        measure=measure,
        change="Over starten",
        start_date=dt.date(2026, 8, 1),
        end_date=dt.date(2026, 9, 15),
    )
    after = PDSACycle.objects.create(
        team=team, measure=measure, change="Etter", start_date=dt.date(2026, 11, 25)
    )
    client.force_login(setup["leader"])
    offered = set(client.get(setup["url"]).context["form"].fields["cycles"].queryset)
    assert offered == {setup["cycle"], across}
    # A cycle a saved report already names stays offered (and ticked), so that a
    # save does not drop it.
    report = StatusReport.objects.create(team=team, period=setup["period"])
    report.cycles.set([after])
    offered = set(client.get(setup["url"]).context["form"].fields["cycles"].queryset)
    assert offered == {setup["cycle"], across, after}
    assert before not in offered
