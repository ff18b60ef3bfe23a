"""The staleness rule of every step form, written once: a form that changes a workflow item carries the state the
user saw (`seen_state`, a hidden field drawn with the page). The step is taken only when that state is there AND is
still the item's state; a missing or different one means someone changed the item meanwhile — nothing is done and
the user is told to look again. (The optimistic lock of the model — `ConcurrentTransitionMixin` — catches the
races this check cannot see, between reading the row and saving it.)"""

from collections.abc import Mapping

SEEN_STATE_FIELD = "seen_state"


def seen_state_matches(data: Mapping, item, *, field: str = "state") -> bool:
    """True when `data` (request.POST) names the state the user saw and the item is still in it."""
    seen = data.get(SEEN_STATE_FIELD)
    return bool(seen) and seen == str(getattr(item, field))
