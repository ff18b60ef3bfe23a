from decimal import Decimal

from supply_service.core import measures as registry


def test_a_registered_measure_is_found_by_key_and_requirement_and_computes():
    calls = []

    def compute(*, office, start, end):
        calls.append((office, start, end))
        return registry.MeasureResult(value=Decimal("95.0"), unit="%", numerator=19, denominator=20,
                                      target=Decimal("90"), passed=True)

    m = registry.Measure(key="test_rate", requirements=("S13.5",), label="Test rate", compute=compute, order=1)
    registry.register_measure(m)
    try:
        assert registry.measure_for_key("test_rate") is m
        assert m in registry.measures_for_requirement("S13.5")
        assert m not in registry.measures_for_requirement("S6.1")
        result = m(office=None, start=1, end=2)
        assert (result.numerator, result.denominator, result.passed) == (19, 20, True)
        assert calls == [(None, 1, 2)]
    finally:
        registry._MEASURES.pop("test_rate", None)
