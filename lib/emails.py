"""Outgoing e-mail: one helper renders subject, text and HTML and sends.

Every template set lives in ``templates/emails/<name>_subject.txt``,
``<name>.txt`` and ``<name>.html``. Messages are rendered in Norwegian
bokmål (the product's language) whatever language the sender's page used,
and every message says why the person receives it.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def render_email(
    name: str, context: dict[str, Any], *, language: str | None = None
) -> tuple[str, str, str]:
    """(subject, text, html) for the template set ``name``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    return " ".join(subject.split()), text, html


def send_email(
    name: str,
    context: dict[str, Any],
    to: list[str],
    *,
    attachments: tuple[Attachment, ...] = (),
    reply_to: list[str] | None = None,
    cc: list[str] | None = None,
) -> EmailMultiAlternatives:
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to, cc=cc or None
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
    return message
