"""Every string in the code has a translation in each required catalogue (zh_Hans, ug, bo)."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ["zh_Hans", "ug", "bo"]


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Run makemessages over a copy of the code and catalogues (makemessages writes into ./locale of the folder
    it runs in), so new strings show up as untranslated there and the real catalogues are never touched."""
    import os

    from django.conf import settings

    work = tmp_path_factory.mktemp("tree")
    for folder in ("supply_service", "templates", "locale"):
        shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    old_paths, cwd = settings.LOCALE_PATHS, Path.cwd()
    settings.LOCALE_PATHS = [work / "locale"]
    try:
        os.chdir(work)
        call_command("makemessages", locale=REQUIRED, verbosity=0, no_obsolete=True, no_location=True)
    finally:
        os.chdir(cwd)
        settings.LOCALE_PATHS = old_paths
    return work / "locale"


@pytest.mark.parametrize("lang", REQUIRED)
def test_catalogue_is_complete(fresh_catalogues, lang):
    po = polib.pofile(str(fresh_catalogues / lang / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{lang}: {len(missing)} untranslated: {missing[:15]}"
    assert len(po) > 100


@pytest.mark.parametrize("lang", REQUIRED)
def test_committed_catalogue_has_no_untranslated_entries_and_valid_plurals(lang):
    po = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))
    assert not po.untranslated_entries() and not po.fuzzy_entries()
    assert "nplurals=" in po.metadata.get("Plural-Forms", "")


@pytest.mark.parametrize(
    "lang, expected",
    [("zh-hans", "我的工作"), ("ug", None), ("bo", None)],
)
def test_compiled_catalogue_is_used(lang, expected):
    with translation.override(lang):
        text = translation.gettext("My work")
        # A placeholder header would crash the first ngettext in Tibetan; this must not.
        translation.ngettext("%(count)s clock", "%(count)s clocks", 2)
    assert text != "My work"
    if expected:
        assert text == expected
