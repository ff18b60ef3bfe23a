"""The staff intake form writes its selects and one-line fields in Python (core.widgets, issue 12: the form was 4.6×
the bare view, an <option> being two templates); the markup is Django's own, in every language, with a value chosen
and with errors shown."""

import copy

import pytest
from django import forms
from django.utils import translation

from supply_service.complaints.forms import StaffIntakeForm
from supply_service.core.widgets import QuickSelect, QuickTextInput

pytestmark = pytest.mark.django_db


def _as_django(widget):
    plain = forms.Select if isinstance(widget, QuickSelect) else forms.TextInput
    twin = plain(attrs=copy.deepcopy(widget.attrs))
    if isinstance(widget, QuickSelect):
        twin.choices = widget.choices
    return twin


@pytest.mark.parametrize("language", ["zh-hans", "ug", "bo", "en"])
@pytest.mark.parametrize("bound", [False, True])
def test_quick_widgets_write_what_django_writes(office, clerk, agent, language, bound):
    data = {"kind": "report", "channel": "phone", "category": "", "summary": 'a "quoted" <b>', "account_number": "x",
            "concerned_staff": str(agent.pk), "language": "ug"} if bound else None
    with translation.override(language):
        form = StaffIntakeForm(data, office=office)
        if bound:
            form.is_valid()
        quick = [name for name, field in form.fields.items() if isinstance(field.widget, QuickSelect | QuickTextInput)]
        assert {"kind", "channel", "category", "concerned_staff", "language", "summary"} <= set(quick)
        ours = {name: str(form[name]) for name in quick}
        for name in quick:
            form.fields[name].widget = _as_django(form.fields[name].widget)
        theirs = {name: str(form[name]) for name in quick}
    assert ours == theirs
    assert ours["kind"].startswith("<select") and f'value="{agent.pk}"' in ours["concerned_staff"]
