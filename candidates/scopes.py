"""How higher apps add to what a user sees of candidates, without this app knowing them.

Candidates never import hiring, nor name its models in lookups or templates.
Instead, hiring registers at start-up (its ``AppConfig.ready``):

- ``visible``: for a user who does not see every candidate, the ids of the
  candidates they may see (on requisitions they manage, on interviews they sit on);
- ``pay_visible``: the ids of the candidates whose pay a hiring manager may see
  (those who applied to a requisition they manage); ``core.pay`` decides with it;
- ``sections``: blocks for the candidate page (the applications and timeline),
  each rendered by the app that owns it.

An id provider takes the user and returns a queryset of candidate ids
(``values("candidate_id")``), so the caller composes one SQL query whatever the
number of providers. A section provider takes the candidate, the user and the request
(``None`` outside a page; a block with a form needs it for the CSRF token).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

IdsProvider = Callable[[Any], Any]
SectionProvider = Callable[[Any, Any, Any], "PageSection | None"]


@dataclass(frozen=True)
class PageSection:
    """A block of the candidate page that a higher app renders."""

    anchor: str
    title: str
    html: str  # already rendered and escaped by the owning app's template


@dataclass
class _Registry:
    visible: list[IdsProvider] = field(default_factory=list)
    pay_visible: list[IdsProvider] = field(default_factory=list)
    sections: list[SectionProvider] = field(default_factory=list)


registry = _Registry()


def register(
    *,
    visible: IdsProvider | None = None,
    pay_visible: IdsProvider | None = None,
    section: SectionProvider | None = None,
) -> None:
    """Add providers; registering the same function twice has no effect."""
    for bucket, provider in (
        (registry.visible, visible),
        (registry.pay_visible, pay_visible),
        (registry.sections, section),
    ):
        if provider is not None and provider not in bucket:
            bucket.append(provider)
