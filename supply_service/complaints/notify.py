"""Messages to the customer through the kernel's outbox, in the customer's language: the acknowledgement (tracking
code and the handling promise of the kind, its limit read from the Commitment table) and "reply sent".

Reports (举报) get no outbox message: the recipient address would sit in the outbox, readable by everyone who may
see the outbox — the reporter keeps the tracking code and secret shown on screen instead. No message text names
the customer."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supply_service.complaints.models import REPLY_COMMITMENT, Complaint, Kind
from supply_service.core.selectors import commitments_by_code
from supply_service.core.services.outbox import outbox_enqueue

PROMISES = {
    Kind.COMPLAINT: gettext_lazy("A complaint handler contacts you within %(first)s and sends you the final answer "
                                 "within %(limit)s."),
    Kind.REPORT: gettext_lazy("Your report is handled in confidence; the final answer follows within %(limit)s. "
                              "Your identity is sealed."),
    Kind.SUGGESTION: gettext_lazy("We study your suggestion and answer within %(limit)s."),
    Kind.PRAISE: gettext_lazy("Thank you: we pass your praise on to the people concerned."),
}


def promise_text(kind: str) -> str:
    """What happens next and by when, for this kind, in the active language (limits from the Commitment table)."""
    from supply_service.complaints.models import FIRST_CONTACT_COMMITMENT

    codes = [code for code in (REPLY_COMMITMENT.get(kind), FIRST_CONTACT_COMMITMENT) if code]
    found = commitments_by_code(codes)
    reply = found.get(REPLY_COMMITMENT.get(kind, ""))
    first = found.get(FIRST_CONTACT_COMMITMENT)
    return str(PROMISES[kind]) % {"limit": reply.display_limit if reply else "",
                                  "first": first.display_limit if first else ""}


def _send(*, complaint: Complaint, identity: dict, key: str, subject, body) -> int:
    if complaint.kind == Kind.REPORT:
        return 0
    sent = 0
    language = complaint.language or "zh-hans"
    with translation.override(language):
        text, title = body(), str(subject)
    if identity.get("phone"):
        outbox_enqueue(key=f"{key}:sms", channel="sms", recipient=identity["phone"], body=text, language=language)
        sent += 1
    if identity.get("email"):
        outbox_enqueue(key=f"{key}:email", channel="email", recipient=identity["email"], subject=title, body=text,
                       language=language)
        sent += 1
    return sent


def acknowledge(*, complaint: Complaint, identity: dict) -> int:
    return _send(
        complaint=complaint, identity=identity, key=f"complaint-ack:{complaint.number}",
        subject=gettext_lazy("We received your message"),
        body=lambda: _("We received your message: tracking code %(number)s. %(promise)s") % {
            "number": complaint.number, "promise": promise_text(complaint.kind)},
    )


def reply_sent(*, complaint: Complaint) -> int:
    identity = getattr(complaint, "identity", None)
    contact = {"phone": identity.phone, "email": identity.email} if identity is not None else {}
    return _send(
        complaint=complaint, identity=contact, key=f"complaint-reply:{complaint.number}:{complaint.reopened}",
        subject=gettext_lazy("Our answer to your message"),
        body=lambda: _("Our answer to %(number)s has been sent. You can read it on the tracking page with your "
                       "code and secret.") % {"number": complaint.number},
    )
