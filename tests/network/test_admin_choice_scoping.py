"""Choice lists scoped to what makes sense: a session invites its own network's
teams, a document's gathering and agenda item are its own network's (labelled
with it), the centre's own county's municipalities come first, a learning
network's session has no gathering inlines, the agreements' filter lists only
learning networks."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gatherings.models import AgendaItem
from knowledge.models import Document
from network.models import County, NetworkKind
from sessions_app.models import Session
from tests.factories import MunicipalityFactory, NetworkFactory, SessionFactory, TeamFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 9, 14, 9, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=6)


def session_form(network, **extra):
    return {
        "network": network.pk,
        "kind": "gathering",
        "number": "1",
        "status": "planned",
        "title": "Samling 1",
        "place": "Leknes",
        "starts_at_0": "2027-09-14",
        "starts_at_1": "09:00",
        "ends_at_0": "2027-09-14",
        "ends_at_1": "15:00",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
        **extra,
    }


@pytest.fixture
def two_networks(centre):
    ours = NetworkFactory(centre=centre, title="Læringsnettverk A")
    other = NetworkFactory(centre=centre, title="Læringsnettverk B")
    return (
        ours,
        other,
        TeamFactory(network=ours, unit="Vår avdeling"),
        TeamFactory(network=other, unit="Annen avdeling"),
    )


def test_a_sessions_invited_teams_are_its_networks(client, coordinator, two_networks):
    ours, other, our_team, their_team = two_networks
    session = SessionFactory(network=ours, kind="gathering", number=1, starts_at=START, ends_at=END)
    client.force_login(coordinator)
    page = client.get(reverse("admin:sessions_app_session_change", args=[session.pk]))
    choices = [
        label for _v, label in page.context["adminform"].form.fields["invited_teams"].choices
    ]
    assert choices == [f"{our_team} (Læringsnettverk A)"]
    # The add page opened from the network's page (?network=) offers the same.
    page = client.get(reverse("admin:sessions_app_session_add") + f"?network={ours.pk}")
    html = page.content.decode()
    assert "Vår avdeling" in html and "Annen avdeling" not in html


def test_a_team_of_another_network_is_refused_with_a_clear_message(
    client, coordinator, two_networks
):
    ours, other, our_team, their_team = two_networks
    client.force_login(coordinator)
    # The add page without a network lists every team, each with its network.
    page = client.get(reverse("admin:sessions_app_session_add")).content.decode()
    assert "Annen avdeling" in page and "(Læringsnettverk B)" in page
    response = client.post(
        reverse("admin:sessions_app_session_add"),
        session_form(ours, invited_teams=[our_team.pk, their_team.pk]),
    )
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["invited_teams"]
    assert error.startswith("Bare teamene i Læringsnettverk A kan inviteres.")
    assert str(their_team) in error
    assert 'value="Leknes"' in response.content.decode()  # nothing typed is lost
    assert not Session.objects.exists()
    # Its own team is accepted.
    response = client.post(
        reverse("admin:sessions_app_session_add"), session_form(ours, invited_teams=[our_team.pk])
    )
    assert response.status_code == 302
    assert list(Session.objects.get().invited_teams.all()) == [our_team]


def test_a_saved_session_refuses_another_networks_team(client, coordinator, two_networks):
    ours, other, our_team, their_team = two_networks
    session = SessionFactory(network=ours, kind="gathering", number=1, starts_at=START, ends_at=END)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:sessions_app_session_change", args=[session.pk]),
        session_form(ours, invited_teams=[their_team.pk]),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["invited_teams"]
    assert not session.invited_teams.exists()


@pytest.fixture
def documents_world(centre, improvement):
    other = NetworkFactory(
        centre=centre, kind=NetworkKind.IMPROVEMENT, end_date=None, title="Nettverk Lofoten"
    )
    ours = SessionFactory(
        network=improvement, kind="gathering", number=1, starts_at=START, ends_at=END
    )
    theirs = SessionFactory(network=other, kind="gathering", number=1, starts_at=START, ends_at=END)
    item = AgendaItem.objects.create(
        session=theirs, title="Tavlemøter", summary="x", proposer_name="A", proposer_email="a@b.no"
    )
    return improvement, other, ours, theirs, item


def test_a_documents_gathering_and_agenda_item_are_labelled_with_their_network(
    client, coordinator, documents_world
):
    improvement, other, ours, theirs, item = documents_world
    client.force_login(coordinator)
    form = client.get(reverse("admin:knowledge_document_add")).context["adminform"].form
    labels = [label for _v, label in form.fields["session"].choices]
    assert "Forbedringsnettverket Vestvågøy – Samling 1" in labels
    assert "Nettverk Lofoten – Samling 1" in labels
    items = [label for _v, label in form.fields["agenda_item"].choices]
    assert "Nettverk Lofoten – Samling 1 – Tavlemøter" in items
    form = (
        client.get(reverse("admin:knowledge_document_add") + f"?network={improvement.pk}")
        .context["adminform"]
        .form
    )
    assert [label for v, label in form.fields["session"].choices if v] == [
        "Forbedringsnettverket Vestvågøy – Samling 1"
    ]
    assert [v for v, _label in form.fields["agenda_item"].choices if v] == []


def test_a_document_refuses_another_networks_gathering_and_agenda_item(
    client, coordinator, documents_world
):
    improvement, other, ours, theirs, item = documents_world
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lysark.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")
    response = client.post(
        reverse("admin:knowledge_document_add"),
        {
            "network": improvement.pk,
            "session": theirs.pk,
            "agenda_item": item.pk,
            "title": "Lysark",
            "file": upload,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["session"] == ["Velg en samling i dokumentets eget nettverk."]
    assert errors["agenda_item"] == ["Velg et innslag i dokumentets eget nettverk."]
    assert 'value="Lysark"' in response.content.decode()
    with scopes_disabled():
        assert not Document.objects.exists()


def test_the_centres_own_countys_municipalities_come_first(client, coordinator):
    MunicipalityFactory(number="4601", name="Testby Bergen", county=County.VESTLAND)
    MunicipalityFactory(number="1804", name="Testby Bodø", county=County.NORDLAND)
    MunicipalityFactory(number="0301", name="Testby Aker", county=County.OSLO)
    client.force_login(coordinator)  # of a centre in Nordland
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Testby",
            "app_label": "teams",
            "model_name": "team",
            "field_name": "municipality",
        },
    )
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Testby Bodø (1804)", "Testby Aker (0301)", "Testby Bergen (4601)"]


def test_a_learning_networks_session_shows_no_gathering_inlines(
    client, coordinator, network, improvement
):
    learning_session = SessionFactory(
        network=network, kind="gathering", number=1, starts_at=START, ends_at=END
    )
    gathering = SessionFactory(
        network=improvement, kind="gathering", number=1, starts_at=START, ends_at=END
    )
    client.force_login(coordinator)

    def inline_models(url):
        response = client.get(url)
        return {
            formset.opts.model.__name__ for formset in response.context["inline_admin_formsets"]
        }

    change = "admin:sessions_app_session_change"
    learning = inline_models(reverse(change, args=[learning_session.pk]))
    assert "Registration" not in learning and "AgendaItem" not in learning
    assert "GatheringSettings" not in learning
    assert {"Registration", "AgendaItem", "GatheringSettings"} <= inline_models(
        reverse(change, args=[gathering.pk])
    )
    add = reverse("admin:sessions_app_session_add")
    assert "Registration" not in inline_models(f"{add}?network={network.pk}")
    assert "Registration" in inline_models(f"{add}?network={improvement.pk}")


def test_the_agreements_network_filter_lists_only_learning_networks(
    client, coordinator, network, improvement
):
    second = NetworkFactory(centre=network.centre, title="Læringsnettverk trykksår")
    client.force_login(coordinator)
    page = client.get(reverse("admin:agreements_agreement_changelist")).content.decode()
    assert f"team__network__id__exact={second.pk}" in page
    assert f"team__network__id__exact={network.pk}" in page
    assert f"team__network__id__exact={improvement.pk}" not in page
    assert improvement.title not in page
