"""Queueing a task so that a request never fails because the broker is down."""

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_on_commit(task: Any, *args: Any) -> None:
    """Queue ``task(*args)`` once the transaction commits. If the broker cannot be
    reached, the work is not lost: its row is in the database, and the task's sweep
    (on beat) does it when the broker is back."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # kombu's OperationalError, a refused connection, a timeout
            logger.warning(
                "Could not queue %s%s; its sweep will do it.", task.name, args, exc_info=True
            )

    transaction.on_commit(send)
