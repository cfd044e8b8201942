"""Admin registrations: pipeline models here, interviews in admin_interviews."""

from hiring import admin_interviews  # noqa: F401
