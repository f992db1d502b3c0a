"""The gradebook save locks only enrolment rows, and two concurrent saves for one
student (two offerings) still leave the right radar (issue 17 §4 "Gradebook save
locks too much"). PostgreSQL only: SQLite has one writer and no row locks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.utils import OperationalError
from django.utils import timezone

from accounts.models import Role, User
from students.models import CompetencyAttainment
from teachers.models import Enrolment, Term
from teachers.services import gradebook_save
from teachers.signals import grades_changed
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def two_offerings():
    major = make_major(competencies=("a",))
    make_program(major, 2024, [("LK1", 1, 1, {"a": 1}), ("LK2", 1, 1, {"a": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class)
    term = make_term()
    teachers = [UserFactory(role=Role.TEACHER), UserFactory(role=Role.TEACHER)]
    offerings = [make_offering("LK1", term, school_class, teacher=teachers[0]),
                 make_offering("LK2", term, school_class, teacher=teachers[1])]
    return {"student": student, "offerings": offerings, "teachers": teachers, "term": term}


class _PauseInside:
    """A grades_changed receiver (connected after the radar's, so it runs after the
    recompute and before commit) that holds the first transaction open."""

    def __init__(self):
        self.inside = threading.Event()
        self.release = threading.Event()
        self.thread_name = None

    def __call__(self, sender, **kwargs):
        if threading.current_thread().name == self.thread_name:
            self.inside.set()
            self.release.wait(timeout=5)


def _save_in_thread(name, offering, teacher, enrolment_id, score, errors):
    def run():
        try:
            gradebook_save(actor=teacher, offering=offering, scores={enrolment_id: score})
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run, name=name)


def test_save_does_not_lock_the_students_user_row_or_the_curriculum(two_offerings):
    offering, teacher = two_offerings["offerings"][0], two_offerings["teachers"][0]
    enrolment = Enrolment.objects.get(offering=offering)
    pause = _PauseInside()
    pause.thread_name = "saver"
    grades_changed.connect(pause, weak=False)
    errors: list[Exception] = []
    saver = _save_in_thread("saver", offering, teacher, enrolment.pk, "80", errors)
    try:
        saver.start()
        assert pause.inside.wait(timeout=30)
        # While the save holds its locks: the student logs in (last_login) and the term is edited.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            User.objects.filter(pk=two_offerings["student"].user_id).update(last_login=timezone.now())
            Term.objects.filter(pk=two_offerings["term"].pk).update(code="2024-2025-1")
    except OperationalError as exc:
        pytest.fail(f"the gradebook save locked more than enrolment rows: {exc}")
    finally:
        pause.release.set()
        saver.join(timeout=30)
        grades_changed.disconnect(pause)
    assert not errors


def test_concurrent_saves_on_two_offerings_lose_no_radar_update(two_offerings):
    (first, second), (t1, t2) = two_offerings["offerings"], two_offerings["teachers"]
    student = two_offerings["student"]
    e1 = Enrolment.objects.get(offering=first)
    e2 = Enrolment.objects.get(offering=second)
    pause = _PauseInside()
    pause.thread_name = "first"
    grades_changed.connect(pause, weak=False)
    errors: list[Exception] = []
    a = _save_in_thread("first", first, t1, e1.pk, "100", errors)
    b = _save_in_thread("second", second, t2, e2.pk, "50", errors)
    try:
        a.start()
        assert pause.inside.wait(timeout=30)  # the first has written its grade and its radar, not committed
        b.start()
        b.join(timeout=2)  # with per-student serialisation the second waits for the first
        pause.release.set()
        a.join(timeout=30)
        b.join(timeout=30)
    finally:
        pause.release.set()
        grades_changed.disconnect(pause)
    assert not errors, errors
    assert set(Enrolment.objects.filter(pk__in=[e1.pk, e2.pk]).values_list("score", flat=True)) == {100, 50}
    stored = CompetencyAttainment.objects.get(student=student, competency__code="a")
    # Both courses weigh 1 credit × 1: (100 + 50) / 200.
    assert stored.attainment == pytest.approx(0.75), "a concurrent save overwrote the other's radar update"
