"""The school administrator lands on the queues waiting for them, counted in SQL."""

import pytest
from django.urls import reverse

from accounts.background import task_failure_record
from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_home_lists_what_waits_with_counts_and_links(client, django_assert_max_num_queries):
    admin = UserFactory(role=Role.SCHOOL_ADMIN)
    task_failure_record(task_name="demo.task", task_id="t-1", user_id=None, error="boom", arguments=[], notify=False)
    client.force_login(admin)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin_portal:dashboard"))
    assert response.status_code == 200
    items = {item.url.split("?")[0]: item for item in response.context["work_items"]}
    assert items[reverse("admin_portal:background_tasks")].count == 1
    assert items[reverse("enterprises:moderation")].count == 0
    html = response.content.decode()
    assert 'id="work-to-do"' in html
    for item in items.values():
        assert f'href="{item.url}"' in html


def test_admin_home_is_for_school_administrators_only(client):
    client.force_login(UserFactory(role=Role.TEACHER))
    assert client.get(reverse("admin_portal:dashboard")).status_code == 403
