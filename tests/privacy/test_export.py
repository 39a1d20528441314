"""Access (art. 15): a coordinator downloads everything about one person as a ZIP."""

import io
import json
import zipfile
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _open(response):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["data.json", "sammendrag.html"]
    parser = _Text()
    parser.feed(archive.read("sammendrag.html").decode())
    return json.loads(archive.read("data.json")), " ".join(parser.parts)


def _get(client, person):
    response = client.get(reverse("privacy:export", args=[person.pk]))
    if hasattr(response, "streaming_content"):
        return response
    response.streaming_content = [response.content]
    return response


def test_the_zip_holds_the_persons_data_and_nobody_elses(client, coordinator, world):
    kari = world["kari"]
    client.force_login(coordinator)

    response = _get(client, kari)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "personopplysninger-kari-nordmann" in response["Content-Disposition"]
    data, summary = _open(response)
    assert data["person"] == [
        {
            "name": "Kari Nordmann",
            "email": "kari@leknes.no",
            "phone": "+47 900 00 000",
            "title": "",
            "organisation": "",
            "centre": "USHT Nordland",
            "created_at": data["person"][0]["created_at"],
        }
    ]
    assert [m["role"] for m in data["team_memberships"]] == ["Teamleder"]
    assert [r["email"] for r in data["registrations"]] == ["kari@leknes.no"]
    assert [p["summary"] for p in data["proposals"]] == ["Fritekst fra Kari Nordmann"]
    assert [a["present"] for a in data["attendance"]] == [True]
    assert [r["recipient_email"] for r in data["reminders"]] == ["kari@leknes.no"]
    assert [e["ip"] for e in data["security_events"]] == ["192.0.2.10"]
    assert len(data["calendar_feed"]) == 1
    assert data["login"][0]["email"] == "kari@leknes.no"
    # Kari signed nothing: the unit leader's agreement is not hers.
    assert data["agreements"] == [] and data["agreement_events"] == []
    # The readable summary says the same, in Norwegian.
    assert "Personopplysninger om Kari Nordmann" in summary
    assert "Fritekst fra Kari Nordmann" in summary
    # Nothing of the other member of the same team, in either file.
    everything = json.dumps(data, ensure_ascii=False) + summary
    assert "Ola" not in everything and "ola@leknes.no" not in everything
    assert "Una" not in everything


def test_the_unit_leaders_zip_holds_the_signature_and_its_events(client, coordinator, world):
    client.force_login(coordinator)
    data, summary = _open(_get(client, world["leader"]))
    assert [a["reference"] for a in data["agreements"]] == ["LN-0001"]
    assert data["agreements"][0]["signer_ip"] == "192.0.2.20"
    assert [e["kind"] for e in data["agreement_events"]] == ["Signert"]
    assert [t["unit"] for t in data["unit_leader_of"]] == [world["team"].unit]
    assert "LN-0001" in summary


def test_another_centres_coordinator_gets_404(client, outsider, world):
    client.force_login(outsider)
    assert client.get(reverse("privacy:export", args=[world["kari"].pk])).status_code == 404


def test_a_team_member_is_refused(client, world):
    client.force_login(world["ola"].user)
    assert client.get(reverse("privacy:export", args=[world["kari"].pk])).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, world):
    response = client.get(reverse("privacy:export", args=[world["kari"].pk]))
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]


def test_the_persons_admin_page_links_to_the_export(client, coordinator, world):
    client.force_login(coordinator)
    page = client.get(reverse("admin:network_person_change", args=[world["kari"].pk]))
    assert reverse("privacy:export", args=[world["kari"].pk]) in page.content.decode()


def test_a_member_of_two_teams_is_exported_once_per_team(client, coordinator, world):
    TeamMemberFactory(person=world["kari"], team__network=world["team"].network)
    client.force_login(coordinator)
    data, _summary = _open(_get(client, world["kari"]))
    assert len(data["team_memberships"]) == 2


def test_the_export_reads_the_same_number_of_queries_for_more_data(coordinator, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from privacy.export import person_zip
    from tests.factories import SessionFactory

    def queries():
        with CaptureQueriesContext(connection) as captured:
            person_zip(world["kari"])
        return len(captured)

    before = queries()
    network = world["team"].network
    for _ in range(3):
        member = TeamMemberFactory(person=world["kari"], team__network=network)
        session = SessionFactory(network=network)
        session.attendance.create(member=member)
    assert queries() == before
