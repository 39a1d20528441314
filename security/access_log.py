"""The access log, without the secrets that some paths carry.

Signing links, cancellation links, calendar feeds and password links carry a secret
in the path (``/avtale/signer/<token>/``). A web server's access log would keep them
in full, so gunicorn writes none; ``AccessLogMiddleware`` writes one line per request
to the logger ``usht.access`` instead: the method, the path as ``loggable_path``
gives it, the status and the time taken. The query string is never logged.

``RedactPaths`` does the same for Django's own records about a request ("Not Found:
/avtale/signer/…/", "Forbidden (CSRF …): …", the development server's lines): it is
a filter on those loggers in ``LOGGING``, so the record is changed before any
handler, the root logger's included, sees it.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.urls import Resolver404, ResolverMatch, resolve

logger = logging.getLogger("usht.access")

#: The request being served, for ``RequestFields``; None outside a request.
serving: ContextVar[object | None] = ContextVar("serving", default=None)
#: A request id from the proxy in front is kept when it looks like one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

#: Signs of a regular-expression route (re_path), whose text is no readable pattern.
_REGEX_ROUTE = re.compile(r"\(\?|\^|\$|\\")


def loggable_path(path: str, match: ResolverMatch | None = None) -> str:
    """``path`` as it may be logged.

    A path whose route has parameters is logged as its route
    (``/avtale/signer/<str:token>/``); a path without parameters as it is; a path
    that matches no route (a link cut short or run on in an e-mail) only as its
    first segment (``/avtale/...``), since the rest may be part of a secret.
    """
    if match is None:
        match = _resolve(path)
    if match is None:
        return _unmatched(path)
    if not match.args and not match.captured_kwargs:
        return path
    if match.route and not _REGEX_ROUTE.search(match.route):
        return "/" + match.route
    return _parameters_named(path, match)


def _resolve(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None


def _unmatched(path: str) -> str:
    static = "/" + settings.STATIC_URL.lstrip("/")
    if path.startswith(static):
        return path  # files, found or not, carry no secrets
    if not path.endswith("/"):
        # CommonMiddleware redirects a path without its last slash (APPEND_SLASH).
        slashed = _resolve(path + "/")
        if slashed is not None:
            return loggable_path(path + "/", slashed)
    segments = path.strip("/").split("/")
    if len(segments) <= 1:
        return path
    return f"/{segments[0]}/..."


def _parameters_named(path: str, match: ResolverMatch) -> str:
    """The path with every value the route captured replaced by the parameter's name."""
    values = [(str(v), f"<{k}>") for k, v in match.captured_kwargs.items()]
    values += [(str(v), "<arg>") for v in match.args]
    for value, name in values:
        if value:
            head, found, tail = path.rpartition(value)
            if found:
                path = head + name + tail
    return path


class AccessLogMiddleware:
    """One line per request in ``usht.access``: method, loggable path, status, ms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        token = serving.set(request)
        try:
            response = self.get_response(request)
        finally:
            serving.reset(token)
        response["X-Request-ID"] = request.request_id
        duration_ms = round((time.perf_counter() - started) * 1000)
        path = loggable_path(request.path_info, getattr(request, "resolver_match", None))
        logger.info(
            "%s %s %s %sms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                **request_fields(request),
                "method": request.method,
                "path": path,
                "status_code": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


def request_fields(request) -> dict[str, object]:
    """Who and which request a log line is about: the request id, the user's id and
    the centres their request may read (as ``ScopeMiddleware`` found them; None
    before it ran, and for a superuser, who reads every centre)."""
    access = getattr(request, "access", None)
    centres = getattr(access, "centre_ids", None)
    return {
        "request_id": getattr(request, "request_id", None),
        "user_id": getattr(access, "user_id", None),
        "centre_ids": list(centres) if centres is not None else None,
    }


class RequestFields(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``centre_ids`` to every record logged
    while a request is served (None elsewhere: a worker, a command)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx or 5xx response after the middleware has returned, with
        # the request on the record.
        request = serving.get() or getattr(record, "request", None)
        fields = (
            request_fields(request)
            if request is not None
            else {"request_id": None, "user_id": None, "centre_ids": None}
        )
        for name, value in fields.items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class RedactPaths(logging.Filter):
    """Replaces a request's path in Django's records by its loggable form."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.server":
            self._redact_request_line(record)
            return True
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if not isinstance(path, str) or not path:
            return True
        safe = loggable_path(request.path_info, getattr(request, "resolver_match", None))
        prefix = path[: len(path) - len(request.path_info)] if path != request.path_info else ""
        _replace(record, {path: prefix + safe})
        return True

    @staticmethod
    def _redact_request_line(record: logging.LogRecord) -> None:
        """The development server logs '"GET /path?query HTTP/1.1" 200 512'."""
        if not isinstance(record.args, tuple) or not record.args:
            return
        line = record.args[0]
        parts = line.split(" ") if isinstance(line, str) else []
        if len(parts) != 3:
            return
        target = parts[1]
        path = target.split("?", 1)[0]
        _replace(record, {target: loggable_path(path)})


def _replace(record: logging.LogRecord, replacements: dict[str, str]) -> None:
    """Every occurrence of each key, as given and as Django escapes it for logging."""
    pairs = {}
    for secret, safe in replacements.items():
        pairs[secret] = safe
        pairs[secret.encode("unicode_escape").decode("ascii")] = safe

    def clean(value):
        if isinstance(value, str):
            for secret, safe in sorted(pairs.items(), key=lambda p: -len(p[0])):
                value = value.replace(secret, safe)
        return value

    record.msg = clean(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(clean(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: clean(arg) for key, arg in record.args.items()}
