import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from lib.dates import at_oslo
from network.admin import CentreScopedAdmin, CentreScopedInline, VisibleRelatedFilter
from network.queries import count_of
from teams import services
from teams.forms import TeamMemberFormSet
from teams.models import Team, TeamMember
from teams.queries import teams_led_elsewhere
from teams.services import team_advice
from teams.signals import members_changed


class TeamMemberInline(CentreScopedInline, admin.TabularInline):
    model = TeamMember
    formset = TeamMemberFormSet
    fields = ["person", "role", "profession"]
    autocomplete_fields = ["person"]

    def get_extra(self, request, obj=None, **kwargs):
        # A blank row for a new team's first member; a team with members adds one
        # with "Legg til": a blank row is a row of pickers rendered every time.
        return 0 if obj is not None and obj.members.exists() else 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class TeamInline(CentreScopedInline, admin.TabularInline):
    """A network's teams, each linked to its own page, where it is changed (with its
    members); new teams are added here. As editable rows every team would render
    its pickers, each reading the database once a row: a network's page would cost
    queries and rendering by the team."""

    model = Team
    fields = ["municipality", "unit", "name", "focus_area", "unit_leader"]
    autocomplete_fields = ["municipality", "unit_leader"]
    show_change_link = True
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("municipality", "focus_area", "unit_leader")
        )


class TeamAdminForm(forms.ModelForm):
    """The team, and when its new members get the "choose your password" e-mail."""

    NOW, AT_START = "now", "start"
    send_invitations = forms.ChoiceField(
        label=_('New members\' "choose your password" e-mail'),
        choices=[
            (NOW, _("Now")),
            (AT_START, _("When the network starts (at 8 in the morning)")),
        ],
        initial=NOW,
        required=False,  # not sent (an older form, a script): now, as before
        widget=forms.RadioSelect,
        help_text=_(
            "For a network that starts months from now: the e-mail then comes when the "
            "work begins, not to be forgotten by then."
        ),
    )

    class Meta:
        model = Team
        fields = ["unit"]  # the admin's fieldsets choose the rest


@admin.register(Team)
class TeamAdmin(CentreScopedAdmin):
    add_title = _("Add a new improvement team")
    form = TeamAdminForm

    list_display = ["__str__", "network", "municipality", "focus_area", "member_count"]
    list_select_related = ["network", "municipality", "focus_area"]
    list_filter = [
        ("network", VisibleRelatedFilter),
        ("focus_area", VisibleRelatedFilter),  # the few national focus areas
    ]  # municipalities: by search (a filter would list hundreds)
    search_fields = [
        "name",
        "unit",
        "municipality__name",
        "network__title",
        "members__person__name",
    ]
    # Pickers by search: a select would list the country's municipalities and the
    # centre's people.
    autocomplete_fields = ["municipality", "unit_leader"]
    readonly_fields = ["advice"]
    inlines = [TeamMemberInline]
    fieldsets = (
        (
            None,
            {"fields": ("network", "municipality", "unit", "name", "focus_area", "unit_leader")},
        ),
        (_("The work"), {"fields": ("aim", "progress_plan")}),
        (_("Advice"), {"fields": ("advice",)}),
    )

    def get_fieldsets(self, request, obj=None):
        # When the "choose your password" e-mails go: a choice only while the network
        # has not started (a form's every widget costs rendering time).
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.network.start_date <= timezone.localdate():
            return fieldsets
        return (
            fieldsets[0],
            (_("E-mail to new members"), {"fields": ("send_invitations",)}),
            *fieldsets[1:],
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=count_of(Team, "members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("advice on the team's make-up"))
    def advice(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown once the team is saved.")
        advice = team_advice(obj.members.all())
        if not advice:
            return _("The team's make-up follows the advice.")
        return format_html_join("", "<p>{}</p>", ((line,) for line in advice))

    def save_formset(self, request, form, formset, change):
        instances = formset.save()
        if formset.model is TeamMember:
            if instances or formset.deleted_objects:
                members_changed.send(sender=Team, team=form.instance)
            network = form.instance.network
            later = (
                form.cleaned_data.get("send_invitations") == TeamAdminForm.AT_START
                and network.start_date > timezone.localdate()
            )
            for member in instances:
                if later:
                    start = at_oslo(network.start_date, dt.time(8))
                    if services.plan_invitation(member.person, start):
                        self.message_user(
                            request,
                            _("%(name)s gets the e-mail to choose a password on %(date)s.")
                            % {"name": member.person, "date": date_format(start.date())},
                            messages.INFO,
                        )
                    continue
                if services.invite_member(member.person, site_url=settings.SITE_URL):
                    self.message_user(
                        request,
                        _("%(name)s gets an e-mail to choose a password.")
                        % {"name": member.person},
                        messages.INFO,
                    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for line in team_advice(form.instance.members.all()):
            self.message_user(request, line, messages.WARNING)
        for other in teams_led_elsewhere(form.instance):
            self.message_user(
                request,
                _(
                    "The team leader already leads the team %(team)s in the running "
                    "network %(network)s."
                )
                % {"team": other, "network": other.network},
                messages.WARNING,
            )
