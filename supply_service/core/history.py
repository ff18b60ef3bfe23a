"""The history timeline of any business record (django-simple-history), once for every app: when, who, the step
in words (from the change reason) and what each step changed, old → new, in the user's language.

`history_timeline(obj=…, labels=…, display=…)` reads the records with their users in one query, and the users named
in changed user fields in at most one more. Each app gives the words for its change reasons (`labels`) and how a
value of one of its fields reads (`display`); `partials/history.html` shows the result."""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import IntegerField

from supply_service.core.prepared import Bind, prepared


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime
    who: object
    reason: str
    label: str
    kind: str  # "+" created, "~" changed
    changes: list[Change] = field(default_factory=list)


Display = Callable[[models.Field, object, dict], str]


def _user_fields(model) -> set[str]:
    user_model = get_user_model()
    return {f.name for f in model._meta.fields if isinstance(f, models.ForeignKey) and f.related_model is user_model}


@functools.cache
def _records(model):
    """The history records of one `model` row with their users, oldest first (compiled once: core.prepared)."""
    history = model.history.model
    return prepared(lambda: history._default_manager.filter(**{model._meta.pk.attname: Bind("pk", IntegerField())})
                    .select_related("history_user").order_by("history_date", "history_id"))


def history_timeline(*, obj, labels: dict[str, str], display: Display, created_label: str, changed_label: str,
                     included_fields: Iterable[str] | None = None,
                     creator: Callable[[], object] | None = None) -> list[HistoryEntry]:
    """Every history record of `obj`, oldest first. `display(model_field, value, users)` turns a stored value into
    words (`users`: the users named in changed user fields, by id); `creator()` stands for who created the record
    when no user was recorded (a command, an import) — called only then."""
    records = _records(type(obj))(pk=obj.pk)
    fields = list(included_fields) if included_fields is not None else None
    deltas, previous = [], None
    for record in records:
        deltas.append(record.diff_against(previous, included_fields=fields).changes if previous is not None else [])
        previous = record
    model = type(obj)
    user_fields = _user_fields(model)
    user_ids = {value for changes in deltas for change in changes if change.field in user_fields
                for value in (change.old, change.new) if value is not None}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    entries = []
    for record, changes in zip(records, deltas, strict=True):
        reason = record.history_change_reason or ""
        who = record.history_user
        if who is None and record.history_type == "+" and creator is not None:
            who = creator()
        entry = HistoryEntry(at=record.history_date, who=who, reason=reason, kind=record.history_type,
                             label=labels.get(reason) or (created_label if record.history_type == "+" else changed_label))
        for change in changes:
            model_field = model._meta.get_field(change.field)
            entry.changes.append(Change(field=change.field, label=str(model_field.verbose_name),
                                        old=display(model_field, change.old, users),
                                        new=display(model_field, change.new, users)))
        entries.append(entry)
    return entries
