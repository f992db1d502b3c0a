"""A grade change re-renders the student's charts in a real Celery worker."""

from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Role
from students.radar.services import radar_recompute
from teachers.models import Enrolment
from teachers.services import grade_set
from tests.conftest import wait_for
from tests.factories import UserFactory
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term


@pytest.mark.celery_worker
@pytest.mark.slow
def test_grade_change_rerenders_charts_in_the_worker(celery_worker_process):
    teacher = UserFactory(role=Role.TEACHER, username="worker_teacher")
    major = make_major(competencies=("a", "b", "c"))
    make_program(major, 2024, [("W1", 2, 1, {"a": 1, "b": 1}), ("W2", 2, 1, {"c": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class)
    offering = make_offering("W1", make_term(), school_class, teacher=teacher)
    grade(offering, student, 70)
    radar_recompute()

    enrolment = Enrolment.objects.get(offering=offering, student=student.user)
    grade_set(actor=teacher, enrolment=enrolment, score="90", reason="appeal")  # atomic: commits, then enqueues

    folder = Path(settings.MEDIA_ROOT) / "radar-charts" / f"student-{student.pk}"

    def rendered():
        return folder.exists() and len([p for p in folder.iterdir() if p.suffix in (".png", ".svg")]) == 4

    wait_for(rendered, timeout=90, message="the worker to render the charts")
    assert "radar_charts_refresh_task" in celery_worker_process.read_text()
