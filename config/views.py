"""The project's own pages: the front page, the health check, the favicon."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django_scopes import scopes_disabled

from config.celery import app as celery_app
from gatherings.queries import open_gatherings
from network.access import access_of
from network.queries import coordinated_networks
from reminders.queries import last_sweep
from units.queries import leads_units_only

#: When this process started: before its first sweep, /healthz gives beat three
#: intervals from here.
STARTED = timezone.now()


def healthz(request):
    """For load balancers, docker-compose and the operator: the database, the broker,
    and when the reminder sweep last ran to its end. 503 when one is down, or when
    the sweep has not finished for three of its intervals (beat or the workers have
    stopped: reminders and PDFs wait). JSON; the first key says it in one word."""
    checks: dict[str, object] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {type(error).__name__}"
        healthy = False
    try:
        with celery_app.connection_for_write(
            transport_options={"socket_connect_timeout": 2, "socket_timeout": 2}
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=2)
        checks["broker"] = "ok"
    except Exception as error:  # kombu raises its transport's own errors
        checks["broker"] = f"unavailable: {type(error).__name__}"
        healthy = False
    interval = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]["schedule"]
    last = None
    if checks["database"] == "ok":
        with scopes_disabled():
            last = last_sweep()
    now = timezone.now()
    age = (now - last).total_seconds() if last else (now - STARTED).total_seconds()
    checks["last_reminder_sweep"] = last.isoformat(timespec="seconds") if last else None
    checks["seconds_since_sweep"] = round(age) if last else None
    if age > 3 * interval:
        checks["reminder_sweep"] = f"late: none finished in {round(age)} s (every {interval} s)"
        healthy = False
    else:
        checks["reminder_sweep"] = "ok" if last else "waiting for the first sweep"
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks},
        status=200 if healthy else 503,
        json_dumps_params={"indent": 1},
    )


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's too."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def home(request):
    """The front page: where each kind of user goes next. Coordinators see their
    networks; a unit leader who is on no team goes to their units (the login lands
    here); everyone sees the gatherings open for registration."""
    coordinator = access_of(request).may_coordinate
    if not coordinator and leads_units_only(request):
        return redirect("units:my_units")
    networks = (
        coordinated_networks(request).select_related("centre").order_by("-start_date")[:20]
        if coordinator
        else []
    )
    return render(
        request,
        "home.html",
        {
            "is_coordinator": coordinator,
            "networks": networks,
            "open_gatherings": open_gatherings()[:10],
        },
    )
