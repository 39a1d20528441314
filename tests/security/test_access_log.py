"""No secret link token reaches any log: the access log writes routes, Django's own
warnings about a request are redacted, and gunicorn writes no access log."""

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agreements import services as agreement_services
from agreements.models import Agreement
from network.models import Network, User
from reminders.calendar import new_feed_token
from security.access_log import loggable_path
from sessions_app.models import Session
from teams.models import Role, Team

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(settings):
    settings.SITE_URL = ""
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def logged(caplog):
    """Every record any logger writes, at every level."""
    caplog.set_level(logging.DEBUG)
    return caplog


def leaks(records, secrets):
    """(secret, logger, text) for every record whose message or arguments hold a secret."""
    found = []
    for record in records:
        texts = [record.getMessage(), str(record.msg), repr(record.args)]
        for secret in secrets:
            if any(secret in text for text in texts):
                found.append((secret, record.name, record.getMessage()))
    return found


def access_lines(records):
    return [r.getMessage() for r in records if r.name == "usht.access"]


def test_signing_links_are_not_logged(client, demo, logged, time_machine):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    token = agreement_services.send(team.agreement)
    other = Team.objects.exclude(pk=team.pk).filter(network=team.network).first()
    expired = agreement_services.send(other.agreement)
    Agreement.objects.filter(pk=other.agreement.pk).update(
        token_expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    unknown = "u" * 32
    assert client.get(reverse("agreements:sign", args=[token])).status_code == 200
    assert client.get(reverse("agreements:sign", args=[expired])).status_code == 410
    assert client.get(reverse("agreements:sign", args=[unknown])).status_code == 404
    # A link cut short (no last slash) or run on in an e-mail program.
    assert client.get(f"/avtale/signer/{token}").status_code == 301
    assert client.get(f"/avtale/signer/{token}/)").status_code == 404
    assert client.put(reverse("agreements:sign", args=[token])).status_code == 405
    assert leaks(logged.records, [token, expired, unknown]) == []
    lines = access_lines(logged.records)
    assert [line.rsplit(" ", 1)[0] for line in lines] == [
        "GET /avtale/signer/<str:token>/ 200",
        "GET /avtale/signer/<str:token>/ 410",
        "GET /avtale/signer/<str:token>/ 404",
        "GET /avtale/signer/<str:token>/ 301",
        "GET /avtale/... 404",
        "PUT /avtale/signer/<str:token>/ 405",
    ]
    assert all(re.fullmatch(r".* \d+ms", line) for line in lines)
    warnings = [r.getMessage() for r in logged.records if r.name == "django.request"]
    assert "Gone: /avtale/signer/<str:token>/" in warnings
    assert "Not Found: /avtale/signer/<str:token>/" in warnings
    assert "Not Found: /avtale/..." in warnings


def test_a_refused_csrf_check_on_a_signing_link_is_not_logged(demo, logged):
    """Django logs "Forbidden (CSRF cookie not set.): <path>" to django.security.csrf."""
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    token = agreement_services.send(team.agreement)
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(reverse("agreements:sign", args=[token])).status_code == 403
    assert leaks(logged.records, [token]) == []
    assert "Forbidden (CSRF cookie not set.): /avtale/signer/<str:token>/" in logged.messages


def test_cancellation_links_are_not_logged(
    client, demo, logged, mailoutbox, django_capture_on_commit_callbacks
):
    gathering = Session.objects.get(network__kind="improvement", number=2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("gatherings:register", args=[gathering.pk]),
            {
                "name": "Siri Deltaker",
                "email": "siri@example.no",
                "organisation": "Nordlandssykehuset",
                "role": "leader",
                "side": "hospital",
            },
        )
    link = re.search(r"(/forbedringsnettverk/samling/\d+/avmelding/(\S+)/)", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    path, token = link.groups()
    unknown = "c" * 32
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200  # cancelled
    wrong = reverse("gatherings:cancel", args=[gathering.pk, unknown])
    assert client.get(wrong).status_code == 404
    assert leaks(logged.records, [token, unknown]) == []
    assert (
        "GET /forbedringsnettverk/samling/<int:session_id>/avmelding/<str:token>/ 404"
        in " ".join(access_lines(logged.records))
    )


def test_calendar_feeds_are_not_logged(client, demo, logged):
    leader = Team.objects.get(unit="Leknes sykehjem, avdeling 2").members.get(role=Role.TEAM_LEADER)
    token = new_feed_token(leader.person)
    unknown = "f" * 32
    assert client.get(reverse("reminders:feed", args=[token])).status_code == 200
    assert client.get(reverse("reminders:feed", args=[unknown])).status_code == 404
    assert leaks(logged.records, [token, unknown]) == []
    assert "Not Found: /kalender/<str:token>.ics" in logged.messages


def test_password_links_are_not_logged(client, demo, logged):
    user = User.objects.get(email="koordinator@demo.no")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    wrong = token[:-4] + "abcd"
    page = client.get(reverse("security:password_reset_confirm", args=[uid, token]), follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    bad = client.get(reverse("security:password_reset_confirm", args=[uid, wrong]))
    assert bad.status_code == 200 and not bad.context["validlink"]
    assert leaks(logged.records, [token, wrong]) == []
    assert "GET /konto/nytt-passord/<uidb64>/<token>/ 302" in " ".join(access_lines(logged.records))


def test_the_query_string_is_never_logged(client, demo, logged):
    improvement = Network.objects.filter(kind="improvement").first()
    client.get(reverse("home") + "?secret=s3cr3t-value")
    client.get(reverse("security:login") + "?next=/avtale/signer/s3cr3t-value/")
    client.get(f"/kunnskapsbank/{improvement.pk}/?q=s3cr3t-value")
    assert leaks(logged.records, ["s3cr3t-value"]) == []


def test_the_development_servers_lines_are_redacted():
    """runserver logs '"GET /path?query HTTP/1.1" 200 512' through django.server."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    server = logging.getLogger("django.server")
    server.addHandler(handler)
    try:
        server.info('"%s" %s %s', "GET /kalender/abc123secret.ics?x=1 HTTP/1.1", "404", "10")
    finally:
        server.removeHandler(handler)
    assert records[0].getMessage() == '"GET /kalender/<str:token>.ics HTTP/1.1" 404 10'


@pytest.mark.parametrize(
    "path, logged_as",
    [
        ("/", "/"),
        ("/team/12/", "/team/<int:team_id>/"),
        ("/avtale/signer/abc/", "/avtale/signer/<str:token>/"),
        ("/konto/nytt-passord/MQ/set-password/", "/konto/nytt-passord/<uidb64>/<token>/"),
        ("/admin/network/", "/admin/<app_label>/"),
        ("/static/css/app.css", "/static/css/app.css"),
        ("/wp-login.php", "/wp-login.php"),
        ("/nowhere/at/all", "/nowhere/..."),
    ],
)
def test_loggable_path(path, logged_as):
    assert loggable_path(path) == logged_as


def test_gunicorn_writes_no_access_log():
    for name in ("Dockerfile", "docker-compose.yml"):
        text = (ROOT / name).read_text()
        assert "gunicorn" in text
        assert "--access-logfile" not in text and "GUNICORN_CMD_ARGS" not in text, name
    assert not list(ROOT.glob("gunicorn*.py"))  # no config file that turns it on either


@pytest.fixture
def json_log(settings):
    """The production log: JSON lines from the console handler's formatter and
    filter as LOGGING configures them, written to a buffer."""
    import io

    from pythonjsonlogger.json import JsonFormatter

    from security.access_log import RequestFields

    options = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestFields())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(level)


def test_production_logs_are_json_lines_with_request_user_and_centre(client, demo, json_log):
    import json

    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    token = agreement_services.send(team.agreement)
    signing = client.get(reverse("agreements:sign", args=[token]))
    missing = client.get(reverse("agreements:sign", args=["u" * 32]))
    coordinator = User.objects.get(email="koordinator@demo.no")
    client.force_login(coordinator)
    home = client.get(reverse("home"), headers={"X-Request-ID": "proxy-given-id-0001"})
    text = json_log.getvalue()
    assert token not in text and "u" * 32 not in text
    lines = [json.loads(line) for line in text.splitlines()]  # every line is JSON
    by_request = {}
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
        by_request.setdefault(line["request_id"], []).append(line)
    (sign_line,) = by_request[signing["X-Request-ID"]]
    assert sign_line | {"time": None, "duration_ms": None} == {
        "time": None,
        "level": "INFO",
        "logger": "usht.access",
        "message": sign_line["message"],
        "request_id": signing["X-Request-ID"],
        "user_id": None,
        "centre_ids": [],
        "method": "GET",
        "path": "/avtale/signer/<str:token>/",
        "status_code": 200,
        "duration_ms": None,
    }
    # Django's own warning about the 404 carries the same request id.
    assert {line["logger"] for line in by_request[missing["X-Request-ID"]]} == {
        "usht.access",
        "django.request",
    }
    assert home["X-Request-ID"] == "proxy-given-id-0001"
    (home_line,) = by_request["proxy-given-id-0001"]
    assert home_line["user_id"] == coordinator.pk
    assert home_line["centre_ids"] == [team.network.centre_id]
