import threading

import pytest
from django.db import connection

from accounts.errors import ApplicationError
from students.models import PointBalance, PointEntry, PointRule, PointSource
from students.points import selectors as point_reads
from students.points import services as points
from tests.growth import factories as f


@pytest.mark.django_db
def test_grant_and_reversal_keep_total_equal_to_ledger_sum(teacher_user):
    s = f.student()
    e1 = points.points_grant(actor=teacher_user, student=s, source=PointSource.TEACHER_AWARD, amount=10, reason="help")
    points.points_grant(actor=teacher_user, student=s, source=PointSource.PROJECT_DELIVERY, amount=5, reason="delivery")
    reversal = points.points_reverse(actor=teacher_user, entry=e1, reason="mistake")
    assert reversal.amount == -10 and reversal.reverses_id == e1.pk
    e1.refresh_from_db()
    assert e1.amount == 10  # the original is never edited
    assert point_reads.points_total_for_student(student=s) == 5 == point_reads.points_ledger_sum(student=s)
    assert PointEntry.objects.filter(student=s).count() == 3
    with pytest.raises(ApplicationError):
        points.points_reverse(actor=teacher_user, entry=e1, reason="again")
    with pytest.raises(ApplicationError):
        points.points_reverse(actor=teacher_user, entry=reversal, reason="undo the undo")


@pytest.mark.django_db
def test_grant_validates_input(teacher_user):
    s = f.student()
    for kwargs in ({"amount": 0, "reason": "x"}, {"amount": 3, "reason": " "}):
        with pytest.raises(ApplicationError):
            points.points_grant(actor=teacher_user, student=s, source=PointSource.TEACHER_AWARD, **kwargs)
    with pytest.raises(ApplicationError):
        points.points_grant(actor=teacher_user, student=s, source="bribe", amount=3, reason="x")


@pytest.mark.django_db
def test_automatic_rules_are_configurable_and_idempotent_by_reference(teacher_user):
    s = f.student()
    assert points.points_grant_for_course_grade(actor=None, student=s, score=95, course_label="Python",
                                                reference="grade:1").amount == 10
    # Same reference: no second grant.
    points.points_grant_for_course_grade(actor=None, student=s, score=95, course_label="Python", reference="grade:1")
    assert point_reads.points_total_for_student(student=s) == 10
    PointRule.objects.update_or_create(source=PointSource.COURSE_GRADE, key="B", defaults={"amount": 8})
    assert points.points_grant_for_course_grade(actor=None, student=s, score=85, course_label="SQL",
                                                reference="grade:2").amount == 8
    assert points.points_grant_for_course_grade(actor=None, student=s, score=40, course_label="X",
                                                reference="grade:3") is None
    assert point_reads.points_total_for_student(student=s) == 18 == point_reads.points_ledger_sum(student=s)


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_from_separate_connections_both_count():
    """Two threads, each with its own database connection and transaction, grant
    to the same (balance-less) student at the same moment: both must count."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    s = f.student()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def grant(amount: int):
        from django.db import connections, transaction

        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                points.points_grant(actor=None, student=s.pk, source=PointSource.TEACHER_AWARD, amount=amount,
                                    reason=f"concurrent {amount}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    for _ in range(3):  # repeat: the first round races the balance row's creation, later ones the update
        threads = [threading.Thread(target=grant, args=(a,)) for a in (7, 11)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    assert PointBalance.objects.get(student=s).total == 54 == point_reads.points_ledger_sum(student=s)
    assert PointEntry.objects.filter(student=s).count() == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_from_two_processes_both_count():
    """The same with two OS processes (multiprocessing, fork-free spawn of manage.py shell)."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    import os
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT, _database_url_for_worker

    s = f.student()
    code = (
        "import django,os,time;django.setup();"
        "from students.points import services as points;"
        "t=float(os.environ['START_AT']);"
        "time.sleep(max(0,t-time.time()));"
        "[points.points_grant(actor=None, student=int(os.environ['SID']), source='teacher_award', amount=1, reason='p') "
        "for _ in range(25)]"
    )
    import time

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "platform_site.settings.test",
           "DATABASE_URL": _database_url_for_worker(), "SID": str(s.pk), "START_AT": str(time.time() + 3)}
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env) for _ in range(2)]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    assert PointBalance.objects.get(student=s).total == 50 == point_reads.points_ledger_sum(student=s)


@pytest.mark.django_db
def test_grade_changes_follow_into_the_ledger(teacher_user):
    """The gradebook's grades_changed signal keeps course-grade points in step:
    a band change reverses the old entry and grants the new amount."""
    from decimal import Decimal

    from teachers.models import Course, CourseOffering, Enrolment
    from teachers.signals import grades_changed

    s = f.student()
    course = Course.objects.create(code="PY101", name="Python", major=s.major)
    offering = CourseOffering.objects.create(course=course, term=f.term(), school_class=s.school_class,
                                             teacher=teacher_user)
    enrolment = Enrolment.objects.create(offering=offering, student=s.user, score=Decimal("92"))
    grades_changed.send(sender=Enrolment, user_ids=[s.user_id])
    assert point_reads.points_total_for_student(student=s) == 10
    grades_changed.send(sender=Enrolment, user_ids=[s.user_id])  # nothing changed: no new entry
    assert PointEntry.objects.filter(student=s).count() == 1
    enrolment.score = Decimal("81")
    enrolment.save()
    grades_changed.send(sender=Enrolment, user_ids=[s.user_id])
    assert point_reads.points_total_for_student(student=s) == 7 == point_reads.points_ledger_sum(student=s)
    enrolment.score = Decimal("95")
    enrolment.save()
    grades_changed.send(sender=Enrolment, user_ids=[s.user_id])
    assert point_reads.points_total_for_student(student=s) == 10 == point_reads.points_ledger_sum(student=s)
    assert PointEntry.objects.filter(student=s).count() == 5  # grant, reversal, grant, reversal, grant
