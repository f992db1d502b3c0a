import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_and_fresh_cache():
    """Messages are compared in English whatever the default language of the settings;
    the demand-vs-supply cache is keyed by ids, which SQLite reuses after a rollback
    (PostgreSQL's sequences do not), so the embedded default's local cache is emptied."""
    if cache.__class__.__name__ == "LocMemCache":
        cache.clear()
    with translation.override("en"):
        yield
