"""Migrations that move tables between apps keep every row."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from gatherings.models import AgendaItem, GatheringSettings, Registration
from knowledge.models import Document

#: The tables that sessions_app/0004 renamed: new name → old name.
MOVED = {
    "knowledge_document": "sessions_app_document",
    "gatherings_gatheringsettings": "sessions_app_gatheringsettings",
    "gatherings_agendaitem": "sessions_app_agendaitem",
    "gatherings_registration": "sessions_app_registration",
}


def every_row():
    """Each table's rows, in order of their first column, as {column: value}: the
    whole database."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            columns = [column[0] for column in cursor.description]
            rows[table] = [dict(zip(columns, map(str, row), strict=True)) for row in cursor]
    return rows


def as_of(rows, columns):
    """The rows with only ``columns``: what a table held before later migrations
    added to it."""
    return [{name: row[name] for name in columns} for row in rows]


@pytest.mark.django_db(transaction=True)
def test_moving_gatherings_and_documents_to_their_own_apps_keeps_every_row(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    # The demo fills every moved table, so that an empty table cannot pass for kept.
    for model in (Document, GatheringSettings, AgendaItem, Registration):
        assert model._default_manager.exists(), model
    seeded = every_row()

    # Back to the layout before the move: the rows are in the old tables.
    call_command("migrate", "sessions_app", "0003", verbosity=0)
    before_move = every_row()
    for new, old in MOVED.items():
        assert new not in before_move
        assert before_move[old], old
        assert before_move[old] == as_of(seeded[new], before_move[old][0].keys())
    # Their content types (permissions, the admin's history) went back with them.
    assert any(
        (row["app_label"], row["model"]) == ("sessions_app", "registration")
        for row in before_move["django_content_type"]
    )

    # Forward again, as a database of the old layout would be migrated. Columns
    # added since the move are compared as far as the old layout had them.
    call_command("migrate", verbosity=0)
    after = every_row()
    assert after.keys() == seeded.keys()
    for table, rows in seeded.items():
        old = before_move.get(MOVED.get(table, table))
        if old:  # as the old layout had it: later migrations add columns
            assert as_of(after[table], old[0].keys()) == as_of(rows, old[0].keys()), table
        else:
            assert after[table] == rows, table
