"""axe-core (WCAG 2.1 A and AA) over the admin pages a coordinator uses every day:
the index, and the lists, add forms and change forms of networks, teams, people,
sessions and agreements, the change forms also shown with their errors."""

import json

import pytest
from django.urls import reverse

from agreements.models import Agreement
from network.models import Network, Person
from sessions_app.models import Session
from teams.models import Team
from tests.browser.conftest import ARTIFACTS, admin_login, axe_violations, require_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MODELS = {
    "network": (
        "network",
        "network",
        lambda: Network.objects.get(teams__unit="Leknes sykehjem, avdeling 2"),
    ),
    "team": ("teams", "team", lambda: Team.objects.get(unit="Leknes sykehjem, avdeling 2")),
    "person": ("network", "person", lambda: Person.objects.get(email="teamleder@demo.no")),
    "session": (
        "sessions_app",
        "session",
        lambda: Session.objects.filter(network__kind="improvement").order_by("number").last(),
    ),
    "agreement": (
        "agreements",
        "agreement",
        lambda: Agreement.objects.get(team__unit="Svolvær sykehjem"),
    ),
}


def admin_pages():
    """{name: path} of every page checked."""
    pages = {"index": reverse("admin:index")}
    for name, (app, model, find) in MODELS.items():
        pages[f"{name} list"] = reverse(f"admin:{app}_{model}_changelist")
        if name != "agreement":  # an agreement comes with its team: no add form
            pages[f"{name} add"] = reverse(f"admin:{app}_{model}_add")
        pages[f"{name} change"] = reverse(f"admin:{app}_{model}_change", args=[find().pk])
    pages["weekly digest"] = reverse("admin:reminders_weeklydigest_changelist")
    return pages


def test_axe_finds_no_violations_on_the_coordinators_admin_pages(page, demo):
    require_axe()
    admin_login(page, "koordinator@demo.no")
    failures = {}
    for name, path in admin_pages().items():
        response = page.goto(path)
        assert response.status == 200, (name, path)
        assert page.locator("#content h1").count() == 1, name
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
        if name.endswith(" add"):
            # The same form sent empty: shown again with its errors.
            page.locator("#content form input[name=_save]").click()
            page.wait_for_load_state()
            assert page.locator(".errornote").count() == 1, name
            violations = axe_violations(page)
            if violations:
                failures[f"{name} with errors"] = violations
        if name == "team change":
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                screenshot(page, f"admin-team-change-{width}")
            page.set_viewport_size({"width": 1280, "height": 900})
    report = json.dumps(failures, indent=1, ensure_ascii=False)
    (ARTIFACTS.parent / "axe-admin.json").write_text(report)
    assert failures == {}, report


def cockpit_pages():
    """{name: path} of the cockpit's own pages: the confirmations that ask before
    e-mail goes out, the timeline's, and the attendance checklist."""
    network = MODELS["network"][2]()
    gathering = network.sessions.filter(kind="gathering").order_by("starts_at").first()
    improvement = Session.objects.filter(network__kind="improvement").order_by("number").last()
    return {
        "send agreements": reverse("admin:network_network_send_agreements", args=[network.pk]),
        "propose timeline": reverse("admin:network_network_propose_timeline", args=[network.pk]),
        "attendance": reverse("admin:sessions_app_session_attendance", args=[gathering.pk]),
        "publish programme": reverse("admin:sessions_app_session_publish", args=[improvement.pk]),
    }


def test_axe_finds_no_violations_on_the_cockpits_pages(page, demo):
    require_axe()
    admin_login(page, "koordinator@demo.no")
    failures = {}
    for name, path in cockpit_pages().items():
        response = page.goto(path)
        assert response.status == 200, (name, path)
        assert page.locator("#content h1").count() == 1, name
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
        if name == "attendance":
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                screenshot(page, f"admin-attendance-{width}")
            page.set_viewport_size({"width": 1280, "height": 900})
    # The agreements' list action asks on a page of its own too.
    page.goto(reverse("admin:agreements_agreement_changelist"))
    page.check("#action-toggle")
    page.select_option("select[name=action]", "send_agreements")
    page.click("button[name=index]")
    page.wait_for_selector("h1:has-text('Sende avtalene?')")
    violations = axe_violations(page)
    if violations:
        failures["send agreements (list action)"] = violations
    screenshot(page, "admin-send-agreements-confirmation")
    report = json.dumps(failures, indent=1, ensure_ascii=False)
    (ARTIFACTS.parent / "axe-admin-cockpit.json").write_text(report)
    assert failures == {}, report
