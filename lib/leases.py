"""Work that a worker claims for a while: a lease on a row.

A row that calls for background work (a PDF to e-mail, an export to build) is
written in the same transaction as the change that calls for it. A worker claims
it with a conditional UPDATE of its lease time; a worker that dies leaves the lease
to run out, and the next sweep claims the row again. Nothing waits on the broker:
Celery makes the work fast, the row keeps it.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORK_LEASE_SECONDS)


def free(field: str, now: dt.datetime) -> Q:
    """Rows whose lease ``field`` is not held: never taken, or run out."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now})


def claim(queryset: QuerySet[Any], field: str, now: dt.datetime) -> bool:
    """Take the rows of ``queryset`` whose lease is free; True if any was taken."""
    return bool(queryset.filter(free(field, now)).update(**{field: now + lease_length()}))
