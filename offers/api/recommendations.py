"""POST /api/v1/recommendations/ (built by the recommendation work)."""

urlpatterns: list = []
