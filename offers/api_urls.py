from rest_framework.routers import DefaultRouter

from offers.api import offers, recommendations

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
offers.register(router)

urlpatterns = [*recommendations.urlpatterns, *router.urls]
