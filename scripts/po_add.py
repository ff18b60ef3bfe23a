#!/usr/bin/env python3
"""Add or update catalogue entries in every locale at once, safely while others do the same, then compile.

    .venv/bin/python scripts/po_add.py entries.json

entries.json is a list of objects:
    {"msgid": "Clock paused", "zh_Hans": "计时已暂停", "ug": "...", "bo": "..."}
    {"msgid": "%(n)s day", "msgid_plural": "%(n)s days",
     "zh_Hans": ["%(n)s 天"], "ug": ["%(n)s كۈن", "%(n)s كۈن"], "bo": ["..."]}
    optional "msgctxt".
A language missing from an entry gets the English text (only for `en`-like fallbacks: avoid it). Existing entries
are updated in place; new ones are appended. The files are locked while written (fcntl), so several people can run
this at the same time. `makemessages` is not run: the translation test runs it on a copy and names what is missing.
"""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
LANGS = ["zh_Hans", "ug", "bo"]


def _plural_count(po: polib.POFile) -> int:
    forms = po.metadata.get("Plural-Forms", "nplurals=1;")
    return int(forms.split("nplurals=")[1].split(";")[0])


def merge(entries: list[dict]) -> None:
    lock_path = ROOT / "locale" / ".lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for lang in LANGS:
            path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
            po = polib.pofile(str(path), wrapwidth=0)
            n = _plural_count(po)
            for item in entries:
                text = item.get(lang)
                if text is None:
                    raise SystemExit(f"{item['msgid']!r} has no {lang} translation")
                entry = po.find(item["msgid"], msgctxt=item.get("msgctxt"))
                if entry is None:
                    entry = polib.POEntry(msgid=item["msgid"], msgctxt=item.get("msgctxt"))
                    if item.get("msgid_plural"):
                        entry.msgid_plural = item["msgid_plural"]
                    po.append(entry)
                entry.obsolete = False
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                if item.get("msgid_plural"):
                    forms = text if isinstance(text, list) else [text]
                    forms = (forms + [forms[-1]] * n)[:n]
                    entry.msgstr_plural = dict(enumerate(forms))
                else:
                    entry.msgstr = text if isinstance(text, str) else text[0]
            po.save(str(path))
            subprocess.run(["msgfmt", "--check-format", "-o", str(path.with_suffix(".mo")), str(path)], check=True)
        fcntl.flock(lock, fcntl.LOCK_UN)


if __name__ == "__main__":
    merge(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    print("ok")
