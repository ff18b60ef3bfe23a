from supply_service.core.models.calendar import CalendarDay
from supply_service.core.models.commitments import Commitment, Policy
from supply_service.core.models.openwork import Notification, OpenWork
from supply_service.core.models.outbox import Outbox
from supply_service.core.models.privacy import PersonalDataAccess
from supply_service.core.models.sla import SlaClock, SlaPause
from supply_service.core.models.users import AreaClass, Office, PermissionStamp, ServiceLanguage, User
from supply_service.core.models.workitems import Callback, Channel, Chase, DailySequence, HandOver, WorkItem

__all__ = [
    "AreaClass",
    "CalendarDay",
    "Callback",
    "Channel",
    "Chase",
    "Commitment",
    "DailySequence",
    "HandOver",
    "Notification",
    "Office",
    "OpenWork",
    "Outbox",
    "PermissionStamp",
    "PersonalDataAccess",
    "Policy",
    "ServiceLanguage",
    "SlaClock",
    "SlaPause",
    "User",
    "WorkItem",
]
