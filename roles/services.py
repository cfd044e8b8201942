"""Writes to role data. Band versions are immutable: a change opens a new version.

Every write records its actor in the django-simple-history row
(``instance._history_user``), so the admin's history shows who, when, old and new.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q

from core.errors import Conflict, DomainError
from roles.models import Level, SalaryBand, Source, Track

Actor = AbstractBaseUser | None


def source_get_or_create(*, publisher: str, year: int | None = None, detail: str = "") -> Source:
    """The Source row for a citation, created on first use."""
    errors = _errors_of(
        Source(publisher=publisher, year=year, detail=detail), exclude=["cited_in"], unique=False
    )
    if errors:
        raise DomainError(
            "The source is not valid.", errors={f"source.{k}": v for k, v in errors.items()}
        )
    source, _ = Source.objects.get_or_create(publisher=publisher, year=year, detail=detail or "")
    return source


def band_validation_errors(
    *,
    track: Track | None,
    level: Level,
    base_min: Decimal,
    base_max: Decimal,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    currency: str = "USD",
    exclude_pk: int | None = None,
) -> dict[str, list[str]]:
    """Field errors for a band version; empty when it may be saved.

    Shared by the services and the admin form so both name the same field.
    """
    errors: dict[str, list[str]] = {}
    for name, value in (("base_min", base_min), ("base_max", base_max)):
        if value is not None and value < 0:
            errors.setdefault(name, []).append("Amounts cannot be negative.")
    if base_min is not None and base_max is not None and base_min > base_max:
        errors.setdefault("base_min", []).append(
            f"Base minimum ({base_min:,.0f}) must not exceed base maximum ({base_max:,.0f})."
        )
    if not (
        isinstance(currency, str)
        and len(currency) == 3
        and currency.isalpha()
        and currency.isupper()
    ):
        errors.setdefault("currency", []).append(
            "Currency must be a three-letter ISO code such as USD."
        )
    if effective_to is not None and effective_to <= effective_from:
        errors.setdefault("effective_to", []).append("Effective to must be after effective from.")
    if not errors:
        clash = _overlapping_version(track, level, effective_from, effective_to, exclude_pk)
        if clash is not None:
            errors["effective_from"] = [
                f"Overlaps the version valid from {clash.effective_from}"
                f"{' to ' + str(clash.effective_to) if clash.effective_to else ' (current)'}: "
                "validity periods of one track and level never overlap. "
                "Revise the current version instead."
            ]
    return errors


@transaction.atomic
def band_create(
    *,
    track: Track | None,
    level: Level,
    base_min: Decimal,
    base_max: Decimal,
    open_ended_top: bool = False,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    source: Source,
    currency: str = "USD",
    change_note: str = "",
    actor: Actor,
) -> SalaryBand:
    """A new band version for a track (None: the ladder) and level. Refuses overlaps
    (``Conflict``, 409 ``band_overlap``, as ``_clash`` tells)."""
    # Lock the level row so two creates for one track and level run one after the other.
    Level.objects.select_for_update().filter(pk=level.pk).first()
    errors = band_validation_errors(
        track=track,
        level=level,
        base_min=base_min,
        base_max=base_max,
        effective_from=effective_from,
        effective_to=effective_to,
        currency=currency,
    )
    clash = _clash(errors)
    band = SalaryBand(
        track=track,
        level=level,
        currency=currency,
        base_min=base_min,
        base_max=base_max,
        open_ended_top=open_ended_top,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
        change_note=change_note,
        created_by=_user(actor),
    )
    _raise_if_invalid(band, errors, "The band was not saved.")
    _raise_clash(clash, "The band was not saved.")
    return _save(band, actor)


@transaction.atomic
def band_revise(
    *,
    band: SalaryBand,
    base_min: Decimal,
    base_max: Decimal,
    open_ended_top: bool,
    effective_from: datetime.date,
    source: Source,
    change_note: str,
    actor: Actor,
) -> SalaryBand:
    """Close the current version at ``effective_from`` and open a new one from it (an
    ``effective_from`` not after the current one's: ``Conflict``, 409 ``band_overlap``).

    The old row keeps its values (only ``effective_to`` is set), so whatever
    used it still points at the exact figures it used.
    """
    current = (
        SalaryBand.objects.select_for_update(of=("self",))
        .select_related("track", "level")
        .get(pk=band.pk)
    )
    if current.effective_to is not None:
        raise Conflict(
            f"This version was closed on {current.effective_to}; "
            "revise the current version instead.",
            code="band_version_closed",
            errors={"band": ["Only the current version of a band can be revised."]},
        )
    errors = band_validation_errors(
        track=current.track,
        level=current.level,
        base_min=base_min,
        base_max=base_max,
        effective_from=effective_from,
        currency=current.currency,
        exclude_pk=current.pk,
    )
    if effective_from is not None and effective_from <= current.effective_from:
        errors["effective_from"] = [
            f"Must be after the current version's effective date ({current.effective_from})."
        ]
    clash = _clash(errors)
    new = SalaryBand(
        track=current.track,
        level=current.level,
        currency=current.currency,
        base_min=base_min,
        base_max=base_max,
        open_ended_top=open_ended_top,
        effective_from=effective_from,
        source=source,
        change_note=change_note,
        supersedes=current,
        created_by=_user(actor),
    )
    _raise_if_invalid(new, errors, "The band was not revised.")
    _raise_clash(clash, "The band was not revised.")
    current.effective_to = effective_from
    current._change_reason = f"Closed: superseded from {effective_from}"
    _save(current, actor, update_fields=["effective_to"])
    return _save(new, actor)


@transaction.atomic
def record_create(
    *, model: type[models.Model], fields: dict[str, Any], actor: Actor
) -> models.Model:
    """Create a track, level, zone, market figure, skill or certification."""
    m2m = _pop_m2m(model, fields)
    instance = model(**fields)
    _raise_if_invalid(instance, {}, f"The {model._meta.verbose_name} was not saved.")
    _save(instance, actor)
    _set_m2m(instance, m2m)
    return instance


@transaction.atomic
def record_update(*, instance: models.Model, fields: dict[str, Any], actor: Actor) -> models.Model:
    """Change a track, level, zone, market figure, skill or certification (not a band)."""
    if isinstance(instance, SalaryBand):
        raise DomainError("Band versions are revised with band_revise, never edited in place.")
    model = type(instance)
    instance = model.objects.select_for_update().get(pk=instance.pk)
    m2m = _pop_m2m(model, fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    _raise_if_invalid(instance, {}, f"The {model._meta.verbose_name} was not saved.")
    _save(instance, actor)
    _set_m2m(instance, m2m)
    return instance


@transaction.atomic
def record_delete(*, instance: models.Model, actor: Actor) -> None:
    """Delete a row that nothing refers to; a row in use stays (409)."""
    if isinstance(instance, SalaryBand):
        raise DomainError(
            "Band versions are history and cannot be deleted; revise the band instead.",
            code="band_versions_are_history",
        )
    instance._history_user = _user(actor)
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as exc:
        users = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise Conflict(
            f"This {instance._meta.verbose_name} is in use ({', '.join(users)}) "
            "and cannot be deleted.",
            code="in_use",
        ) from exc


def _overlapping_version(track, level, start, end, exclude_pk) -> SalaryBand | None:
    """The first version of the same track and level whose [from, to) meets [start, end)."""
    qs = SalaryBand.objects.filter(track=track, level=level).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=start)
    )
    if end is not None:
        qs = qs.filter(effective_from__lt=end)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("effective_from").first()


def record_errors(
    instance: models.Model, errors: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """Field errors for a role-data row as it stands; empty when it may be saved.

    The one home of the record checks: the services raise them, the admin form
    shows them on its fields. ``errors``: the caller's own checks, which come first.
    Premium order and the database checks are named on the field a person must fix
    (``CONSTRAINT_FIELDS``); a nameless error is dropped when a named one exists.
    Band constraints are checked by ``band_validation_errors`` (the one-open-version
    rule is briefly broken inside ``band_revise`` before the old version closes).
    """
    errors = {name: list(messages) for name, messages in (errors or {}).items()}
    errors.update(_premium_errors(instance))
    constraints = not isinstance(instance, SalaryBand)
    for name, messages in _errors_of(instance, constraints=constraints).items():
        if name == "__all__" and errors:
            continue
        errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
    return errors


def _clash(errors: dict[str, list[str]]) -> list[str] | None:
    """Takes out an ``effective_from`` error that comes alone: then the input is valid and
    the dates clash with a stored version (an overlap, a revision not after the current
    one), a conflict with what is stored (409) rather than bad input."""
    return errors.pop("effective_from") if list(errors) == ["effective_from"] else None


def _raise_clash(clash: list[str] | None, message: str) -> None:
    if clash:
        raise Conflict(
            f"{message} effective_from: {clash[0]}",
            code="band_overlap",
            errors={"effective_from": clash},
        )


def _raise_if_invalid(instance: models.Model, errors: dict[str, list[str]], message: str) -> None:
    """Raise one DomainError naming every bad field (``record_errors``)."""
    errors = record_errors(instance, errors)
    if errors:
        first = next(iter(errors))
        raise DomainError(f"{message} {first}: {errors[first][0]}", errors=errors)


def _errors_of(
    instance: models.Model,
    *,
    exclude: list[str] | None = None,
    unique: bool = True,
    constraints: bool = True,
) -> dict:
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=exclude, validate_unique=unique, validate_constraints=False)
    except ValidationError as exc:
        errors = {k: list(v) for k, v in exc.message_dict.items()}
    if unique and constraints:
        for name, messages in _constraint_errors(instance).items():
            errors.setdefault(name, []).extend(messages)
    return errors


# The database checks name no field; these are the fields a person must fix.
CONSTRAINT_FIELDS = {
    "roles_track_premium_ordered": "premium_default_pct",
    "roles_zone_premium_ordered": "premium_default_pct",
    "roles_level_min_years_non_negative": "min_years",
    "roles_level_years_ordered": "max_years",
    "roles_figure_range_ordered": "value_high",
    "roles_figure_percent_range": "value_low",
    "roles_figure_non_negative": "value_low",
}


def _constraint_errors(instance: models.Model) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for constraint in instance._meta.constraints:
        try:
            constraint.validate(type(instance), instance)
        except ValidationError as exc:
            field = CONSTRAINT_FIELDS.get(constraint.name, "__all__")
            errors.setdefault(field, []).extend(exc.messages)
    return errors


def _premium_errors(instance: models.Model) -> dict[str, list[str]]:
    """Name the field when premiums are out of order (the DB check names none)."""
    if not hasattr(instance, "premium_default_pct"):
        return {}
    low, default, high = (
        instance.premium_low_pct,
        instance.premium_default_pct,
        instance.premium_high_pct,
    )
    values = (low, default, high)
    if all(v is None for v in values):
        return {}
    if any(v is None for v in values):
        return {
            "premium_default_pct": [
                "Give low, applied and high premiums together, or leave all empty."
            ]
        }
    if not (low <= default <= high):
        return {
            "premium_default_pct": [
                f"The applied premium ({default} %) must lie between "
                f"low ({low} %) and high ({high} %)."
            ]
        }
    return {}


def _pop_m2m(model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in model._meta.many_to_many}
    return {name: fields.pop(name) for name in list(fields) if name in names}


def _set_m2m(instance: models.Model, m2m: dict[str, Any]) -> None:
    for name, values in m2m.items():
        getattr(instance, name).set(values)


def _save(instance: models.Model, actor: Actor, **kwargs) -> Any:
    instance._history_user = _user(actor)
    instance.save(**kwargs)
    return instance


def _user(actor: Actor):
    return actor if actor is not None and actor.is_authenticated else None
