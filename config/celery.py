import os

from celery import Celery

from core.broker import use_for_filesystem_urls

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The embedded broker (filesystem://, the default with no CELERY_BROKER_URL) is
# core.broker's transport: kombu's, with atomic writes and a reader that never
# crashes the worker. Registered before any connection of this process resolves it.
use_for_filesystem_urls()

app = Celery("hiring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
