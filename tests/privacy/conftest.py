"""Two people of one team, each with data in every part of the product."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements.models import Agreement, AgreementEvent, AgreementStatus, EventKind
from gatherings.models import AgendaItem, ParticipantRole, Registration, RegistrationStatus
from reminders.models import CalendarFeed, Reminder, ReminderKind, ReminderState
from security.models import EventKind as SecurityKind
from security.models import SecurityEvent
from sessions_app.models import Attendance
from teams.models import Role
from tests.factories import (
    PersonFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)


def _person_with_data(centre, team, gathering, name, email, role):
    user = UserFactory(email=email)
    person = PersonFactory(centre=centre, name=name, email=email, phone="+47 900 00 000", user=user)
    member = TeamMemberFactory(team=team, person=person, role=role)
    Attendance.objects.create(session=gathering, member=member, present=True)
    Registration.objects.create(
        session=gathering,
        name=name,
        email=email,
        organisation=f"{name}s kommune",
        role=ParticipantRole.LEADER,
        status=RegistrationStatus.CONFIRMED,
        token_hash=f"{email:x>64}"[-64:],
    )
    AgendaItem.objects.create(
        session=gathering,
        title=f"Innlegg av {name}",
        summary=f"Fritekst fra {name}",
        proposer_name=name,
        proposer_email=email,
    )
    Reminder.objects.create(
        key=f"gathering:{gathering.pk}:{email}",
        kind=ReminderKind.GATHERING,
        network=team.network,
        session=gathering,
        person=person,
        recipient_email=email,
        due_at=timezone.now() - dt.timedelta(days=1),
        state=ReminderState.SENT,
        sent_at=timezone.now() - dt.timedelta(days=1),
    )
    CalendarFeed.objects.create(person=person, token_hash=f"{email:f>64}"[-64:])
    SecurityEvent.objects.create(
        kind=SecurityKind.LOGIN, user=user, username=email, ip="192.0.2.10"
    )
    return person


@pytest.fixture
def world(centre, network):
    gathering = SessionFactory(network=network)
    leader = PersonFactory(centre=centre, name="Una Enhetsleder", email="una@leknes.no")
    team = TeamFactory(network=network, unit_leader=leader)
    kari = _person_with_data(
        centre, team, gathering, "Kari Nordmann", "kari@leknes.no", Role.TEAM_LEADER
    )
    ola = _person_with_data(centre, team, gathering, "Ola Hansen", "ola@leknes.no", Role.MEMBER)
    Agreement.objects.filter(team=team).update(
        reference="LN-0001",
        status=AgreementStatus.SIGNED,
        recipient_name=leader.name,
        recipient_email=leader.email,
        signer_name=leader.name,
        signer_email=leader.email,
        signed_at=timezone.now(),
        signer_ip="192.0.2.20",
        document_html="<p>Avtale</p>",
        document_sha256="a" * 64,
    )
    agreement = Agreement.objects.get(team=team)
    AgreementEvent.objects.create(agreement=agreement, kind=EventKind.SIGNED, at=timezone.now())
    return {
        "team": team,
        "gathering": gathering,
        "kari": kari,
        "ola": ola,
        "leader": leader,
        "agreement": agreement,
    }
