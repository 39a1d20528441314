"""Data for the national benchmark, made with bulk inserts (no signals, no e-mail)."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from lib.dates import OSLO
from network.models import (
    Centre,
    Coordinator,
    County,
    FocusArea,
    Municipality,
    Network,
    Person,
    User,
)
from reminders.models import Reminder, ReminderKind
from reports.models import ReportPeriod, ReportStatus, StatusReport
from sessions_app.models import Session, SessionKind
from teams.models import Measure, Measurement, Role, Team, TeamMember

SIZES = {
    # centres, networks per centre, teams per network, members per team, points per team,
    # reminders per team
    "small": (1, 2, 2, 2, 5, 2),
    "national": (20, 20, 10, 4, 50, 12),
}
BIG_NETWORK_TEAMS = 30
SUBJECT_MEMBERS = 4
PASSWORD = "bench-password"


def _batch(model, rows):
    return model.objects.bulk_create(rows, batch_size=2000)


@transaction.atomic
def generate(size):
    centres_n, networks_n, teams_n, members_n, points_n, reminders_n = SIZES[size]
    falls = FocusArea.objects.get(slug="fall")
    start = dt.date(2026, 9, 1)
    municipalities = _batch(
        Municipality,
        [
            Municipality(name=f"Kommune {i}", number=f"{5000 + i}", county=County.NORDLAND)
            for i in range(max(centres_n * networks_n, 10))
        ],
    )
    hasher_user = User(email="x@x")
    hasher_user.set_password(PASSWORD)
    password = hasher_user.password
    users = _batch(
        User,
        [
            User(email=f"koordinator{c:02d}@bench.no", password=password, is_staff=True)
            for c in range(centres_n)
        ],
    )
    centres = _batch(
        Centre,
        [Centre(name=f"USHT bench {c:02d}", county=County.NORDLAND) for c in range(centres_n)],
    )
    coordinators = _batch(
        Person,
        [
            Person(centre=centre, name=f"Koordinator {c}", email=user.email, user=user)
            for c, (centre, user) in enumerate(zip(centres, users, strict=True))
        ],
    )
    _batch(Coordinator, [Coordinator(centre=p.centre, person=p) for p in coordinators])
    networks = _batch(
        Network,
        [
            Network(
                centre=centre,
                title=f"Læringsnettverk {c}-{n}",
                start_date=start,
                end_date=dt.date(2027, 6, 1),
                status="running",
            )
            for c, centre in enumerate(centres)
            for n in range(networks_n)
        ],
    )
    big = None
    if size == "national":
        big = _batch(
            Network,
            [
                Network(
                    centre=centres[0],
                    title="Stort nettverk",
                    start_date=start,
                    end_date=dt.date(2027, 6, 1),
                )
            ],
        )[0]
    for network in networks + ([big] if big else []):
        network.focus_areas.add(falls)
    sessions = []
    for network in networks + ([big] if big else []):
        for kind, number, day in [
            (SessionKind.GATHERING, 1, dt.date(2026, 9, 1)),
            (SessionKind.GATHERING, 2, dt.date(2026, 12, 1)),
            (SessionKind.GATHERING, 3, dt.date(2027, 3, 16)),
            (SessionKind.PHONE_CONFERENCE, 1, dt.date(2026, 10, 15)),
            (SessionKind.PHONE_SESSION, 4, dt.date(2026, 11, 19)),
            (SessionKind.PHONE_CONFERENCE, 2, dt.date(2027, 1, 28)),
            (SessionKind.PHONE_CONFERENCE, 3, dt.date(2027, 4, 29)),
            (SessionKind.FOLLOW_UP, 1, dt.date(2027, 12, 2)),
        ]:
            begins = dt.datetime.combine(day, dt.time(9), tzinfo=OSLO)
            sessions.append(
                Session(
                    network=network,
                    kind=kind,
                    number=number,
                    starts_at=begins,
                    ends_at=begins + dt.timedelta(hours=6),
                )
            )
    sessions = _batch(Session, sessions)
    periods = _batch(
        ReportPeriod,
        [
            ReportPeriod(
                network=network,
                number=n,
                title=f"Statusrapport {n}",
                starts_on=start,
                due_on=dt.date(2026, 11, 24) if n == 1 else dt.date(2027, 3, 9),
            )
            for network in networks + ([big] if big else [])
            for n in (1, 2)
        ],
    )
    first_period = {p.network_id: p for p in periods if p.number == 1}

    team_specs = [(network, t) for network in networks for t in range(teams_n)]
    if big:
        team_specs += [(big, t) for t in range(BIG_NETWORK_TEAMS)]
    leaders = _batch(
        Person,
        [
            Person(centre_id=network.centre_id, name=f"Enhetsleder {i}", email=f"enhet{i}@bench.no")
            for i, (network, _t) in enumerate(team_specs)
        ],
    )
    teams = _batch(
        Team,
        [
            Team(
                network=network,
                municipality=municipalities[i % len(municipalities)],
                unit=f"Avdeling {t}",
                focus_area=falls,
                unit_leader=leaders[i],
                aim="Færre fall",
            )
            for i, (network, t) in enumerate(team_specs)
        ],
    )
    member_users = _batch(
        User, [User(email=f"teamleder{i}@bench.no", password=password) for i in range(len(teams))]
    )
    people, places = [], []
    for i, team in enumerate(teams):
        # The first team (the pages' subject) has the same members in either size, as
        # it has the same measures: a page that reads once per member (the admin's
        # member rows do, in Django's autocomplete widget) is compared with itself.
        for m in range(SUBJECT_MEMBERS if i == 0 else members_n):
            people.append(
                Person(
                    centre_id=team.network.centre_id,
                    name=f"Medlem {i}-{m}",
                    email=f"m{i}-{m}@bench.no",
                    user=member_users[i] if m == 0 else None,
                )
            )
            places.append((team, Role.TEAM_LEADER if m == 0 else Role.MEMBER))
    people = _batch(Person, people)
    _batch(
        TeamMember,
        [
            TeamMember(team=team, person=person, role=role)
            for person, (team, role) in zip(people, places, strict=True)
        ],
    )
    _batch(
        Agreement,
        [Agreement(team=team, reference="AVT-" + secrets.token_hex(4).upper()) for team in teams],
    )
    _batch(
        StatusReport,
        [
            StatusReport(
                team=team,
                period=first_period[team.network_id],
                status=ReportStatus.SUBMITTED,
                what_worked="x",
                challenges="y",
                next_steps="z",
                submitted_at=timezone.now(),
            )
            for team in teams
        ],
    )
    measures, points = [], []
    for i, team in enumerate(teams):
        many = team.network_id == getattr(big, "pk", None) or i == 0
        for m in range(3 if many else 1):
            measures.append(Measure(team=team, name=f"Måling {m}", goal=3))
    measures = _batch(Measure, measures)
    for measure in measures:
        count = 24 if measure.team.network_id == getattr(big, "pk", None) else points_n
        points += [
            Measurement(
                measure=measure,
                value=(w * 7 + measure.pk) % 11,
                period_start=dt.date(2025, 1, 6) + dt.timedelta(weeks=w),
            )
            for w in range(count)
        ]
    _batch(Measurement, points)
    _driver_diagram(_subject_team())
    now = timezone.now()
    session_of = {}
    for session in sessions:
        session_of.setdefault(session.network_id, session)
    reminders = []
    for i, team in enumerate(teams):
        for r in range(reminders_n):
            due = (
                now - dt.timedelta(minutes=5)
                if (i < 40 and r == 0)
                else now + dt.timedelta(days=1 + r)
            )
            reminders.append(
                Reminder(
                    key=f"bench:{team.pk}:{r}",
                    kind=ReminderKind.CALL,
                    network_id=team.network_id,
                    session=session_of[team.network_id],
                    team=team,
                    recipient_email=f"m{i}-0@bench.no",
                    due_at=due,
                    expires_at=now + dt.timedelta(days=60),
                )
            )
    _batch(Reminder, reminders)
    return {
        "centres": len(centres),
        "networks": len(networks) + (1 if big else 0),
        "teams": len(teams),
        "people": len(people) + len(leaders) + len(coordinators),
        "measurements": len(points),
        "reminders": len(reminders),
    }


def _driver_diagram(team):
    """The subject team's driver diagram: 3 primary drivers, 2 secondary ones under
    each, 2 change ideas under each of those, each linked to a measure."""
    from improvement import services as diagrams

    measures = list(team.measures.order_by("pk")[:1])
    for p in range(3):
        primary = diagrams.add_driver(team, f"Primær driver {p}")
        for s in range(2):
            secondary = diagrams.add_driver(team, f"Sekundær driver {p}.{s}", parent=primary)
            for i in range(2):
                diagrams.add_idea(
                    team, f"Endringsidé {p}.{s}.{i}", driver=secondary, measures=measures
                )


def _subject_team():
    return (
        Team.objects.filter(network__centre__name="USHT bench 00")
        .exclude(network__title="Stort nettverk")
        .order_by("pk")
        .first()
    )


def _unit_leader_with_login(team):
    """The subject team's unit leader, with a login and a board of twelve cards (a
    board that a unit keeps up to date), the same in either size."""
    from units.models import Column
    from units.services import add_card, ask_for_results, move_card

    person = team.unit_leader
    if person.user_id is None:
        person.user = User.objects.create(email="enhetsleder-subject@bench.no")
        person.save(update_fields=["user"])
        cycle = team.pdsa_cycles.first()
        for n in range(12):
            card = add_card(team, person, title=f"Idé {n}", cycle=cycle if n % 3 == 0 else None)
            move_card(card, list(Column)[n % 4], version=card.version)
        ask_for_results(team, person, "Hvordan går det?")
    return person.user


def subjects():
    """{page: (user or None, path)}, the same objects whatever the size."""
    from django.urls import reverse

    from agreements import services

    team = _subject_team()
    network = team.network
    coordinator = User.objects.get(email="koordinator00@bench.no")
    leader = team.members.get(role=Role.TEAM_LEADER).person.user
    token = services.send(team.agreement)
    unit_leader = _unit_leader_with_login(team)
    # The period the team writes next: the first one's report is submitted.
    period = network.report_periods.get(number=2)
    return {
        "floor": (coordinator, "/__floor__/"),
        "coordinator home": (coordinator, reverse("home")),
        "network overview": (coordinator, reverse("reports:network_reports", args=[network.pk])),
        "progress scores": (coordinator, reverse("reports:network_scores", args=[network.pk])),
        "follow-up call": (coordinator, reverse("sessions_app:follow_up", args=[network.pk])),
        "team page": (leader, reverse("teams:team", args=[team.pk])),
        "driver diagram": (leader, reverse("improvement:diagram", args=[team.pk])),
        "report form": (leader, reverse("reports:report", args=[team.pk, period.pk])),
        "unit leader's page": (unit_leader, reverse("units:unit", args=[team.pk])),
        "improvement board": (leader, reverse("units:board", args=[team.pk])),
        "signing page": (None, reverse("agreements:sign", args=[token])),
        "admin: networks": (coordinator, reverse("admin:network_network_changelist")),
        "admin: teams": (coordinator, reverse("admin:teams_team_changelist")),
        "admin: people": (coordinator, reverse("admin:network_person_changelist")),
        "admin: agreements": (coordinator, reverse("admin:agreements_agreement_changelist")),
        "admin: reminders": (coordinator, reverse("admin:reminders_reminder_changelist")),
        "admin: a network": (
            coordinator,
            reverse("admin:network_network_change", args=[network.pk]),
        ),
        "admin: a team": (coordinator, reverse("admin:teams_team_change", args=[team.pk])),
        "admin: a network's sessions": (
            coordinator,
            reverse("admin:sessions_app_session_changelist") + f"?network__id__exact={network.pk}",
        ),
    }


def summary_network():
    return Network.objects.filter(title="Stort nettverk").first() or _subject_team().network


def report_for_pdf():
    return StatusReport.objects.filter(team=_subject_team()).first()
