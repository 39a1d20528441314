"""Every string has a bokmål translation, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "nb" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The admin scripts' strings, written by hand (config/django_strings.py says why).
JS_PO = PO.with_name("djangojs.po")


def _unquote(block):
    raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def entries(po=PO):
    text = po.read_text(encoding="utf-8")
    for chunk in text.split("\n\n")[1:]:
        if chunk.startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in chunk
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', chunk, re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', chunk, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', chunk, re.M)
        if msgid:
            key = _unquote(msgid.group(1))
            yield (
                f"{_unquote(context.group(1))}\x04{key}" if context else key,
                _unquote(plural.group(1)) if plural else None,
                [_unquote(s) for s in strs],
                fuzzy,
            )


@pytest.mark.parametrize("po", [PO, JS_PO], ids=["django", "djangojs"])
def test_every_string_is_translated_and_none_is_fuzzy(po):
    missing = [
        msgid
        for msgid, _plural, strs, fuzzy in entries(po)
        if fuzzy or not all(s.strip() for s in strs)
    ]
    assert missing == []


@pytest.mark.parametrize("po", [PO, JS_PO], ids=["django", "djangojs"])
def test_the_compiled_catalogue_matches_the_source(po):
    catalogue = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
    stale = []
    for msgid, plural, strs, _fuzzy in entries(po):
        if plural:
            if catalogue.ngettext(msgid, plural, 1) != strs[0]:
                stale.append(msgid)
        elif catalogue.gettext(msgid) != strs[0]:
            stale.append(msgid)
    assert stale == [], "run `make messages` to compile locale/"
