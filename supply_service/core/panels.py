"""Panels that higher apps add to a lower app's page, without the page importing them.

The customer page shows the customer's work tickets and outages; the outage page shows the repair calls linked to
it; the ticket page shows the appointments booked for the ticket's step (business-expansion survey, inspection).
Those come from apps above the page's own (layers: core < customers < outages < tickets …), so each app registers
its panel in its `AppConfig.ready` and the page renders what is registered:

    register_panel("customer", key="tickets", template="tickets/partials/customer_panel.html",
                   context_fn=lambda *, request, customer: {...}, order=10)

A page asks `panels_for("customer", request=request, customer=customer)` and includes each panel's template with
`panel` (its context) in the template context. A panel whose `context_fn` returns None is left out (e.g. the user
may not see it).

A `context_fn` may be a generator (`core.together`): it yields its reads and returns its context, and the page's
panels' reads — with the page's own, `panels_with` — go to the database together, in one round trip on PostgreSQL.

A panel of a hot page may also register a `writer(context, **kwargs)`: Python that writes exactly what its template
writes (issue 12: four included panel templates were a tenth of the customer page). The page then shows
`panel.html` and the template stays the reference — tests/customers/test_customer_page_tags.py renders the page's
old template, which includes every panel's template, and compares whole pages.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    page: str
    key: str
    template: str
    context_fn: Callable[..., dict | None]
    order: int = 100
    writer: Callable[..., str] | None = None


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: dict
    html: str = ""  # what the panel's writer wrote ("" for a panel shown by its template)


_PANELS: dict[str, dict[str, Panel]] = {}


def register_panel(page: str, *, key: str, template: str, context_fn: Callable[..., dict | None],
                   order: int = 100, writer: Callable[..., str] | None = None) -> None:
    """Called from an app's `ready()`; the same key twice keeps the latest (autoreload, tests)."""
    _PANELS.setdefault(page, {})[key] = Panel(page=page, key=key, template=template, context_fn=context_fn,
                                              order=order, writer=writer)


def register_customer_panel(key: str, template: str, context_fn: Callable[..., dict | None], order: int = 100,
                            writer: Callable[..., str] | None = None) -> None:
    """A panel of the staff customer page; `context_fn(*, request, customer)`, `writer(context, *, request,
    customer)`."""
    register_panel("customer", key=key, template=template, context_fn=context_fn, order=order, writer=writer)


def register_ticket_panel(key: str, template: str, context_fn: Callable[..., dict | None], order: int = 100) -> None:
    """A panel of the staff ticket page; `context_fn(*, request, ticket)`. The page renders it on every ticket kind,
    so a panel for some kinds returns None for the others without a query, and keeps its own cost to a fixed
    number of queries (the page's count is pinned)."""
    register_panel("ticket", key=key, template=template, context_fn=context_fn, order=order)


def panels(page: str) -> list[Panel]:
    return sorted(_PANELS.get(page, {}).values(), key=lambda p: (p.order, p.key))


def panels_for(page: str, **kwargs) -> list[RenderedPanel]:
    """The page's panels in order, each with its context (computed now); panels that return None are left out."""
    return panels_with(page, {}, **kwargs)[0]


def panels_with(page: str, parts: dict, **kwargs) -> tuple[list[RenderedPanel], dict]:
    """`panels_for`, and the page's own `parts` (reads, generators of reads or values: `core.together.gather`),
    their reads sent together with the panels': a `context_fn` may be a generator yielding its reads and returning
    its context (or None). Gives (the panels, the parts' results)."""
    from supply_service.core.together import gather  # noqa: PLC0415  (core.together imports the ORM's layers)

    shown = panels(page)
    found = gather({**{("panel", panel.key): panel.context_fn(**kwargs) for panel in shown},
                    **{("part", key): part for key, part in parts.items()}})
    rendered = []
    for panel in shown:
        context = found[("panel", panel.key)]
        if context is not None:
            html = panel.writer(context, **kwargs) if panel.writer is not None else ""
            rendered.append(RenderedPanel(key=panel.key, template=panel.template, context=context, html=html))
    return rendered, {key: found[("part", key)] for key in parts}
