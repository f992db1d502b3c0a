import datetime

import pytest
from django.urls import reverse

from accounts.models import Notification, Role
from students.models import StarOfSkill, StarRun
from students.points import services as points
from students.stars import services as stars
from teachers.models import Competency
from tests.factories import UserFactory
from tests.growth import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def term_with_points():
    term = f.term(2024, 1)
    f.major()
    data = Competency.objects.get(code="data")
    photo = Competency.objects.get(code="photo")
    klass = f.school_class()
    students = [f.student(klass=klass, number=f"T{i:02d}") for i in range(6)]
    for s, (d, p) in zip(students, [(30, 5), (30, 0), (20, 9), (10, 9), (0, 1), (0, 0)], strict=True):
        if d:
            points.points_grant(actor=None, student=s, source="teacher_award", amount=d, reason="d", term=term,
                                competency=data)
        if p:
            points.points_grant(actor=None, student=s, source="teacher_award", amount=p, reason="p", term=term,
                                competency=photo)
    return term, students, data, photo


def test_selection_is_deterministic_and_idempotent(term_with_points):
    term, students, data, photo = term_with_points
    run = stars.stars_select_for_term(term=term, top_per_competency=3, top_core=2)
    picked = {(s.competency_id, s.position): s.student.student_number for s in run.stars.select_related("student")}
    assert [picked[(data.pk, i)] for i in (1, 2, 3)] == ["T00", "T01", "T02"]  # tie at 30 by student number
    assert [picked[(photo.pk, i)] for i in (1, 2, 3)] == ["T02", "T03", "T00"]
    assert [picked[(None, i)] for i in (1, 2)] == ["T00", "T01"]  # 35 and 30 points overall
    notified = Notification.objects.count()
    assert notified == len({s.student_id for s in run.stars.all()})
    again = stars.stars_select_for_term(term=term)
    assert again.pk == run.pk and StarRun.objects.count() == 1
    assert StarOfSkill.objects.count() == run.stars.count()
    assert Notification.objects.count() == notified  # notified once
    assert stars.stars_select_due(today=datetime.date(2030, 1, 1)) == []  # nothing left to select
    assert Notification.objects.count() == notified


def test_admin_button_and_honour_page(client, term_with_points):
    term, students, *_ = term_with_points
    admin = UserFactory(username="sa", role=Role.SCHOOL_ADMIN)
    client.force_login(admin)
    assert client.post(reverse("students:stars_select"), {"term": term.code}).status_code == 302
    assert client.post(reverse("students:stars_select"), {"term": term.code}).status_code == 302
    assert StarRun.objects.count() == 1
    client.force_login(students[5].user)
    html = client.get(reverse("students:stars"), {"term": term.code}).content.decode()
    assert str(students[0].user) in html
    assert client.post(reverse("students:stars_select"), {"term": term.code}).status_code == 403


def test_beat_schedule_runs_the_stars_task():
    from django.conf import settings

    from platform_site.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "students.stars.tasks.stars_select_due_task" in tasks
    app.loader.import_default_modules()
    assert "students.stars.tasks.stars_select_due_task" in app.tasks
