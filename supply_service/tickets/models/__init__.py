from supply_service.tickets.models.base import FINAL_STATES, State, Ticket
from supply_service.tickets.models.counter import CallRecord, CounterTransaction
from supply_service.tickets.models.expansion import BusinessExpansion
from supply_service.tickets.models.repair import RepairTicket
from supply_service.tickets.models.simple import BillQuery, Consultation, MeterFaultTicket

# Every ticket kind, by the key used in URLs and forms.
TICKET_KINDS = {
    model.KIND: model for model in (RepairTicket, BusinessExpansion, MeterFaultTicket, BillQuery, Consultation)
}
KIND_BY_PREFIX = {model.NUMBER_PREFIX: model for model in TICKET_KINDS.values()}

__all__ = [
    "FINAL_STATES",
    "KIND_BY_PREFIX",
    "TICKET_KINDS",
    "BillQuery",
    "BusinessExpansion",
    "CallRecord",
    "Consultation",
    "CounterTransaction",
    "MeterFaultTicket",
    "RepairTicket",
    "State",
    "Ticket",
]
