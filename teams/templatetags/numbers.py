"""``{{ value|number }}``: a number as ``lib.numbers.format_number`` writes it ("12,5", "5")."""

from django import template

from lib.numbers import format_number

register = template.Library()


@register.filter
def number(value):
    if value is None or value == "":
        return ""
    try:
        return format_number(value, group=True)
    except (TypeError, ValueError, ArithmeticError):
        return value
