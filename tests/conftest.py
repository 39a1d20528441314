import os

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from config.celery import app as celery_app
from network.models import NetworkKind
from tests.factories import (
    CentreFactory,
    CoordinatorFactory,
    NetworkFactory,
    TeamFactory,
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _unavailable(item, reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"{item.nodeid} needs {reason}, and REQUIRE_SERVICES=1 forbids skipping it.")
    pytest.skip(f"needs {reason}")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _unavailable(item, "PostgreSQL (set DATABASE_URL)")
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        _unavailable(item, "Redis (set REDIS_URL)")


@pytest.fixture(autouse=True)
def _unscoped_test_code():
    """The test's own code declares its scope: the whole installation, since a test
    sets up and checks several centres. Requests through the test client run in
    their user's scope (ScopeMiddleware), and tasks in none (ScopedTask), as they
    do outside tests."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process, unless the test talks to a real broker."""
    eager = request.node.get_closest_marker("redis") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Three people, as in every view test: the coordinator of the centre, a
# coordinator of another centre (the outsider), and a superuser.
@pytest.fixture
def centre(db):
    return CentreFactory(name="USHT Nordland")


@pytest.fixture
def coordinator(centre):
    return CoordinatorFactory(centre=centre).person.user


@pytest.fixture
def other_centre(db):
    return CentreFactory(name="USHT Vestland")


@pytest.fixture
def outsider(other_centre):
    return CoordinatorFactory(centre=other_centre).person.user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root@example.no", "pw")


@pytest.fixture
def network(centre):
    return NetworkFactory(centre=centre)


@pytest.fixture
def team(network):
    return TeamFactory(network=network)


@pytest.fixture
def improvement(centre):
    return NetworkFactory(
        centre=centre,
        kind=NetworkKind.IMPROVEMENT,
        end_date=None,
        title="Forbedringsnettverket Vestvågøy",
    )
