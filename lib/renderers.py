"""The form renderer (settings.FORM_RENDERER): Django's own widget templates, in
the Jinja2 versions that Django ships beside the Django-language ones.

A widget renders a template for itself, one for its attributes and one per option
of a select. The Django template language costs a fraction of a millisecond for
each; a coordinator's admin forms render a few hundred, which made a team's page
cost 67 ms of CPU at national scale (`make bench`), 44 ms with these templates.
Django's admin ships its own widget templates only in the Django language: those
(and any template a Jinja2 loader cannot find) are rendered as before.
"""

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastWidgetRenderer(BaseRenderer):
    """Jinja2 for Django's built-in form and widget templates; the Django template
    language for every other one (the admin's widgets, crispy-forms' layouts)."""

    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
