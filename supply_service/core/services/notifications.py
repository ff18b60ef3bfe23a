"""Telling staff that work arrived: an in-app notification on their home and an SMS (and e-mail) through the
outbox, written in the event's transaction. Texts are rendered in the recipient's language when they have one."""

from django.utils import timezone, translation

from supply_service.core.models import Notification
from supply_service.core.services.outbox import outbox_enqueue


def notify_staff(*, user, key: str, text, item_number: str = "", url: str = "", at=None,
                 sms: bool = True) -> Notification | None:
    """One notification for `user` (idempotent per `key`: SMS/e-mail keys derive from it). `text` may be a lazy
    string or a callable returning the text; it is rendered in the user's language."""
    if user is None or not user.is_active:
        return None
    language = getattr(user, "language", "") or translation.get_language() or "zh-hans"
    with translation.override(language):
        body = str(text() if callable(text) else text)[:255]
    note = Notification.objects.create(user=user, created_at=at or timezone.now(), text=body,
                                       item_number=item_number, url=url)
    if sms and user.phone:
        outbox_enqueue(key=f"{key}:{user.pk}:sms", channel="sms", recipient=user.phone, body=body)
    return note


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
