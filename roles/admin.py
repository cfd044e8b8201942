"""Role data in the Django admin.

Every signed-in staff user may view; superusers and compensation admins edit.
Editing a band never rewrites it: saving the form opens a new version through
``band_revise`` and the old row stays as it was (closed). Every other row is
added, changed and deleted through ``record_create`` / ``record_update`` /
``record_delete``, as the API does: the form shows ``record_errors`` on its
fields, and history records the admin user.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.forms.models import construct_instance
from django.http import HttpResponseRedirect
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.access import is_compensation_admin
from core.errors import DomainError
from roles import services
from roles.models import (
    Certification,
    Level,
    MarketFigure,
    SalaryBand,
    Skill,
    Source,
    Track,
    Zone,
)


class CompensationAdminPermissions:
    """View for staff; add, change and delete for compensation admins (and superusers)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, *args):
        return is_compensation_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_compensation_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_compensation_admin(request.user)

    def revert_disabled(self, request, obj=None):
        # Reverting from history would bypass the services; edit instead.
        return True


class RoleDataForm(forms.ModelForm):
    """Validates with the services' own checks (``record_errors``), named on their fields."""

    def _post_clean(self):
        # Django's model validation would report the database checks with no field;
        # the services' checks replace it, so the admin and the API say the same thing.
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as exc:
            self._update_errors(exc)
        if self.errors:
            # Cross-field checks on half-parsed values would mislead: fix these first.
            return
        for name, problems in services.record_errors(self.instance).items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)


class RoleDataAdmin(CompensationAdminPermissions, SimpleHistoryAdmin):
    """Add, change and delete through ``roles.services``, with the admin user as actor."""

    form = RoleDataForm

    def save_model(self, request, obj, form, change):
        opts = obj._meta
        names = {f.name for f in [*opts.concrete_fields, *opts.many_to_many]}
        fields = {name: value for name, value in form.cleaned_data.items() if name in names}
        if change:
            saved = services.record_update(instance=obj, fields=fields, actor=request.user)
        else:
            saved = services.record_create(model=self.model, fields=fields, actor=request.user)
        # The admin logs and redirects to ``obj``: give it the saved row's values.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def save_related(self, request, form, formsets, change):
        # The service has set the many-to-many fields: only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.record_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                services.record_delete(instance=obj, actor=request.user)

    # The admin checks for protected rows before it deletes; a row that came into use
    # since, or a save the service refuses after the form passed, answers the
    # service's message instead of a 500. The view's transaction has rolled back.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, message_levels.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, message_levels.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        # The delete action logs, then deletes: one transaction, so a refusal keeps neither.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changelist_view(request, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, message_levels.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Source)
class SourceAdmin(RoleDataAdmin):
    list_display = ["publisher", "year", "detail"]
    search_fields = ["publisher", "detail"]
    list_filter = ["publisher", "year"]


@admin.register(Track)
class TrackAdmin(RoleDataAdmin):
    list_display = [
        "name",
        "slug",
        "premium_low_pct",
        "premium_default_pct",
        "premium_high_pct",
        "is_base_ladder",
        "premium_source",
    ]
    search_fields = ["slug", "name", "description"]
    list_filter = ["is_base_ladder", "premium_source"]
    list_select_related = ["premium_source"]
    prepopulated_fields = {"slug": ["name"]}


class BandVersionInline(admin.TabularInline):
    """Read-only: versions change only through a revision on the band's own page."""

    model = SalaryBand
    fk_name = "level"
    fields = [
        "track",
        "base_min",
        "base_max",
        "open_ended_top",
        "effective_from",
        "effective_to",
        "source",
        "change_note",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Band versions (edit a band on its own page to open a new version)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("track", "source", "level")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(Level)
class LevelAdmin(RoleDataAdmin):
    list_display = ["code", "title", "min_years", "max_years"]
    search_fields = ["code", "title", "summary"]
    list_filter = ["expected_certifications"]
    filter_horizontal = ["expected_certifications"]
    inlines = [BandVersionInline]


@admin.register(Zone)
class ZoneAdmin(RoleDataAdmin):
    list_display = [
        "name",
        "slug",
        "guide_label",
        "premium_low_pct",
        "premium_default_pct",
        "premium_high_pct",
        "is_remote",
        "salary_history_ban",
    ]
    search_fields = ["slug", "name", "cities"]
    list_filter = ["is_remote", "salary_history_ban"]
    list_select_related = ["source"]


@admin.register(MarketFigure)
class MarketFigureAdmin(RoleDataAdmin):
    list_display = ["label", "category", "value_low", "value_high", "open_ended", "unit", "source"]
    search_fields = ["key", "label", "note"]
    list_filter = ["category", "unit", "source"]
    list_select_related = ["source"]


@admin.register(Skill)
class SkillAdmin(RoleDataAdmin):
    list_display = ["name", "slug", "category"]
    search_fields = ["name", "slug"]
    list_filter = ["category"]


@admin.register(Certification)
class CertificationAdmin(RoleDataAdmin):
    list_display = ["name", "issuer", "is_cloud_platform"]
    search_fields = ["name", "issuer", "slug"]
    list_filter = ["issuer", "is_cloud_platform"]


class SalaryBandForm(forms.ModelForm):
    """Runs the services' band checks so errors appear on the field that is wrong."""

    class Meta:
        model = SalaryBand
        fields = [
            "track",
            "level",
            "currency",
            "base_min",
            "base_max",
            "open_ended_top",
            "effective_from",
            "source",
            "change_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "effective_from" in self.fields:
            # A revision must start after the current version: offer the first valid day.
            self.initial["effective_from"] = revision_default_date(self.instance)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        current = self.instance if self.instance.pk else None
        track = current.track if current else data.get("track")
        level = current.level if current else data.get("level")
        errors = services.band_validation_errors(
            track=track,
            level=level,
            base_min=data.get("base_min"),
            base_max=data.get("base_max"),
            effective_from=data.get("effective_from"),
            currency=current.currency if current else data.get("currency"),
            exclude_pk=current.pk if current else None,
        )
        if (
            current
            and data.get("effective_from")
            and current.effective_from >= data["effective_from"]
        ):
            errors["effective_from"] = [
                "A revision takes effect after the current version "
                f"(from {current.effective_from}): pick a later date."
            ]
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(SalaryBand)
class SalaryBandAdmin(CompensationAdminPermissions, SimpleHistoryAdmin):
    form = SalaryBandForm
    list_display = [
        "level",
        "track_label",
        "base_min",
        "base_max",
        "open_ended_top",
        "effective_from",
        "effective_to",
        "source",
    ]
    list_filter = ["level", "track", ("effective_to", admin.EmptyFieldListFilter), "source"]
    search_fields = ["level__code", "level__title", "track__name", "change_note"]
    list_select_related = ["level", "track", "source"]
    date_hierarchy = "effective_from"

    @admin.display(description="Track", ordering="track__name")
    def track_label(self, band: SalaryBand) -> str:
        return band.track.name if band.track_id else "Shared ladder"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["effective_to", "supersedes", "created_by", "created_at"]
        # A revision keeps the track, level and currency of the version it replaces.
        return [
            "track",
            "level",
            "currency",
            "effective_to",
            "supersedes",
            "created_by",
            "created_at",
        ]

    def has_change_permission(self, request, obj=None):
        # Closed versions are history: visible, never editable.
        if obj is not None and obj.effective_to is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A failed save leaves the rejected figures on ``obj`` (the form writes them onto
        # the instance while validating): title the page with the version as saved.
        if obj is not None and obj.pk:
            obj = SalaryBand.objects.select_related("track", "level").get(pk=obj.pk)
            context.update(original=obj, subtitle=str(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            band = SalaryBand.objects.get(pk=obj.pk)
            saved = services.band_revise(
                band=band,
                base_min=data["base_min"],
                base_max=data["base_max"],
                open_ended_top=data["open_ended_top"],
                effective_from=data["effective_from"],
                source=data["source"],
                change_note=data["change_note"],
                actor=request.user,
            )
        else:
            saved = services.band_create(
                track=data["track"],
                level=data["level"],
                currency=data["currency"],
                base_min=data["base_min"],
                base_max=data["base_max"],
                open_ended_top=data["open_ended_top"],
                effective_from=data["effective_from"],
                source=data["source"],
                change_note=data["change_note"],
                actor=request.user,
            )
        # The admin logs and redirects to ``obj``: point it at the version just saved.
        for field in SalaryBand._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))


def revision_default_date(band: SalaryBand) -> datetime.date:
    """Today, or the day after the current version starts if that is later."""
    return max(timezone.localdate(), band.effective_from + datetime.timedelta(days=1))
