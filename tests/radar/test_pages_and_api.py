"""Pages, the radar API's public shape, charts and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from students.radar import charts
from students.radar.services import radar_recompute
from tests.factories import UserFactory
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


def _class_with(n: int, teacher):
    major = make_major(competencies=("a", "b", "c", "d", "e"))
    make_program(major, 2024, [("Q1", 2, 1, {"a": 1, "b": 0.5}), ("Q2", 3, 1, {"c": 1, "d": 1}), ("Q3", 2, 2, {"e": 1})])
    school_class = make_class(major, 2024, head_teacher=teacher)
    students = [make_student(school_class) for _ in range(n)]
    offering = make_offering("Q1", make_term(), school_class, teacher=teacher)
    offering2 = make_offering("Q2", make_term(), school_class, teacher=teacher)
    for i, s in enumerate(students):
        grade(offering, s, 60 + i % 40)
        grade(offering2, s, 70)
    radar_recompute()
    return school_class, students


def test_radar_api_shape(client):
    teacher = UserFactory(role=Role.TEACHER, username="api_teacher")
    _cls, students = _class_with(3, teacher)
    client.force_login(students[0].user)
    data = client.get(reverse("api:students-radar", args=[students[0].student_number])).json()
    assert set(data) == {"student_number", "competencies", "area", "cohort_average"}
    assert data["student_number"] == students[0].student_number
    assert [c["code"] for c in data["competencies"]] == ["a", "b", "c", "d", "e"]
    assert all(set(c) == {"code", "name", "attainment"} and 0 <= c["attainment"] <= 1 for c in data["competencies"])
    assert data["competencies"][0]["attainment"] == pytest.approx(2 * 60 / 200)
    assert [c["code"] for c in data["cohort_average"]] == ["a", "b", "c", "d", "e"]
    assert data["area"] > 0


@pytest.mark.parametrize("url_name", ["api:students-radar", "students:student_competences"])
def test_radar_query_count_does_not_grow_with_students(client, url_name):
    teacher = UserFactory(role=Role.TEACHER, username="qc_teacher")
    counts = []
    for n in (3, 30):
        _cls, students = _class_with(n, teacher)
        client.force_login(teacher)
        url = reverse(url_name, args=[students[-1].student_number])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_class_view_query_count_does_not_grow_with_students(client):
    teacher = UserFactory(role=Role.TEACHER, username="cv_teacher")
    counts = []
    for n in (3, 40):
        school_class, _students = _class_with(n, teacher)
        client.force_login(teacher)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("students:class_competences", args=[school_class.pk]))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert response.content.decode().count('href="/students/') >= 40


def test_my_competences_page_and_chart_fragment(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    teacher = UserFactory(role=Role.TEACHER, username="mc_teacher")
    _cls, students = _class_with(2, teacher)
    client.force_login(students[0].user)
    body = client.get(reverse("students:my_competences")).content.decode()
    assert 'id="radar-chart"' in body and 'id="explanation"' in body and 'id="attainment-table"' in body
    fragment = client.get(reverse("students:competences_chart", args=[students[0].student_number, "radar"]))
    # Tests run Celery eagerly, so the render happened on enqueue; the next poll shows the image.
    fragment = client.get(reverse("students:competences_chart", args=[students[0].student_number, "radar"]))
    assert b"radar-image" in fragment.content
    png = client.get(reverse("students:competences_chart_image", args=[students[0].student_number, "radar", "png"]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert b"".join(png.streaming_content).startswith(b"\x89PNG")
    svg = client.get(reverse("api:students-radar-image", args=[students[0].student_number, "growth", "svg"]))
    assert svg.status_code in (200, 202)


def test_chart_is_pending_until_the_worker_renders_it(client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    teacher = UserFactory(role=Role.TEACHER, username="pd_teacher")
    _cls, students = _class_with(2, teacher)
    sent = []
    monkeypatch.setattr("students.radar.views.radar_student_charts_task.delay", lambda *a: sent.append(a))
    client.force_login(students[0].user)
    response = client.get(reverse("students:competences_chart_image", args=[students[0].student_number, "radar", "png"]))
    assert response.status_code == 202 and response["Retry-After"] == "1"
    fragment = client.get(reverse("students:competences_chart", args=[students[0].student_number, "radar"]))
    assert b'hx-trigger="every 1s"' in fragment.content
    assert sent == [(students[0].pk, "zh-hans", ["radar"])]  # enqueued once, not on every poll


def test_grade_change_invalidates_charts(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    from students.radar.tasks import radar_student_charts_task
    from teachers.models import Enrolment
    from teachers.services import grade_set

    teacher = UserFactory(role=Role.TEACHER, username="inv_teacher")
    _cls, students = _class_with(2, teacher)
    student = students[0]
    radar_student_charts_task(student.pk, "zh-hans")
    before = {p.name for p in (tmp_path / "radar-charts" / f"student-{student.pk}").iterdir()}
    assert len(before) == 4  # radar + growth, PNG + SVG
    enrolment = Enrolment.objects.filter(student=student.user, offering__course__code="Q1").get()
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        grade_set(actor=teacher, enrolment=enrolment, score="99", reason="appeal")
    after = {p.name for p in (tmp_path / "radar-charts" / f"student-{student.pk}").iterdir()}
    assert after and not (after & before)  # old files dropped, new ones rendered


def test_chart_rendering_png_and_svg():
    data = charts.ChartData(kind="radar", title="核心能力雷达图", labels=["数据分析", "客户服务", "新媒体运营"],
                            series=[("我", [0.5, 0.6, 0.7]), ("平均", [0.4, 0.4, 0.4])])
    assert charts.render(data, "png").startswith(b"\x89PNG")
    assert b"<svg" in charts.render(data, "svg")


def test_class_radar_api(client):
    teacher = UserFactory(role=Role.TEACHER, username="capi_teacher")
    school_class, students = _class_with(4, teacher)
    client.force_login(teacher)
    data = client.get(reverse("api:classes-radar", args=[school_class.pk])).json()
    assert data["students"] == 4 and data["class_code"] == school_class.code
    first = data["competencies"][0]
    assert first["code"] == "a" and first["minimum"] <= first["median"] <= first["maximum"]
    assert first["mean"] == pytest.approx(sum(2 * (60 + i) / 200 for i in range(4)) / 4)
