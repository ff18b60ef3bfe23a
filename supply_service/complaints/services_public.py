"""The public side: the feedback form (no login; honeypot in the view, rate limit here), and following an item
with its tracking code and secret."""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.complaints.models import Complaint, PublicSubmission
from supply_service.complaints.services import complaint_receive
from supply_service.core.roles import COMPLAINT_HANDLER, MANAGER
from supply_service.core.services.policy import policy_int

FEEDBACK = "feedback"
TRACK = "track"


class RateLimited(ValidationError):
    """Too many posts from one address in the policy's window."""


def client_key(address: str) -> str:
    """The client's address, hashed with the site's secret: the table never holds an address in clear."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()


def public_rate_check(*, client: str, purpose: str, now: datetime | None = None) -> None:
    """Count this post; refuse it when the address already posted the policy's number in the window."""
    now = now or timezone.now()
    window = timedelta(minutes=policy_int("feedback_rate_minutes"))
    limit = policy_int("feedback_rate_max")
    with transaction.atomic():
        PublicSubmission.objects.filter(at__lt=now - window).delete()  # throttling rows, not records
        recent = PublicSubmission.objects.filter(client=client, purpose=purpose, at__gte=now - window).count()
        if recent >= limit:
            raise RateLimited(_("Too many messages from your connection in a short time. Please try again later "
                                "or call 95598."))
        PublicSubmission.objects.create(client=client, purpose=purpose, at=now)


def public_receiver(office):
    """Who receives a message from the public for an office: a complaint handler of the office, else a manager."""
    users = get_user_model().objects.filter(office=office, is_active=True)
    for role in (COMPLAINT_HANDLER, MANAGER):
        found = users.filter(groups__name=role).order_by("pk").first()
        if found is not None:
            return found
    raise ValidationError(_("This office cannot take messages online at the moment: please call 95598."))


def public_feedback_submit(*, office, kind: str, summary: str, description: str, identity: dict, language: str,
                           channel: str, at: datetime | None = None) -> tuple[Complaint, str]:
    return complaint_receive(office=office, receiver=public_receiver(office), kind=kind, channel=channel,
                             summary=summary, description=description, identity=identity, language=language, at=at)


def public_track(*, code: str, secret: str) -> Complaint | None:
    """The item of this code if the secret matches (the same answer for a wrong code and a wrong secret)."""
    code = (code or "").strip().upper()
    valid = 0 < len(code) <= 24 and "\x00" not in code and "\x00" not in (secret or "")
    complaint = Complaint.objects.select_related("office").filter(number=code).first() if valid else None
    if complaint is None or not secret or not complaint.tracking_secret:
        check_password(secret or "-", "pbkdf2_sha256$1$x$x")  # similar time either way
        return None
    return complaint if check_password(secret, complaint.tracking_secret) else None
