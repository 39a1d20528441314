"""A gathering of several days: the programme page and its PDF show every day."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from gatherings import services as gatherings
from gatherings.models import AgendaItem, ProposalStatus
from lib.dates import OSLO
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_days(improvement):
    """Monday 8 to Wednesday 10 February 2027, with items on days 1 and 3 only."""
    session = SessionFactory(
        network=improvement,
        kind="gathering",
        number=7,
        place="Leknes",
        starts_at=dt.datetime(2027, 2, 8, 9, tzinfo=OSLO),
        ends_at=dt.datetime(2027, 2, 10, 15, tzinfo=OSLO),
    )
    for day, starts, title in [
        (1, dt.time(9, 30), "Velkommen og status"),
        (1, dt.time(13, 0), "Tavlemøter i hjemmetjenesten"),
        (3, dt.time(10, 0), "Pasientforløp på tvers"),
        (None, dt.time(15, 0), "Uten dag: første dag"),
    ]:
        AgendaItem.objects.create(
            session=session,
            title=title,
            summary="Kort om innlegget",
            proposer_name="Kari Nordmann",
            proposer_email="kari@example.no",
            status=ProposalStatus.ACCEPTED,
            day=day,
            starts=starts,
        )
    AgendaItem.objects.create(
        session=session,
        title="Bare et forslag",
        summary="x",
        proposer_name="Ola",
        proposer_email="ola@example.no",
        day=2,
    )
    settings = gatherings.settings_for(session)
    settings.programme_published_at = timezone.now()
    settings.save()
    return session


def test_the_programme_lists_every_day_with_its_date(three_days):
    programme = gatherings.programme(three_days)
    assert [(day, date) for day, date, _items in programme] == [
        (1, dt.date(2027, 2, 8)),
        (2, dt.date(2027, 2, 9)),
        (3, dt.date(2027, 2, 10)),
    ]
    titles = [[item.title for item in items] for _day, _date, items in programme]
    assert titles == [
        ["Velkommen og status", "Tavlemøter i hjemmetjenesten", "Uten dag: første dag"],
        [],
        ["Pasientforløp på tvers"],
    ]


def test_the_page_shows_every_day(client, three_days):
    page = client.get(reverse("gatherings:gathering", args=[three_days.pk])).content.decode()
    headings = re.findall(r'<h3 class="h5 mt-3" id="programme-day-\d">([^<]+)</h3>', page)
    assert headings == [
        "Dag 1 – mandag 8. februar",
        "Dag 2 – tirsdag 9. februar",
        "Dag 3 – onsdag 10. februar",
    ]
    day_two = page[page.index("Dag 2 –") : page.index("Dag 3 –")]
    assert "Ingenting på programmet for denne dagen ennå." in day_two
    assert "Bare et forslag" not in page  # not accepted
    day_three = page[page.index("Dag 3 –") :]
    assert "Pasientforløp på tvers" in day_three


def test_the_pdf_shows_every_day_with_its_items(client, three_days):
    response = client.get(reverse("gatherings:programme_pdf", args=[three_days.pk]))
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "mandag 8. februar 2027 – onsdag 10. februar 2027, Leknes" in text
    days = [
        text.index("Dag 1 – mandag 8. februar"),
        text.index("Dag 2 – tirsdag 9. februar"),
        text.index("Dag 3 – onsdag 10. februar"),
    ]
    assert days == sorted(days)
    one, two, three = text[days[0] : days[1]], text[days[1] : days[2]], text[days[2] :]
    assert "Velkommen og status" in one and "Tavlemøter i hjemmetjenesten" in one
    assert "09:30" in one and "13:00" in one and "Uten dag: første dag" in one
    assert "Ingenting på programmet for denne dagen ennå." in two
    assert "Pasientforløp på tvers" in three and "10:00" in three
    assert "Pasientforløp" not in one + two
    assert "Bare et forslag" not in text


def test_a_day_after_the_gathering_is_refused_by_the_form(three_days):
    item = AgendaItem(
        session=three_days,
        title="For sent",
        summary="x",
        proposer_name="A",
        proposer_email="a@example.no",
        day=4,
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["day"] == ["Samlingen har 3 dager."]
    item.day = 3
    item.full_clean()


def test_a_one_day_gathering_has_one_day(improvement):
    session = SessionFactory(
        network=improvement,
        kind="gathering",
        number=8,
        starts_at=dt.datetime(2027, 3, 2, 9, tzinfo=OSLO),
        ends_at=dt.datetime(2027, 3, 2, 15, tzinfo=OSLO),
    )
    assert [(d, date) for d, date, _items in gatherings.programme(session)] == [
        (1, dt.date(2027, 3, 2))
    ]
