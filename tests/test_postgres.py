"""Checks that only mean something on the production database."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_one_team_leader_is_a_partial_unique_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'team_one_leader'")
        (definition,) = cursor.fetchone()
    assert "UNIQUE" in definition
    assert "WHERE" in definition and "team_leader" in definition


def test_person_email_is_unique_per_centre_regardless_of_case():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'person_unique_email_per_centre'"
        )
        (definition,) = cursor.fetchone()
    assert "lower" in definition.lower()
