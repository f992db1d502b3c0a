"""The stored per-cohort attainment sums (students.radar.cohort_sums) stay equal to the sums
of the attainments through every write: recomputes, a student changing cohort, a student
leaving, a whole-school recompute, a concurrent refresh; and the school dashboard's radar
read from them equals the same figure computed from the attainments."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count, Sum

from accounts.dashboard import Scope
from students.dashboard import _radar, _radar_with_groups
from students.models import CohortAttainmentSum, CompetencyAttainment, StudentProfile
from students.radar.cohort_sums import cohort_sums_refresh
from students.radar.selectors import cohort_average
from students.radar.services import radar_recompute, radar_recompute_student
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term


def _truth() -> dict:
    """{(major, intake year, class, competency): (total, count)} straight from the attainments."""
    rows = (CompetencyAttainment.objects.order_by()
            .values("student__major_id", "student__intake_year", "student__school_class_id", "competency_id")
            .annotate(total=Sum("attainment"), n=Count("id")))
    return {(r["student__major_id"], r["student__intake_year"], r["student__school_class_id"], r["competency_id"]):
            (pytest.approx(r["total"]), r["n"]) for r in rows}


def _stored() -> dict:
    return {(r.major_id, r.intake_year, r.school_class_id, r.competency_id): (r.total, r.students)
            for r in CohortAttainmentSum.objects.all()}


def _school():
    """Two majors, two intake years; grades 60/80 for two students of each class."""
    majors = [make_major(competencies=("a", "b")), make_major(competencies=("a", "b", "c"))]
    term = make_term()
    classes, students = [], []
    for n, major in enumerate(majors):
        for intake in (2023, 2024):
            code = f"C{n}{intake}"
            make_program(major, intake, [(code, 2, 1, {c.code: 1 for c in major.competencies.all()})])
            school_class = make_class(major, intake)
            pair = [make_student(school_class), make_student(school_class)]
            offering = make_offering(code, term, school_class)
            for student, score in zip(pair, (60, 80), strict=True):
                grade(offering, student, score)
            classes.append(school_class)
            students += pair
    return majors, classes, students


@pytest.mark.django_db
def test_recomputes_keep_the_sums_equal_to_the_attainments():
    majors, classes, students = _school()
    radar_recompute()  # every cohort
    assert _stored() == _truth() and len(_stored()) == 2 * 2 + 2 * 3
    key = (majors[0].pk, 2023, classes[0].pk, majors[0].competencies.get(code="a").pk)
    assert _stored()[key] == (pytest.approx(0.6 + 0.8), 2)

    offering = students[0].user.enrolments.get().offering
    grade(offering, students[0], 100)
    radar_recompute_student(student=students[0])  # one student: only their cohort is refreshed
    assert _stored() == _truth()
    assert _stored()[key] == (pytest.approx(1.0 + 0.8), 2)

    grade(offering, students[1], 40)
    radar_recompute(student_ids=[students[1].pk])  # a partial bulk recompute
    assert _stored() == _truth() and _stored()[key] == (pytest.approx(1.0 + 0.4), 2)

    # A newcomer in a class that has no row yet: the difference inserts the class's rows.
    newcomer = make_student(make_class(majors[0], 2023))
    grade(offering, newcomer, 70)
    radar_recompute_student(student=newcomer)
    assert _stored() == _truth()
    assert _stored()[(majors[0].pk, 2023, newcomer.school_class_id, key[3])] == (pytest.approx(0.7), 1)


@pytest.mark.django_db
def test_a_student_moving_cohort_or_leaving_moves_the_sums(django_capture_on_commit_callbacks):
    majors, classes, students = _school()
    radar_recompute()
    mover = StudentProfile.objects.get(pk=students[0].pk)
    mover.intake_year, mover.school_class = 2024, classes[1]  # same major, the next cohort
    mover.save()
    assert _stored() == _truth()
    competency = majors[0].competencies.get(code="a").pk
    assert _stored()[(majors[0].pk, 2023, classes[0].pk, competency)][1] == 1
    assert _stored()[(majors[0].pk, 2024, classes[1].pk, competency)][1] == 3

    # Another class of the same cohort: the class rows follow.
    other = make_class(majors[0], 2024)
    mover.school_class = other
    mover.save(update_fields=["school_class"])
    assert _stored() == _truth()
    assert _stored()[(majors[0].pk, 2024, other.pk, competency)][1] == 1

    with django_capture_on_commit_callbacks(execute=True):
        StudentProfile.objects.filter(pk__in=[students[1].pk, students[2].pk]).delete()
    assert _stored() == _truth()
    assert not [key for key in _stored() if key[:2] == (majors[0].pk, 2023)]  # the cohort has no student left


@pytest.mark.django_db
def test_a_single_attainment_saved_outside_the_services_is_counted():
    majors, classes, students = _school()
    radar_recompute()
    row = CompetencyAttainment.objects.filter(student=students[0]).first()
    row.attainment = 0.05
    row.save()
    assert _stored() == _truth()


@pytest.mark.django_db
def test_the_dashboard_radar_read_from_the_sums_equals_the_attainments():
    majors, classes, students = _school()
    radar_recompute()
    school, major = Scope(year=2024), Scope(year=2024, major_code=majors[1].code)
    per_major = _radar(school, "major")
    for m in majors:
        means = {c: a for c, a in CompetencyAttainment.objects.filter(student__major=m).values("competency_id")
                 .annotate(mean=Sum("attainment") / Count("id")).values_list("competency_id", "mean")}
        assert per_major[m.code].value == pytest.approx(sum(means.values()) / len(means))
    everything = list(CompetencyAttainment.objects.values("competency_id").annotate(
        mean=Sum("attainment") / Count("id")).values_list("mean", flat=True))
    assert _radar(school, None)[None].value == pytest.approx(sum(everything) / len(everything))
    # The major's page: its competencies named, the same figure per class from the scan.
    figure = _radar(major, None)[None]
    assert len(figure.breakdown) == 3
    scope_figure, per_class = _radar_with_groups(major, "class")
    assert scope_figure[None].value == pytest.approx(figure.value)
    assert set(per_class) == {c.pk for c in classes if c.major_id == majors[1].pk}
    # A class's page: the class's own figure.
    klass = Scope(year=2024, major_code=majors[1].code, class_id=classes[2].pk)
    own = list(CompetencyAttainment.objects.filter(student__school_class=classes[2]).values("competency_id")
               .annotate(mean=Sum("attainment") / Count("id")).values_list("mean", flat=True))
    assert _radar(klass, None)[None].value == pytest.approx(sum(own) / len(own))
    assert per_class[classes[2].pk].value == pytest.approx(sum(own) / len(own))
    # Cohort averages (the student's radar page) read the same sums.
    assert cohort_average(major_id=majors[0].pk, intake_year=2023) == {
        c.pk: pytest.approx(0.7) for c in majors[0].competencies.all()}


@pytest.mark.django_db
def test_a_rebuild_repairs_sums_after_a_write_that_went_around_the_services():
    majors, classes, students = _school()
    radar_recompute()
    CompetencyAttainment.objects.filter(student=students[0]).update(attainment=0.0)  # no signal, no service
    assert _stored() != _truth()
    assert cohort_sums_refresh() == len(_truth())
    assert _stored() == _truth()


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_of_one_cohort_end_equal_to_the_attainments():
    """Two transactions change attainments of the same cohort and refresh it; the first holds its
    transaction open after refreshing. The second waits for it (PostgreSQL's advisory lock), then
    counts its committed change: no unique violation, no lost update."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the advisory lock is PostgreSQL's")
    majors, classes, students = _school()
    radar_recompute()
    first, second = (CompetencyAttainment.objects.filter(student=s).first() for s in students[:2])
    cohort = [(students[0].major_id, students[0].intake_year)]
    refreshed, release, errors = threading.Event(), threading.Event(), []

    def writer(row, value, hold: bool) -> None:
        try:
            with transaction.atomic():
                CompetencyAttainment.objects.filter(pk=row.pk).update(attainment=value)
                cohort_sums_refresh(cohorts=cohort)
                if hold:
                    refreshed.set()
                    release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    one = threading.Thread(target=writer, args=(first, 0.11, True))
    one.start()
    assert refreshed.wait(10)
    two = threading.Thread(target=writer, args=(second, 0.22, False))
    two.start()
    two.join(0.5)
    assert two.is_alive()  # waiting for the first's lock
    release.set()
    one.join(10)
    two.join(10)
    assert not errors and not one.is_alive() and not two.is_alive()
    assert _stored() == _truth()
