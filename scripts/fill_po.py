"""Fill empty msgstr entries of locale/nb from a Python dict of translations.

Usage: python scripts/fill_po.py TRANSLATIONS.py
The file defines T = {msgid: text, (msgid, plural_index): text}. Existing
translations are kept; entries the dict does not know stay empty and are listed.
"""

import re
import runpy
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def unquote(block):
    raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def main(path):
    table = runpy.run_path(path)["T"]
    chunks = PO.read_text(encoding="utf-8").split("\n\n")
    header = chunks[0].replace("#, fuzzy\n", "").replace('"Language: \\n"', '"Language: nb\\n"')
    out, unknown = [header], []
    for chunk in chunks[1:]:
        msgid_match = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        if not msgid_match:
            out.append(chunk)
            continue
        msgid = unquote(msgid_match.group(1))
        lines = chunk.split("\n")
        if "msgid_plural" in chunk:
            for index in (0, 1):
                pattern = rf'^msgstr\[{index}\] ""$'
                if (msgid, index) in table:
                    chunk = re.sub(pattern, f"msgstr[{index}] " + quote(table[(msgid, index)]),
                                   chunk, flags=re.M)
                elif re.search(pattern, chunk, re.M):
                    unknown.append(msgid)
        elif re.search(r'^msgstr ""$', chunk, re.M) and chunk.rstrip().endswith('msgstr ""'):
            if msgid in table:
                chunk = re.sub(r'^msgstr ""$', "msgstr " + quote(table[msgid]), chunk, flags=re.M)
            else:
                unknown.append(msgid)
        del lines
        out.append(chunk.replace("#, fuzzy\n", ""))
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for msgid in unknown:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(sys.argv[1])
