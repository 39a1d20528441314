"""Reopening a submitted report: a reason, required, e-mailed to the team leader;
a stale page reopens nothing; the report read in the browser, without fields."""

import pytest
from django.core import mail
from django.urls import reverse

from reports import services
from reports.models import ReportStatus, StatusReport
from teams.models import Role
from tests.factories import TeamMemberFactory, UserFactory
from tests.reports.conftest import TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(setup, django_capture_on_commit_callbacks):
    report = services.report_for(setup["team"], setup["period"])
    services.save_draft(report, cycles=[setup["cycle"]], **TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(report, user=setup["leader"])
    mail.outbox.clear()
    report.refresh_from_db()
    return report


def reopen_url(report):
    return reverse("reports:report_reopen", args=[report.period.network_id, report.pk])


def test_the_reopen_page_asks_for_a_reason_and_names_the_team_leader(
    client, coordinator, submitted
):
    client.force_login(coordinator)
    page = client.get(reopen_url(submitted)).content.decode()
    assert "Hvorfor åpnes rapporten igjen?" in page
    leader_email = submitted.team.members.get(role=Role.TEAM_LEADER).person.email
    assert leader_email in page
    assert submitted.submitted_at.isoformat() in page  # the submission it reopens


def test_a_reason_is_required_and_nothing_changes_without_one(
    client, coordinator, submitted, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reopen_url(submitted), {"reason": "  ", "submitted_at": submitted.submitted_at}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Feltet er påkrevet."]
    assert "Ingenting er lagret ennå" in response.content.decode()
    assert StatusReport.objects.get().status == ReportStatus.SUBMITTED
    assert mail.outbox == []


def test_reopening_emails_the_team_leader_the_reason(
    client, coordinator, setup, submitted, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reopen_url(submitted),
            {
                "reason": "Legg til målingene fra november,\nog skriv hva dere lærte.",
                "submitted_at": submitted.submitted_at.isoformat(),
            },
            follow=True,
        )
    assert "er åpen for endringer igjen" in response.content.decode()
    report = StatusReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    assert report.reopened_by == coordinator and report.reopen_notified_at is not None
    (message,) = mail.outbox
    leader = setup["team"].members.get(role=Role.TEAM_LEADER).person
    assert message.to == [leader.email]
    assert message.subject == f"Statusrapporten er åpen igjen: {setup['period']}"
    assert "Legg til målingene fra november," in message.body
    assert "og skriv hva dere lærte." in message.body
    assert coordinator.person.name in message.body
    assert reverse("reports:report", args=[setup["team"].pk, setup["period"].pk]) in message.body
    html = message.alternatives[0][0]
    assert "Legg til målingene fra november,<br>og skriv hva dere lærte." in html
    assert message.reply_to == ["koordinator@usht.no"]
    # The team sees the reason on the report too.
    client.force_login(setup["leader"])
    page = client.get(setup["url"]).content.decode()
    assert "Koordinatoren åpnet rapporten igjen" in page
    assert "Legg til målingene fra november" in page
    # Sent once: the sweep finds nothing left to send.
    assert services.deliver_pending() == 0
    assert len(mail.outbox) == 1


def test_a_stale_reopen_is_refused(
    client, coordinator, setup, submitted, django_capture_on_commit_callbacks
):
    """The coordinator opened the page; meanwhile the report was reopened and
    submitted again. Sending the old page reopens nothing."""
    seen = submitted.submitted_at.isoformat()
    services.reopen(
        submitted, user=coordinator, reason="Først", submitted_at=submitted.submitted_at
    )
    again = StatusReport.objects.get()
    services.submit(again, user=setup["leader"])
    mail.outbox.clear()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reopen_url(submitted), {"reason": "Andre", "submitted_at": seen})
    assert response.status_code == 200
    assert "så ingenting er endret" in response.content.decode()
    report = StatusReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.reopen_reason == "Først"
    assert [m for m in mail.outbox if "åpen igjen" in m.subject] == []


def test_two_reopens_of_one_submission_reopen_once(coordinator, submitted):
    services.reopen(submitted, user=coordinator, reason="En", submitted_at=submitted.submitted_at)
    with pytest.raises(services.ReopenedMeanwhile):
        services.reopen(
            submitted, user=coordinator, reason="To", submitted_at=submitted.submitted_at
        )
    assert StatusReport.objects.get().reopen_reason == "En"


def test_a_broken_mail_server_leaves_the_notice_for_the_sweep(
    coordinator, submitted, settings, monkeypatch
):
    services.reopen(
        submitted, user=coordinator, reason="Ny runde", submitted_at=submitted.submitted_at
    )
    monkeypatch.setattr(services, "send_email", lambda *a, **k: (_ for _ in ()).throw(OSError))
    with pytest.raises(OSError):
        services.notify_reopened(submitted.pk)
    assert StatusReport.objects.get().reopen_notified_at is None
    monkeypatch.undo()
    assert services.deliver_pending() == 1
    assert "Ny runde" in mail.outbox[-1].body


def test_the_coordinator_reads_a_submitted_report_without_fields(
    client, coordinator, setup, submitted
):
    client.force_login(coordinator)
    response = client.get(setup["url"])
    page = response.content.decode()
    for text in TEXT.values():
        assert text in page
    assert "<textarea" not in page and 'type="checkbox"' not in page
    assert "Lagre utkast" not in page and "Send inn rapporten" not in page
    assert reopen_url(submitted) in page  # the coordinator may reopen it from here
    assert reverse("reports:report_pdf", args=[setup["team"].pk, submitted.pk]) in page


def test_the_coordinator_reads_a_draft_without_fields(client, coordinator, setup):
    report = services.report_for(setup["team"], setup["period"])
    services.save_draft(report, cycles=[], what_worked="Halvveis")
    client.force_login(coordinator)
    page = client.get(setup["url"]).content.decode()
    assert "Halvveis" in page and "Utkast: ikke sendt inn ennå" in page
    assert "<textarea" not in page and "Lagre utkast" not in page


def test_the_team_reads_its_submitted_report_as_text(client, setup, submitted):
    member = TeamMemberFactory(
        team=setup["team"], role=Role.MEMBER, person__user=UserFactory()
    ).person.user
    for who in (setup["leader"], member):
        client.force_login(who)
        page = client.get(setup["url"]).content.decode()
        assert "Sklisikre sokker" in page and "Spre til avdeling 3" in page
        assert "<textarea" not in page
        assert "Be koordinatoren om å gjenåpne den" in page
        assert reopen_url(submitted) not in page


def test_the_overview_links_to_read_and_reopen(client, coordinator, setup, submitted):
    client.force_login(coordinator)
    page = client.get(
        reverse("reports:network_reports", args=[setup["team"].network_id])
    ).content.decode()
    assert f'href="{setup["url"]}"' in page
    assert f'href="{reopen_url(submitted)}"' in page


def test_reopen_access(client, setup, submitted, outsider):
    url = reopen_url(submitted)
    client.force_login(setup["leader"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert StatusReport.objects.get().status == ReportStatus.SUBMITTED
