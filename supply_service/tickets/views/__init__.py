"""The staff workbench for electronic work tickets: the work list, intake per kind, the ticket page with its
actions and panels, and the printable e-ticket (S9.1–S9.3, S10.3.3, S13.4, S13.5)."""

from supply_service.tickets.views.actions import (
    ticket_callback,
    ticket_chase,
    ticket_close_without_callback,
    ticket_do,
    ticket_hand_over,
    ticket_pause,
    ticket_resume,
)
from supply_service.tickets.views.detail import ticket_detail, ticket_print
from supply_service.tickets.views.intake import ticket_new, ticket_new_kind
from supply_service.tickets.views.lists import ticket_list

__all__ = [
    "ticket_callback",
    "ticket_chase",
    "ticket_close_without_callback",
    "ticket_detail",
    "ticket_do",
    "ticket_hand_over",
    "ticket_list",
    "ticket_new",
    "ticket_new_kind",
    "ticket_pause",
    "ticket_print",
    "ticket_resume",
]
