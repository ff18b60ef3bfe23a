from supply_service.complaints.models.complaint import (
    CATEGORIES_BY_KIND,
    DEFAULT_CATEGORY,
    FINAL_STATES,
    FIRST_CONTACT_COMMITMENT,
    FIRST_CONTACT_KINDS,
    REPLY_COMMITMENT,
    Category,
    Complaint,
    CorrectiveAction,
    Finding,
    Kind,
    ReplyChannel,
    RootCause,
    State,
)
from supply_service.complaints.models.identity import (
    IDENTITY_FIELDS,
    IdentityRequest,
    PublicSubmission,
    ReporterIdentity,
)

__all__ = [
    "CATEGORIES_BY_KIND", "DEFAULT_CATEGORY", "FINAL_STATES", "FIRST_CONTACT_COMMITMENT", "FIRST_CONTACT_KINDS",
    "IDENTITY_FIELDS", "REPLY_COMMITMENT", "Category", "Complaint", "CorrectiveAction", "Finding",
    "IdentityRequest", "Kind", "PublicSubmission", "ReplyChannel", "ReporterIdentity", "RootCause", "State",
]
