"""The improvement board: who sees and changes it, moves that work without a script
and refuse a stale page, cards linked to the team's PDSA cycles, the display view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams.models import PDSACycle
from units.models import BoardCard, Column
from units.services import UnitError, add_card, move_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(unit):
    return add_card(unit["team"], None, title="Sensormatte ved sengen", detail="Om natten")


def board_url(unit, name="units:board", *args):
    return reverse(name, args=[unit["team"].pk, *args])


def test_the_board_shows_the_four_columns_and_the_cards(client, unit, card):
    move_card(
        add_card(unit["team"], None, title="Sklisikre sokker", cycle=unit["cycle"]),
        Column.TESTING,
        version=1,
    )
    client.force_login(unit["member"])
    page = client.get(board_url(unit)).content.decode()
    for column in ("Nye", "Tester (PDSA)", "Innført", "Lagt til side"):
        assert column in page
    assert "Sensormatte ved sengen" in page and "Om natten" in page
    cycle_link = reverse("teams:pdsa_edit", args=[unit["team"].pk, unit["cycle"].pk])
    assert f'PDSA-sirkel: <a href="{cycle_link}">Sklisikre sokker</a>' in page
    # One button per move: three from each card.
    assert page.count('name="to"') == 6
    assert "Til Innført" in page


def test_who_sees_the_board(client, unit, outsider, card):
    for name, args in (("units:board", ()), ("units:board_display", ())):
        url = board_url(unit, name, *args)
        client.logout()
        assert "/konto/logg-inn/" in client.get(url)["Location"]
        for who, status in (
            (unit["member"], 200),
            (unit["leader"], 200),
            (unit["unit_leader"], 200),
            (unit["coordinator"], 200),
            (unit["other_unit_leader"], 404),
            (outsider, 404),
        ):
            client.force_login(who)
            assert client.get(url).status_code == status, (name, who)


def test_the_unit_leader_sees_the_board_but_changes_nothing(client, unit, card):
    client.force_login(unit["unit_leader"])
    page = client.get(board_url(unit)).content.decode()
    assert "Sensormatte ved sengen" in page and 'name="to"' not in page
    assert "Legg til et kort" not in page
    move = board_url(unit, "units:card_move", card.pk)
    assert client.post(move, {"to": "testing", "version": 1}).status_code == 403
    assert client.get(board_url(unit, "units:card_create")).status_code == 403
    assert client.get(board_url(unit, "units:card_edit", card.pk)).status_code == 403
    card.refresh_from_db()
    assert card.column == Column.NEW


def test_outsiders_change_nothing(client, unit, outsider, card):
    for who in (unit["other_unit_leader"], outsider):
        client.force_login(who)
        move = board_url(unit, "units:card_move", card.pk)
        assert client.post(move, {"to": "testing", "version": 1}).status_code == 404
    card.refresh_from_db()
    assert card.column == Column.NEW


def test_a_member_moves_a_card_with_a_plain_form(client, unit, card):
    client.force_login(unit["member"])
    answer = client.post(
        board_url(unit, "units:card_move", card.pk), {"to": "testing", "version": 1}, follow=True
    )
    assert "Sensormatte ved sengen ble flyttet til Tester (PDSA)." in answer.content.decode()
    card.refresh_from_db()
    assert (card.column, card.version) == (Column.TESTING, 2)


def test_a_coordinator_moves_a_card(client, unit, card):
    client.force_login(unit["coordinator"])
    client.post(board_url(unit, "units:card_move", card.pk), {"to": "implemented", "version": 1})
    card.refresh_from_db()
    assert card.column == Column.IMPLEMENTED


def test_a_move_from_a_stale_page_is_refused_with_a_message(client, unit, card):
    client.force_login(unit["member"])
    move = board_url(unit, "units:card_move", card.pk)
    client.post(move, {"to": "testing", "version": 1})  # someone else, a moment ago
    answer = client.post(move, {"to": "set_aside", "version": 1}, follow=True)
    assert "Kortet ble endret av noen andre" in answer.content.decode()
    card.refresh_from_db()
    assert (card.column, card.version) == (Column.TESTING, 2)


def test_two_moves_of_the_same_version_one_wins(unit, card):
    stale = BoardCard.objects.get(pk=card.pk)
    move_card(card, Column.TESTING, version=1)
    with pytest.raises(UnitError):
        move_card(stale, Column.SET_ASIDE, version=1)
    assert BoardCard.objects.get(pk=card.pk).column == Column.TESTING


def test_a_move_to_no_column_is_refused(client, unit, card):
    client.force_login(unit["member"])
    answer = client.post(
        board_url(unit, "units:card_move", card.pk), {"to": "nowhere", "version": 1}, follow=True
    )
    assert "Kortet ble ikke flyttet" in answer.content.decode()
    assert BoardCard.objects.get(pk=card.pk).column == Column.NEW


def test_a_member_adds_a_card_linked_to_a_pdsa_cycle(client, unit):
    client.force_login(unit["member"])
    url = board_url(unit, "units:card_create")
    assert "Sklisikre sokker" in client.get(url).content.decode()  # the team's cycle offered
    answer = client.post(
        url,
        {
            "kind": "problem",
            "title": "Dårlig lys",
            "detail": "Korridoren",
            "cycle": unit["cycle"].pk,
        },
    )
    assert answer.status_code == 302
    card = BoardCard.objects.get(team=unit["team"])
    assert (card.kind, card.column, card.cycle) == ("problem", Column.NEW, unit["cycle"])
    assert card.created_by == unit["member"].person


def test_bad_input_is_shown_next_to_the_field_with_the_text_kept(client, unit):
    client.force_login(unit["member"])
    answer = client.post(
        board_url(unit, "units:card_create"),
        {"kind": "idea", "title": "", "detail": "Det jeg skrev"},
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "is-invalid" in page and "Det jeg skrev" in page
    assert not BoardCard.objects.exists()


def test_another_teams_cycle_is_refused(client, unit):
    theirs = PDSACycle.objects.create(
        team=unit["other_team"], change="Deres test", start_date="2026-09-01"
    )
    client.force_login(unit["member"])
    answer = client.post(
        board_url(unit, "units:card_create"), {"kind": "idea", "title": "X", "cycle": theirs.pk}
    )
    assert answer.status_code == 200 and "is-invalid" in answer.content.decode()
    assert not BoardCard.objects.exists()


def test_an_edit_from_a_stale_form_is_refused_and_the_text_kept(client, unit, card):
    client.force_login(unit["member"])
    url = board_url(unit, "units:card_edit", card.pk)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    move_card(card, Column.TESTING, version=1)
    answer = client.post(url, {"kind": "idea", "title": "Nytt navn", "version": 1})
    page = answer.content.decode()
    assert "Kortet ble endret av noen andre" in page and "Nytt navn" in page
    assert BoardCard.objects.get(pk=card.pk).title == "Sensormatte ved sengen"
    answer = client.post(url, {"kind": "idea", "title": "Nytt navn", "version": 2})
    assert answer.status_code == 302
    assert BoardCard.objects.get(pk=card.pk).title == "Nytt navn"


def test_the_display_has_big_type_and_no_controls(client, unit, card):
    client.force_login(unit["unit_leader"])
    page = client.get(board_url(unit, "units:board_display")).content.decode()
    assert "board-display" in page and "Sensormatte ved sengen" in page
    assert "<form" not in page and "<button" not in page and "<nav" not in page


def test_the_board_costs_the_same_with_more_cards(client, unit, card):
    client.force_login(unit["member"])
    client.get(board_url(unit))
    with CaptureQueriesContext(connection) as one:
        client.get(board_url(unit))
    for title in ("B", "C"):
        add_card(unit["team"], None, title=title, cycle=unit["cycle"])
    with CaptureQueriesContext(connection) as three:
        client.get(board_url(unit))
    assert len(three) == len(one)


def test_a_card_links_to_a_change_idea_of_the_teams_own_diagram(client, unit):
    from improvement import services as diagrams

    idea = diagrams.add_idea(unit["team"], "Sensormatte ved sengen")
    stranger = diagrams.add_idea(unit["other_team"], "Et annet teams idé")
    client.force_login(unit["leader"])
    url = board_url(unit, "units:card_create")
    assert "Et annet teams idé" not in client.get(url).content.decode()
    refused = client.post(url, {"kind": "idea", "title": "Matte", "idea": stranger.pk})
    assert refused.status_code == 200 and not BoardCard.objects.filter(title="Matte").exists()
    assert "idea" in refused.context["form"].errors
    client.post(url, {"kind": "idea", "title": "Matte", "idea": idea.pk})
    card = BoardCard.objects.get(title="Matte")
    assert card.idea == idea
    page = client.get(board_url(unit)).content.decode()
    diagram = reverse("improvement:diagram", args=[unit["team"].pk])
    assert f'Endringsidé: <a href="{diagram}#idea-{idea.pk}">Sensormatte ved sengen</a>' in page
    display = client.get(board_url(unit, "units:board_display")).content.decode()
    assert "Endringsidé: Sensormatte ved sengen" in display
