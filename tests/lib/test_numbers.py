from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lib.numbers import DecimalField, IntegerField, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),  # as a spreadsheet copies it
        ("1\u202f234 567,25", Decimal("1234567.25")),
        (" 7 ", Decimal("7")),
        (",5", Decimal("0.5")),
        ("\u22123,5", Decimal("-3.5")),
        ("", None),
        ("  ", None),
    ],
)
def test_numbers_as_people_in_norway_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text", ["12,5,3", "abc", "1.234,5", "12 5", "1 23", "12,", "1e3", "NaN", "Infinity", "-"]
)
def test_anything_else_is_refused_not_guessed(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_numbers_are_shown_without_trailing_zeros():
    with translation.override("nb"):
        assert format_number(Decimal("5.00")) == "5"
        assert format_number(Decimal("12.50")) == "12,5"
        assert format_number(Decimal("12345.5"), group=True) == "12\u00a0345,5"
        assert format_number(Decimal("-0.25")) == "-0,25"
    with translation.override("en"):
        assert format_number(Decimal("12.50")) == "12.5"
        assert format_number(Decimal("12.50"), decimal_mark=",") == "12,5"  # the CSV export


def test_the_fields_read_the_comma_and_refuse_in_norwegian():
    field = DecimalField(max_digits=12, decimal_places=2, required=False)
    assert field.clean("12,5") == Decimal("12.5")
    assert field.clean("1 234,5") == Decimal("1234.5")
    assert 'inputmode="decimal"' in field.widget.render("x", Decimal("12.50"))
    assert field.prepare_value(Decimal("12.50")) == "12,5"
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        field.clean("12,5,3")
    assert refused.value.messages == ["Skriv et tall, for eksempel 12,5 eller 1 234,5."]
    whole = IntegerField(required=False)
    assert whole.clean("1 200") == 1200
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        whole.clean("12,5")
    assert refused.value.messages == ["Skriv et helt tall, for eksempel 12."]
