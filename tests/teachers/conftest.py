import pytest


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English: the test client's requests ask for English."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
