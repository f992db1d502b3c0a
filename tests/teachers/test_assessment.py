"""Process-based assessment: components, component scores, computed finals (hand cases),
all-or-nothing saves and imports, and the final still driving the radar."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.errors import ApplicationError
from accounts.models import Role
from students.models import CompetencyAttainment
from teachers.assessment.io import gradebook_import_any
from teachers.assessment.services import (
    component_scores_save,
    components_validate,
    final_from_components,
    grade_components_set,
)
from teachers.gradebook_io import gradebook_export
from teachers.models import ComponentScore, Enrolment, GradeComponent
from teachers.services import gradebook_save
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db
D = Decimal
FOUR = [{"code": "attendance", "name": "Attendance", "weight": "10"},
        {"code": "tasks", "name": "Process tasks", "weight": "30"},
        {"code": "project", "name": "Project", "weight": "30"},
        {"code": "exam", "name": "Exam", "weight": "30"}]


@pytest.mark.parametrize(("weights", "scores", "final"), [
    ({1: D(10), 2: D(30), 3: D(30), 4: D(30)}, {1: D(95), 2: D(80), 3: D(70), 4: D(60)}, D("72.50")),
    ({1: D("33.33"), 2: D("33.33"), 3: D("33.34")}, {1: D(70), 2: D(80), 3: D(91)}, D("80.33")),
    ({1: D(50), 2: D(50)}, {1: D("0"), 2: D("100")}, D("50.00")),
    ({1: D(100)}, {1: D("59.995")}, D("60.00")),  # half up
    ({1: D(40), 2: D(60)}, {1: D(90)}, None),  # a component without a score: no final yet
    ({}, {}, None),
])
def test_final_from_components_hand_cases(weights, scores, final):
    assert final_from_components(weights=weights, scores=scores) == final


@pytest.mark.parametrize(("rows", "code"), [
    ([{"code": "a", "name": "A", "weight": "50"}, {"code": "b", "name": "B", "weight": "40"}], "weights_sum"),
    ([{"code": "a", "name": "A", "weight": "60"}, {"code": "b", "name": "B", "weight": "60"}], "weights_sum"),
    ([{"code": "a", "name": "A", "weight": "50"}, {"code": "a", "name": "B", "weight": "50"}], "invalid_components"),
    ([{"code": "a", "name": "A", "weight": "-10"}, {"code": "b", "name": "B", "weight": "110"}], "invalid_components"),
    ([{"code": "A B", "name": "A", "weight": "100"}], "invalid_components"),
    ([{"code": "a", "name": "", "weight": "100"}], "invalid_components"),
    ([{"code": "a", "name": "A", "weight": "abc"}], "invalid_components"),
    ([{"code": "a", "name": "A", "weight": "99.999"}, {"code": "b", "name": "B", "weight": "0.001"}],
     "invalid_components"),
])
def test_components_refused(rows, code):
    with pytest.raises(ApplicationError) as exc:
        components_validate(rows)
    assert exc.value.code == code


@pytest.fixture
def book():
    teacher = UserFactory(role=Role.TEACHER, username="as_teacher")
    major = make_major(competencies=("a", "b"))
    make_program(major, 2024, [("AS1", 4, 1, {"a": 1}), ("AS2", 2, 1, {"b": 1})])
    school_class = make_class(major, 2024, code="as-class")
    students = [make_student(school_class, number=f"2024300{i:03d}") for i in range(3)]
    offering = make_offering("AS1", make_term(), school_class, teacher=teacher)
    enrolments = {e.student_id: e for e in Enrolment.objects.filter(offering=offering)}
    return {"teacher": teacher, "offering": offering, "students": students,
            "enrolments": [enrolments[s.user_id] for s in students]}


def _components(offering):
    return {c.code: c for c in GradeComponent.objects.filter(offering=offering)}


def test_component_scores_compute_the_final_and_move_the_radar(book):
    offering, teacher = book["offering"], book["teacher"]
    grade_components_set(actor=teacher, offering=offering, components=FOUR)
    comps = _components(offering)
    e0, e1, _e2 = book["enrolments"]
    scores = {(e0.pk, comps["attendance"].pk): "95", (e0.pk, comps["tasks"].pk): "80",
              (e0.pk, comps["project"].pk): "70", (e0.pk, comps["exam"].pk): "60",
              (e1.pk, comps["attendance"].pk): "100"}
    changed = component_scores_save(actor=teacher, offering=offering, scores=scores)
    assert changed == 1
    e0.refresh_from_db()
    e1.refresh_from_db()
    assert e0.score == D("72.50") and e1.score is None
    att = CompetencyAttainment.objects.get(student=book["students"][0], competency__code="a")
    assert att.attainment == pytest.approx(0.725)
    # A correction needs a reason; with it, the final follows.
    with pytest.raises(ApplicationError):
        component_scores_save(actor=teacher, offering=offering, scores={(e0.pk, comps["exam"].pk): "90"})
    component_scores_save(actor=teacher, offering=offering, scores={(e0.pk, comps["exam"].pk): "90"},
                          reason="exam re-marked")
    e0.refresh_from_db()
    assert e0.score == D("81.50")
    assert CompetencyAttainment.objects.get(student=book["students"][0], competency__code="a").attainment == \
        pytest.approx(0.815)


def test_component_scores_all_or_nothing(book):
    offering, teacher = book["offering"], book["teacher"]
    grade_components_set(actor=teacher, offering=offering, components=FOUR)
    comps = _components(offering)
    e0, e1, _ = book["enrolments"]
    with pytest.raises(ApplicationError) as exc:
        component_scores_save(actor=teacher, offering=offering, scores={
            (e0.pk, comps["exam"].pk): "80", (e1.pk, comps["exam"].pk): "180", (e1.pk, 999999): "10"})
    assert set(exc.value.extra) == {f"{e1.pk}-{comps['exam'].pk}", f"{e1.pk}-999999"}
    assert not ComponentScore.objects.exists()


def test_changing_components_recomputes_finals_and_manual_finals_are_refused(book):
    offering, teacher = book["offering"], book["teacher"]
    grade_components_set(actor=teacher, offering=offering, components=[
        {"code": "tasks", "name": "Tasks", "weight": "50"}, {"code": "exam", "name": "Exam", "weight": "50"}])
    comps = _components(offering)
    e0 = book["enrolments"][0]
    component_scores_save(actor=teacher, offering=offering, scores={
        (e0.pk, comps["tasks"].pk): "60", (e0.pk, comps["exam"].pk): "100"})
    e0.refresh_from_db()
    assert e0.score == D("80.00")
    grade_components_set(actor=teacher, offering=offering, components=[
        {"code": "tasks", "name": "Tasks", "weight": "25"}, {"code": "exam", "name": "Exam", "weight": "75"}])
    e0.refresh_from_db()
    assert e0.score == D("90.00")
    with pytest.raises(ApplicationError) as exc:
        gradebook_save(actor=teacher, offering=offering, scores={e0.pk: "50"})
    assert exc.value.code == "graded_by_components"
    with pytest.raises(ApplicationError):
        grade_components_set(actor=teacher, offering=offering, components=[
            {"code": "tasks", "name": "Tasks", "weight": "25"}, {"code": "exam", "name": "Exam", "weight": "70"}])
    assert _components(offering)["exam"].weight == D("75")


def _csv(text: str) -> bytes:
    return text.strip().encode() + b"\n"


def test_component_import_applies_everything_or_nothing(book):
    offering, teacher = book["offering"], book["teacher"]
    grade_components_set(actor=teacher, offering=offering, components=FOUR)
    numbers = [s.student_number for s in book["students"]]
    bad = _csv(f"""student_number,attendance,tasks,project,exam
{numbers[0]},100,90,80,70
{numbers[1]},100,abc,80,70
99999999,1,1,1,1""")
    report = gradebook_import_any(actor=teacher, offering=offering, upload_name="g.csv", data=bad)
    assert not report.ok and [e.row for e in report.errors] == [3, 4]
    assert not ComponentScore.objects.exists()
    good = _csv(f"""学号,Attendance,tasks,project,exam
{numbers[0]},100,90,80,70
{numbers[1]},50,60,70,80
{numbers[2]},100,,80,70""")
    report = gradebook_import_any(actor=teacher, offering=offering, upload_name="g.csv", data=good)
    assert report.ok and report.applied == 2
    finals = dict(Enrolment.objects.filter(offering=offering).values_list("student_id", "score"))
    assert finals[book["students"][0].user_id] == D("82.00")
    assert finals[book["students"][1].user_id] == D("68.00")
    assert finals[book["students"][2].user_id] is None
    with pytest.raises(ApplicationError) as exc:
        gradebook_import_any(actor=teacher, offering=offering, upload_name="g.csv",
                             data=_csv(f"student_number,score\n{numbers[0]},80"))
    assert exc.value.code == "file_columns"
    # The export carries the component columns and re-imports unchanged.
    content, _type, name = gradebook_export(offering=offering, fmt="xlsx")
    report = gradebook_import_any(actor=teacher, offering=offering, upload_name=name, data=content)
    assert report.ok and report.applied == 0


def test_gradebook_pages_with_components(client, book):
    offering, teacher = book["offering"], book["teacher"]
    client.force_login(teacher)
    url = reverse("teachers:grade_components", args=[offering.pk])
    response = client.post(url, {"rows": 3, "code-0": "tasks", "name-0": "Tasks", "weight-0": "40",
                                 "code-1": "exam", "name-1": "Exam", "weight-1": "50"})
    assert response.status_code == 400 and b"sum to 100" in response.content
    assert not GradeComponent.objects.exists()
    response = client.post(url, {"rows": 3, "code-0": "tasks", "name-0": "Tasks", "weight-0": "40",
                                 "code-1": "exam", "name-1": "Exam", "weight-1": "60"})
    assert response.status_code == 302
    comps = _components(offering)
    e0 = book["enrolments"][0]
    page = client.get(reverse("teachers:gradebook", args=[offering.pk]))
    assert f'name="comp-{e0.pk}-{comps["tasks"].pk}"'.encode() in page.content
    response = client.post(reverse("teachers:component_scores", args=[offering.pk]), {
        f"comp-{e0.pk}-{comps['tasks'].pk}": "70", f"comp-{e0.pk}-{comps['exam'].pk}": "101"})
    assert response.status_code == 400 and not ComponentScore.objects.exists()
    response = client.post(reverse("teachers:component_scores", args=[offering.pk]), {
        f"comp-{e0.pk}-{comps['tasks'].pk}": "70", f"comp-{e0.pk}-{comps['exam'].pk}": "80"})
    assert response.status_code == 302
    e0.refresh_from_db()
    assert e0.score == D("76.00")
    other = UserFactory(role=Role.TEACHER, username="as_other")
    client.force_login(other)
    assert client.post(url, {"rows": 0}).status_code == 404  # not their offering: answered as missing
