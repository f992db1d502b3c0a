"""The growth bugs the architecture review found (issue 9, bugs 1–5 and 7); each test
failed before its fix. Bug 6 (radar history) is in tests/radar/test_history_snapshots.py."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from students.models import Alumnus, CompetencyAttainment, PointEntry, PointSource, TermTier
from students.outlook import alumni
from students.outlook import selectors as outlook_reads
from students.outlook import services as outlook
from students.points import services as points
from students.rankings.services import tiers_assign_for_term
from students.stars.services import stars_select_for_term
from teachers.models import Competency, Major, Term
from tests.growth import factories as f

pytestmark = pytest.mark.django_db


# --- 1. a teacher's award names its competency and falls in the current term --------

@pytest.fixture
def current_term():
    today = timezone.localdate()
    return Term.objects.create(code="current", start_year=today.year + 5, number=1,
                               starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=30))


def test_teacher_grant_names_the_competency_and_counts_toward_stars(client, teacher_user, current_term):
    klass = f.school_class(head_teacher=teacher_user)
    student = f.student(klass=klass)
    photo = Competency.objects.get(major=klass.major, code="photo")
    client.force_login(teacher_user)
    page = client.get(reverse("students:student_points", args=[student.student_number]))
    assert b'name="competency"' in page.content and f'<option value="{photo.pk}">'.encode() in page.content

    response = client.post(reverse("students:points_grant", args=[student.student_number]),
                           {"amount": "6", "reason": "Studio shoot for the open day", "competency": photo.pk})
    assert response.status_code == 302
    entry = PointEntry.objects.get(student=student)
    assert (entry.source, entry.competency_id, entry.term_id) == (PointSource.TEACHER_AWARD, photo.pk, current_term.pk)
    run = stars_select_for_term(term=current_term)
    assert run.stars.filter(student=student, competency=photo, position=1).exists()


def test_teacher_grant_without_a_competency_is_refused(client, teacher_user, current_term):
    klass = f.school_class(head_teacher=teacher_user)
    student = f.student(klass=klass)
    other_major = f.major(code="bigdata", competencies=("sql",))
    client.force_login(teacher_user)
    url = reverse("students:points_grant", args=[student.student_number])
    for competency in ("", str(Competency.objects.get(major=other_major).pk)):
        response = client.post(url, {"amount": "6", "reason": "r", "competency": competency}, follow=True,
                               HTTP_ACCEPT_LANGUAGE="en")
        assert "Choose the competency this award rewards." in response.content.decode()
    assert not PointEntry.objects.filter(student=student).exists()


# --- 2. tiers of a past term come from the ledger up to that term ---------------------

def test_tiers_for_a_past_term_use_the_points_of_that_term():
    first, second = f.term(2023, 1), f.term(2023, 2)
    klass = f.school_class()
    early, late = f.student(klass=klass), f.student(klass=klass)
    points.points_grant(actor=None, student=early, source=PointSource.TEACHER_AWARD, amount=50, reason="a", term=first)
    points.points_grant(actor=None, student=late, source=PointSource.TEACHER_AWARD, amount=100, reason="b", term=second)

    tiers_assign_for_term(term=first)
    tiers_assign_for_term(term=second)
    got = {(t.term_id, t.student_id): (t.points, t.percentile) for t in TermTier.objects.all()}
    assert got[(first.pk, early.pk)] == (50, 100.0) and got[(first.pk, late.pk)] == (0, 0.0)
    assert got[(second.pk, early.pk)] == (50, 0.0) and got[(second.pk, late.pk)] == (100, 100.0)


# --- 3. similar alumni are the alumni the model's rows stand for -----------------------

def test_similar_alumni_are_the_nearest_training_rows_when_a_family_is_dropped():
    major = f.major(code="outlook-major", competencies=("p", "q", "r"))
    # A job family with too few graduates comes first; training leaves it out.
    Alumnus.objects.bulk_create([
        Alumnus(code=f"A0-rare-{i}", major=major, graduation_year=2022, attainment={"p": 0.9, "q": 0.9, "r": 0.9},
                points=300, rank_percentile=90.0, employed=True, job_family="design") for i in range(12)])
    Alumnus.objects.bulk_create(alumni.alumni_generate(major=major, count=400, seed=5, start_index=100))
    outlook.outlook_train(major=major)
    student = f.student(klass=f.school_class(major_obj=major))
    for competency, value in zip(Competency.objects.filter(major=major).order_by("order"), (0.55, 0.7, 0.6),
                                 strict=True):
        CompetencyAttainment.objects.create(student=student, competency=competency, attainment=value)

    result = outlook_reads.outlook_for_student(student=student)

    kept = list(Alumnus.objects.filter(major=major).exclude(job_family="design").order_by("pk"))
    X = np.array([outlook.features(a.attainment, a.rank_percentile, ["p", "q", "r"]) for a in kept])
    mean, std = X.mean(axis=0), X.std(axis=0) + 1e-9
    x = np.array(outlook.features({"p": 0.55, "q": 0.7, "r": 0.6}, 100.0, ["p", "q", "r"]))
    nearest = np.argsort((((X - mean) / std - (x - mean) / std) ** 2).sum(axis=1))[:5]
    assert [a["code"] for a in result.similar] == [kept[i].code for i in nearest]


# --- 4. the rankings page has real selectors and keeps them ---------------------------

def test_rankings_page_selects_competency_major_cohort_and_class_and_keeps_them(client, school_admin_user):
    major = f.major()
    klass = f.school_class(major_obj=major, code="EC 2024&1")
    f.student(klass=klass)
    client.force_login(school_admin_user)
    query = {"scope": "class", "competency": "photo", "major": "ecommerce", "cohort": "2024", "class": "EC 2024&1"}
    body = client.get(reverse("students:rankings"), query).content.decode()

    for name in ("competency", "major", "cohort", "class"):
        assert re.search(rf'<select[^>]*name="{name}"', body), name
    assert re.search(r'<option value="photo" selected>', body)
    assert re.search(r'<option value="EC 2024&amp;1" selected>', body)
    scope_tabs = body[body.index('id="ranking-scopes"'):]
    tabs = re.findall(r'class="nav-link[^"]*" href="([^"]+)"', scope_tabs[:scope_tabs.index("</ul>")])
    assert len(tabs) == 4
    for href in tabs:  # every scope tab keeps the filters, URL-encoded
        assert "competency=photo" in href and "major=ecommerce" in href and "cohort=2024" in href
        assert "class=EC+2024%261" in href


def test_a_student_chooses_among_the_competencies_of_their_major(client):
    f.major(code="bigdata", competencies=("sql",))
    student = f.student(klass=f.school_class(major_obj=f.major()))
    client.force_login(student.user)
    body = client.get(reverse("students:rankings"), {"competency": "photo"}).content.decode()
    assert re.search(r'<option value="photo" selected>', body) and 'value="sql"' not in body
    assert 'name="major"' not in body  # students rank within their own groups


# --- 5. every user-facing text goes through gettext -------------------------------------

def _untranslated_texts(root: Path) -> list[str]:
    """ApplicationError messages, ledger reasons and notification titles written as plain
    string literals (or f-strings) instead of gettext / gettext_noop calls."""
    found = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            texts = []
            if name == "ApplicationError" and node.args:
                texts.append(node.args[0])
            texts += [k.value for k in node.keywords
                      if (name, k.arg) in {("points_grant", "reason"), ("points_grant_by_rule", "reason"),
                                           ("points_reverse", "reason"), ("notification_send", "title"),
                                           ("notification_send", "body"), ("PointEntry", "reason")}]
            for text in texts:
                if isinstance(text, ast.JoinedStr) or (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                    found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    return found


def test_students_and_teachers_texts_go_through_gettext():
    base = Path(settings.BASE_DIR)
    assert _untranslated_texts(base / "students") + _untranslated_texts(base / "teachers") == []


def test_errors_and_ledger_reasons_render_in_the_readers_language(teacher_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.errors import ApplicationError
    from students.competitions.services import certificate_validate

    with translation.override("zh-hans"), pytest.raises(ApplicationError) as error:
        certificate_validate(SimpleUploadedFile("c.txt", b"plain text"))
    assert error.value.message == "证书必须是 PDF、PNG 或 JPEG 文件。"

    student = f.student()
    entry = points.points_grant_for_course_grade(actor=None, student=student, score=92, course_label="Python",
                                                 reference="grade:1")
    reversal = points.points_reverse(actor=teacher_user, entry=entry, reason="Grade changed: %(course)s",
                                     reason_params={"course": "Python"})
    with translation.override("en"):
        assert (entry.reason_text, reversal.reason_text) == ("Python: 92", "Grade changed: Python")
    with translation.override("zh-hans"):
        assert reversal.reason_text == "成绩变更：Python"


# --- 7. the outlook speaks in one unit and says when its alumni are demo data -----------

def test_outlook_shows_improvements_in_percentage_points_and_flags_demo_alumni(client):
    major = Major.objects.create(code="ecommerce", name="电子商务")
    for i, code in enumerate(["ec-operation", "photography", "shop-design", "new-media", "marketing"]):
        Competency.objects.create(major=major, code=code, name=code, order=i)
    Alumnus.objects.bulk_create(alumni.alumni_generate(major=major, count=600, seed=3))
    outlook.outlook_train(major=major)
    student = f.student(klass=f.school_class(major_obj=major))
    for competency in Competency.objects.filter(major=major):
        CompetencyAttainment.objects.create(student=student, competency=competency, attainment=0.4)

    result = outlook_reads.outlook_for_student(student=student)
    assert result.demo_alumni
    best = result.improvements[0]
    assert best["gain_points"] == round(100 * best["gain"], 1)
    assert (best["current_percent"], best["improved_percent"]) == (40, 50)

    client.force_login(student.user)
    body = client.get(reverse("students:outlook"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="outlook-demo-notice"' in body
    assert f"from 40% to 50%: the probability of employment rises by {best['gain_points']:.1f} percentage points" in body

    Alumnus.objects.update(is_demo=False)  # real records: no notice once retrained
    outlook.outlook_train(major=major)
    assert not outlook_reads.outlook_for_student(student=student).demo_alumni


def test_rankings_options_are_a_fixed_number_of_queries(django_assert_max_num_queries, school_admin_user):
    from students.rankings.selectors import ranking_filter_options

    for year in (2022, 2023, 2024):
        f.school_class(year=year)
    with django_assert_max_num_queries(3):
        options = ranking_filter_options(user=school_admin_user, major_code="ecommerce")
    assert options.cohorts == [2024, 2023, 2022] and options.majors and options.competencies

