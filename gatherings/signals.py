"""What the gatherings app does when a lower app says something happened."""

from django.dispatch import receiver

from gatherings.services import forget_contact
from network.signals import person_erased


@receiver(person_erased, dispatch_uid="gatherings.person_erased")
def person_erased_received(sender, person, email, **kwargs):
    forget_contact(person.centre_id, email)
