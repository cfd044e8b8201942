from rest_framework.routers import DefaultRouter

from hiring.api import interviews, pipeline

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
pipeline.register(router)
interviews.register(router)

urlpatterns = [*pipeline.extra_urls(), *interviews.extra_urls(), *router.urls]
