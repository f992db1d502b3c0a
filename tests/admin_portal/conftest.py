import pytest


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    """Figures are cached 60 s in production; tests read them fresh."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def world(db):
    from tests.admin_portal.world import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield
