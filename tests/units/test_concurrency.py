"""Two requests at the same moment, on PostgreSQL: two moves of one card from the
same page, and two "Etterspør resultat" clicks."""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from units import services
from units.models import BoardCard, Column, ResultRequest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _at_once(*functions):
    barrier, outcomes = threading.Barrier(len(functions)), [None] * len(functions)

    def run(index, function):
        barrier.wait()
        try:
            with scopes_disabled():
                function()
            outcomes[index] = "done"
        except services.UnitError:
            outcomes[index] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_moves_from_the_same_page_one_wins(unit):
    for _attempt in range(10):
        card = services.add_card(unit["team"], None, title="Sensormatte")
        first, second = BoardCard.objects.get(pk=card.pk), BoardCard.objects.get(pk=card.pk)
        outcomes = _at_once(
            lambda first=first: services.move_card(first, Column.TESTING, version=1),
            lambda second=second: services.move_card(second, Column.SET_ASIDE, version=1),
        )
        assert sorted(outcomes) == ["done", "refused"]
        card.refresh_from_db()
        winner = Column.TESTING if outcomes[0] == "done" else Column.SET_ASIDE
        assert (card.column, card.version) == (winner, 2)


def test_two_asks_at_once_leave_one_open_request(unit):
    person = unit["team"].unit_leader
    for attempt in range(5):
        outcomes = _at_once(
            lambda: services.ask_for_results(unit["team"], person, "Hei"),
            lambda: services.ask_for_results(unit["team"], person, "Hei igjen"),
        )
        assert sorted(outcomes) == ["done", "refused"], attempt
        assert ResultRequest.objects.filter(team=unit["team"], closed_at__isnull=True).count() == 1
        ResultRequest.objects.update(closed_at="2026-01-01T00:00Z")
