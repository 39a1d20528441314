import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from network.models import Coordinator, Network, Person, User
from sessions_app.models import Session
from teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db


def test_the_login_page_is_norwegian_even_for_an_english_browser(client):
    response = client.get(reverse("security:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert "Logg inn" in page
    assert "E-postadresse" in page
    assert response["Content-Language"] == "nb"


def test_the_language_switch_turns_the_site_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_a_wrong_password_says_so_and_keeps_the_email(client, coordinator):
    response = client.post(
        reverse("security:login"), {"username": coordinator.email, "password": "nei"}
    )
    page = response.content.decode()
    assert "Vennligst oppgi korrekt e-postadresse og passord." in page
    assert f'value="{coordinator.email}"' in page


def test_a_coordinator_logs_in_and_is_offered_the_admin(client, coordinator):
    response = client.post(
        reverse("security:login"), {"username": coordinator.email, "password": "pw"}, follow=True
    )
    assert "Gå til koordinatorenes administrasjon" in response.content.decode()


def test_pages_carry_a_strict_csp_and_no_inline_code(client):
    response = client.get(reverse("security:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "style=" not in page and "<style" not in page
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
    assert "cdn" not in page.lower()


def test_seed_demo_is_safe_to_run_again():
    call_command("seed_demo", verbosity=0)
    counts = [
        m.objects.count() for m in (Network, Team, TeamMember, Person, Session, Coordinator, User)
    ]
    call_command("seed_demo", verbosity=0)
    assert [
        m.objects.count() for m in (Network, Team, TeamMember, Person, Session, Coordinator, User)
    ] == counts
    learning = Network.objects.get(title__startswith="Læringsnettverk fallforebygging")
    assert learning.teams.count() == 4
    assert learning.sessions.count() == 8
    assert Network.objects.filter(kind="improvement").count() == 1
    for email in ("koordinator@demo.no", "teamleder@demo.no", "enhetsleder@demo.no"):
        assert User.objects.get(email=email).check_password("demo1234")
    assert (
        Team.objects.get(unit="Leknes sykehjem, avdeling 2").unit_leader.email
        == "enhetsleder@demo.no"
    )


def test_health_check_answers_ok_with_a_database(client):
    from reminders.sending import sweep

    sweep()
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


def test_the_home_page_lists_the_coordinators_networks_only(
    client, coordinator, network, other_centre
):
    from tests.factories import NetworkFactory

    NetworkFactory(centre=other_centre, title="Andres nettverk")
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Dine nettverk" in page and network.title in page
    assert "Andres nettverk" not in page
    assert reverse("reports:network_reports", args=[network.pk]) in page
