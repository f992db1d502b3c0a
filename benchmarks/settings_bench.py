"""Benchmark settings: the test settings (DEBUG off) plus a floor page outside the product's URLs."""

from platform_site.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls_bench"
DATABASE_CONN_MAX_AGE = 600
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
