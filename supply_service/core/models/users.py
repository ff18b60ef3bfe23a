from datetime import time
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def default_opening_time() -> time:
    return time(8, 30)


def default_closing_time() -> time:
    return time(17, 30)


class AreaClass(models.TextChoices):
    """Where a service area lies; the repair-arrival promise depends on it (urban 45, rural 90, remote 120 min by
    default: the limits are the `repair_arrival*` commitments)."""

    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")
    REMOTE = "remote", _("Remote")


class Office(models.Model):
    """A business office (营业厅/窗口). Offices open every day of the week (S10.1.1)."""

    class SignageLanguage(models.TextChoices):
        NONE = "", _("Chinese only")
        UYGHUR = "ug", _("Uyghur")
        TIBETAN = "bo", _("Tibetan")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255)
    region = models.CharField(_("region"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opens_at = models.TimeField(_("opens at"), default=default_opening_time)
    closes_at = models.TimeField(_("closes at"), default=default_closing_time)
    signage_language = models.CharField(
        _("minority language of the signage"),
        max_length=8,
        blank=True,
        choices=SignageLanguage.choices,
        help_text=_("In minority areas signs show Chinese and this language side by side (S8.4)."),
    )
    customer_managers = models.ManyToManyField(
        "core.User", blank=True, related_name="managed_offices", verbose_name=_("customer managers")
    )
    area_class = models.CharField(
        _("area class"), max_length=8, choices=AreaClass.choices, default=AreaClass.URBAN,
        help_text=_("The class of the office's service area; a transformer area may have its own."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The office must close after it opens.")})


class ServiceLanguage(models.Model):
    """A language a staff member can serve customers in (English, sign language, minority languages: S7.4)."""

    ENGLISH = "en"
    SIGN = "csl"

    code = models.SlugField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("service language")
        verbose_name_plural = _("service languages")
        ordering = ["code"]

    def __str__(self) -> str:
        return gettext(self.name)


@lru_cache(maxsize=8)
def permission_backends(paths: tuple[str, ...]) -> tuple:
    """The authentication backends of `paths` that answer permission checks, loaded once per process for each value
    of the setting. Django loads and builds every backend anew on each `has_perm` (`auth.get_backends()`): ten times
    on a customer page (issue 12)."""
    from django.contrib.auth import load_backend

    return tuple(backend for backend in map(load_backend, paths) if hasattr(backend, "has_perm"))


class User(AbstractUser):
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name=_("office")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages_served = models.ManyToManyField(
        ServiceLanguage, blank=True, related_name="staff", verbose_name=_("languages served")
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        permissions = [("use_workbench", _("Can use the staff workbench"))]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None) -> bool:
        """Django's rule — an active superuser holds every permission; otherwise the first backend that grants it
        decides, and one that raises PermissionDenied refuses — over backends loaded once (`permission_backends`)."""
        if self.is_active and self.is_superuser:
            return True
        for backend in permission_backends(tuple(settings.AUTHENTICATION_BACKENDS)):
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    def get_full_name(self) -> str:
        """李晓红 for Chinese names (family name first, no space); "Ada Lovelace" otherwise."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return f"{first} {last}".strip()


class PermissionStamp(models.Model):
    """One row whose token changes — by database triggers (migration core 0024), whatever writes — with every change
    to who holds which permission: a user's groups or own permissions, a group's permissions, a permission or content
    type renamed. A process may so keep a user's permission set between requests and trust it only while the token it
    read with the user is the same (core.backends; issue 12). The token is random, never a counter: a rolled-back
    change must not leave a value a later change could reach again. The row is 1; a trigger writes it back if it was
    deleted (a flushed database), and until then no permission set is kept."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "permission stamp"  # internal, never shown (no admin, no form)
        default_permissions = ()

    def __str__(self) -> str:
        return self.token
