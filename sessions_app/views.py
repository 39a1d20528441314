"""A session's own page: what the invitation in the calendar links to."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sessions_app.queries import get_session_for_user


@login_required
def session(request, session_id):
    session = get_session_for_user(request, session_id)
    return render(request, "sessions_app/session.html", {"session": session})
