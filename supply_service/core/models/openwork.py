from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)  # the sort key of an item with no running clock: last
# A running clock turns amber when less than this share of its time is left (the signal of every page, the open-work
# table's stored `amber_at`, the manager's "due soon" figure).
AMBER_FRACTION = 0.25
# The rows with a visibility rule of their own (an extra permission, a person it is hidden from): few; the office
# figures subtract those the reader may not see (core.selectors_work.RESTRICTED_SQL is this condition written out).
RESTRICTED = models.Q(hidden_from_id__isnull=False) | ~models.Q(view_permission="")
# The open items that were chased: few; the manager's "chases outstanding" sums their `chases` (CHASED_SQL written out).
CHASED = models.Q(chases__gt=0)


class OpenWork(models.Model):
    """One row per open work item of every registered kind: what every work list and home page reads, so that their
    cost grows neither with the number of kinds nor with closed items. A projection, not a business record: kept in
    the item's own transaction by `WorkItem.save()` and by the SLA-clock service, removed when the item is final;
    `manage.py openwork_rebuild` rebuilds it from the items."""

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("item id"))
    number = models.CharField(_("number"), max_length=24, unique=True)
    state = models.CharField(_("state"), max_length=24)
    office = models.ForeignKey("core.Office", on_delete=models.CASCADE, related_name="+", verbose_name=_("office"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("owner"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("assigned to"))
    customer_id = models.PositiveBigIntegerField(_("customer"), null=True)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    customer_name = models.CharField(_("customer name"), max_length=120, blank=True)
    account_number = models.CharField(_("account number"), max_length=20, blank=True)
    customer_phone = models.CharField(_("customer phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"), null=True)
    due_sort = models.DateTimeField(_("sort key"), default=NO_DUE,
                                    help_text=_("The due time, or the far future without a running clock."))
    clock_started_at = models.DateTimeField(_("clock started at"), null=True)
    amber_at = models.DateTimeField(_("amber from"), null=True,
                                    help_text=_("When less than a quarter of the time is left."))
    breached = models.BooleanField(_("breached"), default=False)
    paused = models.BooleanField(_("waiting for the customer"), default=False)
    # the item's chases (督办) — kept by openwork_sync and workitem_chase — so that the manager's "chases outstanding"
    # reads the chased open items from a partial index, not every chase ever made (issue 12)
    chases = models.PositiveIntegerField(_("chases"), default=0)
    # Who may see the row besides the kind's view permission (the kind's `visibility(item)`, core.registry): an
    # extra permission (a whistleblowing report needs the report permission) and a person it is hidden from (the
    # staff member a complaint is about). Every read of the table applies `core.selectors_work.visible_q`.
    view_permission = models.CharField(_("extra permission to see it"), max_length=100, blank=True, default="")
    hidden_from_id = models.PositiveBigIntegerField(_("hidden from (user)"), null=True, blank=True)

    class Meta:
        verbose_name = _("open work item")
        verbose_name_plural = _("open work")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_open_row_per_item")]
        indexes = [
            # the lists' order exactly (soonest due, then newest, then id): page N is an index walk, no sort
            models.Index(fields=["office", "due_sort", "-created_at", "id"], name="openwork_office_due_order"),
            models.Index(fields=["owner", "due_sort", "-created_at", "id"], name="openwork_owner_due_order"),
            models.Index(fields=["assignee", "due_sort", "-created_at", "id"], name="openwork_assignee_due_order"),
            # a list of one kind and state in the lists' order (the dispatcher's "received repairs": an index walk to
            # a page, not a sort of every match); the home's counts per kind (each stream's first hundred by kind:
            # core.selectors_work._home_counts) read from the index alone: what the visibility and "not assigned to
            # someone else" rules test is in it
            models.Index(fields=["office", "kind", "state", "due_sort", "-created_at", "id", "assignee",
                                 "hidden_from_id", "view_permission"],
                         name="openwork_office_kind_state"),
            # the home's "waiting for my role" counted per kind and state by seeks: only the items no one holds
            # (those assigned to the reader are the home's "assigned to me"); the office's assigned repairs, most of
            # its open repairs, are not walked past (core.selectors_work._home_counts_statement)
            models.Index(fields=["office", "kind", "state", "hidden_from_id", "view_permission", "id"],
                         name="openwork_unassigned", condition=models.Q(assignee__isnull=True)),
            models.Index(fields=["owner", "kind", "hidden_from_id", "view_permission"], name="openwork_owner_kind"),
            models.Index(fields=["assignee", "kind", "hidden_from_id", "view_permission"],
                         name="openwork_assignee_kind"),
            # the manager's office figures: range counts on (office, breached, due_at, amber_at), then less the few
            # rows with a visibility rule, read from their own partial index (core.selectors_work._office_summary_sql)
            models.Index(fields=["office", "breached", "due_at", "amber_at"], name="openwork_office_figures"),
            models.Index(fields=["office", "breached", "due_at", "amber_at", "kind", "hidden_from_id",
                                 "view_permission"], name="openwork_office_restricted", condition=RESTRICTED),
            models.Index(fields=["office", "kind", "hidden_from_id", "view_permission", "chases"],
                         name="openwork_chased", condition=CHASED),
            models.Index(fields=["office", "amber_at"]),
            models.Index(fields=["customer_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.state}"


class Notification(models.Model):
    """An in-app message to a member of staff ("work arrived": a dispatch, a hand-over, a chase), shown on their
    home until read. The same event also goes to their phone through the outbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("for"))
    created_at = models.DateTimeField(_("at"))
    text = models.CharField(_("message"), max_length=255)
    item_number = models.CharField(_("item"), max_length=24, blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.text
