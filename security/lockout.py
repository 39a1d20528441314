def username(request, credentials=None):
    """The e-mail address a login attempt named, however the form passed it on.

    Django passes our e-mail log-in field to authenticate() as ``email`` (the
    user model's USERNAME_FIELD) or ``username``; django-axes must count both
    under the same, lower-cased name.
    """
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("username") or data.get("email")
    return (name or "").strip().lower() or None
