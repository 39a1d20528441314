"""The admin's change forms as assistive technology reads them, without a browser:
every field has a name, every fieldset a heading, and the page loads the script
that names what Django's own scripts build (the browser walk checks the result)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from sessions_app.services import propose_timeline
from teams.models import Role
from tests.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

FIELDS = {"input", "select", "textarea"}


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.fields, self.labels, self.fieldsets, self.scripts = [], set(), [], []
        self.open = []  # the fieldsets around the current element
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in FIELDS and attrs.get("type") not in ("hidden", "submit", "button"):
            # A field inside a fieldset with a legend is named by it (a group of choices).
            attrs["in_legend_group"] = bool(self.open and self.open[-1].get("legend"))
            self.fields.append(attrs)
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag == "fieldset":
            self.fieldsets.append(attrs)
            self.open.append(attrs)
        elif tag == "legend" and self.open:
            self.open[-1]["legend"] = True
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "fieldset" and self.open:
            self.open.pop()


def unnamed(page):
    return [
        field.get("name")
        for field in page.fields
        if not field.get("aria-label")
        and field.get("id") not in page.labels
        and not field["in_legend_group"]
    ]


@pytest.fixture
def team(network):
    propose_timeline(network)
    team = TeamFactory(network=network)
    TeamMemberFactory(team=team, role=Role.TEAM_LEADER)
    TeamMemberFactory(team=team)
    return team


def test_every_field_of_the_team_and_network_forms_has_a_name(client, coordinator, team):
    client.force_login(coordinator)
    team_page = Page(
        client.get(reverse("admin:teams_team_change", args=[team.pk])).content.decode()
    )
    network_page = Page(
        client.get(reverse("admin:network_network_change", args=[team.network.pk])).content.decode()
    )
    for page in (team_page, network_page):
        assert unnamed(page) == []
        assert any(src.endswith("js/admin-accessibility.js") for src in page.scripts)
        # A fieldset is named by its legend or by the heading it points at.
        assert [
            f for f in page.fieldsets if not (f.get("legend") or f.get("aria-labelledby"))
        ] == []
    by_name = {field.get("name"): field for field in team_page.fields}
    assert by_name["members-0-role"]["aria-label"] == "Rolle"
    assert by_name["members-0-DELETE"]["aria-label"] == "Slett"
    # A saved network lists its sessions read-only; a new one adds them in rows.
    add_page = Page(client.get(reverse("admin:network_network_add")).content.decode())
    assert unnamed(add_page) == []
    sessions = {field.get("name"): field for field in add_page.fields}
    assert sessions["sessions-__prefix__-starts_at_0"]["aria-label"] == "Starter, Dato"
    assert sessions["sessions-__prefix__-starts_at_1"]["aria-label"] == "Starter, Tid"
