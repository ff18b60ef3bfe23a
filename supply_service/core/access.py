"""The office rule, written once: staff act only on the items of their own office.

Anyone with the view permission of a kind may READ another office's items (a customer may ask at any office of the
city), but every change — a step of a machine, a cancel, a callback, a hand-over, a chase, waiving a clock, a step
of an outage notice, a sensitive change to a customer — goes through `require_same_office` in the service, so that
the staff pages, the admin and the management commands all obey it.

Who passes for every office: superusers, and holders of the named permission `core.act_any_office` (granted to no
role by default; a city-level role may be given it in the admin).
"""

from django.core.exceptions import PermissionDenied
from django.utils.functional import empty as _EMPTY
from django.utils.translation import gettext_lazy as _

CROSS_OFFICE_PERMISSION = "core.act_any_office"
OTHER_OFFICE_MESSAGE = _("This item belongs to another office: you can read it but not change it.")


class OtherOfficeDenied(PermissionDenied):
    """Refused by the office rule; `str()` is the message for the user (in the active language)."""

    def __init__(self, message=None):
        super().__init__(message or OTHER_OFFICE_MESSAGE)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else str(OTHER_OFFICE_MESSAGE)


def acts_for_every_office(user) -> bool:
    return bool(user is not None and user.is_active and
                (user.is_superuser or user.has_perm(CROSS_OFFICE_PERMISSION)))


def office_may_act(user, office) -> bool:
    """May `user` change things of `office` (an Office, its id, or None for "no office")?

    Staff act for their own office only; an item without an office belongs to nobody's office, so only those
    who act for every office may change it."""
    if acts_for_every_office(user):
        return True
    office_id = getattr(office, "pk", office)
    return office_id is not None and getattr(user, "office_id", None) == office_id


def item_office_id(item):
    """The office an item belongs to: its `office_id` (tickets, notices, clocks, customers …)."""
    return getattr(item, "office_id", None)


def may_act_on(user, item) -> bool:
    return office_may_act(user, item_office_id(item))


def require_same_office(user, item, *, message=None) -> None:
    """Raise `OtherOfficeDenied` unless `user` may change `item` under the office rule."""
    if not may_act_on(user, item):
        raise OtherOfficeDenied(message)


def require_office(user, office, *, message=None) -> None:
    """The same rule for an office given directly (e.g. a new item created for `office`)."""
    if not office_may_act(user, office):
        raise OtherOfficeDenied(message)


def request_user(request):
    """`request.user` as the user itself, put back on the request: Django hands views a lazy proxy whose every
    attribute read is two Python calls (2 µs on this VM; a customer page reads it a hundred times through its panels
    and fragments: issue 12). Call after the login check (the proxy is evaluated by then; it is evaluated here
    otherwise)."""
    user = request.user
    wrapped = getattr(user, "_wrapped", None)
    if wrapped is None:  # not a lazy object: already the user
        return user
    if wrapped is _EMPTY:
        user._setup()
        wrapped = user._wrapped
    request.user = wrapped
    return wrapped

