"""Reference data of the audits: the corrective-action commitment, the audit policies and the checklist templates.
Functions take the model classes so that the data migration (historical models) and the tests (real ones, after a
flush) share them. Idempotent: rows a manager changed are left as they are."""

from decimal import Decimal

from django.utils.translation import gettext_noop

from supply_service.audits.checklist import templates_write

KINDS = ["routine", "mystery_shopper", "cross_inspection", "self_inspection"]

# code, title (English msgid), limit, unit, article
COMMITMENTS = [
    ("corrective_action", gettext_noop("Corrective action done after an audit finding"), 10, "working_days", "S13.4"),
]
# code, title (English msgid), value, article
POLICIES = [
    ("audit_pass_score", gettext_noop("Audit score that passes (per cent)"), 90, "S3"),
    ("audit_photo_max_kb", gettext_noop("Largest evidence photo accepted (KB)"), 10240, ""),
    ("audit_photo_max_megapixels", gettext_noop("Largest evidence photo accepted (megapixels)"), 50, ""),
    ("audit_photo_max_side", gettext_noop("Longest side an evidence photo is kept at (pixels)"), 1600, ""),
    ("languages_on_duty_min", gettext_noop("Staff on duty serving in English, and in sign language (at least)"), 1,
     "S7.4"),
    ("payment_methods_min", gettext_noop("Payment methods offered (at least)"), 3, "S10.3.4"),
    ("bill_history_months", gettext_noop("Months of bills a customer can query (at least)"), 24, "S10.3.1"),
    ("customer_forums_a_year", gettext_noop("Customer forums a year (at least)"), 3, "S12.2"),
]


def seed_reference_models(*, Commitment, Policy, Template, Item) -> None:  # noqa: N803 (model classes)
    for code, title, limit, unit, article in COMMITMENTS:
        Commitment.objects.get_or_create(code=code, defaults={"title": title, "limit": Decimal(limit), "unit": unit,
                                                              "article": article, "family": code})
    for code, title, value, article in POLICIES:
        Policy.objects.get_or_create(code=code, defaults={"title": title, "value": Decimal(value), "article": article})
    if not Template.objects.filter(is_active=True).exists():
        templates_write(Template=Template, Item=Item, kinds=KINDS)


def seed_reference() -> None:
    """With the real models (tests after a flush, `seed_demo`)."""
    from supply_service.audits.models import ChecklistItem, ChecklistTemplate
    from supply_service.core.models import Commitment, Policy

    seed_reference_models(Commitment=Commitment, Policy=Policy, Template=ChecklistTemplate, Item=ChecklistItem)
