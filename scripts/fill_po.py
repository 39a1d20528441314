"""Fill missing bokmål translations in locale/nb from a table.

Usage: python scripts/fill_po.py TRANSLATIONS.py [--list]

TRANSLATIONS.py defines T = {msgid: text, (msgid, plural_index): text}.
An entry is filled when it is empty or marked fuzzy (makemessages' guess is
never trusted); translated entries are kept. What the table does not know is
printed, and stays empty, so the translation test fails until it is done.
"""

import re
import runpy
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "nb" / "LC_MESSAGES" / "django.po"
STRING = r'"((?:[^"\\]|\\.)*)"'


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def unquote(block):
    raw = "".join(re.findall(STRING, block))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def fill(chunk, table, unknown):
    lines = chunk.split("\n")
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
    comments = [
        line
        for line in lines
        if line.startswith("#")
        and not (line.startswith("#,") and "fuzzy" in line)
        and not line.startswith("#|")
    ]
    body = "\n".join(line for line in lines if not line.startswith("#"))
    msgid = unquote(re.search(r'^msgid ((?:".*"\n?)+)', body, re.M).group(1))
    plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', body, re.M)
    head = body[: body.index("msgstr")]
    if plural:
        strs = [unquote(s) for s in re.findall(r'^msgstr\[\d\] ((?:".*"\n?)+)', body, re.M)]
        out = []
        for index, current in enumerate(strs):
            if fuzzy or not current:
                current = table.get((msgid, index), "")
                if not current:
                    unknown.add(msgid)
            out.append(f"msgstr[{index}] {quote(current)}")
        return "\n".join(comments + [head.rstrip("\n")] + out)
    current = unquote(re.search(r'^msgstr ((?:".*"\n?)+)', body, re.M).group(1))
    if fuzzy or not current:
        current = table.get(msgid, "")
        if not current:
            unknown.add(msgid)
    return "\n".join(comments + [head.rstrip("\n"), f"msgstr {quote(current)}"])


def main(path):
    table = runpy.run_path(path)["T"] if path else {}
    chunks = PO.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    header = chunks[0].replace("#, fuzzy\n", "").replace('"Language: \\n"', '"Language: nb\\n"')
    unknown = set()
    out = [header] + [
        fill(chunk, table, unknown) for chunk in chunks[1:] if re.search(r"^msgid ", chunk, re.M)
    ]
    PO.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    for msgid in sorted(unknown):
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
