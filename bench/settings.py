"""The site's settings plus one route, for ``make bench`` only: the framework floor."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
