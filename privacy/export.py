"""Everything the product holds about one person (GDPR art. 15), as a ZIP: a readable
HTML summary and the same data as JSON.

The person is one centre's record: rows found by e-mail address (registrations,
proposals, agreements, reminders) are looked for in that centre only, since the
same address at another centre is another controller's person.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementEvent
from assessments.models import Answer
from gatherings.models import AgendaItem, Registration
from network.models import Coordinator, Person
from reminders.models import CalendarFeed, Reminder, ReminderOptOut
from reports.models import StatusReport
from security.models import SecurityEvent
from sessions_app.models import Attendance
from teams.models import Team, TeamMember
from units.models import BoardCard, ResultRequest

#: A column: a field name of the model (its label and display value are the model's),
#: or (key, label, function of the row).
Column = str | tuple[str, Any, Callable[[Any], Any]]


@dataclass
class Section:
    key: str
    title: Any
    columns: list[tuple[str, Any]]
    rows: list[dict[str, Any]]


def _value(obj: Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(value, Model):
        return str(value)
    if hasattr(value, "name") and not isinstance(value, str):  # a file
        return value.name or ""
    return value


def section(key: str, title: Any, rows: Iterable[Model], columns: list[Column]) -> Section:
    rows = list(rows)
    heads: list[tuple[str, Any]] = []
    for column in columns:
        if isinstance(column, str):
            model = rows[0]._meta.model if rows else None
            label = model._meta.get_field(column).verbose_name if model else column
            heads.append((column, label))
        else:
            heads.append((column[0], column[1]))
    data = []
    for obj in rows:
        row: dict[str, Any] = {}
        for column in columns:
            if isinstance(column, str):
                row[column] = _value(obj, column)
            else:
                row[column[0]] = column[2](obj)
        data.append(row)
    return Section(key, title, heads, data)


def _email_q(field: str, email: str) -> Q:
    return Q(**{f"{field}__iexact": email}) if email else Q(pk__in=[])


def person_sections(person: Person) -> list[Section]:
    """The person's data, section by section, in the order of the summary."""
    email = person.email
    memberships = TeamMember.objects.filter(person=person).select_related(
        "team__network", "team__municipality"
    )
    teams = Team.objects.filter(Q(members__person=person) | Q(unit_leader=person)).distinct()
    agreements = (
        Agreement.objects.filter(
            Q(team__unit_leader=person)
            | _email_q("signer_email", email)
            | _email_q("recipient_email", email)
            | _email_q("top_manager_email", email)
        )
        .filter(team__network__centre=person.centre_id)
        .select_related("team")
        .distinct()
    )
    in_centre = {"session__network__centre": person.centre_id}
    user = person.user
    security = (
        SecurityEvent.objects.filter(Q(user=user) | _email_q("username", user.email))
        if user is not None
        else SecurityEvent.objects.filter(_email_q("username", email))
    )
    login = [user] if user is not None else []
    return [
        section(
            "person",
            _("Person"),
            [person],
            ["name", "email", "phone", "title", "organisation", "centre", "created_at"],
        ),
        section(
            "login",
            _("Login"),
            login,
            ["email", "is_active", "date_joined", "last_login"],
        ),
        section(
            "coordinator_roles",
            _("Coordinator roles"),
            Coordinator.objects.filter(person=person).select_related("centre"),
            ["centre"],
        ),
        section(
            "team_memberships",
            _("Team memberships"),
            memberships,
            [
                "team",
                ("network", _("network"), lambda m: str(m.team.network)),
                "role",
                "profession",
            ],
        ),
        section(
            "unit_leader_of",
            _("Unit leader of"),
            Team.objects.filter(unit_leader=person).select_related("network"),
            ["network", "municipality", "unit"],
        ),
        section(
            "attendance",
            _("Attendance"),
            Attendance.objects.filter(member__person=person).select_related("session"),
            [
                "session",
                ("starts_at", _("starts"), lambda a: a.session.starts_at),
                "present",
            ],
        ),
        section(
            "registrations",
            _("Registrations for gatherings"),
            Registration.objects.filter(_email_q("email", email), **in_centre).select_related(
                "session"
            ),
            ["session", "name", "email", "organisation", "role", "side", "status", "created_at"],
        ),
        section(
            "proposals",
            _("Proposals for gatherings"),
            AgendaItem.objects.filter(_email_q("proposer_email", email), **in_centre),
            [
                "session",
                "title",
                "summary",
                "proposer_name",
                "proposer_email",
                "organisation",
                "status",
                "created_at",
            ],
        ),
        section(
            "agreements",
            _("Agreements and signatures"),
            agreements,
            [
                "reference",
                "team",
                "status",
                "recipient_name",
                "recipient_email",
                "sent_at",
                "signer_name",
                "signer_title",
                "signer_email",
                "signed_at",
                "signer_ip",
                "signer_user_agent",
                "document_sha256",
                "declined_at",
                "decline_reason",
            ],
        ),
        section(
            "agreement_events",
            _("Agreement events"),
            AgreementEvent.objects.filter(agreement__in=agreements).select_related("agreement"),
            [
                ("agreement", _("agreement"), lambda e: e.agreement.reference),
                "kind",
                "at",
                "detail",
            ],
        ),
        section(
            "status_reports",
            _("Status reports submitted"),
            StatusReport.objects.filter(submitted_by=user) if user else [],
            ["team", "period", "status", "submitted_at"],
        ),
        section(
            "result_requests",
            _("Requests for results the person asked as unit leader"),
            ResultRequest.objects.filter(asked_by=person).select_related("team"),
            ["team", "message", "asked_at", "closed_at"],
        ),
        section(
            "board_cards",
            _("Improvement board cards the person added"),
            BoardCard.objects.filter(created_by=person).select_related("team"),
            ["team", "kind", "title", "detail", "column", "created_at"],
        ),
        section(
            "answers",
            _("Snakk om forbedring: answers of the person's teams (not given by name)"),
            Answer.objects.filter(assessment__team__in=teams).select_related("assessment"),
            [
                ("round", _("round"), lambda a: str(a.assessment)),
                "statement",
                "rating",
                "comment",
            ],
        ),
        section(
            "reminders",
            _("Reminders"),
            Reminder.objects.filter(
                Q(person=person) | _email_q("recipient_email", email),
                network__centre=person.centre_id,
            ),
            ["kind", "recipient_email", "due_at", "state", "sent_at", "attempts", "last_error"],
        ),
        section(
            "reminder_opt_outs",
            _("Reminders turned off"),
            ReminderOptOut.objects.filter(person=person),
            ["kind", "created_at"],
        ),
        section(
            "calendar_feed",
            _("Private calendar feed"),
            CalendarFeed.objects.filter(person=person),
            ["created_at"],
        ),
        section(
            "security_events",
            _("Security events"),
            security,
            ["kind", "at", "username", "ip", "detail"],
        ),
    ]


def person_zip(person: Person) -> tuple[str, bytes]:
    """The file name and bytes of the person's export."""
    with translation.override("nb"):
        sections = person_sections(person)
        made_at = timezone.now()
        summary = render_to_string(
            "privacy/export.html", {"person": person, "sections": sections, "made_at": made_at}
        )
        data = {
            "made_at": made_at,
            "person_id": person.pk,
            "centre": str(person.centre),
            **{s.key: s.rows for s in sections},
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sammendrag.html", summary)
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        )
    name = f"personopplysninger-{slugify(person.name) or person.pk}-{made_at:%Y%m%d}.zip"
    return name, buffer.getvalue()
