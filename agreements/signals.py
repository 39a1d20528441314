"""Every team in a learning network gets an agreement (not yet sent); an erased
person's open links stop working."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from agreements.services import ensure_agreement, forget_recipient
from network.signals import person_erased
from teams.models import Team


@receiver(post_save, sender=Team, dispatch_uid="agreements.team_saved")
def team_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.network.is_learning:
        ensure_agreement(instance)


@receiver(person_erased, dispatch_uid="agreements.person_erased")
def person_erased_received(sender, person, email, **kwargs):
    forget_recipient(person.centre_id, email)
