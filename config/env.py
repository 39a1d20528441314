"""Typed readers for environment variables that fail loudly on bad values.

A typo in production configuration should stop the process at start-up with a
message naming the variable, never fall back silently to a default.
"""

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name, environ):
    environ = os.environ if environ is None else environ
    return environ.get(name)


def env_str(name, default=None, *, environ=None, required=False):
    value = _raw(name, environ)
    if value is None:
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name, default=False, *, environ=None):
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name, default=None, *, environ=None, minimum=None):
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name, default=(), *, environ=None):
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SIMPLE_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def smtp_mailer(host, port, *, username="", password="", use_tls=False, use_ssl=False, timeout=20):
    """One entry of Django's MAILERS setting for an SMTP server."""
    if use_tls and use_ssl:
        raise ImproperlyConfigured("Use at most one of TLS (STARTTLS) and SSL for e-mail.")
    return {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": host,
            "port": port,
            "username": username,
            "password": password,
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    }


def parse_email_url(url, *, timeout=20):
    """Turn EMAIL_URL into one entry of Django's MAILERS setting.

    smtp://user:password@host:587?tls=1  (or smtps:// for implicit TLS)
    console://   locmem://   dummy://
    """
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in SIMPLE_BACKENDS:
        return {"BACKEND": SIMPLE_BACKENDS[scheme]}
    if scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(
            f"EMAIL_URL has the unknown scheme {scheme!r}: use smtp, smtps, console or locmem."
        )
    if not parsed.hostname:
        raise ImproperlyConfigured("EMAIL_URL must name a host, e.g. smtp://mail.example.no:587.")
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    try:
        port = parsed.port or (465 if scheme == "smtps" else 25)
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    return smtp_mailer(
        parsed.hostname,
        port,
        username=unquote(parsed.username or ""),
        password=unquote(parsed.password or ""),
        use_tls=env_bool("tls", False, environ=options),
        use_ssl=scheme == "smtps",
        timeout=timeout,
    )
