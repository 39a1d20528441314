from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agreements import services
from agreements.forms import TopManagerForm
from agreements.models import Agreement, AgreementEvent, AgreementText
from agreements.queries import Planned, Refused, for_sending, sending_plan
from lib import confirm, textdiff
from lib.numbers import format_number
from network.admin import (
    CentreScopedAdmin,
    CentreScopedInline,
    VisibleRelatedFilter,
)
from network.models import Network, NetworkKind


class AgreementEventInline(CentreScopedInline, admin.TabularInline):
    model = AgreementEvent
    fields = ["at", "kind", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LearningNetworkFilter(VisibleRelatedFilter):
    """Only learning networks have agreements: an improvement network in the filter
    would always give an empty list."""

    def field_choices(self, field, request, model_admin):
        networks = Network.objects.filter(kind=NetworkKind.LEARNING)
        return [(network.pk, str(network)) for network in networks]


@admin.register(Agreement)
class AgreementAdmin(CentreScopedAdmin):
    list_display = [
        "reference",
        "team",
        "network",
        "status",
        "recipient_email",
        "sent_at",
        "signed_at",
        "pdf_link",
    ]
    list_select_related = ["team__network", "team__municipality"]
    list_filter = ["status", ("team__network", LearningNetworkFilter)]
    search_fields = [
        "reference",
        "team__unit",
        "team__municipality__name",
        "recipient_email",
        "signer_name",
    ]
    actions = ["send_agreements"]
    inlines = [AgreementEventInline]
    exclude = ["token_hash", "document_html", "top_manager_name", "top_manager_email"]
    readonly_fields = ["top_manager"]

    def get_queryset(self, request):
        # The frozen document is tens of kilobytes a signed agreement and not shown here.
        return super().get_queryset(request).defer("document_html")

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # agreements change only through sending and signing

    def has_view_permission(self, request, obj=None):
        return self._may_use(request)

    @admin.display(description=_("network"), ordering="team__network__title")
    def network(self, obj):
        return obj.team.network

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if not obj.pdf:
            return "–"
        url = reverse("admin:agreements_agreement_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    @admin.action(description=_("Send (or resend) the signing link to the unit leader"))
    def send_agreements(self, request, queryset):
        """Asks first (who gets a link, and what), and sends only when confirmed."""
        planned, refused = sending_plan(for_sending(queryset))
        if not confirm.is_confirmed(request):
            return confirm.render(
                request,
                self.admin_site,
                self.opts,
                sending_confirmation(
                    planned,
                    refused,
                    hidden=confirm.action_fields("send_agreements", queryset),
                    cancel_url=request.get_full_path(),
                ),
            )
        send_confirmed(self, request, queryset)

    def get_urls(self):
        return [
            path(
                "<int:pk>/toppledelse/",
                self.admin_site.admin_view(self.top_manager_view),
                name="agreements_agreement_top_manager",
            ),
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="agreements_agreement_pdf",
            ),
            *super().get_urls(),
        ]

    def top_manager_view(self, request, pk):
        """The coordinator names the top-management attendee (the unit leader may
        also do so when signing)."""
        agreement = self.get_object(request, str(pk))
        if request.method == "POST":
            form = TopManagerForm(request.POST)
            if form.is_valid():
                services.name_top_manager(
                    agreement,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                )
                self.message_user(
                    request,
                    _("%(name)s is named as the top-management attendee of %(team)s.")
                    % {"name": form.cleaned_data["name"], "team": agreement.team},
                    messages.SUCCESS,
                )
                return redirect("admin:agreements_agreement_change", agreement.pk)
        else:
            form = TopManagerForm(
                initial={"name": agreement.top_manager_name, "email": agreement.top_manager_email}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Top-management attendee"),
            "opts": self.opts,
            "agreement": agreement,
            "form": form,
        }
        return TemplateResponse(request, "agreements/admin/top_manager.html", context)

    @admin.display(description=_("top management attendee"))
    def top_manager(self, obj):
        url = reverse("admin:agreements_agreement_top_manager", args=[obj.pk])
        named = (
            f"{obj.top_manager_name} <{obj.top_manager_email}>" if obj.top_manager_email else "–"
        )
        return format_html('{} · <a href="{}">{}</a>', named, url, _("Name or change"))

    def pdf_view(self, request, pk):
        agreement = self.get_object(request, str(pk))
        if not agreement.pdf:
            raise Http404
        return FileResponse(
            agreement.pdf.open("rb"),
            as_attachment=True,
            filename=f"{agreement.reference}.pdf",
            content_type="application/pdf",
        )


REFUSED = {
    "signed": _("signed: it cannot be sent again"),
    "declined": _("declined: send it from the list of agreements if the team joins after all"),
    "open": _(
        "already sent and waiting for an answer: resend it from the list of agreements if "
        "the link was lost"
    ),
    "no_leader": _("the team has no unit leader with an e-mail address"),
}


def sending_confirmation(
    planned: list[Planned], refused: list[Refused], *, hidden, cancel_url
) -> confirm.Confirmation:
    """The confirmation page's content for sending agreements: each unit leader by
    name and e-mail and the team's agreement they get; the confirmed address travels
    with the POST, so a unit leader changed in between gets nothing unconfirmed."""
    recipients = []
    for item in planned:
        team = item.agreement.team
        gets = (
            _("A new link to sign the agreement of %(team)s; the link sent before stops working.")
            if item.resend
            else _("A personal link to sign the participation agreement of %(team)s.")
        ) % {"team": team}
        recipients.append(confirm.Recipient(item.name, item.email, gets))
    return confirm.Confirmation(
        title=_("Send the agreements?"),
        intro=_(
            "Each unit leader below gets an e-mail with a personal link to read and sign "
            "the agreement. The link works for %(days)d days."
        )
        % {"days": services.link_days()},
        button=ngettext(
            "Yes, send %(count)d agreement", "Yes, send %(count)d agreements", len(planned)
        )
        % {"count": len(planned)},
        cancel_url=cancel_url,
        recipients=recipients,
        left_out=[
            confirm.LeftOut(str(item.agreement.team), str(REFUSED[item.reason])) for item in refused
        ],
        hidden=[
            *hidden,
            *((f"confirmed_{item.agreement.pk}", item.email) for item in planned),
        ],
    )


def send_confirmed(modeladmin, request, agreements) -> int:
    """Send each agreement that the confirmation listed, to the address it showed."""
    sent = 0
    for agreement in agreements.select_related("team"):
        expected = request.POST.get(f"confirmed_{agreement.pk}")
        if expected is None:
            continue  # not on the confirmation page: not confirmed
        try:
            services.send(agreement, expected_email=expected)
        except services.AgreementError as error:
            modeladmin.message_user(request, str(error), messages.WARNING)
        else:
            sent += 1
    if sent:
        modeladmin.message_user(
            request,
            ngettext("Sent %(count)d signing link.", "Sent %(count)d signing links.", sent)
            % {"count": sent},
            messages.SUCCESS,
        )
    return sent


#: The text fields of a version, compared with the version before.
TEXT_FIELDS = ("introduction", "municipality_commitments", "centre_commitments", "closing")


@admin.register(AgreementText)
class AgreementTextAdmin(CentreScopedAdmin):
    """Texts are versioned: saving always creates a new version, never edits one."""

    add_title = _("Add a new agreement text")

    list_display = ["network", "version", "created_at"]
    list_select_related = ["network"]
    list_filter = [("network", VisibleRelatedFilter)]
    fields = [
        "network",
        "introduction",
        "municipality_commitments",
        "centre_commitments",
        "closing",
        "hourly_rate",
    ]

    readonly_fields = ["changes"]

    def get_fields(self, request, obj=None):
        # A saved version is read, with what changed from the version before.
        return [*self.fields, "changes"] if obj is not None else self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network")

    @admin.display(description=_("changes from the version before"))
    def changes(self, obj):
        before = (
            AgreementText.objects.filter(network_id=obj.network_id, version__lt=obj.version)
            .order_by("-version")
            .first()
        )
        if before is None:
            return format_html(
                '<p>{}</p><p><a href="{}?network={}">{}</a></p>',
                _("The first version: nothing to compare with."),
                reverse("admin:agreements_agreementtext_add"),
                obj.network_id,
                _("Write a new version, starting from the current text"),
            )
        parts = []
        for field in TEXT_FIELDS:
            old, new = getattr(before, field), getattr(obj, field)
            if textdiff.changed(old, new):
                label = AgreementText._meta.get_field(field).verbose_name
                parts.append(
                    format_html(
                        "<h3>{}</h3>{}",
                        capfirst(label),
                        textdiff.render(textdiff.line_diff(old, new)),
                    )
                )
        if before.hourly_rate != obj.hourly_rate:
            parts.append(
                format_html(
                    "<h3>{}</h3><p>{}</p>",
                    capfirst(AgreementText._meta.get_field("hourly_rate").verbose_name),
                    _("%(old)s → %(new)s NOK")
                    % {
                        "old": format_number(before.hourly_rate),
                        "new": format_number(obj.hourly_rate),
                    },
                )
            )
        new_version = format_html(
            '<p><a href="{}?network={}">{}</a></p>',
            reverse("admin:agreements_agreementtext_add"),
            obj.network_id,
            _("Write a new version, starting from the current text"),
        )
        if not parts:
            return format_html(
                "<p>{}</p>{}",
                _("The same as version %(version)d.") % {"version": before.version},
                new_version,
            )
        return format_html(
            "<p>{}</p>{}{}",
            _("Compared with version %(version)d:") % {"version": before.version},
            format_html_join("", "{}", ((p,) for p in parts)),
            new_version,
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        wanted = request.GET.get("network", "")
        network = Network.objects.filter(pk=wanted).first() if wanted.isdigit() else None
        if not wanted:
            # With one learning network there is nothing to choose: start from its text.
            learning = list(Network.objects.filter(kind=NetworkKind.LEARNING)[:2])
            network = learning[0] if len(learning) == 1 else None
        if network:
            text = services.current_text(network)
            initial.update(
                {field: getattr(text, field) for field in self.fields if field != "network"},
                network=network.pk,
            )
        return initial

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in self.fields if field != "network"}
        saved = services.save_text_version(form.cleaned_data["network"], **data)
        obj.pk = saved.pk
        obj.version = saved.version
        self.message_user(
            request,
            _(
                "Saved as version %(version)d. Links sent on the earlier "
                "text no longer work; send the agreements again."
            )
            % {"version": saved.version},
            messages.WARNING,
        )
