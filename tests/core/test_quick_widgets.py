"""The quick widgets write exactly what Django's widget templates write (issue 12: the filter form's options were
two template includes each)."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from supply_service.core.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput

CHOICES = [("", gettext_lazy("All")), ("a&b", "A <b>"), ("x", mark_safe("<i>safe</i>")), (3, "three")]
GROUPED = [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]


@pytest.mark.parametrize("language", ["en", "zh-hans", "ug"])
@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("value", ["", "a&b", "b", 3, None])
@pytest.mark.parametrize("attrs", [None, {"id": "id_k", "aria-describedby": "id_k_helptext", "required": True,
                                          "disabled": False, "data-x": 'q"uote'}])
def test_quick_select_writes_django_markup(language, choices, value, attrs):
    with translation.override(language):
        quick = QuickSelect(choices=choices).render("kind", value, attrs=attrs)
        django = forms.Select(choices=choices).render("kind", value, attrs=attrs)
    assert quick == django


@pytest.mark.parametrize("value", ["", "a<b", None, "3", 'q"uote'])
@pytest.mark.parametrize("widget_attrs", [{}, {"type": "search", "autocomplete": "off"}, {"autofocus": True}])
def test_quick_text_input_writes_django_markup(value, widget_attrs):
    attrs = {"id": "id_q", "maxlength": 60, "aria-describedby": "id_q_helptext"}
    assert (QuickTextInput(attrs=widget_attrs).render("q", value, attrs=attrs)
            == forms.TextInput(attrs=widget_attrs).render("q", value, attrs=attrs))


@pytest.mark.parametrize("value", [True, False, None, "", "on"])
def test_quick_checkbox_writes_django_markup(value):
    assert (QuickCheckboxInput().render("overdue", value, attrs={"id": "id_overdue"})
            == forms.CheckboxInput().render("overdue", value, attrs={"id": "id_overdue"}))


def test_a_label_that_is_not_text_goes_to_django_templates():
    choices = [(1, 1000), (2, 2)]
    assert QuickSelect(choices=choices).render("n", 1) == forms.Select(choices=choices).render("n", 1)
