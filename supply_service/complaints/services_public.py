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
KIOSK_PURPOSE = {FEEDBACK: "k_feedback", TRACK: "k_track"}  # a bound kiosk terminal's own counts
# (purpose of the count) -> (Policy of the number allowed, Policy of the window in minutes)
RATE_POLICIES = {
    FEEDBACK: ("feedback_rate_max", "feedback_rate_minutes"),
    TRACK: ("feedback_rate_max", "feedback_rate_minutes"),
    KIOSK_PURPOSE[FEEDBACK]: ("feedback_kiosk_rate_max", "feedback_kiosk_rate_minutes"),
    KIOSK_PURPOSE[TRACK]: ("feedback_kiosk_rate_max", "feedback_kiosk_rate_minutes"),
}


class RateLimited(ValidationError):
    """Too many posts from one address in the policy's window."""


def client_key(address: str) -> str:
    """The client's address, hashed with the site's secret: the table never holds an address in clear."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()


def public_rate_key(*, address: str, terminal: str | None, purpose: str) -> tuple[str, str]:
    """(hashed client, purpose) of a post. Every customer at an office's kiosks comes from one address, so a bound
    kiosk terminal (its signed id, `core.http.terminal_id`) is counted on its own — terminal and address together,
    under the kiosk's policies; anything else (the web form, an unbound browser) by its address."""
    if terminal:
        return client_key(f"{address}|terminal:{terminal}"), KIOSK_PURPOSE[purpose]
    return client_key(address), purpose


def public_rate_check(*, client: str, purpose: str, now: datetime | None = None) -> None:
    """Count this post; refuse it when the client already posted the policy's number in the window (the policies
    of the purpose: `RATE_POLICIES`)."""
    now = now or timezone.now()
    max_code, minutes_code = RATE_POLICIES[purpose]
    window = timedelta(minutes=policy_int(minutes_code))
    limit = policy_int(max_code)
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
