"""Changes elsewhere re-plan the reminders they call for, in the same transaction.

The apps below do not know reminders exist; their saves arrive here as signals.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from agreements.models import Agreement
from network.models import Network
from network.signals import person_erased
from reminders import planning, services
from reminders.models import ReminderSettings
from reports.models import ReportPeriod, StatusReport
from reports.signals import report_status_changed
from sessions_app.models import Session
from teams.models import Team
from teams.signals import members_changed


@receiver(post_save, sender=Session, dispatch_uid="reminders.session_saved")
def session_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    planning.plan_session(instance)


@receiver(m2m_changed, sender=Session.invited_teams.through, dispatch_uid="reminders.session_teams")
def session_teams_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Session):
        planning.plan_session(instance)


@receiver(members_changed, dispatch_uid="reminders.members_changed")
def team_members_changed(sender, team, **kwargs):
    """Once per save of a team's members: the team's sessions and reports."""
    planning.plan_team_sessions(team)
    planning.plan_team_reports(team)


@receiver(post_save, sender=Team, dispatch_uid="reminders.team_saved")
def team_saved(sender, instance, created, raw=False, **kwargs):
    """A new unit leader is invited to the sessions that invite unit leaders."""
    if not raw and not created:
        planning.plan_team_sessions(instance)


@receiver(post_save, sender=ReportPeriod, dispatch_uid="reminders.period_saved")
def period_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        planning.plan_period(instance)


@receiver(post_save, sender=Network, dispatch_uid="reminders.network_saved")
def network_saved(sender, instance, created, raw=False, **kwargs):
    """A changed network (its dates, its teams' periods) re-plans its reports: one
    already overdue gets its overdue reminders."""
    if not raw and not created:
        planning.plan_network_reports(instance)


@receiver(post_save, sender=ReminderSettings, dispatch_uid="reminders.settings_saved")
def reminder_settings_saved(sender, instance, created, raw=False, **kwargs):
    """New intervals or send hour: the reports' reminders move with them (a new row
    is made by planning itself, which is planning already)."""
    if not raw and not created:
        planning.plan_network_reports(instance.network)


@receiver(post_save, sender=StatusReport, dispatch_uid="reminders.report_saved")
def report_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        planning.plan_report(instance.period, instance.team)


@receiver(report_status_changed, dispatch_uid="reminders.report_status")
def report_status(sender, report, **kwargs):
    planning.plan_report(report.period, report.team)


@receiver(post_save, sender=Agreement, dispatch_uid="reminders.agreement_saved")
def agreement_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.team.network.is_learning:
        planning.plan_agreement(instance)
        if instance.top_manager_email:
            planning.plan_team_sessions(instance.team)


@receiver(person_erased, dispatch_uid="reminders.person_erased")
def person_erased_received(sender, person, email, **kwargs):
    services.forget_person(person, email)
