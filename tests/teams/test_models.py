import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from network.models import FocusArea
from teams.models import Profession, Role, TeamMember
from teams.services import team_advice
from tests.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_team_leader(team):
    TeamMemberFactory(team=team, role=Role.TEAM_LEADER)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(team=team, role=Role.TEAM_LEADER)


def test_model_validation_explains_a_second_team_leader(team):
    TeamMemberFactory(team=team, role=Role.TEAM_LEADER)
    second = TeamMemberFactory.build(
        team=team, role=Role.TEAM_LEADER, person=TeamMemberFactory(team=team).person
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "Teamet har allerede en teamleder. Et team har nøyaktig én." in str(error.value)


def test_the_database_refuses_the_same_person_twice(team):
    member = TeamMemberFactory(team=team)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(team=team, person=member.person, role=Role.MEMBER)


def test_a_team_picks_a_focus_area_the_network_offers(team):
    team.network.focus_areas.set([FocusArea.objects.get(slug="fall")])
    team.focus_area = FocusArea.objects.get(slug="trykksar")
    with pytest.raises(ValidationError) as error:
        team.full_clean()
    assert "Forebygging av fall" in str(error.value.message_dict["focus_area"])


def test_advice_for_a_well_made_team_is_empty(team):
    TeamMemberFactory(team=team, role=Role.TEAM_LEADER)
    TeamMemberFactory(team=team, role=Role.MEASUREMENT_LEAD, profession=Profession.PHYSICIAN)
    assert team_advice(team.members.all()) == []


def test_advice_names_size_patient_contact_and_missing_roles(team):
    for _ in range(8):
        TeamMemberFactory(team=team, role=Role.MEMBER, profession=Profession.LEADER)
    assert team_advice(team.members.all()) == [
        "Teamet har 8 medlemmer; 2 til 7 medlemmer anbefales.",
        "Ingen medlemmer har et yrke med pasientkontakt. Yrkesgruppene som møter "
        "pasientene bør være representert i teamet.",
        "Teamet har ingen teamleder.",
        "Teamet har ingen måleansvarlig.",
    ]
