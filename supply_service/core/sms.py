"""SMS backends. A real gateway adapter subclasses `BaseSmsBackend`; the setting SMS_BACKEND names the class."""

import json
import sys
import threading
from abc import ABC, abstractmethod
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The gateway refused or failed to take the message; the outbox retries later."""


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, *, to: str, body: str, reference: str) -> str:
        """Hand one message to the gateway; return the gateway's message id. Raise SmsError on failure.

        `reference` is the outbox message's idempotency key, the same on every attempt. After a worker is killed
        mid-send the message is sent again (at-least-once), so an adapter passes `reference` to the gateway as its
        client message id / de-duplication key (e.g. `OutId`), letting the gateway drop the repeat."""


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, *, to: str, body: str, reference: str) -> str:
        sys.stdout.write(f"SMS to {to} [{reference}]: {body}\n")
        return reference


class FileSmsBackend(BaseSmsBackend):
    """Appends each message as a JSON line to SMS_FILE_PATH/sms-YYYYMMDD.jsonl (the default while developing)."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        line = json.dumps({"at": now.isoformat(), "to": to, "body": body, "reference": reference}, ensure_ascii=False)
        with (folder / f"sms-{now:%Y%m%d}.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return reference


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in `LocmemSmsBackend.outbox` (tests). Set `fail_next` to make sends raise."""

    outbox: list[dict] = []
    fail_next = 0
    _lock = threading.Lock()

    def send(self, *, to: str, body: str, reference: str) -> str:
        with self._lock:
            if LocmemSmsBackend.fail_next > 0:
                LocmemSmsBackend.fail_next -= 1
                raise SmsError("gateway unavailable")
            LocmemSmsBackend.outbox.append({"to": to, "body": body, "reference": reference})
        return reference


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
