"""The improvement network's gatherings and the knowledge base move to apps of
their own (``gatherings``, ``knowledge``). The tables are renamed, not copied:
every row stays, with its id. The models leave this app's state here and enter
the new apps' state in their first migrations."""

from django.db import migrations

MOVED = {
    "document": "knowledge_document",
    "gatheringsettings": "gatherings_gatheringsettings",
    "agendaitem": "gatherings_agendaitem",
    "registration": "gatherings_registration",
}


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0003_agendaitem_document_gatheringsettings_registration_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=name, table=table) for name, table in MOVED.items()
            ],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='agendaitem',
                    name='agenda_item_duration',
                ),
                migrations.RemoveField(
                    model_name='document',
                    name='agenda_item',
                ),
                migrations.RemoveField(
                    model_name='document',
                    name='network',
                ),
                migrations.RemoveField(
                    model_name='document',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='gatheringsettings',
                    name='session',
                ),
                migrations.RemoveConstraint(
                    model_name='registration',
                    name='registration_once_per_person',
                ),
                migrations.RemoveField(
                    model_name='agendaitem',
                    name='session',
                ),
                migrations.DeleteModel(
                    name='Document',
                ),
                migrations.DeleteModel(
                    name='GatheringSettings',
                ),
                migrations.RemoveField(
                    model_name='registration',
                    name='session',
                ),
                migrations.DeleteModel(
                    name='AgendaItem',
                ),
                migrations.DeleteModel(
                    name='Registration',
                ),
            ],
        ),
    ]
