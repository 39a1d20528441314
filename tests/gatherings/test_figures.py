"""The network in figures never contradicts itself: people registered and people who
attended, from the gatherings held, each figure within the one it is part of."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from gatherings.models import Registration, RegistrationStatus
from lib.dates import OSLO
from sessions_app.models import SessionStatus
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def seat(session, email, organisation, *, status=RegistrationStatus.CONFIRMED, attended=None):
    return Registration.objects.create(
        session=session,
        name=email.split("@")[0],
        email=email,
        organisation=organisation,
        role="leader",
        status=status,
        attended=attended,
        token_hash=uuid.uuid4().hex,
    )


def gathering(network, number, status, month):
    return SessionFactory(
        network=network,
        kind="gathering",
        number=number,
        status=status,
        starts_at=dt.datetime(2026, month, 10, 9, tzinfo=OSLO),
        ends_at=dt.datetime(2026, month, 11, 15, tzinfo=OSLO),
    )


@pytest.fixture
def held_twice(improvement):
    first = gathering(improvement, 1, SessionStatus.HELD, 3)
    second = gathering(improvement, 2, SessionStatus.HELD, 9)
    coming = gathering(improvement, 3, SessionStatus.PLANNED, 12)
    # The first: attendance recorded; three came, one did not.
    seat(first, "d1@example.no", "Vestvågøy kommune", attended=True)
    seat(first, "d2@example.no", "Vestvågøy kommune", attended=True)
    seat(first, "d3@example.no", "Nordlandssykehuset", attended=True)
    seat(first, "d4@example.no", "Nordlandssykehuset", attended=False)
    seat(first, "w@example.no", "Flakstad kommune", status=RegistrationStatus.WAITING)
    seat(first, "c@example.no", "Flakstad kommune", status=RegistrationStatus.CANCELLED)
    # The second: not recorded yet; the same d1, typed in capitals, and someone new.
    seat(second, "D1@Example.no", "Vestvågøy kommune")
    seat(second, "d5@example.no", "Moskenes kommune")
    # A gathering still ahead counts for nothing yet.
    seat(coming, "d6@example.no", "Bodø kommune")
    return improvement


def cards(page):
    found = re.findall(r'<p class="display-6 mb-0">(\d+)</p><p class="mb-0">([^<]+)</p>', page)
    return {label.strip(): int(number) for number, label in found}


def test_registered_and_attended_from_the_gatherings_held(client, coordinator, held_twice):
    client.force_login(coordinator)
    response = client.get(reverse("gatherings:figures", args=[held_twice.pk]))
    page = response.content.decode()
    assert cards(page) == {
        "samlinger holdt": 2,
        "innlegg fra deltakerne": 0,
        "personer påmeldt": 5,  # d1 (in either case), d2, d3, d4, d5
        "personer deltok": 3,  # d1, d2, d3 at the first; the second is not recorded
        "personer deltok på to eller flere": 0,
    }
    assert "Oppmøte er registrert for 1 av de 2 samlingene som er holdt" in page
    rows = {
        r["organisation"]: (r["registered"], r["attended"])
        for r in response.context["by_organisation"]
    }
    assert rows == {
        "Vestvågøy kommune": (3, 2),
        "Nordlandssykehuset": (2, 1),
        "Moskenes kommune": (1, 0),
    }
    footer = re.search(r"<tfoot>.*?</tfoot>", page, re.S).group(0)
    assert re.findall(r'<td class="text-end">(\d+)</td>', footer) == ["6", "3"]


def test_no_figure_exceeds_the_one_it_is_part_of(client, coordinator, held_twice):
    Registration.objects.filter(email__iexact="d1@example.no").update(attended=True)
    client.force_login(coordinator)
    context = client.get(reverse("gatherings:figures", args=[held_twice.pk])).context
    assert (context["registered"], context["attended"], context["returning"]) == (5, 3, 1)
    assert context["recorded"] == 2  # the second has one attendance recorded now
    assert context["returning"] <= context["attended"] <= context["registered"]
    rows = context["by_organisation"]
    assert sum(r["registered"] for r in rows) == context["seats"] == 6
    assert sum(r["attended"] for r in rows) == context["present"] == 4
    assert context["registered"] <= context["seats"] and context["attended"] <= context["present"]


def test_a_gathering_held_without_seats_is_not_called_no_gathering(
    client, coordinator, improvement
):
    gathering(improvement, 1, SessionStatus.HELD, 3)
    client.force_login(coordinator)
    page = client.get(reverse("gatherings:figures", args=[improvement.pk])).content.decode()
    assert cards(page)["samling holdt"] == 1
    assert "Ingen samlinger holdt ennå" not in page
    assert "Ingen hadde plass på samlingene som er holdt." in page


def test_before_any_gathering_the_page_says_so_once(client, coordinator, improvement):
    client.force_login(coordinator)
    page = client.get(reverse("gatherings:figures", args=[improvement.pk])).content.decode()
    assert cards(page)["samlinger holdt"] == 0
    assert "Ingen samlinger holdt ennå. Tallene teller samlingene som er holdt." in page
    assert "Oppmøte er registrert" not in page and "<tfoot>" not in page
