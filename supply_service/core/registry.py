"""The registry of work-item kinds: how the kernel, the workspace, the customer page, the kiosk and the dashboard
know every kind of closed-loop work without importing a workflow app.

Each workflow app registers its kinds in its `AppConfig.ready` (`register_kind(WorkKind(...))`). Readers ask the
registry (`kinds()`, `kind_for_model()`, `kind_for_key()`); the open-work table (`core.models.OpenWork`) holds one
row per open item of every registered kind, kept by `WorkItem.save()` and the SLA-clock service.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class WorkKind:
    """One kind of work item.

    - `key`: short name in URLs and the open-work table ("repair", "complaint" …);
    - `model`: the concrete WorkItem model; `label` defaults to its verbose name;
    - `url_name`: the staff page of one item, reversed with `number=`;
    - `final_states`: states in which the item is no longer open work;
    - `assignee_field`: the person the work is assigned to besides its owner (a repair crew), if any;
    - `skip_transitions`: transitions that do not mean "work waits for this role" (cancel, reopen …);
    - `state_label(state)`: the state in words (defaults to the model's choices);
    - `visibility(item)`: an extra permission needed to see this item and a user it is hidden from (see below).
    """

    key: str
    model: type[models.Model]
    url_name: str
    final_states: tuple[str, ...]
    label: object = None
    assignee_field: str = ""
    callback_state: str = ""  # the state in which the loop waits for a callback (shown as "callback due")
    skip_transitions: frozenset[str] = frozenset({"cancel", "reopen", "call_back"})
    state_label: Callable[[str], str] | None = None
    # `visibility(item) -> (extra permission or "", user id the item is hidden from or None)`: who may see an item
    # beyond the kind's view permission, written on its open-work row so that every list obeys the kind's rule.
    visibility: Callable[[object], tuple[str, int | None]] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def display_label(self) -> str:
        return str(self.label or self.model._meta.verbose_name)

    def label_of_state(self, state: str) -> str:
        if self.state_label is not None:
            return str(self.state_label(state))
        choices = dict(self.model._meta.get_field("state").choices or [])
        return str(choices.get(state, state))

    def actionable_states(self, user) -> list[str]:
        """States in which `user` may take a step of this kind's machine (from its transitions and permissions):
        the "waiting for my role" queue. No query beyond the user's permission cache."""
        probe = self.model()
        states: set[str] = set()
        for transition in self.model._meta.get_field("state").get_all_transitions(self.model):
            if transition.name in self.skip_transitions or transition.custom.get("system"):
                continue
            permission = transition.permission
            allowed = permission(probe, user) if callable(permission) else (not permission or user.has_perm(permission))
            if allowed and transition.source not in self.final_states:
                states.add(transition.source)
        return sorted(states)


_KINDS: dict[str, WorkKind] = {}


def register_kind(kind: WorkKind) -> None:
    """Called from an app's `ready()`; registering the same key twice keeps the latest (autoreload, tests)."""
    _KINDS[kind.key] = kind


def kinds() -> list[WorkKind]:
    return list(_KINDS.values())


def kind_for_key(key: str) -> WorkKind | None:
    return _KINDS.get(key)


def kind_for_model(model: type[models.Model]) -> WorkKind | None:
    model = getattr(model, "_meta", None) and model._meta.concrete_model
    for kind in _KINDS.values():
        if kind.model is model:
            return kind
    return None


def kinds_viewable_by(user, keys: Iterable[str] | None = None) -> list[WorkKind]:
    """The kinds whose items `user` may view (`<app>.view_<model>`)."""
    wanted = set(keys) if keys is not None else None
    return [k for k in _KINDS.values() if (wanted is None or k.key in wanted)
            and user.has_perm(f"{k.model._meta.app_label}.view_{k.model._meta.model_name}")]
