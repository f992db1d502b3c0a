"""An enterprise case of the resource library turned into an order-based project or a
graduation topic with one action (issue 14 item 4): who may, what is prefilled, the
source recorded, refusals leave nothing behind, and the buttons on the resource page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from projects.cohort_models import GraduationTopic
from projects.models import Project
from teachers.models import Course
from teachers.resources.services import resource_review, resource_upload
from tests.factories import UserFactory
from tests.projects import factories as pf
from tests.radar.builders import make_major
from tests.teachers.resource_files import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    org, hr = pf.enterprise()
    _other_org, other_hr = pf.enterprise()
    teacher = UserFactory(role=Role.TEACHER, username="case_teacher")
    major = make_major(competencies=("ops", "data"))
    Course.objects.create(code="GD602", name="毕业设计", major=major)
    case = resource_upload(actor=hr, upload=SimpleUploadedFile("case.pdf", pdf_bytes()), title="Shop relaunch case",
                           description="A real relaunch of an online shop", kind="case", visibility="partners",
                           major=major, competencies=list(major.competencies.all()))
    case = resource_review(actor=UserFactory(role=Role.SCHOOL_ADMIN), resource=case, approve=True)  # partners' wait
    slides = resource_upload(actor=teacher, upload=SimpleUploadedFile("s.pdf", pdf_bytes()), title="Slides",
                             kind="courseware", visibility="partners")
    return {"org": org, "hr": hr, "other_hr": other_hr, "teacher": teacher, "major": major, "case": case,
            "slides": slides}


def _project_data(**over):
    now = timezone.now()
    return {"title": "Shop relaunch", "brief": "Relaunch the shop", "deliverables": "Plan and assets",
            "reward_points": 120, "bid_deadline": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "due_date": (now + datetime.timedelta(days=40)).date().isoformat(), "team_size_max": 4, **over}


def test_enterprise_publishes_its_case_as_a_project(setup, client):
    s = setup
    client.force_login(s["hr"])
    url = reverse("projects:case_to_project", args=[s["case"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Shop relaunch case" in page.content and b"A real relaunch of an online shop" in page.content
    assert page.context["form"].initial["competencies"] == list(s["major"].competencies.all())
    response = client.post(url, {**_project_data(), "competencies": [c.pk for c in s["major"].competencies.all()]})
    assert response.status_code == 302, response.content
    project = Project.objects.get()
    assert project.source_case_id == s["case"].pk and project.status == Project.Status.PENDING
    assert project.enterprise == s["org"] and project.required_competencies.count() == 2
    detail = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert b'id="source-case"' in detail.content


def test_refusals_keep_nothing(setup, client):
    s = setup
    client.force_login(s["other_hr"])  # another enterprise's case
    assert client.get(reverse("projects:case_to_project", args=[s["case"].pk])).status_code == 403
    assert client.post(reverse("projects:case_to_project", args=[s["case"].pk]), _project_data()).status_code == 403
    client.force_login(s["hr"])
    assert client.get(reverse("projects:case_to_project", args=[s["slides"].pk])).status_code == 404  # not a case
    bad = client.post(reverse("projects:case_to_project", args=[s["case"].pk]), _project_data(reward_points=0))
    assert bad.status_code == 400
    past = _project_data(bid_deadline=(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    assert client.post(reverse("projects:case_to_project", args=[s["case"].pk]), past).status_code == 400
    client.force_login(s["teacher"])  # teachers do not publish projects
    assert client.get(reverse("projects:case_to_project", args=[s["case"].pk])).status_code == 403
    assert not Project.objects.exists()


def test_teacher_proposes_the_case_as_a_graduation_topic(setup, client):
    s = setup
    client.force_login(s["teacher"])
    url = reverse("projects:case_to_topic", args=[s["case"].pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["major"] == s["major"].pk
    unknown = client.post(url, {"title": "Relaunch", "description": "d", "major": s["major"].pk, "partner": "nobody",
                                "capacity": 2})
    assert unknown.status_code == 400 and not GraduationTopic.objects.exists()
    response = client.post(url, {"title": "Relaunch", "description": "Design the relaunch", "major": s["major"].pk,
                                 "partner": s["hr"].username, "capacity": 2})
    assert response.status_code == 302, response.content
    topic = GraduationTopic.objects.get()
    assert topic.source_case_id == s["case"].pk and topic.school_tutor == s["teacher"]
    assert topic.enterprise_tutor == s["hr"] and topic.enterprise == s["org"]
    assert topic.status == GraduationTopic.Status.PROPOSED


def test_buttons_on_the_resource_page(setup, client):
    s = setup
    url = reverse("teachers:resource_detail", args=[s["case"].pk])
    client.force_login(s["hr"])
    body = client.get(url).content
    assert reverse("projects:case_to_project", args=[s["case"].pk]).encode() in body
    assert reverse("projects:case_to_topic", args=[s["case"].pk]).encode() in body
    client.force_login(s["teacher"])
    body = client.get(url).content
    assert reverse("projects:case_to_topic", args=[s["case"].pk]).encode() in body
    assert reverse("projects:case_to_project", args=[s["case"].pk]).encode() not in body
    client.force_login(s["other_hr"])
    assert b"resource-action" not in client.get(url).content
    client.force_login(s["hr"])
    assert b"resource-action" not in client.get(reverse("teachers:resource_detail", args=[s["slides"].pk])).content
