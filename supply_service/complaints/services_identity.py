"""The sealed reporter identity: who may read it, with which reason, after whose approval; every read logged in
the kernel's personal-data access log (who, when, why); erasure after the retention period."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from supply_service.complaints.models import FINAL_STATES, IDENTITY_FIELDS, Complaint, IdentityRequest, ReporterIdentity
from supply_service.complaints.selectors import complaint_visible_to
from supply_service.core.access import require_same_office
from supply_service.core.models import PersonalDataAccess
from supply_service.core.services.policy import policy_int

READ = "complaints.view_reporter_identity"
NEEDS_APPROVAL = gettext_noop("A custodian must approve your request first. An approval allows one read and "
                              "expires after a set number of hours; then ask again.")
CUSTODIAN = "complaints.approve_identity_request"


def _may_read(by, complaint: Complaint) -> None:
    if not (by.is_active and by.has_perm(READ) and complaint_visible_to(user=by, complaint=complaint)):
        raise PermissionDenied


def identity_request_create(*, complaint: Complaint, by, reason: str) -> IdentityRequest:
    """Ask to read a report's reporter identity; a custodian decides."""
    _may_read(by, complaint)
    require_same_office(by, complaint)
    if not complaint.is_report:
        raise ValidationError(_("Only a report's identity needs a custodian's approval."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason you need the reporter's identity.")})
    if complaint.identity_requests.filter(requested_by=by, state=IdentityRequest.State.PENDING).exists():
        raise ValidationError(_("Your request is already waiting for the custodian."))
    return IdentityRequest.objects.create(complaint=complaint, requested_by=by, reason=reason[:255])


def identity_request_decide(*, request: IdentityRequest, by, approve: bool, at: datetime | None = None):
    """The custodian (a manager, never the requester, never the person the report concerns) decides."""
    complaint = request.complaint
    if not (by.has_perm(CUSTODIAN) and complaint_visible_to(user=by, complaint=complaint)):
        raise PermissionDenied
    require_same_office(by, complaint)
    if by.pk == request.requested_by_id:
        raise ValidationError(_("A second person approves: not the one who asked."))
    with transaction.atomic():
        locked = IdentityRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != IdentityRequest.State.PENDING:
            raise ValidationError(_("This request was already decided."))
        locked.state = IdentityRequest.State.APPROVED if approve else IdentityRequest.State.REFUSED
        locked.decided_by, locked.decided_at = by, at or timezone.now()
        locked.save()
    return locked


def identity_approval_valid_since(*, now: datetime | None = None) -> datetime:
    """Approvals decided before this moment have expired (Policy `complaint_identity_approval_hours`)."""
    return (now or timezone.now()) - timedelta(hours=policy_int("complaint_identity_approval_hours"))


def identity_approved_request(*, complaint: Complaint, by, now: datetime | None = None) -> IdentityRequest | None:
    """`by`'s approval that still allows a read: approved, not used for a read yet, decided within the policy's
    hours. An approval serves one read; after that, or once expired, a new request is needed."""
    return complaint.identity_requests.filter(
        requested_by=by, state=IdentityRequest.State.APPROVED, used_at__isnull=True,
        decided_at__gte=identity_approval_valid_since(now=now)).order_by("-decided_at", "-pk").first()


def identity_read(*, complaint: Complaint, by, reason: str, where: str) -> ReporterIdentity:
    """Read the sealed identity: the dedicated permission, a reason, for reports an approved request; logged."""
    _may_read(by, complaint)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason you read the identity.")})
    now = timezone.now()
    approval = identity_approved_request(complaint=complaint, by=by, now=now) if complaint.is_report else None
    if complaint.is_report and approval is None:
        raise PermissionDenied(_(NEEDS_APPROVAL))
    identity = ReporterIdentity.objects.filter(complaint=complaint).first()
    if identity is None:
        raise ValidationError(_("No identity was given."))
    with transaction.atomic():
        # the approval is consumed by this read: of two racing reads, one reads
        if approval is not None and not IdentityRequest.objects.filter(
                pk=approval.pk, used_at__isnull=True).update(used_at=now):
            raise PermissionDenied(_(NEEDS_APPROVAL))
        PersonalDataAccess.objects.create(
            user=by, action=PersonalDataAccess.Action.VIEW, content_type=ContentType.objects.get_for_model(identity),
            object_id=identity.pk, label=complaint.number, record_count=1, reason=reason[:2000], where=where[:40],
        )
    return identity


def identity_erase_expired(*, now: datetime | None = None) -> int:
    """Erase the identities of items finished longer ago than the retention policy; the item's history says so."""
    now = now or timezone.now()
    limit = now - timedelta(days=policy_int("reporter_identity_retention_days"))
    due = Complaint.objects.filter(state__in=FINAL_STATES, closed_at__lt=limit, identity_erased_at__isnull=True)
    erased = 0
    for complaint in due.iterator():
        with transaction.atomic():
            ReporterIdentity.objects.filter(complaint=complaint).update(
                erased_at=now, **dict.fromkeys(IDENTITY_FIELDS, ""))
            complaint.identity_erased_at = now
            complaint._change_reason = "complaints.erase_identity"
            complaint.save(update_fields=["identity_erased_at", "updated_at"])
            erased += 1
    return erased
