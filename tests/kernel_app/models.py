"""A small concrete work item that exercises the kernel's abstract WorkItem (test-only app, no migrations)."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from supply_service.core.models import WorkItem


class SampleItem(ConcurrentTransitionMixin, WorkItem):
    NUMBER_PREFIX = "TS"

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    state = FSMField(default=State.RECEIVED, choices=State.choices, protected=True)
    request = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "kernel_app"
        permissions = [("resolve_sampleitem", "Can resolve"), ("close_sampleitem", "Can close")]

    @transition(field=state, source=State.RECEIVED, target=State.RESOLVED, permission="kernel_app.resolve_sampleitem")
    def resolve(self, *, at):
        self.resolved_at = at

    @transition(field=state, source=State.RESOLVED, target=State.RECEIVED)
    def reopen(self):
        self.resolved_at = None

    @transition(
        field=state, source=State.RESOLVED, target=State.CLOSED, permission="kernel_app.close_sampleitem",
        conditions=[WorkItem.loop_closable],
    )
    def close(self, *, at):
        self.closed_at = at
