"""Two rules for every admin page of the project, applied once in `CoreConfig.ready` (every ModelAdmin, the
project's and the libraries' — simple-history's, axes' — obeys them):

1. **No revert from the history page.** simple-history saves a POST to `…/history/<id>/` for anyone who may view the
   object (its "revert disabled" setting only hides the button): that would let a viewer rewrite a clock's deadline
   and bypass the services, the state machines and the office rule. The page stays readable; a POST is refused.
2. **Action selections are ids.** A list action posted with a selected id that is not a whole number (`1.5`, empty)
   made Django's queryset raise (a 500); now it is a warning and nothing happens.
"""

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _refuse_history_reverts()
    _check_action_ids()


def _refuse_history_reverts() -> None:
    from simple_history.admin import SimpleHistoryAdmin

    original = SimpleHistoryAdmin.history_form_view

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return original(self, request, object_id, version_id, extra_context=extra_context)

    SimpleHistoryAdmin.history_form_view = history_form_view


def _check_action_ids() -> None:
    original = ModelAdmin.response_action

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if any(not value.isdigit() or len(value) > 18 for value in selected):
            self.message_user(request, _("Choose the items from the list."), messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return original(self, request, queryset)

    ModelAdmin.response_action = response_action
