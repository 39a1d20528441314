"""Malformed input to every form of the product and of the admin: never a server
error, and nothing already stored changes when the input is refused.

Hypothesis draws a form and what to send: oversize text, NUL bytes, odd Unicode,
bad numbers and dates, markup, formulas, broken CSV and uploads, wrong methods and
a missing CSRF token. The fields of each form are read from the form page itself,
so a new field is fuzzed without a change here. ``FUZZ_EXAMPLES`` sets how many
inputs are sent (CI: 10,000); the count per form is written to
test-artifacts/fuzz.txt.
"""

import functools
import hashlib
import io
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements import services as agreement_services
from improvement.models import ChangeIdea, Driver
from network.models import Network, User
from reminders.sending import unsubscribe_token
from reports.models import ReportPeriod
from sessions_app.models import Session
from teams.models import Role, Team

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
DOMAIN_APPS = {
    "network",
    "teams",
    "sessions_app",
    "gatherings",
    "knowledge",
    "agreements",
    "improvement",
    "reports",
    "assessments",
    "reminders",
    "units",
}
FIELD = re.compile(r"<(?:input|select|textarea)\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')

pytestmark = pytest.mark.django_db


def fields_of(page):
    """{name: type} of the form controls on a page."""
    found = {}
    for attributes in FIELD.findall(page):
        attrs = dict(ATTRIBUTE.findall(attributes))
        if "name" in attrs and attrs.get("type") not in ("submit", "button"):
            found[attrs["name"]] = attrs.get("type", "text")
    return found


def fingerprint():
    """A hash of every row of the domain's tables: what must not change."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.split("_")[0] not in DOMAIN_APPS and not table.startswith("sessions_app"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            digest.update(table.encode())
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo region, once for the module, rolled back at its end."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=[FAST_HASHER]),
        scopes_disabled(),
        transaction.atomic(),
    ):  # fmt: skip
        call_command("seed_demo", verbosity=0)
        yield build_targets()
        transaction.set_rollback(True)


def build_targets():
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    network = team.network
    improvement = Network.objects.get(kind="improvement", centre=network.centre)
    gathering = Session.objects.get(network=improvement, number=2)
    period = ReportPeriod.objects.filter(network=network).first()
    leader = team.members.get(role=Role.TEAM_LEADER).person
    clients = {None: Client(enforce_csrf_checks=True)}
    for who, email in (
        ("leader", "teamleder@demo.no"),
        ("coordinator", "koordinator@demo.no"),
        ("unit_leader", "enhetsleder@demo.no"),
    ):
        clients[who] = Client(enforce_csrf_checks=True)
        clients[who].force_login(User.objects.get(email=email))
    measure = team.measures.first()
    driver = Driver.objects.filter(diagram__team=team).first()
    idea = ChangeIdea.objects.filter(diagram__team=team).first()
    pages = [
        ("leader", reverse("reports:report", args=[team.pk, period.pk])),
        ("leader", reverse("teams:measure_create", args=[team.pk])),
        ("leader", reverse("teams:measure", args=[team.pk, measure.pk])),
        ("leader", reverse("teams:measure_upload", args=[team.pk, measure.pk])),
        ("leader", reverse("teams:pdsa_create", args=[team.pk])),
        ("leader", reverse("assessments:create", args=[team.pk])),
        ("leader", reverse("assessments:edit", args=[team.pk, team.assessments.last().pk])),
        ("leader", reverse("reminders:calendar")),
        (None, reverse("gatherings:register", args=[gathering.pk])),
        (None, reverse("knowledge:propose", args=[gathering.pk])),
        (None, reverse("gatherings:cancel", args=[gathering.pk, "ukjent"])),
        (None, reverse("agreements:sign", args=[agreement_services.send(team.agreement)])),
        (None, reverse("agreements:verify")),
        (None, reverse("reminders:unsubscribe", args=[unsubscribe_token(leader.pk, "call")])),
        (None, reverse("security:password_reset")),
        (None, reverse("security:login")),
        ("coordinator", reverse("knowledge:knowledge_base", args=[improvement.pk])),
        ("leader", reverse("improvement:aim", args=[team.pk])),
        ("leader", reverse("improvement:driver_add", args=[team.pk])),
        ("leader", reverse("improvement:driver_edit", args=[team.pk, driver.pk])),
        ("leader", reverse("improvement:idea_add", args=[team.pk])),
        ("leader", reverse("improvement:idea_edit", args=[team.pk, idea.pk])),
        ("unit_leader", reverse("units:unit", args=[team.pk])),
        ("leader", reverse("units:card_create", args=[team.pk])),
        ("leader", reverse("units:card_edit", args=[team.pk, team.board_cards.first().pk])),
    ]
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        try:
            model_admin = admin.site.get_model_admin(model)
        except NotRegistered:
            continue
        info = model._meta.app_label, model._meta.model_name
        try:
            pages.append(("coordinator", reverse("admin:{}_{}_add".format(*info))))
        except NoReverseMatch:
            continue  # a page of its own, no forms (the operator's outbox)
        with scope(centre=[network.centre_id]):  # one of the coordinator's own
            first = model_admin.model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(
                ("coordinator", reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            )
    targets = []
    for who, path in pages:
        client = clients[who]
        response = client.get(path)
        if response.status_code != 200:
            continue  # an add page the coordinator may not use, say
        targets.append((who, path, fields_of(response.content.decode())))
    return {"targets": targets, "clients": clients}


HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.just("x" * 70_000),
    st.just("a\x00b"),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "{{ 7|add:7 }}",
            "{% debug %}",
            "=1+1",
            "@SUM(A1)",
            "' OR 1=1 --",
            "../../etc/passwd",
            "\u202egnp.exe",
            "\ud7ff\uffff\U0001f600",
            "Zalgơ̷̢͓͎̈́",
            "\r\n\tHeader: injected",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
HOSTILE_NUMBER = st.sampled_from(
    ["12,5", "1e309", "NaN", "-0", "١٢", "9" * 40, "0x1F", "", " ", "-1", "1 000", "∞", "1,2,3"]
)
HOSTILE_DATE = st.sampled_from(
    ["2026-02-30", "31.12.2026", "0000-00-00", "99999-01-01", "2026-13-01", "i går", "", "1e5"]
)


HOSTILE_CELL = st.one_of(HOSTILE_TEXT, HOSTILE_NUMBER, HOSTILE_DATE)


def csv_bytes(rows):
    return ("\ufeff" + "\n".join(";".join(row) for row in rows)).encode("utf-8", "surrogatepass")


HOSTILE_FILE = st.one_of(
    st.binary(max_size=300),
    st.just(b""),
    st.just(b"%PDF-1.7\n" + b"\x00" * 2000),
    st.just(b"PK\x03\x04broken zip"),
    st.builds(
        csv_bytes,
        st.lists(
            st.lists(st.one_of(HOSTILE_TEXT, HOSTILE_NUMBER, HOSTILE_DATE), max_size=4), max_size=5
        ),
    ),  # fmt: skip
)


@functools.cache
def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<a>" + b"0" * 60_000_000 + b"</a>")
    return buffer.getvalue()


def value_for(kind):
    if kind == "file":
        return HOSTILE_FILE
    if kind in ("number",):
        return HOSTILE_NUMBER
    if kind in ("date", "datetime-local"):
        return HOSTILE_DATE
    return st.one_of(HOSTILE_TEXT, HOSTILE_NUMBER, HOSTILE_DATE)


COUNTS = Counter()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_malformed_input_never_fails_and_changes_nothing(world, data):
    who, path, fields = data.draw(st.sampled_from(world["targets"]), label="form")
    client = world["clients"][who]
    chosen = data.draw(st.lists(st.sampled_from(sorted(fields) or ["x"]), max_size=8))
    payload = {}
    for name in chosen:
        kind = fields.get(name, "text")
        if kind == "file":
            name_of_file = data.draw(st.sampled_from(["a.csv", "../x.pdf", "b.docx", "c" * 300]))
            content = data.draw(HOSTILE_FILE)
            payload[name] = io.BytesIO(content)
            payload[name].name = name_of_file
        else:
            payload[name] = data.draw(value_for(kind))
    if data.draw(st.booleans(), label="send the CSRF token"):
        token = client.cookies.get("csrftoken")
        if token is not None:
            payload["csrfmiddlewaretoken"] = token.value
    method = data.draw(st.sampled_from(["post"] * 6 + ["get", "put", "delete", "patch"]))
    before = fingerprint() if method != "get" else None
    if method == "get":
        response = client.get(path, {k: v for k, v in payload.items() if isinstance(v, str)})
    elif method == "post":
        response = client.post(path, payload)
    else:
        response = getattr(client, method)(path, "x=1", content_type="text/plain")
    COUNTS[path] += 1
    assert response.status_code < 500, (path, method, payload)
    if before is not None and response.status_code != 302 and "/avmeld/" not in path:
        # (An unsubscribe link's POST is the action itself, answered 200 as RFC 8058
        # asks: there, any POST turns the reminder off.)
        # Refused (or shown again with its errors): nothing stored has changed.
        assert fingerprint() == before, (path, method, payload)


def test_a_zip_bomb_and_an_oversize_upload_are_refused_by_every_upload_form(world):
    for who, path, fields in world["targets"]:
        files = [name for name, kind in fields.items() if kind == "file"]
        if not files:
            continue
        client = world["clients"][who]
        payload = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
        for name in files:
            payload[name] = io.BytesIO(zip_bomb())
            payload[name].name = "bombe.docx"
        before = fingerprint()
        response = client.post(path, payload)
        assert response.status_code in (200, 400), path
        assert fingerprint() == before, path
        COUNTS[path] += 1


def teardown_module(module):
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [f"{count:6d}  {path}" for path, count in sorted(COUNTS.items())]
    lines.append(f"{sum(COUNTS.values()):6d}  malformed inputs in all, to {len(COUNTS)} forms")
    (ARTIFACTS / "fuzz.txt").write_text("\n".join(lines) + "\n")
    print("\n" + lines[-1])
