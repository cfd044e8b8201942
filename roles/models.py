"""The career guide's role data: tracks, levels, salary bands, zones, figures.

Every figure carries its ``Source`` (publisher, year). Salary bands are
versioned: a version is never rewritten, only closed (``effective_to``) when a
newer one opens, so whatever used a band can point at the exact version.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from core.history import HistoricalRecords
from core.models import TimeStampedModel

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def percent_field(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="Percent, 0 to 100. Empty where the guide gives no figure.",
    )


def premium_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Premium low ≤ default ≤ high, each within 0-100 %, all set or all empty."""
    low, default, high = "premium_low_pct", "premium_default_pct", "premium_high_pct"
    all_empty = Q(**{f"{low}__isnull": True, f"{default}__isnull": True, f"{high}__isnull": True})
    ordered = Q(
        **{
            f"{low}__gte": 0,
            f"{high}__lte": 100,
            f"{low}__lte": F(default),
            f"{default}__lte": F(high),
        }
    )
    return [
        models.CheckConstraint(
            condition=all_empty | ordered,
            name=f"{prefix}_premium_ordered",
            violation_error_message=(
                "Premiums must satisfy 0 ≤ low ≤ applied ≤ high ≤ 100 percent, or all be empty."
            ),
        )
    ]


class Source(models.Model):
    """Who published a figure, and when (e.g. MRJ Recruitment, 2026)."""

    publisher = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Empty where the guide names the publisher but no year.",
    )
    detail = models.CharField(
        max_length=200, blank=True, help_text="Optional: month, report name or note."
    )
    cited_in = models.CharField(
        max_length=200,
        default="What Is an AI Engineer? Career Guide for 2026",
        help_text="The document the product took the figure from.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["publisher", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "year", "detail"], name="roles_source_unique"
            )
        ]

    def __str__(self) -> str:
        year = f", {self.year}" if self.year else ""
        suffix = f", {self.detail}" if self.detail else ""
        return f"{self.publisher}{year}{suffix}"


class Track(TimeStampedModel):
    """A role family. The base ladder is ``ai-engineer`` (0 % premium)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    premium_low_pct = percent_field("premium low %")
    premium_high_pct = percent_field("premium high %")
    premium_default_pct = percent_field("premium applied %")
    premium_default_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why this default: e.g. the product's choice where the guide gives only a range.",
    )
    premium_source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_base_ladder = models.BooleanField(
        default=False, help_text="The ladder whose bands every other track is priced against."
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name"]
        constraints = [
            *premium_constraints("roles_track"),
            models.UniqueConstraint(
                fields=["is_base_ladder"],
                condition=Q(is_base_ladder=True),
                name="roles_track_one_base_ladder",
                violation_error_message="Only one track can be the base ladder.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_premium_figure(self) -> bool:
        return self.premium_default_pct is not None


class Level(TimeStampedModel):
    """A rung of the ladder (L1-L5) with its years of experience."""

    code = models.CharField(max_length=4, unique=True)
    title = models.CharField(max_length=160)
    min_years = models.DecimalField(max_digits=4, decimal_places=1)
    max_years = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Exclusive upper bound. Empty for the top level.",
    )
    summary = models.TextField(help_text="Scope and expectations, in the product's words.")
    expected_certifications = models.ManyToManyField(
        "Certification",
        blank=True,
        related_name="expected_at_levels",
        help_text="The candidate is expected to hold at least one of these.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[expected_certifications])

    class Meta:
        ordering = ["min_years"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_years__gte=0),
                name="roles_level_min_years_non_negative",
                violation_error_message="Minimum years cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(max_years__isnull=True) | Q(max_years__gt=F("min_years")),
                name="roles_level_years_ordered",
                violation_error_message="Maximum years must be above minimum years.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def years_label(self) -> str:
        low = f"{self.min_years.normalize():f}"
        if self.max_years is None:
            return f"{low}+ years"
        return f"{low}–{self.max_years.normalize():f} years"  # noqa: RUF001


class SalaryBandQuerySet(models.QuerySet):
    def in_effect(self, on):
        return self.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=on)
        )


class SalaryBand(models.Model):
    """One immutable version of a base-salary band.

    ``track`` empty means the shared ladder; a band set for a track takes
    precedence over the ladder band for that track. Validity is
    ``[effective_from, effective_to)``; versions of one track and level never
    overlap (an exclusion constraint on PostgreSQL, a service check everywhere).
    """

    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bands",
        help_text="Empty: the shared ladder that every track starts from.",
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="bands")
    currency = models.CharField(max_length=3, default="USD")
    base_min = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    base_max = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    open_ended_top = models.BooleanField(
        default=False, help_text="The guide marks the top with '+': it can go higher."
    )
    effective_from = models.DateField()
    effective_to = models.DateField(
        null=True, blank=True, help_text="Exclusive. Empty while this is the current version."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    change_note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = SalaryBandQuerySet.as_manager()

    class Meta:
        ordering = ["level__min_years", "track__display_order", "-effective_from"]
        indexes = [models.Index(fields=["level", "track", "effective_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_min__gte=0),
                name="roles_band_min_non_negative",
                violation_error_message="Base minimum cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(base_min__lte=F("base_max")),
                name="roles_band_min_lte_max",
                violation_error_message="Base minimum must not exceed base maximum.",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="roles_band_validity_ordered",
                violation_error_message="Effective to must be after effective from.",
            ),
            models.UniqueConstraint(
                Coalesce("track", Value(0)),
                "level",
                condition=Q(effective_to__isnull=True),
                name="roles_band_one_open_version",
                violation_error_message=(
                    "This track and level already has an open-ended band version."
                ),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="roles_band_currency_iso",
                violation_error_message="Currency must be a three-letter ISO code such as USD.",
            ),
        ]

    def __str__(self) -> str:
        scope = self.track.name if self.track_id else "Ladder"
        top = "+" if self.open_ended_top else ""
        return (
            f"{scope} {self.level.code}: {self.currency} {self.base_min:,.0f}"
            f" to {self.base_max:,.0f}{top} from {self.effective_from}"
        )

    @property
    def is_current(self) -> bool:
        return self.effective_to is None


class Zone(TimeStampedModel):
    """A pay zone: a location premium over the national median."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    guide_label = models.CharField(
        max_length=60, blank=True, help_text="The guide's own label, e.g. 'Zone 3'."
    )
    cities = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    premium_low_pct = percent_field("premium low %")
    premium_high_pct = percent_field("premium high %")
    premium_default_pct = percent_field("premium applied %")
    premium_default_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why this default: e.g. the product's choice where the guide gives only a range.",
    )
    is_remote = models.BooleanField(
        default=False,
        help_text="Remote roles anchor to the national median, wherever the person lives.",
    )
    salary_history_ban = models.BooleanField(
        default=False, help_text="Asking about or using current pay is banned here."
    )
    description = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name"]
        constraints = premium_constraints("roles_zone")

    def __str__(self) -> str:
        return self.name

    @property
    def city_list(self) -> list[str]:
        return [c.strip() for c in self.cities.split(",") if c.strip()]


class MarketFigure(TimeStampedModel):
    """Any other figure from the guide, with its unit and source."""

    class Unit(models.TextChoices):
        USD = "usd", "US dollars per year"
        USD_PER_HOUR = "usd_per_hour", "US dollars per hour"
        PERCENT = "percent", "percent"
        PERCENT_CHANGE = "percent_change", "percent change (may exceed 100)"
        COUNT = "count", "count"
        SCORE_OF_10 = "score_of_10", "score out of 10"

    #: Figures that are pay: shown only to those the pay policy allows (``core.pay``).
    MONEY_UNITS = (Unit.USD, Unit.USD_PER_HOUR)

    key = models.SlugField(max_length=80, unique=True)
    label = models.CharField(max_length=200)
    category = models.CharField(max_length=60, blank=True)
    value_low = models.DecimalField(max_digits=14, decimal_places=2)
    value_high = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    open_ended = models.BooleanField(default=False, help_text="The guide marks it with '+'.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    period = models.CharField(max_length=60, blank=True, help_text="e.g. 2023-2033.")
    note = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT)
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "display_order", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=F("value_low")),
                name="roles_figure_range_ordered",
                violation_error_message="High value must not be below low value.",
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent")
                | (
                    Q(value_low__gte=0, value_low__lte=100)
                    & (Q(value_high__isnull=True) | Q(value_high__lte=100))
                ),
                name="roles_figure_percent_range",
                violation_error_message="A percentage must be between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=Q(unit="percent_change") | Q(value_low__gte=0),
                name="roles_figure_non_negative",
                violation_error_message="This figure cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Skill(TimeStampedModel):
    class Category(models.TextChoices):
        LANGUAGE = "language", "Programming language"
        FRAMEWORK = "framework", "ML framework"
        CLOUD = "cloud", "Cloud platform"
        MLOPS = "mlops", "MLOps and deployment"
        GENAI = "genai", "Generative AI"
        DATA = "data", "Data engineering"
        PRACTICE = "practice", "Practice"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Certification(TimeStampedModel):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160, unique=True)
    issuer = models.CharField(max_length=80)
    is_cloud_platform = models.BooleanField(
        default=False, help_text="A cloud ML certification (the guide's L2 expectation)."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["issuer", "name"]

    def __str__(self) -> str:
        return self.name


class RoleDataVersion(models.Model):
    """One row whose token changes with every write to the role data.

    Readers of hot paths (``roles.snapshot``) keep the role data in memory and pay one
    primary-key lookup per use to learn whether it is still current. The token is random,
    not a counter, so a rolled-back write can never leave two different states under one
    token. Model writes bump it through signals (``roles.apps``); bulk writers call
    ``roles.snapshot.bump`` themselves.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="roles_roledataversion_singleton")
        ]

    def __str__(self) -> str:
        return f"role data {self.token} ({self.changed_at:%Y-%m-%d %H:%M})"
