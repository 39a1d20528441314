"""The conditional UPDATE: change a row only if it is still as the caller expects.

A model that belongs to a centre filters every query by its scope, and when its
centre lies behind a join (``team__network__centre``) Django writes the UPDATE as
``WHERE id IN (SELECT … JOIN … WHERE status = …)``. PostgreSQL (READ COMMITTED)
does not check that subquery again against the row that another transaction has
just committed while this one waited on its lock, so such an update goes through
although the state changed: it is no longer conditional.

``update_if`` runs the UPDATE with the scope disabled, so that its WHERE is the
plain ``id = … AND status = …`` that PostgreSQL checks again on the newest row.
The caller has already reached the row through its access helper (the row's id
comes from an object read in the scope): the scope has done its work by then.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model, Q
from django_scopes import scopes_disabled


def _condition(expected: Mapping[str, Any] | Q | None) -> Q:
    if expected is None:
        return Q()
    return expected if isinstance(expected, Q) else Q(**expected)


def update_if(
    model: type[Model], pk: Any, expected: Mapping[str, Any] | Q | None, **values: Any
) -> int:
    """UPDATE the row ``pk`` of ``model`` with ``values`` if it matches ``expected``
    (field lookups, or a ``Q``); the number of rows changed, 0 or 1."""
    with scopes_disabled():
        return model._default_manager.filter(_condition(expected), pk=pk).update(**values)


def update_rows_if(
    model: type[Model], pks: Iterable[Any], expected: Mapping[str, Any] | Q | None, **values: Any
) -> int:
    """The same for the rows ``pks`` (ids the caller read in its scope); the number
    of rows changed."""
    return update_where(model, Q(pk__in=list(pks)) & _condition(expected), **values)


def update_where(model: type[Model], condition: Q, **values: Any) -> int:
    """UPDATE the rows of ``model`` that match ``condition``, outside the scope. The
    condition must keep to what the caller reached in its scope: a row's id, or the
    foreign key of an object read there (``team_id=team.pk``); never only a state."""
    with scopes_disabled():
        return model._default_manager.filter(condition).update(**values)
