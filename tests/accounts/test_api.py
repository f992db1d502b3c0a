import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Notification
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_token_auth_round_trip():
    user = UserFactory(role="teacher")
    client = APIClient()
    response = client.post(reverse("api:accounts-token"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(reverse("api:accounts-me"))
    assert me.status_code == 200
    assert me.json()["role"] == "teacher"


def test_errors_have_one_json_shape():
    client = APIClient()
    unauthenticated = client.get(reverse("api:accounts-me"))
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["error"]["code"] == "not_authenticated"
    client.force_authenticate(UserFactory())
    invalid = client.post(reverse("api:accounts-language"), {"language": "klingon"}, format="json")
    assert invalid.status_code == 400
    body = invalid.json()["error"]
    assert body["code"] == "invalid"
    assert "language" in body["fields"]
    missing = client.get("/api/v1/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_notifications_api_lists_only_own_and_paginates():
    user, other = UserFactory(), UserFactory()
    Notification.objects.create(recipient=user, title="mine")
    Notification.objects.create(recipient=other, title="theirs")
    client = APIClient()
    client.force_authenticate(user)
    body = client.get(reverse("api:accounts-notifications")).json()
    assert body["count"] == 1
    assert body["results"][0]["title"] == "mine"
    marked = client.post(reverse("api:accounts-notifications-read"), {"ids": []}, format="json").json()
    assert marked == {"marked_read": 0, "unread": 1}


def test_openapi_schema_and_offline_swagger(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    docs = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in docs
    assert "cdn" not in docs.lower()
