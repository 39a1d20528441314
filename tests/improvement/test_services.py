"""Building a driver diagram: order, the bundle, stale pages and two requests at once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from improvement import services
from improvement.models import ChangeIdea, Driver
from improvement.queries import diagram_parts, drawn_diagram
from teams.models import Measure, PDSACycle
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(team):
    return list(team.focus_area.interventions.order_by("position", "id"))


@pytest.fixture
def cycle(team):
    return PDSACycle.objects.create(
        team=team, change="Sklisikre sokker", start_date=dt.date(2026, 10, 1)
    )


@pytest.fixture
def measure(team):
    return Measure.objects.create(team=team, name="Antall fall")


def texts(drivers):
    return [driver.text for driver in drivers]


def test_drivers_and_ideas_take_the_next_place_in_their_column(team):
    first = services.add_driver(team, "Kunnskap")
    second = services.add_driver(team, "Omgivelser")
    under = services.add_driver(team, "Risikovurdering", parent=first)
    again = services.add_driver(team, "Legemidler", parent=first)
    assert (first.position, second.position) == (0, 1)
    assert (under.position, again.position) == (0, 1)  # numbered under their primary
    parts = diagram_parts(team)
    assert texts(parts.primaries) == ["Kunnskap", "Omgivelser"]
    assert texts(parts.primaries[0].children) == ["Risikovurdering", "Legemidler"]


def test_a_secondary_driver_goes_under_a_primary_one_of_the_same_diagram(team):
    primary = services.add_driver(team, "Kunnskap")
    secondary = services.add_driver(team, "Risikovurdering", parent=primary)
    with pytest.raises(services.DiagramError):
        services.add_driver(team, "Tredje nivå", parent=secondary)
    elsewhere = services.add_driver(TeamFactory(network=team.network), "Et annet team")
    with pytest.raises(services.DiagramError):
        services.add_driver(team, "Feil diagram", parent=elsewhere)
    assert Driver.objects.filter(diagram__team=team).count() == 2


def test_the_bundle_gives_a_change_idea_once(team, bundle):
    driver = services.add_driver(team, "Kunnskap")
    idea, created = services.add_from_bundle(team, bundle[0], driver=driver)
    assert created and idea.text == bundle[0].text and idea.driver == driver
    again, created = services.add_from_bundle(team, bundle[0])  # a second click
    assert not created and again.pk == idea.pk
    assert ChangeIdea.objects.filter(diagram__team=team).count() == 1


def test_an_intervention_of_another_focus_area_is_refused(team):
    from tests.factories import focus_area

    other = focus_area("trykksar").interventions.first()
    with pytest.raises(services.DiagramError):
        services.add_from_bundle(team, other)
    assert not ChangeIdea.objects.exists()


def test_a_change_idea_links_the_teams_own_cycles_and_measures_only(team, cycle, measure):
    idea = services.add_idea(team, "Sokker", cycles=[cycle], measures=[measure])
    assert list(idea.cycles.all()) == [cycle] and list(idea.measures.all()) == [measure]
    stranger = PDSACycle.objects.create(
        team=TeamFactory(network=team.network), change="Fremmed", start_date=dt.date(2026, 9, 1)
    )
    with pytest.raises(services.DiagramError):
        services.add_idea(team, "Lånt", cycles=[stranger])
    with pytest.raises(services.DiagramError):
        services.edit_idea(
            idea, version=idea.version, text="Sokker", driver=None, cycles=[stranger], measures=[]
        )
    assert list(idea.cycles.all()) == [cycle]


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends(team):
    a, b, c = (services.add_driver(team, text) for text in "ABC")
    assert services.move(c, services.UP)
    assert texts(diagram_parts(team).primaries) == ["A", "C", "B"]
    assert services.move(a, services.DOWN)
    assert texts(diagram_parts(team).primaries) == ["C", "A", "B"]
    assert not services.move(b, services.DOWN)  # last already
    positions = sorted(Driver.objects.filter(diagram__team=team).values_list("position", flat=True))
    assert positions == [0, 1, 2]


def test_moving_an_idea_stays_among_the_ideas_of_its_driver(team):
    driver = services.add_driver(team, "Kunnskap")
    first = services.add_idea(team, "Første", driver=driver)
    services.add_idea(team, "Løs")  # under no driver: not its sibling
    second = services.add_idea(team, "Andre", driver=driver)
    assert not services.move(first, services.UP)
    assert services.move(second, services.UP)
    parts = diagram_parts(team)
    assert texts(parts.primaries[0].idea_list) == ["Andre", "Første"]
    assert texts(parts.unplaced) == ["Løs"]


def test_removing_a_driver_keeps_its_change_ideas_under_no_driver(team, cycle):
    primary = services.add_driver(team, "Kunnskap")
    secondary = services.add_driver(team, "Risikovurdering", parent=primary)
    services.add_idea(team, "Under primær", driver=primary, cycles=[cycle])
    services.add_idea(team, "Under sekundær", driver=secondary)
    assert services.remove_driver(primary) == 2
    parts = diagram_parts(team)
    assert parts.drivers == []
    assert texts(parts.unplaced) == ["Under primær", "Under sekundær"]
    assert [i.position for i in parts.unplaced] == [0, 1]
    assert list(parts.unplaced[0].cycles.all()) == [cycle]  # the link stays


def test_a_change_from_a_stale_page_is_refused_and_the_newer_text_kept(team):
    driver = services.add_driver(team, "Kunnskap")
    seen = driver.version  # two people open the same form
    services.edit_driver(driver, "Kunnskap om fallrisiko", version=seen)
    with pytest.raises(services.StaleEdit, match="endret"):
        services.edit_driver(driver, "Kompetanse", version=seen)
    driver.refresh_from_db()
    assert driver.text == "Kunnskap om fallrisiko" and driver.version == seen + 1


def test_a_stale_change_idea_is_refused_and_a_removed_one_said_so(team, cycle):
    idea = services.add_idea(team, "Sokker")
    seen = idea.version
    services.edit_idea(
        idea, version=seen, text="Sklisikre sokker", driver=None, cycles=[cycle], measures=[]
    )
    with pytest.raises(services.StaleEdit):
        services.edit_idea(idea, version=seen, text="Sko", driver=None, cycles=[], measures=[])
    idea.refresh_from_db()
    assert idea.text == "Sklisikre sokker" and list(idea.cycles.all()) == [cycle]
    services.remove_idea(idea)
    with pytest.raises(services.StaleEdit, match="fjernet"):
        services.edit_idea(
            idea, version=idea.version, text="x", driver=None, cycles=[], measures=[]
        )


def test_a_new_driver_puts_the_change_idea_last_under_it(team):
    one, two = services.add_driver(team, "En"), services.add_driver(team, "To")
    services.add_idea(team, "Først under to", driver=two)
    idea = services.add_idea(team, "Flyttes", driver=one)
    services.edit_idea(
        idea, version=idea.version, text="Flyttes", driver=two, cycles=[], measures=[]
    )
    assert texts(diagram_parts(team).primaries[1].idea_list) == ["Først under to", "Flyttes"]


def test_the_aim_is_written_only_over_what_the_person_saw(team):
    team.aim = "Færre fall"
    team.save()
    services.set_aim(team, "Færre fall innen mai", expected="Færre fall")
    with pytest.raises(services.StaleEdit):
        services.set_aim(team, "Ingen fall", expected="Færre fall")
    team.refresh_from_db()
    assert team.aim == "Færre fall innen mai"


def test_the_drawing_counts_and_names_every_box(team, cycle, measure, bundle):
    primary = services.add_driver(team, "Kunnskap")
    services.add_driver(team, "Risikovurdering", parent=primary)
    services.add_idea(team, "Sokker", driver=primary, cycles=[cycle], measures=[measure])
    services.add_from_bundle(team, bundle[1])
    drawn = drawn_diagram(team)
    assert drawn.summary == "1 primær driver, 1 sekundær driver, 2 endringsideer"
    text = str(drawn.text)
    assert "Testet i: Sklisikre sokker." in text and "Effekten vises av: Antall fall." in text
    assert bundle[1].text in text and "Ikke testet ennå." in text
    assert "PDSA: 1 · målinger: 1" in drawn.svg


def test_the_diagrams_boxes_cost_three_queries_at_any_size(team, cycle, django_assert_num_queries):
    def grow(count):
        for n in range(count):
            driver = services.add_driver(team, f"Driver {n}")
            services.add_driver(team, f"Under {n}", parent=driver)
            services.add_idea(team, f"Idé {n}", driver=driver, cycles=[cycle])

    grow(1)
    with django_assert_num_queries(3):  # drivers, ideas, the names of their links
        drawn_diagram(team)
    grow(3)
    with django_assert_num_queries(3):
        drawn = drawn_diagram(team)
    assert drawn.summary.startswith("4 primære drivere")


# --- Two requests at the same moment (PostgreSQL: the row lock) -------------------------


def _at_once(*calls):
    barrier, errors = threading.Barrier(len(calls)), []

    def run(call):
        barrier.wait()
        try:
            with scopes_disabled():
                call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_one_intervention_at_once_give_one_change_idea(team, bundle):
    for attempt in range(5):
        ChangeIdea.objects.filter(diagram__team=team).delete()
        _at_once(*(lambda: services.add_from_bundle(team, bundle[0]) for _ in range(2)))
        assert ChangeIdea.objects.filter(diagram__team=team).count() == 1, attempt


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_moves_and_adds_at_once_keep_every_place_taken_once(team):
    drivers = [services.add_driver(team, text) for text in "ABCD"]
    for _round in range(5):
        _at_once(
            lambda: services.move(drivers[0], services.DOWN),
            lambda: services.move(drivers[3], services.UP),
            lambda: services.add_driver(team, "Ny"),
        )
        positions = list(
            Driver.objects.filter(diagram__team=team, parent=None).values_list(
                "position", flat=True
            )
        )
        assert sorted(positions) == list(range(len(positions))), positions
