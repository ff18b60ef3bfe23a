"""Events a lower layer announces and higher layers act on, without the lower one importing them.

    register("outage_restored", fn)                    # in the higher app's AppConfig.ready
    emit("outage_restored", notice_number=..., at=...)  # in the lower app's service, inside its transaction

A plain registry of callables, not Django signals: the handlers run synchronously, in the caller's transaction
(a handler's failure rolls the whole step back), in the order they were registered. Handlers take keyword
arguments only. Side effects beyond the database belong in the handlers' own outbox rows / `on_commit`.
"""

from collections.abc import Callable

_HANDLERS: dict[str, list[Callable[..., object]]] = {}

EVENTS = {
    "outage_restored": "Supply is back after an outage: notice_number=, at=.",
    "outage_changed": "An outage notice's actual times, state or affected customers changed (published, power "
                      "off, restored, cancelled): notice_id=.",
    "appointment_code_check": "A customer checks in with an appointment code at the counter's number printer: "
                              "code=, office=; a handler returns True (valid today at this office), False or None.",
    "ticket_step_check": "A work ticket's step is about to be taken: ticket=, action=; a handler returns a message "
                         "when the step must wait (e.g. on a booked appointment), else None.",
}


def register(event: str, handler: Callable[..., object]) -> None:
    """Add `handler` for `event`; registering the same function twice keeps one (autoreload, tests)."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}; declare it in core.hooks.EVENTS")
    registered = _HANDLERS.setdefault(event, [])
    key = _name(handler)
    registered[:] = [h for h in registered if _name(h) != key]
    registered.append(handler)


def _name(handler) -> tuple:
    return getattr(handler, "__module__", None), getattr(handler, "__qualname__", None) or id(handler)


def handlers(event: str) -> list[Callable[..., object]]:
    return list(_HANDLERS.get(event, []))


def emit(event: str, **kwargs) -> list[object]:
    """Call every handler of `event` with `kwargs` (in the caller's transaction); their results, in order."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    return [handler(**kwargs) for handler in handlers(event)]
