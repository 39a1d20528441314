"""The models that moved here from ``sessions_app`` (see its migration 0004, which
renamed their tables). Their content types follow, so that permissions and the
admin's history stay attached."""

import django.db.models.deletion
import knowledge.models
from django.db import migrations, models



MODELS = ['document']


def adopt_content_types(apps, schema_editor, source="sessions_app", target="knowledge"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=target, model__in=MODELS).delete()
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def return_content_types(apps, schema_editor):
    adopt_content_types(apps, schema_editor, source="knowledge", target="sessions_app")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('gatherings', '0001_initial'),
        ('network', '0002_focus_areas'),
        ('sessions_app', '0004_move_gatherings_and_documents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Document',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('file', models.FileField(upload_to=knowledge.models.document_path, verbose_name='file')),
                        ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                        ('content_type', models.CharField(max_length=100)),
                        ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                        ('text', models.TextField(blank=True, editable=False, verbose_name='text, for search')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('agenda_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='documents', to='gatherings.agendaitem', verbose_name='agenda item')),
                        ('network', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='network.network', verbose_name='network')),
                        ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='documents', to='sessions_app.session', verbose_name='gathering')),
                    ],
                    options={
                        'verbose_name': 'document',
                        'verbose_name_plural': 'documents',
                        'ordering': ['-uploaded_at'],
                    },
                ),
            ],
        ),
        migrations.RunPython(adopt_content_types, return_content_types),
    ]
