"""What the gatherings tests start from."""

import datetime as dt

import pytest

from gatherings import services as gatherings
from lib.dates import OSLO
from tests.factories import SessionFactory


@pytest.fixture
def gathering(improvement):
    session = SessionFactory(
        network=improvement,
        kind="gathering",
        number=5,
        place="Leknes",
        starts_at=dt.datetime(2027, 2, 10, 9, tzinfo=OSLO),
        ends_at=dt.datetime(2027, 2, 11, 15, tzinfo=OSLO),
    )
    settings = gatherings.settings_for(session)
    settings.registration_open, settings.capacity = True, 2
    settings.save()
    return session
