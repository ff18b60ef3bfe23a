"""Reference data of the quality app: the voltage classes of S6.1/S6.2 and the general supply-quality target.

Defaults from the standard; a manager edits them in the admin. `seed_reference` is idempotent and never overwrites
a value a manager changed (get_or_create by code / year)."""

from decimal import Decimal

VOLTAGE_CLASSES = [
    # code, name, nominal V, three-phase, +%, -%, sum %, order
    ("35kv_up", "35 kV 及以上", 35000, True, Decimal("5"), Decimal("5"), Decimal("10"), 10),
    ("10kv_3ph", "10 kV 及以下三相", 10000, True, Decimal("7"), Decimal("7"), None, 20),
    ("220v_1ph", "220 V 单相", 220, False, Decimal("7"), Decimal("10"), None, 30),
]
ABNORMAL_PCT = Decimal("10")  # S6.2
GENERAL_TARGET = {"rs1_pct": Decimal("99.9500"), "rs3_pct": Decimal("99.9600"), "voltage_pct": Decimal("99.5000"),
                  "source": "S6.4 default — replace with the provincial company's published standard"}
TARGET_FROM_YEAR = 2020


def seed_reference(VoltageClass=None, QualityTarget=None) -> None:  # noqa: N803 - model classes (historical too)
    if VoltageClass is None or QualityTarget is None:
        from supply_service.quality.models import QualityTarget, VoltageClass
    for code, name, volts, three, upper, lower, total, order in VOLTAGE_CLASSES:
        VoltageClass.objects.get_or_create(code=code, defaults={
            "name": name, "nominal_volts": volts, "three_phase": three, "upper_pct": upper, "lower_pct": lower,
            "sum_limit_pct": total, "abnormal_pct": ABNORMAL_PCT, "order": order,
            "article": "S6.1"})
    if not QualityTarget.objects.filter(office__isnull=True).exists():
        QualityTarget.objects.create(office=None, year=TARGET_FROM_YEAR, **GENERAL_TARGET)
