"""Data translated into the customer languages: one column per language, read in the active language.

    class FeeItem(models.Model):
        name_zh_hans, name_en, name_ug, name_bo = translated_char("name", max_length=120)
        name = TranslatedField("name")
"""

from django.db import models
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# (suffix, language code, label) — Chinese is required, the others fall back to it.
DATA_LANGUAGES = [
    ("zh_hans", "zh-hans", _("Chinese")),
    ("en", "en", _("English")),
    ("ug", "ug", _("Uyghur")),
    ("bo", "bo", _("Tibetan")),
]


def _fields(base: str, label, make) -> tuple:
    return tuple(
        make(format_lazy("{} ({})", label, lang_label), required=(suffix == "zh_hans"))
        for suffix, _code, lang_label in DATA_LANGUAGES
    )


def translated_char(base: str, label, max_length: int = 200) -> tuple:
    return _fields(
        base, label, lambda verbose, required: models.CharField(verbose, max_length=max_length, blank=not required)
    )


def translated_text(base: str, label) -> tuple:
    return _fields(base, label, lambda verbose, required: models.TextField(verbose, blank=not required))


def column_names(base: str) -> list[str]:
    return [f"{base}_{suffix}" for suffix, _code, _label in DATA_LANGUAGES]


class TranslatedField:
    """Descriptor: the value in the active language, else the Chinese one."""

    def __init__(self, base: str):
        self.base = base

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = (translation.get_language() or "zh-hans").lower()
        for suffix, code, _label in DATA_LANGUAGES:
            if language == code or language.split("-")[0] == code:
                value = getattr(instance, f"{self.base}_{suffix}", "")
                if value:
                    return value
                break
        return getattr(instance, f"{self.base}_zh_hans", "")
