"""Keeping the open-work table (`OpenWork`) true: one row per open item of every registered kind.

`openwork_sync(item)` is called by `WorkItem.save()` (so every service, the admin and commands keep it), and
`openwork_refresh_clocks(...)` by the SLA-clock service whenever a clock starts, stops, pauses, resumes, breaches or
is waived — in the same transaction as the change. `openwork_rebuild()` rebuilds the table from the items.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from supply_service.core.bulk import update_rows
from supply_service.core.models import Chase, OpenWork, SlaClock
from supply_service.core.models.openwork import AMBER_FRACTION, NO_DUE
from supply_service.core.registry import WorkKind, kind_for_model, kinds


def _clock_summary(*, content_type_id: int, object_ids: list[int]) -> dict[int, dict]:
    """due_at / clock_started_at of the soonest running clock, breached, paused — per item, in one query."""
    rows = (
        SlaClock.objects.filter(content_type_id=content_type_id, object_id__in=object_ids, stopped_at__isnull=True)
        .exclude(state=SlaClock.State.WAIVED)
        .order_by("object_id", "due_at")
        .values_list("object_id", "state", "due_at", "started_at")
    )
    summary = {pk: {"due_at": None, "clock_started_at": None, "amber_at": None, "breached": False, "paused": False}
               for pk in object_ids}
    for object_id, state, due, started in rows:
        entry = summary[object_id]
        if state == SlaClock.State.BREACHED:
            entry["breached"] = True
        elif state == SlaClock.State.PAUSED:
            entry["paused"] = True
        elif state == SlaClock.State.RUNNING and due is not None and (entry["due_at"] is None or due < entry["due_at"]):
            entry["due_at"], entry["clock_started_at"] = due, started
            entry["amber_at"] = due - (due - started) * AMBER_FRACTION
    for entry in summary.values():
        entry["due_sort"] = entry["due_at"] or NO_DUE  # an indexed, never-null sort key: no sort of every open row
    return summary


def _fields(kind: WorkKind, item) -> dict:
    return {
        "number": item.number,
        "state": item.state,
        "office_id": item.office_id,
        "owner_id": item.owner_id,
        "assignee_id": getattr(item, f"{kind.assignee_field}_id", None) if kind.assignee_field else None,
        "customer_id": getattr(item, "customer_id", None),
        "channel": getattr(item, "channel", ""),
        "customer_name": getattr(item, "customer_name", ""),
        "account_number": getattr(item, "account_number", ""),
        "customer_phone": getattr(item, "customer_phone", ""),
        "created_at": item.created_at,
        **_visibility(kind, item),
    }


def _visibility(kind: WorkKind, item) -> dict:
    permission, hidden_from = kind.visibility(item) if kind.visibility is not None else ("", None)
    return {"view_permission": permission or "", "hidden_from_id": hidden_from}


def chase_count(*, content_type_id: int, object_id) -> Subquery:
    """The item's chases counted in the statement that writes its row (by the chases' (content type, id) index)."""
    return Coalesce(Subquery(
        Chase.objects.filter(content_type_id=content_type_id, object_id=object_id).order_by()
        .values("object_id").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0))


def openwork_chases_refresh(item) -> None:
    """The item was chased: its row's count of chases, counted anew (no row once the item is closed)."""
    kind = kind_for_model(type(item))
    if kind is None or item.pk is None:
        return
    content_type = ContentType.objects.get_for_model(type(item))
    OpenWork.objects.filter(kind=kind.key, object_id=item.pk).update(
        chases=chase_count(content_type_id=content_type.pk, object_id=item.pk))


def openwork_sync(item) -> None:
    """Write (or remove, once final) the item's open-work row. A few queries; no-op for unregistered models."""
    kind = kind_for_model(type(item))
    if kind is None or item.pk is None:
        return
    with transaction.atomic():
        if item.state in kind.final_states:
            OpenWork.objects.filter(kind=kind.key, object_id=item.pk).delete()
            return
        content_type = ContentType.objects.get_for_model(type(item))
        clocks = _clock_summary(content_type_id=content_type.pk, object_ids=[item.pk])[item.pk]
        fields = {**_fields(kind, item), **clocks}
        # the count of chases is kept by the chase itself; a row written anew (a new item, a reopened one) counts its
        # item's chases in the same INSERT — an update (every transition) leaves it as it is
        chases = chase_count(content_type_id=content_type.pk, object_id=item.pk)
        OpenWork.objects.update_or_create(kind=kind.key, object_id=item.pk, defaults=fields,
                                          create_defaults={**fields, "chases": chases})


CLOCK_FIELDS = ["due_at", "due_sort", "clock_started_at", "amber_at", "breached", "paused"]


def openwork_refresh_clocks(*, content_type_id: int, object_ids: list[int]) -> int:
    """The items' clocks changed: update due time, breached and paused of their rows (if they are open work).
    Three queries whatever the number of items: the rows, their clocks, one bulk UPDATE."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    kind = kind_for_model(model) if model is not None else None
    if kind is None or not object_ids:
        return 0
    rows = list(OpenWork.objects.filter(kind=kind.key, object_id__in=object_ids).values_list("pk", "object_id"))
    if not rows:
        return 0
    summary = _clock_summary(content_type_id=content_type_id, object_ids=sorted(oid for _pk, oid in rows))
    update_rows(OpenWork, [(pk, summary[oid]) for pk, oid in rows], CLOCK_FIELDS)
    return len(rows)


def openwork_rebuild(*, batch_size: int = 2000) -> int:
    """Rebuild the whole table from the items of every registered kind (after an import or a repair)."""
    written = 0
    with transaction.atomic():
        OpenWork.objects.all().delete()
        for kind in kinds():
            content_type = ContentType.objects.get_for_model(kind.model)
            items = kind.model.objects.exclude(state__in=kind.final_states).order_by("pk")
            batch = []
            for item in items.iterator(chunk_size=batch_size):
                batch.append(item)
                if len(batch) >= batch_size:
                    written += _write_batch(kind, content_type.pk, batch)
                    batch = []
            written += _write_batch(kind, content_type.pk, batch)
    return written


def _write_batch(kind: WorkKind, content_type_id: int, items: list) -> int:
    if not items:
        return 0
    ids = [i.pk for i in items]
    summary = _clock_summary(content_type_id=content_type_id, object_ids=ids)
    chases = dict(Chase.objects.filter(content_type_id=content_type_id, object_id__in=ids).order_by()
                  .values_list("object_id").annotate(n=Count("pk")))
    OpenWork.objects.bulk_create([OpenWork(kind=kind.key, object_id=i.pk, **_fields(kind, i), **summary[i.pk],
                                           chases=chases.get(i.pk, 0)) for i in items])
    return len(items)
