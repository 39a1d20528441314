"""The coordinator's cockpit, in a real browser: from an empty network to the
follow-up call, all from the network's own page, and the checklist complete.

The network is one of the past school year (2024–2025), so that its gatherings are
held and attendance can be recorded, and its follow-up call is due."""

import re

import pytest
from django.core import mail

from agreements.models import Agreement, AgreementStatus
from network.models import Network
from sessions_app.models import Attendance, SessionKind
from teams.models import Team
from tests.browser.conftest import admin_login, screenshot, select2

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEAMS = [
    (
        "Vestvågøy",
        "Leknes sykehjem, avdeling 4",
        "enhetsleder@demo.no",
        ["ola.hansen@demo.no", "ingrid.johansen@demo.no"],
    ),
    (
        "Vågan",
        "Svolvær sykehjem, avdeling 2",
        "tone.eriksen@demo.no",
        ["anne.larsen@demo.no", "nils.karlsen@demo.no"],
    ),
]


def checklist_state(page):
    return {
        item.get_attribute("data-step"): item.get_attribute("class").split("step-")[-1]
        for item in page.locator(".checklist-step").all()
    }


def open_step(page, key):
    page.locator(f".checklist-step[data-step={key}] a").click()
    page.wait_for_load_state()


def test_a_coordinator_runs_a_network_from_its_page(page, demo):
    admin_login(page, "koordinator@demo.no")
    page.goto("/admin/network/network/add/")
    page.fill("#id_title", "Læringsnettverk legemiddelsamstemming 2024–2025")
    page.select_option("#id_kind", "learning")
    page.fill("#id_start_date", "02.09.2024")
    page.fill("#id_end_date", "02.06.2025")
    page.check("#id_has_precourse")
    page.select_option("#id_focus_area_mode", "single")
    page.select_option("#id_focus_areas_from", label="Forebygging av trykksår")
    page.click("#id_focus_areas_add")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=Hvor nettverket står")
    network = Network.objects.get(title="Læringsnettverk legemiddelsamstemming 2024–2025")
    state = checklist_state(page)
    assert state["focus"] == "done" and state["teams"] == "todo" and state["timeline"] == "todo"

    # The timeline: the button asks first, listing what it makes, the pre-course too.
    page.get_by_role("link", name="Foreslå standard tidslinje").click()
    page.wait_for_selector("h1:has-text('Foreslå standard tidslinje?')")
    assert page.locator("text=Forkurs 1").count() == 1
    page.get_by_role("button", name="Ja, lag tidslinjen").click()
    page.wait_for_selector("text=opprettet 9 samlinger")
    assert network.sessions.filter(kind=SessionKind.PRECOURSE).count() == 1

    # Two teams, unit leader and members picked by e-mail.
    for municipality, unit, leader, members in TEAMS:
        page.goto(f"/admin/network/network/{network.pk}/change/")
        page.locator("a.addlink[href*='/teams/team/add/']").click()  # below the team table
        assert page.input_value("#id_network") == str(network.pk)
        select2(page, "id_municipality", municipality)
        page.fill("#id_unit", unit)
        page.select_option("#id_focus_area", label="Forebygging av trykksår")
        select2(page, "id_unit_leader", leader)
        for index, email in enumerate(members):
            if index:
                page.click(".add-row a")
            select2(page, f"id_members-{index}-person", email)
            page.select_option(
                f"#id_members-{index}-role", "team_leader" if index == 0 else "measurement_lead"
            )
        page.click("input[name=_save]")
        page.wait_for_selector("text=ble lagt til")
    teams = list(Team.objects.filter(network=network).order_by("unit"))
    assert [t.unit_leader.email for t in teams] == ["enhetsleder@demo.no", "tone.eriksen@demo.no"]

    # The agreement text, read through and saved (before the links go out).
    page.goto(f"/admin/network/network/{network.pk}/change/")
    open_step(page, "text")
    page.click("input[name=_save]")
    page.wait_for_selector("text=Lagret som versjon")

    # "Send avtaler" asks first: each unit leader by name and e-mail; nothing is sent.
    page.goto(f"/admin/network/network/{network.pk}/change/")
    before = len(mail.outbox)
    page.get_by_role("link", name="Send avtaler").click()
    page.wait_for_selector("h1:has-text('Sende avtalene?')")
    rows = page.locator("table.recipients tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert "Marit Berg\tenhetsleder@demo.no" in rows[0]
    assert "Tone Eriksen\ttone.eriksen@demo.no" in rows[1]
    assert len(mail.outbox) == before
    screenshot(page, "cockpit-send-agreements-confirmation")
    page.get_by_role("button", name="Ja, send 2 avtaler").click()
    page.wait_for_selector("text=Sendte 2 signeringslenker.")
    sent = mail.outbox[before:]
    assert sorted(m.to[0] for m in sent) == ["enhetsleder@demo.no", "tone.eriksen@demo.no"]

    # Both unit leaders sign through their links.
    for message in sent:
        link = re.search(r"(/avtale/signer/\S+/)", message.body).group(1)
        page.goto(link)
        page.get_by_label("Din tittel").fill("Enhetsleder")
        page.get_by_label("Navn på deltakeren fra øverste ledelse").fill("Kommunalsjef Helse")
        page.get_by_label("E-post til deltakeren fra øverste ledelse").fill("topp@demo.no")
        page.get_by_label(re.compile("Jeg signerer på vegne av")).check()
        page.get_by_role("button", name="Signer avtalen").click()
        page.wait_for_selector("text=Avtalen er signert")
    assert set(
        Agreement.objects.filter(team__network=network).values_list("status", flat=True)
    ) == {AgreementStatus.SIGNED}

    # Attendance at each gathering, from the checklist: "Hele teamet møtte" ticks the
    # team's members; one member of the other team came to gathering 2.
    page.goto(f"/admin/network/network/{network.pk}/change/")
    assert (
        page.locator(".checklist-step[data-step=attendance]")
        .inner_text()
        .count("3 avholdte samlinger mangler oppmøte")
    )
    for number in (1, 2, 3):
        page.goto(f"/admin/network/network/{network.pk}/change/")
        open_step(page, "attendance")
        page.wait_for_selector(f"h1:has-text('Oppmøte: Samling {number}')")
        first = page.locator(f"fieldset[data-team='{teams[0].pk}']")
        first.get_by_label("Hele teamet møtte").check()
        assert first.locator("input[data-member-of]:checked").count() == 2  # by the script
        second = page.locator(f"fieldset[data-team='{teams[1].pk}']")
        if number == 2:
            second.locator("input[data-member-of]").first.check()
        else:
            second.get_by_label("Hele teamet møtte").check()
        if number == 3:
            screenshot(page, "cockpit-attendance-checklist")
        page.get_by_role("button", name="Lagre oppmøtet").click()
        page.wait_for_selector(f"text=Oppmøtet på Samling {number} er lagret")
    assert Attendance.objects.filter(session__network=network, present=True).count() == 11

    # The follow-up call, held.
    open_step(page, "follow_up")
    page.select_option("#id_status", "held")
    page.click("input[name=_save]")
    page.wait_for_selector("text=ble endret")

    page.goto(f"/admin/network/network/{network.pk}/change/")
    state = checklist_state(page)
    assert state == dict.fromkeys(
        ["focus", "teams", "timeline", "text", "agreements", "periods", "attendance", "follow_up"],
        "done",
    ), state
    # No script error. (A picker's search may answer 400 now and then on the test's
    # SQLite: two of its requests saving the same session at once.)
    assert [e for e in page.console_errors if not e.startswith("Failed to load resource")] == []
    page.locator(".network-checklist").scroll_into_view_if_needed()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"cockpit-checklist-complete-{width}")
