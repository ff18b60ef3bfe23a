"""Customer accounts, meters, readings, tariffs, fees, bills and payments."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from supply_service.core.i18n_fields import ChoiceLabels, TranslatedField, translated_char, translated_text
from supply_service.core.models import AreaClass

ACCOUNT_NUMBER_RE = r"^\d{10}$"
account_number_validator = RegexValidator(
    ACCOUNT_NUMBER_RE, _("An account number (户号) is 10 digits."), code="account_number"
)
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9-]{5,19}$", _("Enter a phone number of digits (and dashes)."), code="phone"
)


class Feeder(models.Model):
    """A supply line (10 kV feeder); outages name the feeders they cut."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    office = models.ForeignKey(
        "core.Office", on_delete=models.PROTECT, related_name="feeders", verbose_name=_("office")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supply line (feeder)")
        verbose_name_plural = _("supply lines (feeders)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TransformerArea(models.Model):
    """A transformer area (台区): the customers behind one distribution transformer."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    feeder = models.ForeignKey(Feeder, on_delete=models.PROTECT, related_name="areas", verbose_name=_("feeder"))
    area_class = models.CharField(
        _("area class"), max_length=8, blank=True, choices=AreaClass.choices,
        help_text=_("Urban, rural or remote (the repair-arrival limit depends on it); empty: the office's class."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transformer area")
        verbose_name_plural = _("transformer areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Customer(ChoiceLabels, models.Model):
    class Category(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        NON_RESIDENTIAL = "non_residential", _("Non-residential")

    class Voltage(models.TextChoices):
        V220 = "220v", _("220 V")
        V380 = "380v", _("380 V")
        KV10 = "10kv", _("10 kV")
        KV35 = "35kv", _("35 kV")
        KV110 = "110kv", _("110 kV and above")

    class Importance(models.TextChoices):
        NONE = "none", _("Not an important customer")
        TEMPORARY = "temporary", _("Temporary important customer")
        SECOND = "second", _("Second-grade important customer")
        FIRST = "first", _("First-grade important customer")
        SPECIAL = "special", _("Special-grade important customer")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", "中文"
        EN = "en", "English"
        UG = "ug", "ئۇيغۇرچە"
        BO = "bo", "བོད་ཡིག"

    account_number = models.CharField(
        _("account number"), max_length=10, unique=True, validators=[account_number_validator]
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    voltage = models.CharField(_("voltage class"), max_length=8, choices=Voltage.choices)
    importance = models.CharField(
        _("important-customer grade"), max_length=10, choices=Importance.choices, default=Importance.NONE
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    phone2 = models.CharField(_("second phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255)
    office = models.ForeignKey(
        "core.Office", on_delete=models.PROTECT, related_name="customers", verbose_name=_("office")
    )
    feeder = models.ForeignKey(
        Feeder, null=True, blank=True, on_delete=models.PROTECT, related_name="customers",
        verbose_name=_("supply line (feeder)"),
    )
    transformer_area = models.ForeignKey(
        TransformerArea, null=True, blank=True, on_delete=models.PROTECT, related_name="customers",
        verbose_name=_("transformer area"),
    )
    is_disabled = models.BooleanField(_("disabled (home service)"), default=False)
    is_elderly_limited_mobility = models.BooleanField(_("elderly with limited mobility (home service)"), default=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    notify_outages = models.BooleanField(
        _("wants outage notices"), default=False, help_text=_("Important customers are always notified.")
    )
    customer_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="customers",
        verbose_name=_("customer manager"),
    )
    disconnected_at = models.DateTimeField(
        _("disconnected for arrears at"), null=True, blank=True, editable=False,
        help_text=_("Supply cut for arrears; when the arrears are paid the reconnection clock starts."),
    )
    disconnect_reason = models.CharField(_("reason for the disconnection"), max_length=255, blank=True,
                                         editable=False)
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    pin_set_at = models.DateTimeField(_("query PIN set at"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["pin_hash"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["account_number"]
        indexes = [
            models.Index(fields=["phone"]),
            models.Index(fields=["name"]),
            # The customers an office serves, counted from the index alone (supply quality's per-customer figures:
            # 45 ms → a few at 50 000 customers an office).
            models.Index(fields=["office", "is_active"], name="customer_office_active"),
        ]
        permissions = [
            ("reset_pin_customer", _("Can set or reset a customer's query PIN")),
            ("disconnect_customer", _("Can disconnect supply for arrears and reconnect it")),
        ]

    def __str__(self) -> str:
        return f"{self.account_number} {self.name}"

    @property
    def needs_home_service(self) -> bool:
        """S10.3.5: disabled customers and elderly customers with limited mobility."""
        return self.is_disabled or self.is_elderly_limited_mobility

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    def check_pin(self, pin: str) -> bool:
        return bool(self.pin_hash) and check_password(pin, self.pin_hash)


class Meter(models.Model):
    class Kind(models.TextChoices):
        SINGLE_PHASE = "single_phase", _("Single-phase smart meter")
        THREE_PHASE = "three_phase", _("Three-phase smart meter")
        HIGH_VOLTAGE = "high_voltage", _("High-voltage metering")

    number = models.CharField(_("meter number"), max_length=30, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="meters", verbose_name=_("customer"))
    kind = models.CharField(_("type"), max_length=14, choices=Kind.choices, default=Kind.SINGLE_PHASE)
    installed_on = models.DateField(_("installed on"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class MeterReading(models.Model):
    """A scheduled reading (S10.2.3): read on the scheduled date, or its clock breaks."""

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="readings", verbose_name=_("meter"))
    scheduled_on = models.DateField(_("scheduled reading date"))
    read_on = models.DateField(_("actual reading date"), null=True, blank=True)
    value = models.DecimalField(
        _("reading (kWh)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["-scheduled_on"]
        constraints = [models.UniqueConstraint(fields=["meter", "scheduled_on"], name="one_reading_per_meter_and_date")]

    def __str__(self) -> str:
        return f"{self.meter} {self.scheduled_on}"

    @property
    def number(self) -> str:
        """The label of its SLA clock."""
        return f"{self.meter.number}@{self.scheduled_on:%Y%m%d}"

    @property
    def office(self):
        return self.meter.customer.office


class PaymentMethod(models.Model):
    """A way to pay (S10.3.4: at least three are offered)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh_hans, name_en, name_ug, name_bo = translated_char("name", _("name"), max_length=80)
    description_zh_hans, description_en, description_ug, description_bo = translated_text(
        "description", _("how to pay")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    name = TranslatedField("name")
    description = TranslatedField("description")

    class Meta:
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Tariff(models.Model):
    """A published tariff (S8.3, S13.7) with its price items."""

    class Category(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        COMMERCIAL = "commercial", _("General industry and commerce")
        LARGE_INDUSTRY = "large_industry", _("Large industry")
        AGRICULTURE = "agriculture", _("Agricultural production")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name_zh_hans, name_en, name_ug, name_bo = translated_char("name", _("name"), max_length=160)
    notes_zh_hans, notes_en, notes_ug, notes_bo = translated_text("notes", _("notes"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    effective_from = models.DateField(_("effective from"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    name = TranslatedField("name")
    notes = TranslatedField("notes")

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class TariffItem(models.Model):
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="items", verbose_name=_("tariff"))
    name_zh_hans, name_en, name_ug, name_bo = translated_char("name", _("price item"), max_length=160)
    price = models.DecimalField(_("price (yuan)"), max_digits=10, decimal_places=4, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=20, default="kWh")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    name = TranslatedField("name")

    class Meta:
        verbose_name = _("tariff price item")
        verbose_name_plural = _("tariff price items")
        ordering = ["tariff", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.tariff} · {self.name}"


class FeeItem(models.Model):
    """A fee item with its standard and legal basis (S8.3, S9.5)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh_hans, name_en, name_ug, name_bo = translated_char("name", _("name"), max_length=160)
    standard_zh_hans, standard_en, standard_ug, standard_bo = translated_text("standard", _("fee standard"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    name = TranslatedField("name")
    standard = TranslatedField("standard")

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Bill(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Unpaid")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="bills", verbose_name=_("customer"))
    period = models.DateField(_("month"), help_text=_("The first day of the billed month."))
    kwh = models.DecimalField(_("energy (kWh)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["customer", "period"], name="one_bill_per_customer_and_month")]
        indexes = [models.Index(fields=["customer", "-period"])]

    def __str__(self) -> str:
        return f"{self.customer.account_number} {self.period:%Y-%m}"


class Payment(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="payments", verbose_name=_("customer")
    )
    reference = models.CharField(_("transaction number"), max_length=40, unique=True)
    paid_at = models.DateTimeField(_("paid at"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    method = models.ForeignKey(
        PaymentMethod, on_delete=models.PROTECT, related_name="payments", verbose_name=_("payment method")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]
        indexes = [models.Index(fields=["customer", "-paid_at"])]

    def __str__(self) -> str:
        return self.reference


class Procedure(models.Model):
    """How to apply for a business (S8.3, S9.5, S13.7): what to bring, the steps, the time limit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh_hans, name_en, name_ug, name_bo = translated_char("name", _("name"), max_length=160)
    documents_zh_hans, documents_en, documents_ug, documents_bo = translated_text("documents", _("what to bring"))
    steps_zh_hans, steps_en, steps_ug, steps_bo = translated_text("steps", _("steps"))
    commitment = models.ForeignKey(
        "core.Commitment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("time limit"), help_text=_("The service commitment that applies (its limit is shown)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    name = TranslatedField("name")
    documents = TranslatedField("documents")
    steps = TranslatedField("steps")

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class EnergyTip(models.Model):
    """Energy-saving information for customers (S10.3.6)."""

    title_zh_hans, title_en, title_ug, title_bo = translated_char("title", _("title"), max_length=160)
    body_zh_hans, body_en, body_ug, body_bo = translated_text("body", _("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    title = TranslatedField("title")
    body = TranslatedField("body")

    class Meta:
        verbose_name = _("energy-saving tip")
        verbose_name_plural = _("energy-saving tips")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class KioskLookup(models.Model):
    """Every account lookup at a kiosk, for the privacy audit: which account, where, when, what happened."""

    class Outcome(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        WRONG = "wrong", _("Wrong account number or PIN")
        LOCKED = "locked", _("Refused: locked")
        THROTTLED = "throttled", _("Refused: too many attempts from this terminal")

    account_number = models.CharField(_("account number entered"), max_length=20, db_index=True)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("customer"))
    office = models.ForeignKey("core.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("office"))
    client = models.CharField(_("terminal"), max_length=64, db_index=True,
                              help_text=_("A hash of the terminal's address, not the address itself."))
    at = models.DateTimeField(_("at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)

    class Meta:
        verbose_name = _("kiosk lookup")
        verbose_name_plural = _("kiosk lookups")
        ordering = ["-at"]
        indexes = [models.Index(fields=["account_number", "at"]), models.Index(fields=["client", "at"])]

    def __str__(self) -> str:
        return f"{self.account_number} {self.at:%Y-%m-%d %H:%M} {self.outcome}"


from supply_service.customers.models_imports import ImportJob  # noqa: E402,F401 - registered with the app
