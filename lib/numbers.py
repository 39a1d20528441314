"""Numbers as people in Norway type and read them: one parser and one format for
the whole product, and the form fields that use them.

A number is typed with a decimal comma or a decimal point ("12,5", "12.5") and
may group its thousands with spaces, normal or non-breaking ("1 234,5", as a
spreadsheet copies it). Anything else is refused, never guessed: "12,5,3",
"1.234,5" or "12 5" is not read as some other number. Browsers' own number
inputs read "12,5" by the browser's locale (one of them as 125), so the fields
here are text inputs with ``inputmode="decimal"``, which still bring up the
digit keyboard on a phone.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

#: Spaces that group thousands: normal, non-breaking, narrow non-breaking, thin.
GROUP_SPACES = "\u00a0\u202f\u2009"
MINUS_SIGNS = "\u2212\u2013"  # the minus sign, and the dash a word processor makes of "-"
NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<whole>\d{1,3}(?: \d{3})+|\d*)(?:[.,](?P<part>\d+))?")


def parse_number(text: str) -> Decimal | None:
    """The number in ``text``, or None when it is blank; ValueError when it is not a number."""
    text = text.strip()
    for space in GROUP_SPACES:
        text = text.replace(space, " ")
    for minus in MINUS_SIGNS:
        text = text.replace(minus, "-")
    if not text:
        return None
    match = NUMBER.fullmatch(text)
    if match is None or not (match["whole"] or match["part"]):
        raise ValueError(text)
    digits = match["whole"].replace(" ", "") or "0"
    if match["part"]:
        digits += "." + match["part"]
    try:
        return Decimal(match["sign"] + digits)
    except InvalidOperation:  # pragma: no cover: the pattern lets only digits through
        raise ValueError(text) from None


def format_number(
    number: Decimal | int | float | None, *, group: bool = False, decimal_mark: str | None = None
) -> str:
    """``number`` as the active language writes it (or with ``decimal_mark``), without
    trailing zeros: "12,5", "5" (never "5,00"); ``group`` puts a space between the
    thousands."""
    if number is None:
        return ""
    value = Decimal(str(number)) if isinstance(number, float) else Decimal(number)
    whole_number = value == value.to_integral_value()
    value = value.quantize(Decimal(1)) if whole_number else value.normalize()
    sign, whole, _dot, part = ("-" if value < 0 else "", *f"{abs(value):f}".partition("."))
    if group and len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", "\u00a0")
    if decimal_mark is None:
        decimal_mark = str(formats.get_format("DECIMAL_SEPARATOR"))
    return sign + whole + (decimal_mark + part if part else "")


class NumberInput(forms.TextInput):
    """A text input for a number: the digit keyboard on a phone, the decimal comma kept."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class DecimalField(forms.DecimalField):
    """A decimal number, typed with a comma or a point (``parse_number``)."""

    widget = NumberInput
    default_error_messages = {
        "invalid": _("Enter a number, such as 12,5 or 1 234,5."),
    }

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: int
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int | float):
            return Decimal(str(value))
        try:
            number = parse_number(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_number(value)
        return value


class IntegerField(forms.IntegerField):
    """A whole number, typed as people do ("12", "1 200"); "12,5" is refused, not rounded."""

    widget = NumberInput
    default_error_messages = {
        "invalid": _("Enter a whole number, such as 12."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            number = parse_number(str(value))
        except ValueError:
            number = None
        if number is None or number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)
