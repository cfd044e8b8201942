"""The one definition of the pipeline's stages.

Models (choices and the database check), the rules, the views, the demo data
and the board's script (through a data attribute) all read it from here. Pure
Python: no database access.
"""

from __future__ import annotations

import json

from django.db import models


class Stage(models.TextChoices):
    SOURCED = "sourced", "Sourced"
    APPLIED = "applied", "Applied"
    SCREEN = "screen", "Screen"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: The forward path, in order; hired is its end.
PIPELINE: tuple[str, ...] = (
    Stage.SOURCED,
    Stage.APPLIED,
    Stage.SCREEN,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.HIRED,
)
#: Where an application leaves the pipeline early; each needs a reason.
DISPOSITIONS: tuple[str, ...] = (Stage.REJECTED, Stage.WITHDRAWN)
ALL_STAGES: tuple[str, ...] = (*PIPELINE, *DISPOSITIONS)
#: Nothing leaves these.
FINAL: frozenset[str] = frozenset({Stage.HIRED, *DISPOSITIONS})
#: Still in play: every pipeline stage but hired.
ACTIVE: tuple[str, ...] = tuple(s for s in PIPELINE if s not in FINAL)
#: Where a new application may start.
START: tuple[str, ...] = (Stage.SOURCED, Stage.APPLIED)


def board_config_json() -> str:
    """What the board's script needs to know about stages, for a ``data-stages`` attribute."""
    return json.dumps(
        {
            "pipeline": [str(s) for s in PIPELINE],
            "dispositions": [str(s) for s in DISPOSITIONS],
            "final": sorted(str(s) for s in FINAL),
            "labels": {str(s.value): str(s.label) for s in Stage},
        }
    )
