from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Commitment(models.Model):
    """A service commitment (服务承诺) of the standard: a time limit or a target rate, looked up by code."""

    class Unit(models.TextChoices):
        SECONDS = "seconds", _("seconds")
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        DAYS = "days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        PERCENT = "percent", _("percent")

    CLOCK_UNITS = (Unit.SECONDS, Unit.MINUTES, Unit.HOURS)
    DAY_UNITS = (Unit.DAYS, Unit.WORKING_DAYS)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    limit = models.DecimalField(
        _("limit"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    article = models.CharField(_("article of the standard"), max_length=20)
    family = models.SlugField(
        _("family"), max_length=40, blank=True,
        help_text=_("Commitments of one family are variants of one promise (e.g. repair arrival in urban, rural "
                    "and remote areas); workflows ask for the family and the kernel picks the variant."),
    )
    applies_when = models.CharField(
        _("applies when"), max_length=200, blank=True,
        help_text=_("Conditions on the item, e.g. “area_class=rural” or “applicant_class=high_voltage, "
                    "supply_sources=2”. Empty: the family's default."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service commitment")
        verbose_name_plural = _("service commitments")
        ordering = ["article", "code"]

    def __str__(self) -> str:
        return f"{self.article} {self.display_title}"

    def save(self, *args, **kwargs):
        self.family = self.family or self.code
        super().save(*args, **kwargs)

    @property
    def display_title(self) -> str:
        """The title in the active language (seeded titles are English msgids with translations)."""
        return gettext(self.title)

    @property
    def is_time_limit(self) -> bool:
        return self.unit != self.Unit.PERCENT

    @property
    def conditions(self) -> dict[str, str]:
        """`applies_when` as a dict: "a=1, b=x" → {"a": "1", "b": "x"}."""
        pairs = [part.split("=", 1) for part in self.applies_when.replace("，", ",").split(",") if "=" in part]
        return {key.strip(): value.strip() for key, value in pairs if key.strip()}

    @property
    def display_limit(self) -> str:
        """The limit with its unit, in words of the active language ("45 minutes", "1 working day", "the same day")."""
        return limit_display(self.limit, self.unit)

    @property
    def sort_key(self) -> tuple:
        """Articles in the standard's order (S10.2.2 before S10.2.10)."""
        return article_key(self.article), self.code


def article_key(article: str) -> tuple:
    """An article of the standard as numbers, for its natural order: "S10.2.10" → (10, 2, 10), after "S10.2.2"."""
    return tuple(int(part) if part.isdigit() else 0 for part in article.lstrip("S").split("."))


def with_article_rank(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` annotated with `article_rank`, the position of each row's `article` in the standard's natural
    order (a sort that SQL's text order gets wrong: "S10.2.10" < "S10.2.2"). One query reads the few articles."""
    articles = sorted(set(queryset.model.objects.values_list("article", flat=True)), key=article_key)
    rank = models.Case(*[models.When(article=article, then=models.Value(index)) for index, article in
                         enumerate(articles)], default=models.Value(len(articles)), output_field=models.IntegerField())
    return queryset.annotate(article_rank=rank)


def limit_display(limit, unit: str) -> str:
    """A limit in words with the right plural ("1 working day", "1.5 working days", "7 calendar days")."""
    unit = str(unit)
    if unit in Commitment.DAY_UNITS and limit == 0:
        return gettext("the same day")
    value = f"{limit.normalize():f}" if hasattr(limit, "normalize") else f"{limit}"
    count = int(limit) if limit == int(limit) else 2  # a fraction reads as a plural
    # only the unit's own words are looked up (a public page names 130 limits: six look-ups each were most of it)
    if unit == "seconds":
        text = ngettext("%(value)s second", "%(value)s seconds", count)
    elif unit == "minutes":
        text = ngettext("%(value)s minute", "%(value)s minutes", count)
    elif unit == "hours":
        text = ngettext("%(value)s hour", "%(value)s hours", count)
    elif unit == "days":
        text = ngettext("%(value)s calendar day", "%(value)s calendar days", count)
    elif unit == "working_days":
        text = ngettext("%(value)s working day", "%(value)s working days", count)
    elif unit == "percent":
        text = gettext("%(value)s%%")  # "90%": a rate, not a count of things
    else:
        text = "%(value)s"
    return text % {"value": value}


class Policy(models.Model):
    """A number the office may change that is not a time limit (attempts, lockouts, frequencies)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    article = models.CharField(_("article of the standard"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} = {self.value.normalize():f}"

    @property
    def display_title(self) -> str:
        return gettext(self.title)
