"""The teachers API: scoping, writes through the services, 4xx bodies, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teachers.models import Reform
from teachers.reform import services
from tests.teachers.reform_world import new_content, reform_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return reform_world("api")


def test_reform_through_the_api(client, w):
    client.force_login(w["other_teacher"])
    response = client.post(reverse("api:teachers-reforms"), {"course": w["course"].pk, "title": "Not mine"},
                           content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    client.force_login(w["owner"])
    response = client.post(reverse("api:teachers-reforms"), {
        "course": w["course"].pk, "title": "Bad weights", **new_content(components=[
            {"code": "x", "name": "X", "weight": "60"}])}, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "weights_sum"
    response = client.post(reverse("api:teachers-reforms"), {"course": w["course"].pk, "title": "API reform",
                                                             **new_content()}, content_type="application/json")
    assert response.status_code == 201
    reform = Reform.objects.get(pk=response.json()["id"])
    services.reform_invite(actor=w["owner"], reform=reform, reviewers=[w["master"]])
    assert client.post(reverse("api:teachers-reform-submit", args=[reform.pk])).status_code == 200
    detail = client.get(reverse("api:teachers-reform", args=[reform.pk])).json()
    assert {s["section"]: s["changed"] for s in detail["diff"]}["weights"] is True
    impact = client.get(reverse("api:teachers-reform-impact", args=[reform.pk]),
                        {"program": w["programs"][2024].pk}).json()
    assert impact["students"] == 4 and len(impact["competencies"]) == 3
    client.force_login(w["mentor"])  # not invited
    response = client.post(reverse("api:teachers-reform-vote", args=[reform.pk]), {"decision": "approve"},
                           content_type="application/json")
    assert response.status_code == 404  # not invited: not theirs to see, so answered as missing
    client.force_login(w["master"])
    assert client.post(reverse("api:teachers-reform-vote", args=[reform.pk]), {"decision": "approve"},
                       content_type="application/json").status_code == 200
    client.force_login(w["admin"])
    response = client.post(reverse("api:teachers-reform-approve", args=[reform.pk]), {"from_intake_year": 2025},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    course = client.get(reverse("api:teachers-course", args=[w["course"].pk])).json()
    assert [p["version"] for p in course["programs"]] == [None, None, 1]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_endpoints_and_pages_do_not_grow_with_rows(client, w):
    client.force_login(w["admin"])
    urls = [reverse("api:teachers-courses"), reverse("api:teachers-reforms"), reverse("teachers:reform_list"),
            reverse("teachers:course_list"), reverse("teachers:program_list")]
    services.reform_create(actor=w["owner"], course=w["course"], title="one")
    before = {u: _count(client, u) for u in urls}
    from teachers.models import Course
    from tests.radar.builders import make_program

    for i in range(5):
        course = Course.objects.create(code=f"QC{i}", name=f"课程{i}", major=w["major"])
        course.owners.add(w["owner"])
        services.reform_create(actor=w["owner"], course=course, title=f"r{i}", content=new_content())
    make_program(w["major"], 2026, [("QC0", 2, 1, {"a": 1})])
    after = {u: _count(client, u) for u in urls}
    assert after == before


def test_resource_and_supervision_lists_do_not_grow_with_rows(client, w):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from teachers.resources.services import resource_upload
    from teachers.supervision import services as supervision
    from tests.teachers.resource_files import pdf_bytes

    offering = w["course"].offerings.select_related("term").first()
    plan = supervision.plan_create(actor=w["admin"], term=offering.term, title="p", supervisors=[w["master"]])

    def add(n):
        for i in range(n):
            resource_upload(actor=w["owner"], upload=SimpleUploadedFile(f"s{i}.pdf", pdf_bytes()), title=f"r{i}",
                            kind="courseware", visibility="public")
            supervision.finding_file(actor=w["master"], plan=plan, offering=offering, description=f"f{i}",
                                     action="a", deadline=datetime.date.today() + datetime.timedelta(days=3))

    student = w["students"][2024][0].user
    views = [(w["admin"], reverse("teachers:resource_list")), (w["admin"], reverse("api:teachers-resources")),
             (w["admin"], reverse("teachers:supervision_home")), (w["master"], reverse("api:teachers-tasks")),
             (w["master"], reverse("teachers:supervision_plan", args=[plan.pk])),
             (student, reverse("teachers:course_feedback"))]

    def counts():
        result = []
        for user, url in views:
            client.force_login(user)
            result.append(_count(client, url))
        return result

    add(1)
    before = counts()
    add(4)
    assert counts() == before
