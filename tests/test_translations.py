"""Every string has a bokmål translation, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "nb" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _unquote(block):
    raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def entries():
    text = PO.read_text(encoding="utf-8")
    for chunk in text.split("\n\n")[1:]:
        if chunk.startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in chunk
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', chunk, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', chunk, re.M)
        if msgid:
            yield (
                _unquote(msgid.group(1)),
                _unquote(plural.group(1)) if plural else None,
                [_unquote(s) for s in strs],
                fuzzy,
            )


def test_every_string_is_translated_and_none_is_fuzzy():
    missing = [
        msgid
        for msgid, _plural, strs, fuzzy in entries()
        if fuzzy or not all(s.strip() for s in strs)
    ]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    stale = []
    for msgid, plural, strs, _fuzzy in entries():
        if plural:
            if catalogue.ngettext(msgid, plural, 1) != strs[0]:
                stale.append(msgid)
        elif catalogue.gettext(msgid) != strs[0]:
            stale.append(msgid)
    assert stale == [], "run `make messages` to compile locale/"
