"""Where a network stands: the checklist on its admin page, each step linked to
where it is done, and what is missing when it is not.

Read in five small queries (``standing``) whatever the size of the network or of
the centre: a network's teams and sessions are a few dozen rows, counted here.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import AgreementStatus, AgreementText
from agreements.queries import UNSENT_STATES
from network.models import Network
from reports.models import ReportPeriod
from sessions_app.models import Attendance, Session, SessionKind, SessionStatus
from teams.models import Team, TeamMember

DONE, TODO, LATER = "done", "todo", "later"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str  # DONE, TODO (something is missing) or LATER (not due yet)
    detail: str
    url: str
    link_text: str

    @property
    def done(self) -> bool:
        return self.state == DONE


@dataclass
class Standing:
    """The figures the checklist needs."""

    pk: int
    is_learning: bool
    n_focus: int = 0
    n_teams: int = 0
    n_no_unit_leader: int = 0
    n_no_members: int = 0
    n_texts: int = 0
    n_signed: int = 0
    n_declined: int = 0
    n_unsent: int = 0
    n_periods: int = 0
    n_gatherings: int = 0
    n_past_gatherings: int = 0
    n_unrecorded: int = 0
    first_unrecorded: int | None = None
    follow_up_id: int | None = None
    follow_up_at: dt.datetime | None = None
    follow_up_status: str | None = None


def standing(network: Network, now: dt.datetime | None = None) -> Standing:
    """Where ``network`` stands, in five small queries: its teams (with their
    agreement's state), its sessions (with whether attendance is recorded), and
    three counts. Plain queries: building a query with many subqueries cost more
    CPU than the database takes to answer these."""
    now = now or timezone.now()
    s = Standing(pk=network.pk, is_learning=network.is_learning)
    teams = Team._base_manager.filter(network=network.pk).order_by()
    for unit_leader, has_members, status in teams.values_list(
        "unit_leader_id",
        Exists(TeamMember._base_manager.filter(team=OuterRef("pk"))),
        "agreement__status",
    ):
        s.n_teams += 1
        s.n_no_unit_leader += unit_leader is None
        s.n_no_members += not has_members
        s.n_signed += status == AgreementStatus.SIGNED
        s.n_declined += status == AgreementStatus.DECLINED
        s.n_unsent += status is None or status in UNSENT_STATES
    sessions = Session._base_manager.filter(network=network.pk).order_by("starts_at", "number")
    for pk, kind, status, starts_at, attended in sessions.values_list(
        "pk",
        "kind",
        "status",
        "starts_at",
        Exists(Attendance._base_manager.filter(session=OuterRef("pk"))),
    ):
        if kind == SessionKind.FOLLOW_UP and s.follow_up_id is None:
            s.follow_up_id, s.follow_up_at, s.follow_up_status = pk, starts_at, status
        if kind != SessionKind.GATHERING or status == SessionStatus.CANCELLED:
            continue
        s.n_gatherings += 1
        if starts_at < now:
            s.n_past_gatherings += 1
            if not attended:
                s.n_unrecorded += 1
                s.first_unrecorded = s.first_unrecorded or pk
    # Three counts, each a query: cheaper to build than one with three subqueries.
    s.n_focus = Network.focus_areas.through._default_manager.filter(network_id=network.pk).count()
    s.n_texts = AgreementText._base_manager.filter(network_id=network.pk).count()
    s.n_periods = ReportPeriod._base_manager.filter(network_id=network.pk).count()
    return s


def checklist(network: Network, now: dt.datetime | None = None) -> list[Step]:
    """The steps of ``network``, in the order a coordinator takes them."""
    s = standing(network, now)
    pk = network.pk
    sessions_list = f"{reverse('admin:sessions_app_session_changelist')}?network__id__exact={pk}"
    steps = [_timeline(s, sessions_list)]
    if not network.is_learning:
        return steps
    return [
        _focus_areas(s),
        _teams(s),
        *steps,
        _text(s),
        _agreements(s),
        _periods(s),
        _attendance(s, sessions_list),
        _follow_up(s),
    ]


def _focus_areas(s) -> Step:
    title = _("Focus areas")
    link = ("#id_focus_area_mode", _("Choose on this page"))
    if s.n_focus == 0:
        return Step("focus", title, TODO, _("No focus area chosen yet."), *link)
    detail = ngettext("%(count)d focus area.", "%(count)d focus areas.", s.n_focus) % {
        "count": s.n_focus
    }
    return Step("focus", title, DONE, detail, *link)


def _teams(s) -> Step:
    title = _("Teams with members and a unit leader")
    if s.n_teams == 0:
        url = f"{reverse('admin:teams_team_add')}?network={s.pk}"
        return Step("teams", title, TODO, _("No teams yet."), url, _("Add a team"))
    url = f"{reverse('admin:teams_team_changelist')}?network__id__exact={s.pk}"
    missing = []
    if s.n_no_unit_leader:
        missing.append(
            ngettext(
                "%(count)d team has no unit leader",
                "%(count)d teams have no unit leader",
                s.n_no_unit_leader,
            )
            % {"count": s.n_no_unit_leader}
        )
    if s.n_no_members:
        missing.append(
            ngettext(
                "%(count)d team has no members",
                "%(count)d teams have no members",
                s.n_no_members,
            )
            % {"count": s.n_no_members}
        )
    teams = ngettext("%(count)d team", "%(count)d teams", s.n_teams) % {"count": s.n_teams}
    if missing:
        return Step(
            "teams", title, TODO, f"{teams}: {', '.join(missing)}.", url, _("See the teams")
        )
    return Step(
        "teams",
        title,
        DONE,
        _("%(teams)s, each with members and a unit leader.") % {"teams": teams},
        url,
        _("See the teams"),
    )


def _timeline(s, sessions_list) -> Step:
    title = _("The timeline")
    if s.n_gatherings == 0:
        if s.is_learning:
            url = reverse("admin:network_network_propose_timeline", args=[s.pk])
            return Step(
                "timeline", title, TODO, _("No gatherings yet."), url, _("Propose the timeline")
            )
        url = f"{reverse('admin:sessions_app_session_add')}?network={s.pk}&kind=gathering"
        return Step("timeline", title, TODO, _("No gatherings yet."), url, _("Add a gathering"))
    detail = ngettext(
        "%(count)d gathering planned.", "%(count)d gatherings planned.", s.n_gatherings
    ) % {"count": s.n_gatherings}
    if s.is_learning and s.n_gatherings < 3:
        return Step(
            "timeline",
            title,
            TODO,
            _("%(count)d of the 3 gatherings planned.") % {"count": s.n_gatherings},
            sessions_list,
            _("See the timeline"),
        )
    return Step("timeline", title, DONE, detail, sessions_list, _("See the timeline"))


def _text(s) -> Step:
    title = _("The agreement text")
    if s.n_texts == 0:
        url = f"{reverse('admin:agreements_agreementtext_add')}?network={s.pk}"
        return Step(
            "text",
            title,
            TODO,
            _("The default text has not been read through and saved for this network."),
            url,
            _("Read and save the text"),
        )
    url = f"{reverse('admin:agreements_agreementtext_changelist')}?network__id__exact={s.pk}"
    detail = _("Version %(version)d.") % {"version": s.n_texts}
    return Step("text", title, DONE, detail, url, _("See the versions"))


def _agreements(s) -> Step:
    title = _("Agreements sent, signed and declined")
    url = f"{reverse('admin:agreements_agreement_changelist')}?team__network__id__exact={s.pk}"
    if s.n_teams == 0:
        return Step("agreements", title, LATER, _("No teams yet."), url, _("See the agreements"))
    waiting = s.n_teams - s.n_signed - s.n_declined - s.n_unsent
    detail = _("%(signed)d signed, %(declined)d declined, %(waiting)d waiting for an answer.") % {
        "signed": s.n_signed,
        "declined": s.n_declined,
        "waiting": waiting,
    }
    if s.n_unsent:
        detail += " " + ngettext("%(count)d not sent.", "%(count)d not sent.", s.n_unsent) % {
            "count": s.n_unsent
        }
        url = reverse("admin:network_network_send_agreements", args=[s.pk])
        return Step("agreements", title, TODO, detail, url, _("Send the agreements"))
    state = DONE if waiting <= 0 else LATER
    return Step("agreements", title, state, detail, url, _("See the agreements"))


def _periods(s) -> Step:
    title = _("Report periods")
    link = ("#report_periods-group", _("Change on this page"))
    if s.n_periods == 0:
        return Step("periods", title, TODO, _("No report periods yet."), *link)
    detail = ngettext("%(count)d report period.", "%(count)d report periods.", s.n_periods) % {
        "count": s.n_periods
    }
    return Step("periods", title, DONE, detail, *link)


def _attendance(s, sessions_list) -> Step:
    title = _("Attendance")
    if s.n_unrecorded:
        url = reverse("admin:sessions_app_session_attendance", args=[s.first_unrecorded])
        detail = ngettext(
            "%(count)d gathering held has no attendance recorded.",
            "%(count)d gatherings held have no attendance recorded.",
            s.n_unrecorded,
        ) % {"count": s.n_unrecorded}
        return Step("attendance", title, TODO, detail, url, _("Record the attendance"))
    if s.n_past_gatherings == 0:
        return Step(
            "attendance",
            title,
            LATER,
            _("No gathering held yet."),
            sessions_list,
            _("See the timeline"),
        )
    detail = _("Recorded for every gathering held so far (%(count)d).") % {
        "count": s.n_past_gatherings
    }
    state = DONE if s.n_past_gatherings >= max(s.n_gatherings, 1) else LATER
    return Step("attendance", title, state, detail, sessions_list, _("See the timeline"))


def _follow_up(s) -> Step:
    title = _("The follow-up call")
    if s.follow_up_id is None:
        url = f"{reverse('admin:sessions_app_session_add')}?network={s.pk}&kind=follow_up"
        return Step(
            "follow_up", title, TODO, _("Not planned yet."), url, _("Plan the follow-up call")
        )
    url = reverse("admin:sessions_app_session_change", args=[s.follow_up_id])
    when = date_format(timezone.localtime(s.follow_up_at), "SHORT_DATE_FORMAT")
    if s.follow_up_status == SessionStatus.HELD:
        return Step(
            "follow_up",
            title,
            DONE,
            _("Held on %(date)s.") % {"date": when},
            url,
            _("See the call"),
        )
    return Step(
        "follow_up",
        title,
        LATER,
        _("Planned for %(date)s.") % {"date": when},
        url,
        _("See the call"),
    )
