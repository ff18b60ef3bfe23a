"""The checklist, generated from the standard: one or more items per requirement ID of `core.standard` (the copy of
STANDARD.md), with the question in the staff languages (Chinese, English), how it is answered, its weight and
whether it is critical — written as data in `checklist.toml` beside this module (so that the requirement map does
not count the list as code that enforces each ID). `templates_generate` (services) writes them; the requirement
map's "audited" column reads `checklist_requirements()` from this code, never from the database.

Computed items name a measure of the kernel's registry (`core.measures`); when no app registered it the item says
"not measurable yet" and leaves the score. An ID without a line below still gets a yes/no item built from its
title, so every ID of the standard is on the routine checklist."""

import hashlib
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from supply_service.core.standard import IDS, TITLES


@dataclass(frozen=True)
class ItemSpec:
    requirement: str
    key: str
    zh: str
    en: str
    answer_type: str = "yes_no"   # yes_no | score | number | computed
    max_score: int = 0
    pass_score: int = 0
    target: Decimal | None = None
    measure: str = ""              # computed: a measure key; "" = the first measure registered for the requirement
    weight: Decimal = Decimal(1)
    critical: bool = False
    period: str = "year"           # computed: measured over the audit's day, or the year up to the audit


CHECKLIST_FILE = Path(__file__).with_name("checklist.toml")


@cache
def _checklist() -> dict:
    with CHECKLIST_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _spec(row: dict) -> ItemSpec:
    return ItemSpec(
        requirement=row["requirement"], key=row["key"], zh=row["zh"], en=row["en"],
        answer_type=row.get("answer_type", "yes_no"), max_score=int(row.get("max_score", 0)),
        pass_score=int(row.get("pass_score", 0)),
        target=Decimal(str(row["target"])) if "target" in row else None, measure=row.get("measure", ""),
        weight=Decimal(str(row.get("weight", 1))), critical=bool(row.get("critical", False)),
        period=row.get("period", "year"),
    )


def all_specs() -> list[ItemSpec]:
    """Every line of checklist.toml."""
    return [_spec(row) for row in _checklist()["item"]]


def mystery_shopper_requirements() -> tuple[str, ...]:
    """What a customer sees: the mystery shopper's visit checks these requirements only."""
    return tuple(_checklist()["mystery_shopper"])


TEMPLATE_NAMES = {
    "routine": ("示范窗口检查表", "Demonstration-window checklist"),
    "mystery_shopper": ("明察暗访检查表", "Mystery-shopper checklist"),
    "cross_inspection": ("交叉互查检查表", "Cross-inspection checklist"),
    "self_inspection": ("自查检查表", "Self-inspection checklist"),
}


def standard_version() -> str:
    """A version label that changes when the standard's IDs or titles change: a new version, new templates."""
    digest = hashlib.sha256("\n".join(f"{i} {TITLES[i]}" for i in IDS).encode()).hexdigest()
    return f"std-{digest[:8]}"


def item_specs(kind: str = "routine") -> list[ItemSpec]:
    """The items of a kind's checklist in the standard's order; an ID without a line gets a yes/no item."""
    by_id: dict[str, list[ItemSpec]] = {}
    for spec in all_specs():
        by_id.setdefault(spec.requirement, []).append(spec)
    wanted = mystery_shopper_requirements() if kind == "mystery_shopper" else IDS
    specs: list[ItemSpec] = []
    for requirement in IDS:
        if requirement not in wanted:
            continue
        specs.extend(by_id.get(requirement) or [ItemSpec(requirement, requirement.lower().replace(".", "-"),
                                                         f"是否做到：{TITLES[requirement]}", TITLES[requirement])])
    return specs


def checklist_requirements() -> dict[str, list[str]]:
    """The requirement map's "audited" column: ID → the checklist items that audit it (from this code)."""
    found: dict[str, list[str]] = {}
    for spec in item_specs("routine"):
        how = f"measure {spec.measure}" if spec.answer_type == "computed" and spec.measure else spec.answer_type
        found.setdefault(spec.requirement, []).append(f"checklist: {spec.key} ({how})")
    return found


def _item_fields(spec: ItemSpec, position: int) -> dict:
    return {"requirement": spec.requirement, "position": position, "question_zh_hans": spec.zh,
            "question_en": spec.en, "answer_type": spec.answer_type, "max_score": spec.max_score,
            "pass_score": spec.pass_score, "target": spec.target, "measure_key": spec.measure,
            "measure_period": spec.period, "weight": spec.weight, "critical": spec.critical}


def _bulk_create(Item, items: list) -> None:  # noqa: N803 (model class)
    """Create the items at once, with their history rows when the model keeps history (the real model; a data
    migration's historical model has none)."""
    if hasattr(Item, "history"):
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(items, Item)
    else:
        Item.objects.bulk_create(items)


def templates_write(*, Template, Item, kinds, version: str | None = None) -> int:  # noqa: N803 (model classes)
    """Write one template per kind for this version of the standard and its items (idempotent: items updated by
    key; templates of other versions retired). Takes the model classes, so that the data migration (historical
    models) and `manage.py audit_templates` share it. Returns the number of items written."""
    version = version or standard_version()
    written = 0
    for kind in kinds:
        zh, en = TEMPLATE_NAMES[kind]
        template, _created = Template.objects.update_or_create(
            kind=kind, standard_version=version,
            defaults={"code": f"{kind.replace('_', '-')}-{version}", "name_zh_hans": zh, "name_en": en,
                      "is_active": True})
        specs = list(enumerate(item_specs(kind), start=1))
        if not Item.objects.filter(template=template).exists():  # a new template: its items in one statement
            _bulk_create(Item, [Item(template=template, key=spec.key, **_item_fields(spec, position))
                                for position, spec in specs])
            written += len(specs)
            continue
        for position, spec in specs:
            Item.objects.update_or_create(template=template, key=spec.key, defaults=_item_fields(spec, position))
            written += 1
    Template.objects.exclude(standard_version=version).update(is_active=False)
    return written
