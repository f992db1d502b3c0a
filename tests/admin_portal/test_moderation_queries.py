"""The moderation page and its navigation badge run the same number of queries however many
items wait in its five queues (one count and one page query per queue)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.services import account_request_create
from projects.models import Project
from teachers.resources import services as resource_services
from tests.factories import OrganizationFactory, UserFactory
from tests.projects import factories as pf
from tests.teachers import resource_files as files

pytestmark = pytest.mark.django_db


def _add_pending(n: int, start: int, enterprise, admin, partner) -> None:
    for i in range(start, start + n):
        account_request_create(full_name=f"Requester {i}", email=f"req{i}@example.cn", role=Role.INDUSTRY,
                               language="en")
        pf.project(enterprise, admin, status=Project.Status.PENDING)
        resource_services.resource_upload(actor=partner, upload=SimpleUploadedFile(f"r{i}.pdf", files.pdf_bytes()),
                                          title=f"Case {i}", kind="courseware", visibility="partners")


def _queries(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin_portal:moderation"))
    assert response.status_code == 200
    return len(ctx.captured_queries), {q["kind"]: q["count"] for q in response.context["queues"]}


def test_moderation_page_queries_do_not_grow_with_the_queues(client):
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="mq_admin", language="en")
    partner = UserFactory(role=Role.INDUSTRY, username="mq_master", language="en")
    enterprise = OrganizationFactory()
    client.force_login(admin)
    _add_pending(1, 0, enterprise, admin, partner)
    few, counts = _queries(client)
    assert (counts["account"], counts["project"], counts["resource"]) == (1, 1, 1)
    _add_pending(6, 1, enterprise, admin, partner)
    many, counts = _queries(client)
    assert (counts["account"], counts["project"], counts["resource"]) == (7, 7, 7)
    assert many == few
