from supply_service.appointments.models.appointment import (
    BOOKED_STATES,
    CHANGEABLE_STATES,
    FINAL_STATES,
    Appointment,
    Party,
    Reminder,
    State,
    WaitingEntry,
)
from supply_service.appointments.models.planning import (
    AppointmentKind,
    BookingDay,
    DayRule,
    DutyShift,
    Place,
    SlotException,
    SlotTemplate,
)

__all__ = [
    "BOOKED_STATES", "CHANGEABLE_STATES", "FINAL_STATES", "Appointment", "AppointmentKind", "BookingDay", "DayRule",
    "DutyShift", "Party", "Place", "Reminder", "SlotException", "SlotTemplate", "State", "WaitingEntry",
]
