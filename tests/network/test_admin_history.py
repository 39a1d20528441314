"""What a coordinator changes in the admin is recorded with who, when and which
fields (Django's LogEntry), and readable on the object's history page."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from network.models import Person

pytestmark = pytest.mark.django_db


def test_a_change_to_a_person_is_in_the_objects_history(client, coordinator, centre):
    person = Person.objects.create(centre=centre, name="Kari Nordmann", email="kari@kommune.no")
    client.force_login(coordinator)
    url = reverse("admin:network_person_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"title": "Enhetsleder", "organisation": "Vestvågøy kommune"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = LogEntry.objects.get(object_id=str(person.pk), action_flag=CHANGE)
    assert entry.user == coordinator
    changed = entry.get_change_message()
    assert "Stillingstittel" in changed and "Organisasjon" in changed, changed
    history = client.get(reverse("admin:network_person_history", args=[person.pk]))
    assert history.status_code == 200
    assert entry.get_change_message() in history.content.decode()


def test_every_fields_label_is_translated_as_its_verbose_name():
    """The history's labels ("Job title") translate as the field does ("job title"),
    for the project's own models (Django's and the libraries' have their own)."""
    from django.apps import apps
    from django.conf import settings
    from django.utils import translation
    from django.utils.text import capfirst

    wrong = {}
    ours = [
        a
        for a in apps.get_app_configs()
        if str(a.path).startswith(str(settings.BASE_DIR)) and ".venv" not in str(a.path)
    ]
    for model in (m for app in ours for m in app.get_models()):
        for field in model._meta.get_fields():
            name = getattr(field, "verbose_name", None)
            if name is None:
                continue
            with translation.override("en"):
                label, plain = str(capfirst(name)), str(name)
            with translation.override("nb"):
                expected = str(capfirst(translation.gettext(plain)))
                if expected != label and translation.gettext(label) != expected:
                    wrong[label] = (translation.gettext(label), expected)
    assert wrong == {}
