"""What the network app tells the apps above it."""

from django.dispatch import Signal

#: Sent inside the transaction of ``services.erase_person``, after the person's own
#: record is erased: each app above erases its own copies of the person's contact
#: details and free text in the same transaction.
#: Arguments: person (already erased), email (the address it had), user_id (its
#: login, closed, or None).
person_erased = Signal()
