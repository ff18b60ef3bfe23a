"""Reference data of the counter: its policy values and the counter's payment methods (tenders). Written by the
data migration and put back by `ensure_reference_data` after a flush (tests) — the numbers live here once."""

from decimal import Decimal

from django.utils.translation import gettext_noop

POLICIES = [
    ("counter_recall_limit", gettext_noop("Times a called number may be called again before it is a no-show"), 3,
     "S10.2.1"),
    ("counter_assisted_head_start_minutes",
     gettext_noop("Head start of an elderly or disabled customer's number in the queue (minutes)"), 10, "S10.3.3"),
    ("counter_appointment_head_start_minutes",
     gettext_noop("Head start of an appointment holder's number in the queue (minutes)"), 15, "S10.3.3"),
    ("counter_heads_up_ahead", gettext_noop("Numbers ahead when a waiting customer gets the SMS reminder"), 3,
     "S8.2"),
    ("counter_default_handling_minutes",
     gettext_noop("Handling time per customer assumed for the estimated wait until there is data (minutes)"), 5,
     "S8.2"),
    ("counter_rating_seconds", gettext_noop("Seconds after a transaction during which the rating pad takes a press"),
     60, "S10.3.3"),
    ("payment_methods_min", gettext_noop("Payment methods that must stay offered"), 3, "S10.3.4"),
    ("clerk_photo_max_kb", gettext_noop("Largest clerk photo accepted for the rating pad (KB)"), 5120, ""),
    ("clerk_photo_max_megapixels", gettext_noop("Largest clerk photo accepted for the rating pad (megapixels)"), 50,
     ""),
    ("clerk_photo_max_side", gettext_noop("Longest side a clerk photo is kept at (pixels)"), 480, ""),
]

# code, title (English msgid), limit, unit, article. The callback after a "not satisfied" press: 24 hours, the same
# as the complaints' first contact (S13.5, State Grid 95598 practice: the customer is contacted within 24 hours);
# a manager may change the number in the admin.
COMMITMENTS = [
    ("counter_rating_followup",
     gettext_noop("Customer called back after a “not satisfied” rating at the counter"), 24, "hours", "S13.5"),
]

TENDERS = [
    {"code": "cash", "position": 1, "is_cash": True, "method": "counter",
     "name_zh_hans": "现金", "name_en": "Cash", "name_ug": "نەق پۇل", "name_bo": "དངུལ་དངོས།"},
    {"code": "bank_card", "position": 2, "is_cash": False, "method": "counter",
     "name_zh_hans": "银行卡", "name_en": "Bank card", "name_ug": "بانكا كارتىسى", "name_bo": "དངུལ་ཁང་གི་བྱང་བུ།"},
    {"code": "mobile_pay", "position": 3, "is_cash": False, "method": "mobile",
     "name_zh_hans": "扫码支付", "name_en": "Mobile pay (QR code)", "name_ug": "كود سىكانىرلاپ تۆلەش",
     "name_bo": "ཨང་རྟགས་བཤར་ནས་སྤྲོད་པ།"},
]


def seed_policies(Policy) -> None:
    for code, title, value, article in POLICIES:
        Policy.objects.get_or_create(code=code, defaults={"title": title, "value": Decimal(value), "article": article})


def seed_commitments(Commitment) -> None:
    for code, title, limit, unit, article in COMMITMENTS:
        Commitment.objects.get_or_create(code=code, defaults={
            "title": title, "limit": Decimal(limit), "unit": unit, "article": article, "family": code})


def seed_tenders(Tender, PaymentMethod) -> None:
    methods = {m.code: m for m in PaymentMethod.objects.all()}
    for spec in TENDERS:
        spec = dict(spec)
        method = methods.get(spec.pop("method")) or next(iter(methods.values()), None)
        if method is not None:
            Tender.objects.get_or_create(code=spec["code"], defaults={**spec, "payment_method": method})


def ensure_reference_data() -> None:
    """The counter's policies, commitments and tenders (idempotent; after a test flush)."""
    from supply_service.core.models import Commitment, Policy
    from supply_service.counter.models import Tender
    from supply_service.customers.models import PaymentMethod

    if Policy.objects.filter(code__in=[p[0] for p in POLICIES]).count() < len(POLICIES):
        seed_policies(Policy)
    if Commitment.objects.filter(code__in=[c[0] for c in COMMITMENTS]).count() < len(COMMITMENTS):
        seed_commitments(Commitment)
    if not Tender.objects.exists():
        seed_tenders(Tender, PaymentMethod)
