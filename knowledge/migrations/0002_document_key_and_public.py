"""Documents get a random key for their address, and a public flag (off: only the
network's participants and the centre's coordinators may download them)."""

import uuid

from django.db import migrations, models


def give_keys(apps, schema_editor):
    Document = apps.get_model("knowledge", "Document")
    for document in Document.objects.filter(key__isnull=True).only("pk"):
        Document.objects.filter(pk=document.pk).update(key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="document",
            name="public",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Anyone with the link may download it, also from the gathering's public "
                    "page. Otherwise only the network's participants and the centre's "
                    "coordinators."
                ),
                verbose_name="public",
            ),
        ),
    ]
