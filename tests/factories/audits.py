"""Audits: a planned audit, an audit in progress (computed items measured), photos, duty shifts."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from supply_service.audits.models import AnswerType, Audit, DutyShift
from supply_service.audits.services import audit_answer, audit_plan, audit_start
from supply_service.core.models import ServiceLanguage
from tests.factories.core import UserFactory


def plan_audit(*, office, auditor, kind: str = "routine", by=None, planned_for: date | None = None) -> Audit:
    return audit_plan(office=office, kind=kind, auditor=auditor, by=by or auditor,
                      planned_for=planned_for or timezone.localdate())


def started_audit(*, office, auditor, kind: str = "routine", at: datetime | None = None) -> Audit:
    audit = plan_audit(office=office, auditor=auditor, kind=kind)
    return audit_start(audit=audit, by=auditor, at=at)


def photo(*, size=(64, 48), fmt: str = "JPEG", exif: bool = True, name: str = "photo.jpg") -> SimpleUploadedFile:
    """A small photo (with EXIF naming a camera and a GPS-like comment when `exif`)."""
    image = Image.new("RGB", size, (200, 30, 30))
    out = BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SecretCam"        # Make
        data[0x9286] = "GPS 43.8N 87.6E"  # UserComment
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def speaker(*, office, code: str, username: str):
    """An active member of staff of `office` who serves in the language `code` (en, csl)."""
    user = UserFactory(username=username, office=office, roles=["counter_clerk"])
    user.languages_served.add(ServiceLanguage.objects.get(code=code))
    return user


def on_duty(*, office, staff, day: date, hours=(8, 18)) -> DutyShift:
    start = timezone.make_aware(datetime.combine(day, time(hours[0])))
    return DutyShift.objects.create(office=office, staff=staff, starts_at=start,
                                    ends_at=start + timedelta(hours=hours[1] - hours[0]))


def answer_all(audit, by, *, fail=(), note="ok"):
    """Answer every item the auditor answers: pass, except the keys in `fail`."""
    for item in audit.template.items.exclude(answer_type=AnswerType.COMPUTED):
        failing = item.key in fail
        kwargs = {"value": "no" if failing else "yes"}
        if item.answer_type == AnswerType.SCORE:
            kwargs = {"value": "score", "score": 0 if failing else item.max_score}
        elif item.answer_type == AnswerType.NUMBER:
            kwargs = {"value": "number", "number": Decimal(0) if failing else item.target}
        audit_answer(audit=audit, item=item, by=by, note=note if failing else "", **kwargs)
