"""Helpers for the pipeline page tests: a client signed in as a role, and a page's URL."""

from django.urls import reverse


def client_for(client, user):
    """``client`` signed in as ``user`` (None: left signed out)."""
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, *args) -> str:
    """The URL of the pipeline page ``hiring:<name>``."""
    return reverse(f"hiring:{name}", args=args)
