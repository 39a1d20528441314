"""Norwegian, all of it: every admin list, add and change page, as a coordinator and
as a superuser sees it in bokmål, has no English left, and writes dates the
Norwegian way.

The pages are those of every model registered with the admin (reversed from the
admin's URL names), on the demo region. A refused add form is rendered too, for
Django's "Please correct the errors below". Text and the attributes a person reads
or hears (title, aria-label, placeholder, alt, button values) are checked against a
list of English words and phrases that Django's admin uses.
"""

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django_scopes import scope, scopes_disabled

from network.models import Network, User

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"

#: Admin pages of other packages, with strings of their own that have no bokmål:
#: django-axes (lockouts) and django-otp (TOTP devices), both for superusers only.
THIRD_PARTY = {"axes", "otp_totp"}

#: English that Django's admin writes (whole words, case as written).
ENGLISH = [
    "Please correct",
    "Toggle theme",
    "Choose all",
    "Choose",
    "Remove all",
    "Search",
    "Pagination",
    "Breadcrumbs",
    "View selected",
    "View site",
    "View",
    "Filter",
    "Add",
    "Add another",
    "Change",
    "Delete",
    "Save",
    "History",
    "Home",
    "Log out",
    "Logout",
    "Welcome",
    "Show all",
    "Show counts",
    "Hide counts",
    "Select",
    "Run",
    "Go",
    "Note",
    "timezone",
    "Today",
    "Now",
    "results",
    "result",
    "total",
    "Claimed",
    "Lease",
    "Created at",
    "UTC",
    "Yes",
    "No",
    "Unknown",
    "Action",
    "Skip to main content",
    "Password",
    "password",
    "Reset",
    "Sidebar",
    "entries",
    "Close",
    "Clear",
    "Enabled",
    "Disabled",
    "Are you sure",
    "Error",
    "successfully",
    "Recent actions",
    "None available",
    "Any date",
    "All",
    "Past 7 days",
    "This month",
    "This year",
    "Has date",
    "No date",
    "Date",
    "Signed",
    "Important dates",
    "Personal info",
    "Permissions",
]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")
#: Django's bokmål puts "ny" before every noun; these are not of that gender.
WRONG_GENDER = re.compile(
    r"\bny (nettverk|dokument|påminnelsesinnstillinger|forbedringsteam|innsatsområde"
    r"|utviklingssenter)\b"
)
#: Django writes these alt texts in English in its own templates (the search icon,
#: a boolean's icon), with no string to translate; left to the accessibility work.
UNTRANSLATABLE_ALT = {"Search", "True", "False"}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
DATE_INPUT = re.compile(r"<input[^>]*\bvDateField\b[^>]*>")
VALUE = re.compile(r'\bvalue="([^"]*)"')

pytestmark = pytest.mark.django_db


class ReadText(HTMLParser):
    """What a person reads or hears on a page: text outside scripts and styles,
    and the attributes that are shown or spoken."""

    def __init__(self):
        super().__init__()
        self.texts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            if name == "alt" and value in UNTRANSLATABLE_ALT:
                continue
            if name in READ_ATTRIBUTES:
                self.texts.append(value)
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data.strip())


def problems_of(html):
    reader = ReadText()
    reader.feed(html)
    found = set()
    for text in reader.texts:
        found.update(match.group(1) for match in ENGLISH_RE.finditer(text))
        found.update(match.group(0) for match in WRONG_GENDER.finditer(text))
    for field in DATE_INPUT.findall(html):
        value = VALUE.search(field)
        if value and value.group(1) and not re.fullmatch(r"\d\d\.\d\d\.\d{4}", value.group(1)):
            found.add(f"date written {value.group(1)}")
    return found


def admin_pages(centre_ids):
    """Every registered model's list, add page and the change page of its first
    object (one the user may see)."""
    pages = []
    for model in apps.get_models():
        if not admin.site.is_registered(model) or model._meta.app_label in THIRD_PARTY:
            continue
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        try:
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        except NoReverseMatch:
            continue  # a page of its own, no forms (the operator's outbox)
        with scope(centre=centre_ids):
            first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return pages


def render_all(client, pages):
    """{path: problems} for each page the user may open (others answer 403), and
    the paths rendered."""
    problems, rendered = {}, []
    for path in pages:
        response = client.get(path)
        if response.status_code == 403:
            continue  # an add page the user may not use, say
        assert response.status_code == 200, path
        rendered.append(path)
        if found := problems_of(response.content.decode()):
            problems[path] = found
        if path.endswith("/add/"):
            refused = client.post(path, {})  # every add form needs something
            if refused.status_code == 200:
                rendered.append(f"{path} (refused)")
                if found := problems_of(refused.content.decode()):
                    problems[f"{path} (refused)"] = found
    return problems, rendered


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo region, once for the module, rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[FAST_HASHER]),
        scopes_disabled(),
        transaction.atomic(),
    ):  # fmt: skip
        call_command("seed_demo", verbosity=0)
        superuser = User.objects.create_superuser("admin.norsk@example.no", "pw")
        coordinator = User.objects.get(email="koordinator@demo.no")
        centre_ids = [coordinator.person.centre_id]
        all_centres = list(Network.objects.values_list("centre_id", flat=True).distinct())
        yield {
            "coordinator": (coordinator, admin_pages(centre_ids)),
            "superuser": (superuser, admin_pages(all_centres)),
        }
        transaction.set_rollback(True)


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_no_admin_page_has_english_left(world, who):
    user, pages = world[who]
    client = Client()
    client.force_login(user)
    with scopes_disabled():
        problems, rendered = render_all(client, pages)
    assert problems == {}
    # The test saw the pages a coordinator works in, the refused forms among them.
    assert len(rendered) >= 30
    for expected in (
        reverse("admin:network_network_add"),
        f"{reverse('admin:network_network_add')} (refused)",
        reverse("admin:teams_team_changelist"),
        reverse("admin:agreements_agreement_changelist"),
        reverse("admin:knowledge_document_add"),
        reverse("admin:reminders_remindersettings_add"),
    ):
        assert expected in rendered


def test_the_checker_finds_english():
    """The check itself can fail: each kind of English it looks for is found."""
    page = (
        '<p class="errornote">Please correct the errors below.</p>'
        '<button title="Toggle theme (current theme: auto)"></button>'
        '<input type="submit" value="Search">'
        '<nav aria-label="Pagination nettverk"></nav>'
        "<h1>Legg til ny nettverk</h1>"
        '<input type="text" class="vDateField" value="2027-09-01">'
        "<script>gettext('Choose all')</script>"
        '<img alt="Search">'
    )
    assert problems_of(page) == {
        "Please correct",
        "Toggle theme",
        "Search",
        "Pagination",
        "ny nettverk",
        "date written 2027-09-01",
    }


def test_add_pages_are_titled_in_the_nouns_gender(client, coordinator, superuser):
    client.force_login(coordinator)
    for url, title in (
        ("admin:network_network_add", "Legg til nytt nettverk"),
        ("admin:knowledge_document_add", "Legg til nytt dokument"),
        ("admin:reminders_remindersettings_add", "Legg til nye påminnelsesinnstillinger"),
        ("admin:teams_team_add", "Legg til nytt forbedringsteam"),
        ("admin:network_person_add", "Legg til ny person"),
    ):
        page = client.get(reverse(url)).content.decode()
        assert f"<h1>{title}</h1>" in page
        assert f"<title>{title} | " in page
        assert 'value="Lagre og legg til neste"' in page  # Django's: "… legg til ny"
    page = client.get(reverse("admin:network_network_changelist")).content.decode()
    assert "Legg til nettverk\n" in page  # the button: no adjective to get wrong
    client.force_login(superuser)
    page = client.get(reverse("admin:network_centre_add")).content.decode()
    assert "<h1>Legg til nytt utviklingssenter (USHT)</h1>" in page


def test_a_typed_date_is_shown_back_as_typed(client, coordinator, centre):
    from tests.network.test_admin_forms import network_form

    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_network_add"),
        network_form(centre, title="", start_date="01.09.2027", end_date="15.06.2028"),
    )
    assert response.status_code == 200  # the title is missing
    page = response.content.decode()
    assert 'value="01.09.2027"' in page and 'value="15.06.2028"' in page
    assert "Rett feilen nedenfor." in page

    response = client.post(
        reverse("admin:network_network_add"),
        network_form(centre, start_date="01.09.2027", end_date="15.06.2028"),
    )
    assert response.status_code == 302
    network = Network.objects.get(title="Læringsnettverk trykksår 2027")
    assert str(network.start_date) == "2027-09-01"
    page = client.get(reverse("admin:network_network_change", args=[network.pk])).content
    assert 'value="01.09.2027"' in page.decode()


def test_date_fields_are_not_described_by_a_time_zone_note(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("admin:network_network_add")).content.decode()
    start = re.search(r'<input[^>]*name="start_date"[^>]*>', page).group(0)
    assert "data-date-only" in start and "timezone_warning" not in start
    end = re.search(r'<input[^>]*name="end_date"[^>]*>', page).group(0)
    assert 'aria-describedby="id_end_date_helptext"' in end  # its help text, kept
    assert "js/admin_date_fields.js" in page


def test_the_admin_scripts_speak_bokmal(client, coordinator):
    client.force_login(coordinator)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\n  \});", script, re.S).group(1))
    assert catalog["Choose all %s"] == "Velg alle %s"
    assert catalog["Remove all %s"] == "Fjern alle %s"
    note = "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    assert catalog[note] == [
        "Merk: Oppgi klokkeslett i tidssonen %(timezone)s. (Du er %(offset)s time foran.)",
        "Merk: Oppgi klokkeslett i tidssonen %(timezone)s. (Du er %(offset)s timer foran.)",
    ]
    assert catalog["abbrev. day Monday\x04Mon"] == "man"
    formats = re.search(r'"DATE_INPUT_FORMATS": \[\s*"([^"]+)"', script).group(1)
    assert formats == "%d.%m.%Y"  # the calendar writes the date it picks this way


def test_the_agreements_list_shows_oslo_time(client, coordinator, team):
    from agreements.models import Agreement, AgreementEvent, EventKind

    sent = dt.datetime(2027, 1, 15, 11, 5, tzinfo=dt.UTC)  # 12:05 in Oslo (winter)
    signed = dt.datetime(2027, 6, 2, 22, 30, tzinfo=dt.UTC)  # 00:30 on 3 June (summer)
    Agreement.objects.filter(team=team).update(
        status="signed", sent_at=sent, signed_at=signed, document_sha256="0" * 64
    )
    agreement = Agreement.objects.get(team=team)
    AgreementEvent.objects.create(agreement=agreement, kind=EventKind.SENT, at=sent)
    client.force_login(coordinator)
    page = client.get(reverse("admin:agreements_agreement_changelist")).content.decode()
    assert "15. januar 2027 12:05" in page
    assert "3. juni 2027 00:30" in page
    assert "UTC" not in page and "11:05" not in page and "22:30" not in page
    page = client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk]))
    assert "Sendt 15.01.2027 12:05" in page.content.decode()  # the event's own line


def test_numbers_are_shown_with_a_space_between_thousands(client, coordinator, network):
    from agreements.models import AgreementText

    text = AgreementText.objects.create(
        network=network,
        version=7,
        introduction="Innledning",
        municipality_commitments="Delta",
        centre_commitments="Følge opp",
        hourly_rate=1250,
    )
    client.force_login(coordinator)
    page = client.get(reverse("admin:agreements_agreementtext_change", args=[text.pk]))
    assert '<div class="readonly">1\xa0250,00</div>' in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:agreements_agreementtext_change", args=[text.pk]))
    assert '<div class="readonly">1,250.00</div>' in page.content.decode()


def test_an_id_in_a_link_has_no_thousands_space(client, coordinator, centre):
    from tests.factories import NetworkFactory, TeamFactory

    network = NetworkFactory(centre=centre, pk=12345)
    TeamFactory(network=network)  # with its agreement, counted in a linked badge
    client.force_login(coordinator)
    page = client.get(reverse("reports:network_reports", args=[network.pk])).content.decode()
    assert "?team__network__id__exact=12345&amp;" in page
