"""The public pages of agreements: signing through a link, and verification."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scopes_disabled

from agreements import services
from agreements.forms import DeclineForm, SignForm, VerifyFileForm, VerifyForm
from agreements.models import Agreement
from lib.tokens import sha256_hex
from network.access import public_scope

RECEIPT_SESSION_KEY = "agreement_receipt"


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _link_problem(request, problem):
    if problem.reason == "expired" and problem.agreement is not None:
        services.note_expired(problem.agreement)
    status = {"unknown": 404, "used": 410, "expired": 410}[problem.reason]
    return render(
        request,
        "agreements/link_problem.html",
        {"reason": problem.reason, "agreement": problem.agreement},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign(request, token):
    """The signing page. Anyone with the link may open it: the link's agreement is
    looked up across centres, and the page then works in that agreement's centre."""
    with scopes_disabled():
        try:
            agreement = services.find_open(token)
        except services.LinkProblem as problem:
            return _link_problem(request, problem)
    with public_scope(agreement.team.network.centre_id):
        return _sign(request, token, agreement)


def _sign(request, token, agreement):
    document = services.render_document(agreement)
    digest = sha256_hex(document)
    team = agreement.team
    on_behalf_of = f"{team.unit}, {team.municipality.name}"
    sign_form = SignForm(
        on_behalf_of=on_behalf_of,
        initial={
            "document_sha256": digest,
            "signer_name": agreement.recipient_name,
            # Named by the coordinator already: the unit leader confirms or changes it.
            "top_manager_name": agreement.top_manager_name,
            "top_manager_email": agreement.top_manager_email,
        },
    )
    decline_form = DeclineForm()
    changed = False

    if request.method == "POST" and "decline" in request.POST:
        decline_form = DeclineForm(request.POST)
        if decline_form.is_valid():
            try:
                services.decline(token, reason=decline_form.cleaned_data["reason"])
            except services.LinkProblem as problem:
                return _link_problem(request, problem)
            request.session[RECEIPT_SESSION_KEY] = {
                "reference": agreement.reference,
                "declined": True,
            }
            return redirect("agreements:receipt")
    elif request.method == "POST":
        sign_form = SignForm(request.POST, on_behalf_of=on_behalf_of)
        if sign_form.is_valid():
            data = sign_form.cleaned_data
            try:
                services.sign(
                    token,
                    signer_name=data["signer_name"],
                    signer_title=data["signer_title"],
                    top_manager_name=data["top_manager_name"],
                    top_manager_email=data["top_manager_email"],
                    shown_sha256=data["document_sha256"],
                    ip=_client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            except services.LinkProblem as problem:
                return _link_problem(request, problem)
            except services.AgreementError:
                changed = True
                sign_form = SignForm(
                    on_behalf_of=on_behalf_of, initial={**data, "document_sha256": digest}
                )
            else:
                request.session[RECEIPT_SESSION_KEY] = {
                    "reference": agreement.reference,
                    "declined": False,
                }
                return redirect("agreements:receipt")
    else:
        services.record_open(agreement)

    return render(
        request,
        "agreements/sign.html",
        {
            "agreement": agreement,
            "team": team,
            "document": document,
            "digest": digest,
            "sign_form": sign_form,
            "decline_form": decline_form,
            "changed": changed,
            "on_behalf_of": on_behalf_of,
        },
    )


def _receipt_agreement(request):
    """The agreement this browser signed or declined a moment ago, or None."""
    seen = request.session.get(RECEIPT_SESSION_KEY)
    if not seen:
        return None, None
    with scopes_disabled():
        agreement = (
            Agreement.objects.select_related("team__network", "team__unit_leader")
            .filter(reference=seen["reference"])
            .first()
        )
    return agreement, seen


@never_cache
def receipt(request):
    agreement, seen = _receipt_agreement(request)
    if agreement is None:
        return redirect("home")
    return render(
        request,
        "agreements/receipt.html",
        {"agreement": agreement, "declined": seen["declined"]},
    )


@never_cache
def receipt_pdf(request):
    """The signed PDF, for the browser that signed it, as soon as it is made."""
    agreement, seen = _receipt_agreement(request)
    if agreement is None or seen["declined"] or not agreement.pdf:
        raise Http404
    return FileResponse(
        agreement.pdf.open("rb"),
        as_attachment=True,
        filename=f"{agreement.reference}.pdf",
        content_type="application/pdf",
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """Two checks, each answering only yes or no (and, for the PDF itself, which
    agreement it is: whoever holds the exact file has read it): the typed reference
    and hash, or the uploaded PDF compared with the bytes the product sent."""
    form = VerifyForm(request.GET or None)
    posted = request.method == "POST"
    file_form = VerifyFileForm(request.POST, request.FILES) if posted else VerifyFileForm()
    result = file_result = None
    # Anyone may check any centre's agreement.
    with scopes_disabled():
        if not posted and form.is_valid():
            result = services.verify(form.cleaned_data["reference"], form.cleaned_data["digest"])
        if posted:
            form = VerifyForm()
            if file_form.is_valid():
                file_result = services.verify_pdf(file_form.cleaned_data["pdf"]) or False
    return render(
        request,
        "agreements/verify.html",
        {
            "form": form,
            "file_form": file_form,
            "result": result,
            "file_result": file_result,
            "title": _("Verify a signed agreement"),
        },
    )
