"""Each person's private calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_scopes import scopes_disabled

from network.access import public_scope
from network.models import Person
from reminders import calendar


def _person(user):
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise Http404
    return person


@never_cache
@login_required
def calendar_settings(request):
    person = _person(request.user)
    address = None
    if request.method == "POST" and "revoke" in request.POST:
        calendar.revoke(person)
        messages.success(request, _("The calendar address is switched off."))
        return redirect("reminders:calendar")
    if request.method == "POST":
        token = calendar.new_feed_token(person)
        address = settings.SITE_URL + reverse("reminders:feed", args=[token])
    has_feed = hasattr(person, "calendar_feed") or address is not None
    sessions = list(calendar.sessions_for_person(person)[:50])
    return render(
        request,
        "reminders/calendar.html",
        {
            "address": address,
            "has_feed": has_feed,
            "sessions": sessions,
        },
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
