"""Outgoing e-mail: one helper renders subject, text and HTML and sends.

Every template set lives in ``templates/emails/<name>_subject.txt``,
``<name>.txt`` and ``<name>.html``. Messages are rendered in Norwegian
bokmål (the product's language) whatever language the sender's page used,
and every message says why the person receives it.
"""

import hashlib
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Invitation:
    """A calendar object for the message: sent as a ``text/calendar; method=…``
    alternative of the body, where Outlook, Google and Apple's mail look for an
    invitation (an .ics attachment besides would be a second copy to open)."""

    content: bytes
    method: str


def render_email(
    name: str, context: dict[str, Any], *, language: str | None = None
) -> tuple[str, str, str]:
    """(subject, text, html) for the template set ``name``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    return " ".join(subject.split()), text, html


def site_domain() -> str:
    """The host name of SITE_URL: the right-hand side of our Message-IDs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(kind: str, key: str) -> str:
    """A Message-ID that is the same every time the same message is made, so that a
    message sent twice (a worker died between the mail server's acceptance and the
    commit that records it) can be recognised as one."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<{kind}.{digest}@{site_domain()}>"


def build_email(
    name: str,
    context: dict[str, Any],
    to: list[str],
    *,
    attachments: tuple[Attachment, ...] = (),
    reply_to: list[str] | None = None,
    cc: list[str] | None = None,
    headers: dict[str, str] | None = None,
    invitation: Invitation | None = None,
    rendered: tuple[str, str, str] | None = None,
) -> EmailMultiAlternatives:
    """The message, ready to send. Every message is automatic (RFC 3834) and has a
    Message-ID on the site's own domain. ``rendered`` is ``render_email``'s result,
    for a caller that sends the same text to many."""
    subject, text, html = rendered or render_email(name, context)
    headers = {
        "Auto-Submitted": "auto-generated",
        "Message-ID": make_msgid(domain=site_domain()),
        **(headers or {}),
    }
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        to,
        reply_to=reply_to,
        cc=cc or None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    if invitation is not None:
        message.attach_alternative(
            invitation.content.decode(), f"text/calendar; method={invitation.method}"
        )
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_email(
    name: str,
    context: dict[str, Any],
    to: list[str],
    *,
    attachments: tuple[Attachment, ...] = (),
    reply_to: list[str] | None = None,
    cc: list[str] | None = None,
    headers: dict[str, str] | None = None,
    invitation: Invitation | None = None,
) -> EmailMultiAlternatives:
    message = build_email(
        name,
        context,
        to,
        attachments=attachments,
        reply_to=reply_to,
        cc=cc,
        headers=headers,
        invitation=invitation,
    )
    message.send()
    return message
