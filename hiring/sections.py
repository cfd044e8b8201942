"""How higher apps add blocks to hiring's pages, without hiring knowing them.

Hiring never imports offers. Instead, a higher app registers a provider at
start-up (its ``AppConfig.ready``) for one of hiring's pages:

- ``"application"``: the application page; the provider gets the application;
- ``"dashboard"``: the dashboard; the provider gets ``None``;
- ``"requisition"``: the requisition page; the provider gets the requisition.

A provider takes ``(obj, user, request)`` and returns a
``candidates.scopes.PageSection`` it rendered itself (its own template, its own
pay checks), or ``None`` when it has nothing for this user. Sections appear in
registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from candidates.scopes import PageSection

APPLICATION = "application"
DASHBOARD = "dashboard"
REQUISITION = "requisition"
PAGES = (APPLICATION, DASHBOARD, REQUISITION)

Provider = Callable[[Any, Any, Any], "PageSection | None"]

_registry: dict[str, list[Provider]] = {page: [] for page in PAGES}


def register(page: str, provider: Provider) -> None:
    """Add a provider to a page; registering the same function twice has no effect."""
    if page not in _registry:
        raise ValueError(f"Unknown page {page!r}: expected one of {', '.join(PAGES)}.")
    if provider not in _registry[page]:
        _registry[page].append(provider)


def page_sections(page: str, obj, user, request=None) -> list[PageSection]:
    """The blocks that higher apps add to ``page`` for this user, in registration order."""
    found = (provider(obj, user, request) for provider in _registry[page])
    return [section for section in found if section is not None]


def providers(page: str) -> tuple[Provider, ...]:
    return tuple(_registry[page])


def unregister(page: str, provider: Provider) -> None:
    """For tests that register a provider of their own."""
    if provider in _registry[page]:
        _registry[page].remove(provider)
