"""The admin's changelist rows (config/admin_list.py) are Django's, cell for cell."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results as django_results
from django.core.management import call_command
from django.urls import reverse

from config.admin_list import fast_results
from network.models import Centre, Network, Person, User

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def superuser_client(client):
    call_command("seed_demo", verbosity=0)
    # Text that must be escaped, in a list column and in a linked one.
    centre = Centre.objects.first()
    Person.objects.create(
        centre=centre,
        name='Ola <b>"Fet"</b> & Co',
        email="ola@example.no",
        organisation="<i>Kommune</i>",
    )
    Network.objects.filter(pk=Network.objects.first().pk).update(title="Fall & <fall>")
    client.force_login(User.objects.create_superuser("root@example.no", "x"))
    return client


def rows(results):
    return ["".join(str(cell) for cell in row) for row in results]


@pytest.mark.parametrize("query", ["", "?o=-2", "?q=a"])
@pytest.mark.parametrize(
    "model", [model for model, _ in ADMINS], ids=[model._meta.label for model, _ in ADMINS]
)
def test_rows_are_djangos(superuser_client, model, query):
    opts = model._meta
    response = superuser_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + query
    )
    assert response.status_code == 200
    cl = response.context["cl"]
    ours = rows(fast_results(cl))
    assert ours == rows(django_results(cl))
    assert "<b>" not in "".join(ours)
    page = response.content.decode()
    for row in ours:
        assert f"<tr>{row}</tr>" in page


def test_links_keep_the_filters(superuser_client):
    response = superuser_client.get(
        reverse("admin:network_network_changelist") + "?status__exact=running"
    )
    cl = response.context["cl"]
    assert cl.result_count >= 1
    ours = rows(fast_results(cl))
    assert ours == rows(django_results(cl))
    assert "_changelist_filters=status__exact%3Drunning" in ours[0]
    network = cl.result_list[0]
    assert f"/admin/network/network/{network.pk}/change/" in ours[0]


def test_the_row_checkbox_is_djangos(superuser_client):
    person = Person.objects.get(email="ola@example.no")
    model_admin = admin.site._registry[Person]
    ours = model_admin.action_checkbox(person)
    djangos = admin.ModelAdmin.action_checkbox(model_admin, person)
    assert str(ours) == str(djangos)
    assert "Ola &lt;b&gt;&quot;Fet&quot;&lt;/b&gt; &amp; Co" in ours


@pytest.mark.parametrize("query", ["", "?status__exact=signed", "?q=a&o=2"])
def test_network_filter_choices_are_djangos(superuser_client, query):
    from django.contrib.admin.filters import RelatedFieldListFilter

    from network.admin import VisibleRelatedFilter

    response = superuser_client.get(reverse("admin:agreements_agreement_changelist") + query)
    cl = response.context["cl"]
    spec = next(f for f in cl.filter_specs if isinstance(f, VisibleRelatedFilter))
    ours = list(spec.choices(cl))
    djangos = list(RelatedFieldListFilter.choices(spec, cl))
    assert len(ours) == Network.objects.count() + 1
    assert ours == djangos
    selected = cl.result_list[0].team.network_id if cl.result_list else Network.objects.first().pk
    response = superuser_client.get(
        reverse("admin:agreements_agreement_changelist") + f"?team__network__id__exact={selected}"
    )
    cl = response.context["cl"]
    spec = next(f for f in cl.filter_specs if isinstance(f, VisibleRelatedFilter))
    ours = list(spec.choices(cl))
    assert ours == list(RelatedFieldListFilter.choices(spec, cl))
    assert [c["display"] for c in ours if c["selected"]] == [str(Network.objects.get(pk=selected))]


def test_a_column_that_fails_on_the_first_row_is_left_to_django(superuser_client, monkeypatch):
    from django.contrib.admin.templatetags.admin_list import ResultList

    def linked(obj):
        if obj.email == "ola@example.no":
            raise Person.DoesNotExist
        return True

    linked.boolean = True
    model_admin = admin.site._registry[Person]
    monkeypatch.setattr(model_admin, "list_display", ["name", linked])
    monkeypatch.setattr(model_admin, "ordering", ["-pk"])  # Ola first
    response = superuser_client.get(reverse("admin:network_person_changelist"))
    cl = response.context["cl"]
    assert cl.result_list[0].email == "ola@example.no"
    ours = fast_results(cl)
    assert all(isinstance(row, ResultList) for row in ours)
    assert rows(ours) == rows(django_results(cl))
    assert 'alt="True"' in rows(ours)[1]


def test_the_action_bar_keeps_a_prefixed_or_larger_form():
    from django import forms
    from django.contrib.admin.helpers import ActionForm
    from django.template.loader import render_to_string

    def bar(form):
        form.fields["action"].choices = [("", "---"), ("send", "Send")]
        return render_to_string("admin/actions.html", {"action_form": form})

    page = bar(ActionForm(prefix="CHANGE_FORM"))
    assert 'name="CHANGE_FORM-action"' in page and 'name="CHANGE_FORM-select_across"' in page
    assert '<option value="send">Send</option>' in page

    class WithDate(ActionForm):
        when = forms.DateField(label="When")

    assert 'name="when"' in bar(WithDate())


def test_label_fields_are_what_str_shows(superuser_client):
    from django.apps import apps

    models = [m for m in apps.get_models() if getattr(m, "label_field", None)]
    assert {m.__name__ for m in models} >= {"Network", "FocusArea"}
    for model in models:
        for obj in model.objects.all()[:20]:
            assert str(obj) == getattr(obj, model.label_field)


@pytest.mark.parametrize("query", ["", "?status__exact=signed"])
def test_list_filters_render_as_djangos(superuser_client, query):
    from network.admin import VisibleRelatedFilter

    Network.objects.filter(pk=Network.objects.first().pk).update(title='Fall & <"fall">')
    response = superuser_client.get(reverse("admin:agreements_agreement_changelist") + query)
    cl = response.context["cl"]
    assert any(isinstance(f, VisibleRelatedFilter) for f in cl.filter_specs)
    # The network filter and Django's choices filter (status).
    rendered = [check_filter(spec, cl, response) for spec in cl.filter_specs]
    assert len(rendered) == 2
    assert "Fall &amp; &lt;&quot;fall&quot;&gt;" in "".join(rendered)


def check_filter(spec, cl, response):
    import re
    from pathlib import Path

    from django.template import Context, Template
    from django.template.loader import render_to_string

    context = {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
    ours = render_to_string("admin/filter.html", context)
    djangos = Template(
        Path(admin.__file__).with_name("templates").joinpath("admin", "filter.html").read_text()
    ).render(Context(context))

    def squeeze(html):
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    assert squeeze(ours) == squeeze(djangos)
    assert squeeze(ours) in squeeze(response.content.decode())
    return ours
