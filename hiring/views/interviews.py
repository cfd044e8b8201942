"""Pages: interviews and scorecards (interviews work)."""

urlpatterns: list = []
