"""Each person's private calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_scopes import scopes_disabled

from network.access import public_scope
from network.models import Person
from reminders import calendar
from reminders.models import OPTIONAL_KINDS, ReminderKind
from reminders.sending import read_unsubscribe_token
from reminders.services import choose_reminders, turn_off


def _person(user):
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise Http404
    return person


NEW_ADDRESS_KEY = "reminders.new_feed_address"


@never_cache
@login_required
def calendar_settings(request):
    person = _person(request.user)
    # A new address is shown once, on the page the POST redirects to.
    address = request.session.pop(NEW_ADDRESS_KEY, None)
    if request.method == "POST" and "revoke" in request.POST:
        calendar.revoke(person)
        messages.success(request, _("The calendar address is switched off."))
        return redirect("reminders:calendar")
    if request.method == "POST" and "reminders" in request.POST:
        wanted = set(request.POST.getlist("kind"))
        choose_reminders(person, {kind for kind in OPTIONAL_KINDS if kind in wanted})
        messages.success(request, _("Your choice of reminders is saved."))
        return redirect("reminders:calendar")
    if request.method == "POST" and "new" in request.POST:
        token = calendar.new_feed_token(person)
        request.session[NEW_ADDRESS_KEY] = settings.SITE_URL + reverse(
            "reminders:feed", args=[token]
        )
        return redirect("reminders:calendar")
    has_feed = hasattr(person, "calendar_feed") or address is not None
    sessions = list(calendar.sessions_for_person(person)[:50])
    turned_off = set(person.reminder_opt_outs.values_list("kind", flat=True))
    return render(
        request,
        "reminders/calendar.html",
        {
            "address": address,
            "has_feed": has_feed,
            "sessions": sessions,
            "choices": [
                (kind, ReminderKind(kind).label, kind not in turned_off) for kind in OPTIONAL_KINDS
            ],
        },
    )


@never_cache
@csrf_exempt  # RFC 8058: a mail program posts "List-Unsubscribe=One-Click" with no form
def unsubscribe(request, token):
    """Turn off one kind of reminder from the link in its e-mail. The signed token
    is what authorises it; a GET only asks, so that a link checker turns nothing off."""
    found = read_unsubscribe_token(token)
    with scopes_disabled():
        person = Person.objects.filter(pk=found[0]).first() if found else None
    if person is None:
        return render(request, "reminders/unsubscribe.html", {"unknown": True}, status=404)
    kind = found[1]
    done = False
    if request.method == "POST":
        with public_scope(person.centre_id):
            turn_off(person, kind)
        done = True
    return render(
        request,
        "reminders/unsubscribe.html",
        {"kind_label": ReminderKind(kind).label, "done": done, "person": person},
    )


def feed(request, token):
    """A person's feed, for whoever has its secret address (a calendar program)."""
    with scopes_disabled():
        person = calendar.person_for_token(token)
    if person is None:
        raise Http404
    with public_scope(person.centre_id):
        content = calendar.feed(person)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
