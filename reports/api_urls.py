from rest_framework.routers import DefaultRouter

from reports import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
api.register(router)

urlpatterns = router.urls
