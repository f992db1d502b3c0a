"""Quality co-supervision: the closed loop's state machine (every transition allowed and
every one refused), escalation of overdue tasks, students' feedback, the quality trend."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Notification, Role
from teachers.models import CourseFeedback, RectificationTask, TaskEvent
from teachers.supervision import services
from teachers.supervision.selectors import course_quality_trend
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db
T = RectificationTask.Status
GOOD = {"objectives": 5, "organisation": 4, "practice": 3, "engagement": 4, "assessment": 4}


@pytest.fixture
def loop():
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="sv_admin")
    teacher = UserFactory(role=Role.TEACHER, username="sv_teacher")
    master = UserFactory(role=Role.INDUSTRY, username="sv_master")
    mentor = UserFactory(role=Role.ENTERPRISE, username="sv_mentor")
    outsider = UserFactory(role=Role.INDUSTRY, username="sv_outsider")
    major = make_major(competencies=("a",))
    make_program(major, 2024, [("SV1", 2, 1, {"a": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class)
    term = make_term(2024, 1)
    offering = make_offering("SV1", term, school_class, teacher=teacher)
    plan = services.plan_create(actor=admin, term=term, title="2024 autumn", supervisors=[master, mentor])
    return {"admin": admin, "teacher": teacher, "master": master, "mentor": mentor, "outsider": outsider,
            "offering": offering, "plan": plan, "student": student, "term": term}


def _task(loop, deadline=None):
    return services.finding_file(actor=loop["master"], plan=loop["plan"], offering=loop["offering"],
                                 description="Too much lecturing", action="Add a hands-on task per lesson",
                                 deadline=deadline or timezone.localdate() + datetime.timedelta(days=14))


def test_observation_scores_and_refusals(loop):
    obs = services.observation_file(actor=loop["mentor"], plan=loop["plan"], offering=loop["offering"],
                                    observed_on=datetime.date(2024, 10, 8), scores=GOOD)
    assert obs.party == "enterprise" and float(obs.total) == pytest.approx(75.0)  # mean 4.0 on 1–5 → 75
    with pytest.raises(ApplicationError):
        services.observation_file(actor=loop["master"], plan=loop["plan"], offering=loop["offering"],
                                  observed_on=datetime.date(2024, 10, 8), scores={**GOOD, "practice": 6})
    with pytest.raises(NotPermitted):
        services.observation_file(actor=loop["outsider"], plan=loop["plan"], offering=loop["offering"],
                                  observed_on=datetime.date(2024, 10, 8), scores=GOOD)
    with pytest.raises(NotPermitted):
        services.plan_create(actor=loop["teacher"], term=loop["term"], title="Mine")


def test_closed_loop_every_transition(loop):
    task = _task(loop)
    assert task.status == T.OPEN and task.owner == loop["teacher"]
    # open: close refused, reopen refused, evidence only by the owner
    with pytest.raises(ApplicationError, match="submitted"):
        services.task_close(actor=loop["master"], task=task)
    with pytest.raises(ApplicationError, match="already open"):
        services.task_reopen(actor=loop["master"], task=task, note="x")
    with pytest.raises(NotPermitted):
        services.evidence_submit(actor=loop["master"], task=task, note="done")
    with pytest.raises(ApplicationError):
        services.evidence_submit(actor=loop["teacher"], task=task, note="  ")
    services.evidence_submit(actor=loop["teacher"], task=task, note="Each lesson now has a shop task")
    task.refresh_from_db()
    assert task.status == T.SUBMITTED
    # submitted: more evidence refused; closing by an outsider or the owner refused
    with pytest.raises(ApplicationError):
        services.evidence_submit(actor=loop["teacher"], task=task, note="more")
    with pytest.raises(NotPermitted):
        services.task_close(actor=loop["outsider"], task=task)
    with pytest.raises(NotPermitted):
        services.task_close(actor=loop["teacher"], task=task)
    # submitted → reopen (needs a reason) → open → evidence → submitted → close
    with pytest.raises(ApplicationError):
        services.task_reopen(actor=loop["master"], task=task, note="")
    services.task_reopen(actor=loop["master"], task=task, note="Only two lessons changed")
    task.refresh_from_db()
    assert task.status == T.OPEN and task.reopen_count == 1
    services.evidence_submit(actor=loop["teacher"], task=task, note="All lessons changed")
    services.task_close(actor=loop["mentor"], task=task, note="Verified in class")
    task.refresh_from_db()
    assert task.status == T.CLOSED and task.closed_at
    # closed: evidence refused with the reason; close refused; reopen allowed
    with pytest.raises(ApplicationError) as exc:
        services.evidence_submit(actor=loop["teacher"], task=task, note="late")
    assert exc.value.code == "task_closed"
    with pytest.raises(ApplicationError):
        services.task_close(actor=loop["master"], task=task)
    services.task_reopen(actor=loop["admin"], task=task, note="Students report it slipped back")
    task.refresh_from_db()
    assert task.status == T.OPEN and task.closed_at is None and task.reopen_count == 2
    kinds = list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == ["evidence", "reopened", "evidence", "closed", "reopened"]


def test_finding_refusals(loop):
    with pytest.raises(ApplicationError):
        _task(loop, deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(NotPermitted):
        services.finding_file(actor=loop["outsider"], plan=loop["plan"], offering=loop["offering"],
                              description="x", action="y", deadline=timezone.localdate())
    assert not RectificationTask.objects.exists()


def test_overdue_tasks_escalate_once_to_administrators(loop):
    task = _task(loop, deadline=timezone.localdate())
    later = timezone.localdate() + datetime.timedelta(days=3)
    before = Notification.objects.filter(recipient=loop["admin"]).count()
    assert services.tasks_overdue_escalate(today=later) == 1
    assert services.tasks_overdue_escalate(today=later) == 0
    assert Notification.objects.filter(recipient=loop["admin"]).count() == before + 1
    task.refresh_from_db()
    assert task.escalated_at is not None
    services.evidence_submit(actor=loop["teacher"], task=task, note="done")
    services.task_reopen(actor=loop["master"], task=task, note="not enough",
                         deadline=timezone.localdate() + datetime.timedelta(days=1))
    task.refresh_from_db()
    assert task.escalated_at is None  # a reopened task escalates again when overdue again


def test_feedback_only_on_own_courses_once(loop):
    student = loop["student"].user
    other = UserFactory(role=Role.STUDENT, username="sv_stranger")
    services.feedback_submit(actor=student, offering=loop["offering"], rating=2, comment="Too theoretical")
    with pytest.raises(ApplicationError):
        services.feedback_submit(actor=student, offering=loop["offering"], rating=4)
    with pytest.raises(NotPermitted):
        services.feedback_submit(actor=other, offering=loop["offering"], rating=5)
    with pytest.raises(ApplicationError):
        services.feedback_submit(actor=student, offering=make_offering("SV1", make_term(2025, 1),
                                                                          loop["offering"].school_class), rating=9)
    assert CourseFeedback.objects.count() == 1
    services.observation_file(actor=loop["master"], plan=loop["plan"], offering=loop["offering"],
                              observed_on=datetime.date(2024, 10, 8), scores=GOOD)
    _task(loop)
    rows = course_quality_trend(course=loop["offering"].course)
    row = next(r for r in rows if r["term"] == loop["term"].code)
    assert row["observation"] == pytest.approx(75.0) and row["rating"] == 2 and row["feedback"] == pytest.approx(25.0)
    assert row["findings"] == 1 and row["open"] == 1


def test_loop_through_the_pages(client, loop):
    task = _task(loop)
    url = reverse("teachers:supervision_task", args=[task.pk])
    client.force_login(loop["outsider"])
    assert client.get(url).status_code == 404  # not theirs: answered as missing
    client.force_login(loop["teacher"])
    assert client.get(url).status_code == 200
    assert client.post(reverse("teachers:supervision_evidence", args=[task.pk]), {"note": "done"}).status_code == 302
    assert client.post(reverse("teachers:supervision_evidence", args=[task.pk]), {"note": "again"}).status_code == 400
    client.force_login(loop["master"])
    assert client.post(reverse("teachers:supervision_close", args=[task.pk]), {"note": "ok"}).status_code == 302
    client.force_login(loop["teacher"])
    response = client.post(reverse("teachers:supervision_evidence", args=[task.pk]), {"note": "late"})
    assert response.status_code == 400 and b"closed" in response.content
