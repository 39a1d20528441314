"""Security events from logins, lockouts, signatures and changes to people and roles."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agreements.models import AgreementEvent
from agreements.models import EventKind as AgreementEventKind
from network.models import Coordinator, Person
from network.signals import person_erased
from security.models import EventKind
from security.services import close_account, record
from teams.models import TeamMember


@receiver(user_logged_in, dispatch_uid="security.logged_in")
def logged_in(sender, request, user, **kwargs):
    record(EventKind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="security.logged_out")
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(EventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    record(
        EventKind.LOGIN_FAILED, request=request, username=str(credentials.get("username", ""))[:254]
    )


@receiver(user_locked_out, dispatch_uid="security.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    record(EventKind.LOCKOUT, request=request, username=username or "", detail=f"ip={ip_address}")


@receiver(post_save, sender=AgreementEvent, dispatch_uid="security.agreement_event")
def agreement_event(sender, instance, created, raw=False, **kwargs):
    if (
        created
        and not raw
        and instance.kind in (AgreementEventKind.SIGNED, AgreementEventKind.DECLINED)
    ):
        record(
            EventKind.SIGNATURE,
            detail=f"{instance.agreement.reference}: {instance.kind} ({instance.detail})",
        )


@receiver(post_save, sender=Person, dispatch_uid="security.person_saved")
@receiver(post_delete, sender=Person, dispatch_uid="security.person_deleted")
def person_changed(sender, instance, raw=False, created=None, **kwargs):
    if not raw:
        action = "deleted" if created is None else ("created" if created else "changed")
        record(EventKind.PERSON, detail=f"{action}: {instance.name} <{instance.email}>")


@receiver(post_save, sender=Coordinator, dispatch_uid="security.coordinator_saved")
@receiver(post_delete, sender=Coordinator, dispatch_uid="security.coordinator_deleted")
@receiver(post_save, sender=TeamMember, dispatch_uid="security.member_saved")
@receiver(post_delete, sender=TeamMember, dispatch_uid="security.member_deleted")
def role_changed(sender, instance, raw=False, created=None, **kwargs):
    if raw:
        return
    action = "deleted" if created is None else ("created" if created else "changed")
    if sender is Coordinator:
        detail = f"{action}: coordinator {instance.person_id} at centre {instance.centre_id}"
    else:
        detail = f"{action}: {instance.role} {instance.person_id} in team {instance.team_id}"
    record(EventKind.ROLE, detail=detail)


@receiver(person_erased, dispatch_uid="security.person_erased")
def person_erased_received(sender, person, email, user_id, **kwargs):
    close_account(user_id, person_id=person.pk, email=email)
