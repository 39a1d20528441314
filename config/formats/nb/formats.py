"""Bokmål formats: Django's, with the Norwegian way of writing a date first.

Django's bokmål formats keep ISO dates first among the input formats, and the
first is the one a form field shows its value in: a typed 01.09.2027 came back as
2027-09-01. Here 01.09.2027 comes first, and times without seconds (09:00); ISO
dates are still understood.
"""

from django.conf.locale.nb.formats import *  # noqa: F403

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006'
    "%d.%m.%y",  # '25.10.06'
    "%Y-%m-%d",  # '2006-10-25'
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # '14:30'
    "%H:%M:%S",  # '14:30:59'
    "%H:%M:%S.%f",  # '14:30:59.000200'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",  # '25.10.2006 14:30'
    "%d.%m.%Y %H:%M:%S",  # '25.10.2006 14:30:59'
    "%d.%m.%Y %H:%M:%S.%f",  # '25.10.2006 14:30:59.000200'
    "%d.%m.%y %H:%M",  # '25.10.06 14:30'
    "%d.%m.%y %H:%M:%S",  # '25.10.06 14:30:59'
    "%Y-%m-%d %H:%M",  # '2006-10-25 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2006-10-25 14:30:59'
    "%Y-%m-%d %H:%M:%S.%f",  # '2006-10-25 14:30:59.000200'
]
