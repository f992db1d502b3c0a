import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_default_language_is_simplified_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_switching_language_is_saved_on_the_user(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.language == "en"
    page = client.get(reverse("accounts:profile"))
    assert page["Content-Language"] == "en"
    assert "My account" in page.content.decode()
    # A new session (another browser) still gets the user's choice.
    client.logout()
    client.cookies.clear()
    client.force_login(user)
    assert client.get(reverse("accounts:profile"))["Content-Language"] == "en"


def test_unknown_language_is_refused_without_error(client):
    user = UserFactory(language="zh-hans")
    client.force_login(user)
    response = client.post(reverse("accounts:set_language"), {"language": "xx"}, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.language == "zh-hans"


def test_open_redirect_is_refused(client):
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_compiled_translations_are_loaded():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Notifications") == "通知"
