"""The models that moved here from ``sessions_app`` (see its migration 0004, which
renamed their tables). Their content types follow, so that permissions and the
admin's history stay attached."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models



MODELS = ['gatheringsettings', 'agendaitem', 'registration']


def adopt_content_types(apps, schema_editor, source="sessions_app", target="gatherings"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=target, model__in=MODELS).delete()
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def return_content_types(apps, schema_editor):
    adopt_content_types(apps, schema_editor, source="gatherings", target="sessions_app")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('sessions_app', '0004_move_gatherings_and_documents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GatheringSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('registration_open', models.BooleanField(default=False, verbose_name='open for registration')),
                        ('capacity', models.PositiveIntegerField(default=40, verbose_name='seats')),
                        ('programme_published_at', models.DateTimeField(blank=True, null=True, verbose_name='programme published')),
                        ('where_we_are', models.TextField(blank=True, verbose_name='where we are')),
                        ('decisions', models.TextField(blank=True, verbose_name='decisions made')),
                        ('bring_next_time', models.TextField(blank=True, verbose_name='what to bring next time')),
                        ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='gathering', to='sessions_app.session', verbose_name='session')),
                    ],
                    options={
                        'verbose_name': 'gathering registration and notes',
                        'verbose_name_plural': 'gathering registrations and notes',
                    },
                ),
                migrations.CreateModel(
                    name='AgendaItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('summary', models.TextField(verbose_name='summary')),
                        ('minutes', models.PositiveSmallIntegerField(default=30, verbose_name='duration (minutes)')),
                        ('proposer_name', models.CharField(max_length=150, verbose_name='proposed by')),
                        ('proposer_email', models.EmailField(max_length=254, verbose_name="proposer's e-mail")),
                        ('organisation', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed'), ('accepted', 'In the programme'), ('declined', 'Not this time')], default='proposed', max_length=10, verbose_name='status')),
                        ('day', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Day 1'), (2, 'Day 2')], null=True, verbose_name='day')),
                        ('starts', models.TimeField(blank=True, null=True, verbose_name='starts')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='proposed')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda_items', to='sessions_app.session', verbose_name='gathering')),
                    ],
                    options={
                        'verbose_name': 'agenda item',
                        'verbose_name_plural': 'agenda items',
                        'ordering': ['session', 'day', 'starts', 'created_at'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('minutes__gte', 5), ('minutes__lte', 480)), name='agenda_item_duration', violation_error_message='A duration is between 5 and 480 minutes.')],
                    },
                ),
                migrations.CreateModel(
                    name='Registration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='full name')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('organisation', models.CharField(max_length=200, verbose_name='organisation')),
                        ('role', models.CharField(choices=[('leader', 'Leader'), ('development', 'Professional development staff'), ('user_representative', 'User representative'), ('other', 'Other')], max_length=24, verbose_name='role')),
                        ('side', models.CharField(choices=[('municipality', 'Municipality'), ('hospital', 'Hospital'), ('other', 'Other')], default='municipality', max_length=16, verbose_name='from')),
                        ('status', models.CharField(choices=[('confirmed', 'Has a seat'), ('waiting', 'On the waiting list'), ('cancelled', 'Cancelled')], max_length=10, verbose_name='status')),
                        ('token_hash', models.CharField(max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registered')),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='sessions_app.session', verbose_name='gathering')),
                    ],
                    options={
                        'verbose_name': 'registration',
                        'verbose_name_plural': 'registrations',
                        'ordering': ['session', 'created_at', 'id'],
                        'constraints': [models.UniqueConstraint(models.F('session'), django.db.models.functions.text.Lower('email'), condition=models.Q(('status', 'cancelled'), _negated=True), name='registration_once_per_person', violation_error_message='This e-mail address is already registered.')],
                    },
                ),
            ],
        ),
        migrations.RunPython(adopt_content_types, return_content_types),
    ]
