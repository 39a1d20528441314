"""The admin's scripts in bokmål, in a real browser whose clock is in another time
zone than Oslo's: date fields carry no time-zone note, time fields carry it in
Norwegian, the two-list picker and the calendar speak Norwegian, and a person is
picked by e-mail with name, e-mail and organisation shown."""

import pytest

from network.models import Network, Person
from tests.browser.conftest import admin_login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ENGLISH = ["Note:", "timezone", "Choose all", "Remove all", "Choose", "Today", "Now", "Search"]


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "390px"])
def abroad(request, chromium, live_server):
    """A coordinator's browser on a trip: New York time, six hours behind Oslo."""
    width, height = request.param
    context = chromium.new_context(
        base_url=live_server.url,
        locale="nb-NO",
        timezone_id="America/New_York",
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.size_name = request.node.callspec.id
    yield page
    context.close()


def sign_in(page):
    """The admin login, waited for: a page opened while the login's POST is still
    under way would interrupt it."""
    admin_login(page, "koordinator@demo.no")
    page.wait_for_selector("#user-tools")


def visible_text(page):
    return page.locator("#content").inner_text()


def test_the_admin_scripts_in_bokmal(abroad, demo):
    page = abroad
    sign_in(page)

    page.goto("/admin/network/network/add/")
    page.wait_for_selector("#id_start_date + .datetimeshortcuts")  # the scripts have run
    page.wait_for_load_state("load")
    for field in ("start_date", "end_date"):  # no note under a date
        assert page.locator(f"#id_{field}_timezone_warning_helptext").count() == 0
    # The sessions' inline rows have times: their notes stay, in Norwegian.
    notes = page.locator(".timezonewarning").all_text_contents()
    assert notes and set(notes) == {
        "Merk: Oppgi klokkeslett i tidssonen Europe/Oslo. (Du er 6 timer bak.)"
    }
    text = visible_text(page)
    assert "Velg alle tilbudte innsatsområder" in text and "I dag" in text
    assert [word for word in ENGLISH if word in text] == []
    page.fill("#id_title", "Læringsnettverk legemidler 2027–2028")
    page.fill("#id_start_date", "01.09.2027")
    page.fill("#id_end_date", "15.06.2028")
    screenshot(page, f"admin-norwegian-network-add-{page.size_name}")
    page.click("input[name=_save]")
    page.wait_for_selector("text=ble lagt til")
    network = Network.objects.get(title="Læringsnettverk legemidler 2027–2028")
    assert str(network.start_date) == "2027-09-01"
    page.goto(f"/admin/network/network/{network.pk}/change/")
    assert page.input_value("#id_start_date") == "01.09.2027"

    page.goto(f"/admin/sessions_app/session/add/?network={network.pk}")
    page.wait_for_selector("#id_starts_at_1 + .datetimeshortcuts")
    page.wait_for_load_state("load")
    notes = page.locator(".timezonewarning").all_text_contents()
    assert notes and set(notes) == {
        "Merk: Oppgi klokkeslett i tidssonen Europe/Oslo. (Du er 6 timer bak.)"
    }
    assert [word for word in ENGLISH if word in visible_text(page)] == []
    screenshot(page, f"admin-norwegian-session-add-{page.size_name}")


def test_a_person_is_picked_by_e_mail_and_shown_with_it(abroad, demo):
    page = abroad
    kari = Person.objects.get(email="teamleder@demo.no")
    Person.objects.create(
        centre=kari.centre, name=kari.name, email="kari.n@bodo.kommune.no", organisation="Bodø"
    )
    sign_in(page)
    page.goto("/admin/teams/team/add/")
    page.locator("#id_unit_leader + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(kari.name)
    options = page.locator(".select2-container--open .select2-results__option")
    page.wait_for_function(
        "() => { const o = [...document.querySelectorAll('.select2-results__option')];"
        " return o.length === 2 && o.every(e => e.textContent.includes('Kari')); }"
    )
    texts = sorted(options.all_inner_texts())
    assert texts == sorted([kari.label, "Kari Nordmann (kari.n@bodo.kommune.no, Bodø)"])
    screenshot(page, f"admin-norwegian-person-picker-{page.size_name}")
    page.locator(".select2-container--open .select2-search__field").fill("bodo.kommune")
    page.wait_for_function(
        "() => { const o = [...document.querySelectorAll('.select2-results__option')];"
        " return o.length === 1 && o[0].textContent.includes('bodo'); }"
    )
    options.first.click()
    picked = page.locator("#select2-id_unit_leader-container").inner_text()
    assert "kari.n@bodo.kommune.no" in picked


def test_a_known_e_mail_is_refused_with_a_link(abroad, demo):
    page = abroad
    kari = Person.objects.get(email="teamleder@demo.no")
    sign_in(page)
    page.goto("/admin/network/person/add/")
    page.fill("#id_name", "Kari Nordmann")
    page.fill("#id_email", "Teamleder@demo.no")
    page.fill("#id_organisation", "Vestvågøy kommune")
    page.click("input[name=_save]")
    error = page.locator(".errorlist").filter(has_text="allerede er registrert")
    error.wait_for()
    assert page.input_value("#id_organisation") == "Vestvågøy kommune"
    assert "Rett feilen nedenfor." in page.locator(".errornote").inner_text()
    screenshot(page, f"admin-norwegian-known-e-mail-{page.size_name}")
    error.get_by_role("link", name=kari.label).click()
    page.wait_for_url(f"**/admin/network/person/{kari.pk}/change/")
