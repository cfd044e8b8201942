"""Admin registrations, one module per concern; importing them registers the models."""

from hiring.admin import interviews, pipeline  # noqa: F401
