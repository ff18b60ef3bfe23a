"""Scoring, written once: how an answer passes or fails, what share of its weight it earns, and the audit's score.

- yes/no: yes passes (all of the weight), no fails (none);
- score 0–n: earns score/n of the weight; passes from the item's pass score;
- number: passes (all of the weight) when at least the item's target, else fails (none);
- computed: the measure's verdict; "not measurable yet" (no measure registered, no data) leaves the score;
- "not applicable" leaves the score.

Audit score = Σ weight × share / Σ weight of the items that count, in per cent (one decimal). The audit passes when
no critical item failed and the score reaches the `audit_pass_score` policy."""

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)
ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Judged:
    result: str                 # passed | failed | na | unmeasurable
    fraction: Decimal | None    # share of the weight earned; None when the item does not count


def judge_yes_no(value: str) -> Judged:
    if value == "na":
        return Judged("na", None)
    return Judged("passed", ONE) if value == "yes" else Judged("failed", ZERO)


def judge_score(*, score: int, max_score: int, pass_score: int) -> Judged:
    fraction = (Decimal(score) / Decimal(max_score)).quantize(Decimal("0.0001")) if max_score else ZERO
    return Judged("passed" if score >= pass_score else "failed", fraction)


def judge_number(*, number: Decimal, target: Decimal | None) -> Judged:
    passed = target is None or number >= target
    return Judged("passed", ONE) if passed else Judged("failed", ZERO)


def judge_computed(passed: bool | None) -> Judged:
    if passed is None:
        return Judged("unmeasurable", None)
    return Judged("passed", ONE) if passed else Judged("failed", ZERO)


@dataclass(frozen=True)
class AuditScore:
    score: Decimal | None
    critical_failed: bool
    failed: int
    counted: int

    def passed(self, *, pass_score: Decimal) -> bool | None:
        if self.critical_failed:
            return False
        if self.score is None:
            return None
        return self.score >= pass_score


def audit_score(rows: list[tuple[Decimal, bool, str, Decimal | None]]) -> AuditScore:
    """rows: (weight, critical, result, fraction) of every answer."""
    earned = total = ZERO
    critical_failed = False
    failed = counted = 0
    for weight, critical, result, fraction in rows:
        if result == "failed":
            failed += 1
            critical_failed = critical_failed or critical
        if fraction is None or result in ("na", "unmeasurable"):
            continue
        counted += 1
        earned += weight * fraction
        total += weight
    score = (earned * HUNDRED / total).quantize(Decimal("0.1")) if total else None
    return AuditScore(score=score, critical_failed=critical_failed, failed=failed, counted=counted)
