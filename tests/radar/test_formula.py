"""The radar formula on hand-computed cases, both computation paths, and growth."""

import math

import numpy as np
import pytest

from students.models import CompetencyAttainment, StudentRadar
from students.radar.geometry import radar_area
from students.radar.selectors import radar_explanation, radar_for_student, radar_history
from students.radar.services import radar_recompute, radar_recompute_student
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def program_world():
    """C1: 2 credits, a:1 and b:0.5 (two competencies); C2: 3 credits, c:1; C3: 1 credit, a:2."""
    major = make_major(competencies=("a", "b", "c", "d"))
    make_program(major, 2024, [("C1", 2, 1, {"a": 1, "b": 0.5}), ("C2", 3, 1, {"c": 1}), ("C3", 1, 2, {"a": 2})])
    school_class = make_class(major, 2024)
    t1, t2 = make_term(2024, 1), make_term(2024, 2)
    s1, s2 = make_student(school_class), make_student(school_class)
    o1 = make_offering("C1", t1, school_class)
    o2 = make_offering("C2", t1, school_class)
    o3 = make_offering("C3", t2, school_class)
    return {"major": major, "class": school_class, "students": (s1, s2), "offerings": (o1, o2, o3), "terms": (t1, t2)}


def _stored(student):
    return {a.competency.code: a.attainment for a in CompetencyAttainment.objects.filter(student=student)
            .select_related("competency")}


# a: (2·1·80 + 1·2·90) / ((2·1 + 1·2)·100) = 340/400; b: 2·0.5·80 / (2·0.5·100) = 0.8; c: 0 of 300; d: no course → 0
EXPECTED = {"a": 0.85, "b": 0.8, "c": 0.0, "d": 0.0}
EXPECTED_AREA = 0.5 * math.sin(2 * math.pi / 4) * (0.85 * 0.8 + 0.8 * 0 + 0 * 0 + 0 * 0.85)


@pytest.mark.parametrize("path", ["bulk", "single"])
def test_hand_computed_attainment_with_a_course_on_two_competencies(program_world, path):
    s1, s2 = program_world["students"]
    o1, o2, o3 = program_world["offerings"]
    grade(o1, s1, 80)
    grade(o3, s1, 90)
    if path == "bulk":
        radar_recompute()
    else:
        radar_recompute_student(student=s1)
        radar_recompute_student(student=s2)
    assert _stored(s1) == pytest.approx(EXPECTED)
    assert StudentRadar.objects.get(student=s1).area == pytest.approx(EXPECTED_AREA)
    assert StudentRadar.objects.get(student=s1).credits_completed == pytest.approx(3)
    # The student with no grades: all zeros, no division error.
    assert _stored(s2) == {"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0}
    assert StudentRadar.objects.get(student=s2).area == 0.0


def test_radar_read_and_explanation(program_world):
    s1, s2 = program_world["students"]
    o1, _o2, o3 = program_world["offerings"]
    grade(o1, s1, 80)
    grade(o3, s1, 90)
    grade(o1, s2, 60)
    radar_recompute()
    radar = radar_for_student(student=s1)
    assert [a.code for a in radar.axes] == ["a", "b", "c", "d"]
    assert radar.values == pytest.approx([0.85, 0.8, 0, 0])
    assert radar.area == pytest.approx(EXPECTED_AREA)
    # cohort: s1 and s2 (a: (0.85 + 2·1·60/400)/2)
    assert radar.cohort_values == pytest.approx([(0.85 + 0.3) / 2, (0.8 + 0.6) / 2, 0, 0])
    explanation = {e.code: e for e in radar_explanation(student=s1)}
    assert explanation["a"].attainment == pytest.approx(0.85)
    shares = {c.course_code: c.share for c in explanation["a"].contributions}
    assert shares == pytest.approx({"C1": 160 / 400, "C3": 180 / 400})
    assert explanation["d"].contributions == []


def test_retaken_course_counts_its_best_grade(program_world):
    s1, _ = program_world["students"]
    o1 = program_world["offerings"][0]
    t2 = program_world["terms"][1]
    grade(o1, s1, 50)
    retake = make_offering("C1", t2, make_class(program_world["major"], 2024), enrol=False)
    grade(retake, s1, 70)
    radar_recompute_student(student=s1)
    bulk_free = _stored(s1)
    radar_recompute()
    assert _stored(s1) == pytest.approx(bulk_free)
    assert bulk_free["b"] == pytest.approx(0.7)


def test_area_formula():
    assert radar_area([1, 1, 1]) == pytest.approx(0.5 * math.sin(2 * math.pi / 3) * 3)
    assert radar_area([0.5] * 6) == pytest.approx(0.5 * math.sin(math.pi / 3) * 6 * 0.25)
    assert radar_area([]) == 0.0


def test_growth_never_shrinks_and_completion_gives_weighted_average(db):
    rng = np.random.default_rng(7)
    comps = ("a", "b", "c", "d", "e")
    major = make_major(competencies=comps)
    courses = []
    for i in range(12):
        chosen = rng.choice(comps, size=int(rng.integers(1, 3)), replace=False)
        courses.append((f"G{i}", float(rng.integers(1, 5)), i // 2 + 1,
                        {c: float(rng.integers(1, 10)) / 4 for c in chosen}))
    make_program(major, 2024, courses)
    school_class = make_class(major, 2024)
    student = make_student(school_class)
    previous = dict.fromkeys(comps, 0.0)
    scores = {}
    for i, (code, *_rest) in enumerate(courses):
        offering = make_offering(code, make_term(2024 + i // 2, i % 2 + 1), school_class)
        scores[code] = float(rng.integers(40, 101))
        grade(offering, student, scores[code])
        radar_recompute_student(student=student)
        now = _stored(student)
        for c in comps:
            assert now[c] >= previous[c] - 1e-12, f"{c} shrank after {code}"
        previous = now
    for c in comps:
        num = sum(credits * w[c] * scores[code] for code, credits, _s, w in courses if c in w)
        den = sum(credits * w[c] * 100 for code, credits, _s, w in courses if c in w)
        assert previous[c] == pytest.approx(num / den if den else 0.0)
    radar_recompute()
    assert _stored(student) == pytest.approx(previous)
    history = radar_history(student=student)
    areas = [p.area for p in history]
    assert areas == sorted(areas)
    assert history[-1].values == pytest.approx([previous[c] for c in comps])


def test_recompute_command(program_world):
    from io import StringIO

    from django.core.management import call_command

    s1, _s2 = program_world["students"]
    grade(program_world["offerings"][0], s1, 80)
    out = StringIO()
    call_command("radar_recompute", "--major", program_world["major"].code, stdout=out)
    assert "2 students" in out.getvalue()
    assert _stored(s1)["b"] == pytest.approx(0.8)
