from rest_framework.routers import DefaultRouter

from roles import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("tracks", api.TrackViewSet, basename="track")
router.register("levels", api.LevelViewSet, basename="level")
router.register("bands", api.SalaryBandViewSet, basename="band")
router.register("zones", api.ZoneViewSet, basename="zone")
router.register("market-figures", api.MarketFigureViewSet, basename="market-figure")

urlpatterns = router.urls
