"""API for requisitions and applications (owned by the pipeline work)."""


def register(router) -> None:
    """Register this module's viewsets on the v1 router."""


def extra_urls() -> list:
    """Non-router URL patterns of this module (mounted under /api/v1/)."""
    return []
