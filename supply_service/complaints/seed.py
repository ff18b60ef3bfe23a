"""Reference data of the complaints app: its commitments and policies (managers may change the numbers in the admin).
Used by the data migration (historical models) and by the tests' reference-data restore (real models). Idempotent:
an existing row keeps a manager's number."""

from django.utils.translation import gettext_noop

# code, title (English msgid), limit, unit, article
COMMITMENTS = [
    ("complaint_first_contact", gettext_noop("Complainant contacted after a complaint or report"), 24, "hours",
     "S13.5"),
    ("suggestion_reply", gettext_noop("Suggestion answered"), 15, "days", "S13.1"),
]

# code, title (English msgid), value, article
POLICIES = [
    ("feedback_rate_max", gettext_noop("Public feedback posts allowed from one address per window"), 5, "S13.1"),
    ("feedback_rate_minutes", gettext_noop("Window of the public feedback rate limit (minutes)"), 10, "S13.1"),
    ("feedback_kiosk_rate_max",
     gettext_noop("Suggestion-box posts allowed from one kiosk terminal per window"), 20, "S13.1"),
    ("feedback_kiosk_rate_minutes",
     gettext_noop("Window of the kiosk terminal's suggestion-box rate limit (minutes)"), 10, "S13.1"),
    ("complaint_identity_approval_hours",
     gettext_noop("Hours a custodian's approval to read a reporter's identity stays valid (one read)"), 24, "S13.5"),
    ("reporter_identity_retention_days",
     gettext_noop("Days a reporter's identity is kept after the item is closed"), 1095, "S13.5"),
]


def seed_reference(Commitment=None, Policy=None) -> None:
    if Commitment is None or Policy is None:
        from supply_service.core.models import Commitment, Policy
    for code, title, limit, unit, article in COMMITMENTS:
        Commitment.objects.get_or_create(
            code=code, defaults={"title": title, "limit": limit, "unit": unit, "article": article, "family": code})
    for code, title, value, article in POLICIES:
        Policy.objects.get_or_create(code=code, defaults={"title": title, "value": value, "article": article})
