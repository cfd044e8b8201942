"""/api/v1/offers/ and its actions (built by the offers work)."""


def register(router) -> None:
    """Register this module's viewsets on the router."""
