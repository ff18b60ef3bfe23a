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
    # The extra permissions `visibility` may name (the lists then compare the user's permissions with these few, not
    # with all of them); None: not declared — every permission the user holds is compared.
    view_permissions: frozenset[str] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def display_label(self) -> str:
        return str(self.label or self.model._meta.verbose_name)

    def label_of_state(self, state: str) -> str:
        if self.state_label is not None:
            return str(self.state_label(state))
        from supply_service.core.html import choice_label  # noqa: PLC0415

        return choice_label(self.model._meta.get_field("state"), state)

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


def granted_view_permissions(user) -> list[str]:
    """The permissions of `user` that an open-work row may require (`WorkKind.view_permissions`), sorted: all of the
    user's permissions when a kind with a visibility rule did not declare its own."""
    granted = user.get_all_permissions()
    declared: set[str] = set()
    for kind in _KINDS.values():
        if kind.visibility is not None:
            if kind.view_permissions is None:
                return sorted(granted)
            declared |= kind.view_permissions
    return sorted(granted & declared)


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


# --- items hidden from some users, wherever a row points at them -------------------------------------------------
# The open-work table carries each row's visibility (`WorkKind.visibility`); rows that point at an item through a
# generic relation (SLA clocks, callbacks, chases, hand-overs, the personal-data access log) ask this registry: an app
# registers, per model, `hidden_q(user) -> Q | None` selecting that model's rows `user` may not see (a complaint
# about them, a whistleblowing report without the report permission).
_HIDDEN: dict[type[models.Model], Callable[[object], object]] = {}


def register_hidden_subjects(model: type[models.Model], hidden_q: Callable[[object], object]) -> None:
    """Called from an app's `ready()`; the same model twice keeps the latest."""
    _HIDDEN[model] = hidden_q


def subjects_hidden_q(user, *, content_type: str = "content_type", object_id: str = "object_id",
                      bound: dict | None = None):
    """A filter of the rows (by their generic relation) whose item is hidden from `user`, or None when none is: use
    as `qs.exclude(q)`. Subqueries inside the one query (content types come from Django's cache).

    For a statement compiled once (core.prepared): pass `bound={}` — each content type is then a bound value named
    in `bound` (name -> model; `hidden_subject_values(bound)` gives the values of a call), and `user` may be a
    stand-in whose id is bound (`core.selectors.UserStandIn`)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import IntegerField, Q

    from supply_service.core.prepared import Bind

    found = None
    for model, hidden_q in _HIDDEN.items():
        hidden = hidden_q(user)
        if hidden is None:
            continue
        if bound is None:
            ctype = ContentType.objects.get_for_model(model).pk
        else:
            name = "ct_" + model._meta.label_lower.replace(".", "_")
            bound[name] = model
            ctype = Bind(name, IntegerField())
        q = Q(**{content_type: ctype, f"{object_id}__in": model._default_manager.filter(hidden).values("pk")})
        found = q if found is None else found | q
    return found


def hidden_subject_values(bound: dict) -> dict:
    """The content type ids a statement built with `subjects_hidden_q(bound=…)` binds (from Django's cache)."""
    from django.contrib.contenttypes.models import ContentType

    return {name: ContentType.objects.get_for_model(model).pk for name, model in bound.items()}


def exclude_hidden_subjects(qs, user, **fields):
    """`qs` without the rows whose item is hidden from `user` (see `subjects_hidden_q`)."""
    q = subjects_hidden_q(user, **fields)
    return qs if q is None else qs.exclude(q)


# Rows of a kernel model that name an item without a relation to it (an outbox message's key and text carry the
# item's number): an app registers `hidden_q(user) -> Q | None` selecting the rows of that model `user` may not see.
_HIDDEN_ROWS: dict[tuple[type[models.Model], str], Callable[[object], object]] = {}


def register_hidden_rows(model: type[models.Model], key: str, hidden_q: Callable[[object], object]) -> None:
    """Called from an app's `ready()` (`key`: the app's label; the same key twice keeps the latest)."""
    _HIDDEN_ROWS[(model, key)] = hidden_q


def exclude_hidden_rows(qs, user):
    """`qs` without the rows of its model that some app hides from `user` (see `register_hidden_rows`)."""
    for (model, _key), hidden_q in _HIDDEN_ROWS.items():
        if model is qs.model:
            q = hidden_q(user)
            if q is not None:
                qs = qs.exclude(q)
    return qs
