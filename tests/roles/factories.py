import datetime
from decimal import Decimal

import factory

from roles import models


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source
        django_get_or_create = ("publisher", "year", "detail")

    publisher = "MRJ Recruitment"
    year = 2026
    detail = ""


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Track
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    premium_low_pct = Decimal("0")
    premium_high_pct = Decimal("0")
    premium_default_pct = Decimal("0")


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Level
        django_get_or_create = ("code",)

    code = "L2"
    title = "AI Engineer / ML Engineer II"
    min_years = Decimal("2")
    max_years = Decimal("5")
    summary = "Designs and ships production models on their own."


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Zone
        django_get_or_create = ("slug",)

    slug = "national"
    name = "National median"
    premium_low_pct = Decimal("0")
    premium_high_pct = Decimal("0")
    premium_default_pct = Decimal("0")


class SalaryBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SalaryBand

    track = None
    level = factory.SubFactory(LevelFactory)
    base_min = Decimal("120000")
    base_max = Decimal("160000")
    effective_from = datetime.date(2026, 1, 1)
    source = factory.SubFactory(SourceFactory)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Skill
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    category = models.Skill.Category.LANGUAGE


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Certification
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"cert-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    issuer = "AWS"
    is_cloud_platform = True
