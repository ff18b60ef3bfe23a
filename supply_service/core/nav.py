"""The staff top navigation: each app adds its own entries in `AppConfig.ready`, so the shared layout names no app.

    register_nav(NavLink(key="complaints", label=_("Complaints"), url_name="complaints:list",
                         permissions=("complaints.view_complaint",), order=50))

A link shows when the user has any of its permissions (none listed: every signed-in staff user). Permission checks
use the user's permission cache: no query per link.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavLink:
    key: str
    label: object
    url_name: str
    permissions: tuple[str, ...] = ()
    order: int = 100


_LINKS: dict[str, NavLink] = {}


def register_nav(link: NavLink) -> None:
    from supply_service.core.templatetags.once import once_clear

    _LINKS[link.key] = link
    once_clear()  # the remembered top bars name the links


def nav_links_for(user) -> list[tuple[str, str, str]]:
    """(key, label, url) of the links `user` may follow, in order."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = []
    for link in sorted(_LINKS.values(), key=lambda x: (x.order, x.key)):
        if link.permissions and not any(user.has_perm(p) for p in link.permissions):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        found.append((link.key, str(link.label), url))
    return found
