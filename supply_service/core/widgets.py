"""Widgets that write Django's own markup in Python instead of through the form renderer's templates (an <option>
is an include of two templates each): for the filter forms on top of every work list (issue 12). The markup is the
one of `django/forms/widgets/{input,select,select_option,attrs}.html` — tests/core/test_quick_widgets.py compares
them — and any case they do not cover (a non-text label) goes to Django's templates."""

from html import escape as _escape

from django import forms
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


def _text(value) -> str:
    """A value as `{{ value }}` writes a string: `__html__` of safe text, else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def _attrs(attrs: dict) -> str:
    """`attrs.html`: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _plain(value) -> bool:
    return isinstance(value, str | Promise)


class QuickInputMixin:
    """`input.html` for text, search, checkbox … inputs."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_attr = "" if shown is None else f' value="{_text(shown)}"'
        return mark_safe(  # noqa: S308  (every value escaped)
            f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>')


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


class QuickSelect(forms.Select):
    """`select.html` with its `select_option.html` per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                if not _plain(option["label"]):
                    return super().render(name, value, attrs, renderer)
                parts.append(f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                             f'{_text(option["label"])}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value escaped)
