"""Verification at the kiosk: account number + query PIN, with a lockout per account (S10.3.1, Policy table).

The rule (README, "Security"); N = Policy `kiosk_lockout_failures`, W = Policy `kiosk_lockout_minutes`:

- A *failure* is a wrong PIN, an account without a PIN or an unknown account number. The lookup log records all
  three alike ("wrong"), keyed by the account number entered, so from outside they look and lock the same.
- An account locks at the failure that makes N failures within W minutes (since its last successful verification,
  whatever the sessions, terminals or addresses they came from) and stays locked for W minutes from that failure.
- While it is locked the PIN is never checked, not even a right one: the attempt is refused and recorded
  ("locked"). Refused attempts count towards the session and terminal throttles but do not extend the lockout
  (else anyone who knows an account number could keep its owner out with one request per window).
- A successful verification resets the count.
- Count, check and record run in one transaction under a lock on the account number (a PostgreSQL advisory lock,
  taken for unknown numbers too; SQLite's immediate transactions serialise all writes), so N concurrent wrong PINs
  are the most that are ever checked.
- Every outcome runs the password hasher exactly once and the same queries (no timing oracle).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from supply_service.core.services.policy import policy_int
from supply_service.customers.models import Customer, KioskLookup

Outcome = KioskLookup.Outcome
TERMINAL_FACTOR = 10       # a terminal is throttled only far past what forgetful customers produce (× N in W)
LOCK_NAMESPACE = 0x4B494F  # first key of the advisory lock: "KIO"sk account numbers


class KioskRefused(Exception):
    """Verification refused before checking the PIN (locked account or throttled terminal/session)."""

    def __init__(self, outcome: str, until: datetime | None = None):
        super().__init__(outcome)
        self.outcome = outcome
        self.until = until


@dataclass(frozen=True)
class KioskVerification:
    customer: Customer | None   # None: wrong account number or wrong PIN (one answer for both)
    attempts_left: int          # failures the account may still have before it locks (0: it is locked now)


@dataclass(frozen=True)
class _Counts:
    account: int                 # the account's failures within the window (since its last success)
    locked_from: datetime | None  # the failure that started a lockout still running
    terminal: int                # failed or refused attempts from this terminal within the window


def _lock_account_number(account_number: str) -> None:
    """Serialise attempts on one account number until the transaction ends."""
    if connection.vendor != "postgresql":
        return  # SQLite: BEGIN IMMEDIATE already serialises every writing transaction
    digest = hashlib.blake2b(account_number.encode(), digest_size=4).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                       [LOCK_NAMESPACE, int.from_bytes(digest, "big", signed=True)])


def _account_failures(*, account_number: str, at: datetime, window: timedelta):
    """Failures of the account that no later success reset, no older than twice the window (a lockout that is
    still running started within the window, and the failures that started it within one more). No upper bound:
    a row stamped a little later by another server's clock counts too."""
    lookups = KioskLookup.objects.filter(account_number=account_number)
    reset = lookups.filter(outcome=Outcome.VERIFIED, at__gte=OuterRef("at"))
    return lookups.filter(outcome=Outcome.WRONG, at__gt=at - 2 * window).filter(~Exists(reset))


def _counts(*, account_number: str, client: str, at: datetime, limit: int, window: timedelta) -> _Counts:
    """Two aggregate queries: the account's failures in the window and the start of a running lockout (a failure
    within the window that was the N-th within the window before it); the terminal's failures in the window."""
    failures = _account_failures(account_number=account_number, at=at, window=window)
    run = Subquery(
        failures.filter(at__lte=OuterRef("at"), at__gte=OuterRef("at") - window)
        .order_by().values("account_number").annotate(n=Count("pk")).values("n")[:1]
    )
    account = failures.filter(at__gte=at - window).annotate(run=run).aggregate(
        failures=Count("pk"), locked_from=Max("at", filter=Q(run__gte=limit, at__gt=at - window)))
    terminal = KioskLookup.objects.filter(
        client=client, outcome__in=[Outcome.WRONG, Outcome.LOCKED], at__gt=at - window).count()
    return _Counts(account=account["failures"], locked_from=account["locked_from"], terminal=terminal)


def _refusal(counts: _Counts, *, limit: int, session_failures: int) -> str | None:
    if session_failures >= limit or counts.terminal >= limit * TERMINAL_FACTOR:
        return Outcome.THROTTLED
    if counts.locked_from is not None:
        return Outcome.LOCKED
    return None


def _pin_matches(customer: Customer | None, pin: str) -> bool:
    """Run the password hasher exactly once: against the PIN's hash, or against nothing when there is no PIN to
    check (as Django's ModelBackend does for an unknown user), so every case costs the same."""
    if customer is not None and customer.pin_hash and is_password_usable(customer.pin_hash):
        return check_password(pin, customer.pin_hash)
    make_password(pin)
    return False


def customer_verify_for_kiosk(*, account_number: str, pin: str, client: str, office=None,
                              session_failures: int = 0, at: datetime | None = None) -> KioskVerification:
    """Check account number + PIN at the kiosk (the rule is in this module's docstring). Every attempt is recorded
    (KioskLookup). Raises KioskRefused, after recording it, when the account is locked or the terminal or session
    is throttled; `client` is the terminal's key (a hash), `session_failures` the failures of this session."""
    account_number = (account_number or "").strip()[:20]
    limit = policy_int("kiosk_lockout_failures")
    window = timedelta(minutes=policy_int("kiosk_lockout_minutes"))
    with transaction.atomic():
        _lock_account_number(account_number)
        at = at or timezone.now()  # taken under the lock: the attempts of one account are recorded in order
        customer = Customer.objects.filter(account_number=account_number, is_active=True).first()
        counts = _counts(account_number=account_number, client=client, at=at, limit=limit, window=window)
        refusal = _refusal(counts, limit=limit, session_failures=session_failures)
        matches = refusal is None and _pin_matches(customer, pin)
        outcome = refusal or (Outcome.VERIFIED if matches else Outcome.WRONG)
        KioskLookup.objects.create(account_number=account_number, customer=customer, office=office,
                                   client=client, at=at, outcome=outcome)
    if refusal is not None:
        make_password(pin)  # the hasher's one run, outside the account lock: refusals do not queue behind checks
        until = counts.locked_from + window if refusal == Outcome.LOCKED else None
        raise KioskRefused(refusal, until=until)
    if matches:
        return KioskVerification(customer=customer, attempts_left=limit)
    return KioskVerification(customer=None, attempts_left=max(limit - counts.account - 1, 0))
