"""Personal information (PIPL): every look at a customer's unmasked details and every export of personal data is
logged (`PersonalDataAccess`); exports need their own permission and a reason."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from supply_service.core.models.privacy import PersonalDataAccess

EXPORT_PERMISSION = "core.export_personal_data"
REASON_MAX = 2000


def personal_data_viewed(*, user, subject: models.Model, label: str, where: str) -> PersonalDataAccess:
    """Log that `user` saw `subject`'s unmasked personal details on `where` (a page or an admin)."""
    return PersonalDataAccess.objects.create(
        user=user, action=PersonalDataAccess.Action.VIEW, content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk, label=str(label)[:120], record_count=1, where=where[:40],
    )


def may_export_personal_data(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(EXPORT_PERMISSION))


def personal_data_export(*, user, model: type[models.Model], count: int, reason: str, where: str) -> PersonalDataAccess:
    """Allow and log an export of `count` records of `model`: needs `core.export_personal_data` and a reason."""
    if not may_export_personal_data(user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for exporting personal data."))
    return PersonalDataAccess.objects.create(
        user=user, action=PersonalDataAccess.Action.EXPORT, content_type=ContentType.objects.get_for_model(model),
        label=str(model._meta.verbose_name_plural)[:120], record_count=count, reason=reason[:REASON_MAX],
        where=where[:40],
    )
