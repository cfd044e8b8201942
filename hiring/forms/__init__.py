"""Page forms: ``pipeline`` (requisitions, moves) and ``interviews`` (interviews, scorecards)."""
