"""The coordinator reads a submitted report (read-only, no fields), reopens it with
a reason, and the team leader is e-mailed that reason; desktop and 390 px."""

import pytest
from django.core import mail
from django.urls import reverse

from reports import services as report_services
from reports.models import ReportStatus, StatusReport
from teams.models import Team
from tests.browser.conftest import axe_violations, login, require_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_coordinator_reads_and_reopens_a_report(page, demo, width):
    require_axe()
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    leader = team.members.get(role="team_leader").person
    period = team.network.report_periods.order_by("number").first()
    report = report_services.report_for(team, period)
    report_services.save_draft(
        report,
        cycles=[],
        what_worked="Tavlemøter hver fredag",
        challenges="Lite tid i ferien",
        next_steps="Fortsette med sklisikre sokker",
    )
    report_services.submit(report, user=leader.user)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "koordinator@demo.no")

    page.goto(reverse("reports:network_reports", args=[team.network.pk]))
    page.get_by_role("link", name=f"Les – {team}, {period}").click()
    page.wait_for_load_state()
    # Read-only: the text, no fields, no buttons to save.
    assert page.get_by_text("Tavlemøter hver fredag").is_visible()
    assert page.locator("main textarea, main input[type=checkbox]").count() == 0
    assert page.get_by_role("button", name="Lagre utkast").count() == 0
    assert axe_violations(page) == []
    screenshot(page, f"report-read-only-{width}")

    page.get_by_role("link", name="Åpne den igjen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Åpne rapporten igjen").is_visible()
    assert leader.email in page.content()
    page.get_by_role("button", name="Åpne rapporten igjen").click()
    page.wait_for_load_state()
    assert page.locator("#id_reason.is-invalid").count() == 1
    assert StatusReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert axe_violations(page) == []
    screenshot(page, f"report-reopen-errors-{width}")

    page.fill("#id_reason", "Legg til målingene fra november.")
    screenshot(page, f"report-reopen-{width}")
    page.get_by_role("button", name="Åpne rapporten igjen").click()
    page.wait_for_load_state()
    assert page.get_by_text("er åpen for endringer igjen").is_visible()
    assert StatusReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    reopened = [m for m in mail.outbox if m.subject.startswith("Statusrapporten er åpen igjen")]
    assert len(reopened) == 1 and reopened[0].to == [leader.email]
    assert "Legg til målingene fra november." in reopened[0].body
    screenshot(page, f"report-reopened-{width}")
