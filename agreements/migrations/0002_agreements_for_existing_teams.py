import secrets

from django.db import migrations

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def create(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    Agreement = apps.get_model("agreements", "Agreement")
    for team in Team.objects.filter(network__kind="learning", agreement__isnull=True):
        reference = "AVT-" + "".join(secrets.choice(ALPHABET) for _ in range(8))
        Agreement.objects.create(team=team, reference=reference)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial"), ("teams", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
