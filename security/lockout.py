#: The longest e-mail address there is (RFC 5321), and what django-axes can store.
LONGEST = 254


def username(request, credentials=None):
    """The e-mail address a login attempt named, however the form passed it on.

    Django passes our e-mail log-in field to authenticate() as ``email`` (the
    user model's USERNAME_FIELD) or ``username``; django-axes must count both
    under the same, lower-cased name, cut to the length of an e-mail address (a
    70,000-character "user name" must not fail the login page on PostgreSQL).
    """
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("username") or data.get("email")
    return str(name or "").strip().lower()[:LONGEST] or None
