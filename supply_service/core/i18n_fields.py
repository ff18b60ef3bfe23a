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


_LABELS: dict[tuple, dict] = {}


def choice_label(field, value) -> str:
    """`obj.get_<field>_display()` (the translated label of a choice; the value itself when it is not one), from a
    table per field and language."""
    key = (field, translation.get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {choice: str(label) for choice, label in field.flatchoices}
    return labels.get(value, value)


class ChoiceLabels:
    """Model mixin: every `get_<field>_display()` of the model reads `choice_label`'s table. Django's own builds a
    dict of the field's choices on every call (four on the customer page's account card: issue 12)."""

    def _get_FIELD_display(self, field):  # noqa: N802  (Django's name: `Field.contribute_to_class` binds it)
        return choice_label(field, getattr(self, field.attname))


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
        suffix = active_suffix()
        value = getattr(instance, f"{self.base}_{suffix}", "") if suffix else ""
        return value or getattr(instance, f"{self.base}_zh_hans", "")


def active_suffix() -> str | None:
    """The column suffix of the active language (`ug` for ug, `zh_hans` for zh-hans or zh-cn), None for a language
    the data has no column for."""
    language = (translation.get_language() or "zh-hans").lower()
    for suffix, code, _label in DATA_LANGUAGES:
        if language == code or language.split("-")[0] == code:
            return suffix
    return None


def translated_value(path: str):
    """`TranslatedField`'s value as SQL, for `path` (a base name, through relations: "method__name"): the active
    language's column, the Chinese one when that is empty. Built under the active language: a statement compiled per
    language (`core.prepared`) may hold it."""
    from django.db.models import F, Value  # noqa: PLC0415
    from django.db.models.functions import Coalesce, NullIf  # noqa: PLC0415

    suffix = active_suffix()
    chinese = F(f"{path}_zh_hans")
    if suffix in (None, "zh_hans"):
        return chinese
    return Coalesce(NullIf(F(f"{path}_{suffix}"), Value("")), chinese)
