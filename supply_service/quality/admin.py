"""Admin for the quality reference data: voltage classes and limits, monitoring points, monthly figures,
abnormal-condition periods, exemptions and targets. Nothing is deleted (a point goes out of service; an exemption
ends); every change has history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from supply_service.core.admin import NoDeleteMixin
from supply_service.quality.models import (
    AbnormalPeriod,
    Exemption,
    MonitoringPoint,
    QualityTarget,
    VoltageClass,
    VoltageMonth,
)


@admin.register(VoltageClass)
class VoltageClassAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "nominal_volts", "upper_pct", "lower_pct", "sum_limit_pct", "abnormal_pct",
                    "article"]


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "voltage_class", "office", "is_active"]
    list_filter = ["office", "category", "voltage_class", "is_active"]
    list_select_related = ["voltage_class", "office"]
    search_fields = ["=code", "name"]
    raw_id_fields = ["customer", "transformer_area"]


@admin.register(VoltageMonth)
class VoltageMonthAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["point", "month", "minutes_monitored", "minutes_above", "minutes_below", "source"]
    list_filter = ["source", "point__category", "point__office"]
    list_select_related = ["point"]
    search_fields = ["=point__code"]
    raw_id_fields = ["point"]
    date_hierarchy = "month"


@admin.register(AbnormalPeriod)
class AbnormalPeriodAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["starts_at", "ends_at", "office", "reason"]
    list_filter = ["office"]


@admin.register(Exemption)
class ExemptionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["customer", "point", "starts_on", "ends_on", "reason"]
    raw_id_fields = ["customer", "point"]


@admin.register(QualityTarget)
class QualityTargetAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["year", "office", "rs1_pct", "rs3_pct", "voltage_pct", "source"]
    list_filter = ["office"]
