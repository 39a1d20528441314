from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from lib.emails import site_domain


class AutomaticPasswordResetForm(PasswordResetForm):
    """Django's password reset, whose e-mail says it is automatic (RFC 3834) and
    has its Message-ID on the site's own domain, as every e-mail of the product."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from email.utils import make_msgid

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(
            subject,
            body,
            from_email,
            [to_email],
            headers={
                "Auto-Submitted": "auto-generated",
                "Message-ID": make_msgid(domain=site_domain()),
            },
        )
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
        message.send()
