"""Work that a worker claims for a while: a lease on a row.

A row that calls for background work (a PDF to e-mail, an export to build) is
written in the same transaction as the change that calls for it. A worker claims
it with a conditional UPDATE of its lease time (``lib.conditional``: outside the
scope's joins, so that PostgreSQL checks the lease again on the newest row); a
worker that dies leaves the lease to run out, and the next sweep claims the row
again. Nothing waits on the broker: Celery makes the work fast, the row keeps it.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import Model, Q

from lib.conditional import update_if


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORK_LEASE_SECONDS)


def free(field: str, now: dt.datetime) -> Q:
    """Rows whose lease ``field`` is not held: never taken, or run out."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now})


def claim(
    model: type[Model],
    pk: Any,
    field: str,
    now: dt.datetime,
    expected: Mapping[str, Any] | Q | None = None,
) -> bool:
    """Take the lease ``field`` of the row ``pk`` if it is free and the row is still
    as ``expected`` (field lookups, or a ``Q``); True if it was taken."""
    condition = free(field, now) & (expected if isinstance(expected, Q) else Q(**(expected or {})))
    return bool(update_if(model, pk, condition, **{field: now + lease_length()}))
