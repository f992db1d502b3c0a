"""Course reform: ownership, the state machine (every transition allowed and refused),
votes only by invited reviewers, the diff, and versioned application: past cohorts'
radars unchanged, the new cohort's moved; the impact preview agrees with the radar."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.errors import ApplicationError, NotPermitted
from students.models import CompetencyAttainment
from teachers.models import CourseCompetencyWeight, CourseVersion, ProgramCourse, Reform, ReformVote
from teachers.reform import services
from teachers.reform.impact import reform_impact_preview
from teachers.reform.selectors import reform_diff, version_in_force
from tests.teachers.reform_world import new_content, reform_world

pytestmark = pytest.mark.django_db
S = Reform.Status


@pytest.fixture
def w():
    return reform_world()


def _attainments(students):
    return {(a.student_id, a.competency.code): a.attainment
            for a in CompetencyAttainment.objects.filter(student__in=students).select_related("competency")}


def _weights(program, course):
    pc = ProgramCourse.objects.get(program=program, course=course)
    return pc.credits, dict(CourseCompetencyWeight.objects.filter(program_course=pc).values_list(
        "competency__code", "weight"))


def _in_review(w, reviewers=("master",)):
    reform = services.reform_create(actor=w["owner"], course=w["course"], title="Live-stream shop",
                                    content=new_content())
    services.reform_invite(actor=w["owner"], reform=reform, reviewers=[w[r] for r in reviewers])
    return services.reform_submit(actor=w["owner"], reform=reform)


def test_only_owners_and_admins_propose(w):
    with pytest.raises(NotPermitted):
        services.reform_create(actor=w["other_teacher"], course=w["course"], title="Mine now")
    with pytest.raises(NotPermitted):
        services.reform_create(actor=w["master"], course=w["course"], title="Mine now")
    assert not Reform.objects.exists()
    reform = services.reform_create(actor=w["owner"], course=w["course"], title="From the current version")
    assert reform.status == S.DRAFT and reform.credits == Decimal("4") and reform.weights == {"a": "1", "b": "0.5"}
    assert services.reform_create(actor=w["admin"], course=w["course"], title="Admin's").pk


@pytest.mark.parametrize(("override", "code"), [
    ({"components": [{"code": "x", "name": "X", "weight": "90"}]}, "weights_sum"),
    ({"weights": {"zz": "1"}}, "foreign_competency"),
    ({"weights": {"a": "0"}}, "no_competency"),
    ({"weights": {"a": "-1"}}, "weight"),
    ({"credits": "0"}, "credits"),
    ({"modules": [{"title": "M", "hours": "many"}]}, "modules"),
])
def test_bad_content_is_refused_and_nothing_written(w, override, code):
    with pytest.raises(ApplicationError) as exc:
        services.reform_create(actor=w["owner"], course=w["course"], title="Bad", content=new_content(**override))
    assert exc.value.code == code
    assert not Reform.objects.exists()


def test_state_machine_allowed_and_refused_transitions(w):
    reform = services.reform_create(actor=w["owner"], course=w["course"], title="T", content=new_content())
    # draft: no submit without reviewers; no vote, approve, reject, revise
    with pytest.raises(ApplicationError, match="reviewer"):
        services.reform_submit(actor=w["owner"], reform=reform)
    with pytest.raises(ApplicationError):
        services.reform_revise(actor=w["owner"], reform=reform)
    with pytest.raises(ApplicationError):
        services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2025)
    with pytest.raises(ApplicationError):
        services.reform_reject(actor=w["admin"], reform=reform, note="no")
    with pytest.raises(ApplicationError):
        services.reform_invite(actor=w["owner"], reform=reform, reviewers=[w["other_teacher"]])  # not a reviewer role
    with pytest.raises(NotPermitted):
        services.reform_invite(actor=w["other_teacher"], reform=reform, reviewers=[w["master"]])
    services.reform_invite(actor=w["owner"], reform=reform, reviewers=[w["master"], w["mentor"]])
    with pytest.raises(ApplicationError, match="in review"):
        services.reform_vote(actor=w["master"], reform=reform, decision="approve")  # not in review: refused
    with pytest.raises(NotPermitted):
        services.reform_submit(actor=w["admin"], reform=reform)  # only the proposer submits
    services.reform_submit(actor=w["owner"], reform=reform)
    reform.refresh_from_db()
    assert reform.status == S.REVIEW
    # review: editing refused; votes by invited reviewers only
    with pytest.raises(ApplicationError):
        services.reform_update(actor=w["owner"], reform=reform, title="T2", rationale="", content=new_content())
    with pytest.raises(NotPermitted):
        services.reform_vote(actor=w["other_teacher"], reform=reform, decision="approve")
    with pytest.raises(ApplicationError):
        services.reform_vote(actor=w["master"], reform=reform, decision="maybe")
    with pytest.raises(ApplicationError):
        services.reform_vote(actor=w["master"], reform=reform, decision="changes")  # needs a note
    with pytest.raises(ApplicationError, match="voted"):
        services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2025)
    services.reform_vote(actor=w["master"], reform=reform, decision="changes", note="More live-stream practice")
    with pytest.raises(ApplicationError) as exc:
        services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2025)
    assert exc.value.code == "changes_requested"
    with pytest.raises(NotPermitted):
        services.reform_approve(actor=w["owner"], reform=reform, from_intake_year=2025)
    # revise: back to draft, votes cleared; edit; resubmit
    services.reform_revise(actor=w["owner"], reform=reform)
    assert not ReformVote.objects.filter(reform=reform).exists()
    services.reform_update(actor=w["owner"], reform=reform, title="T2", rationale="more practice",
                           content=new_content(credits="6"))
    services.reform_submit(actor=w["owner"], reform=reform)
    services.reform_vote(actor=w["master"], reform=reform, decision="approve")
    services.reform_vote(actor=w["mentor"], reform=reform, decision="approve")
    with pytest.raises(ApplicationError):
        services.reform_approve(actor=w["admin"], reform=reform, from_intake_year="next year")
    version = services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2025)
    reform.refresh_from_db()
    assert reform.status == S.APPROVED and version.number == 1 and version.credits == Decimal("6")
    # decided: everything refused
    for call in (lambda: services.reform_submit(actor=w["owner"], reform=reform),
                 lambda: services.reform_revise(actor=w["owner"], reform=reform),
                 lambda: services.reform_vote(actor=w["master"], reform=reform, decision="approve"),
                 lambda: services.reform_reject(actor=w["admin"], reform=reform, note="late"),
                 lambda: services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2024),
                 lambda: services.reform_comment(actor=w["master"], reform=reform, section="general", body="x"),
                 lambda: services.reform_invite(actor=w["owner"], reform=reform, reviewers=[w["mentor"]])):
        with pytest.raises(ApplicationError):
            call()


def test_reject_needs_a_reason_and_ends_the_reform(w):
    reform = _in_review(w)
    with pytest.raises(ApplicationError):
        services.reform_reject(actor=w["admin"], reform=reform, note=" ")
    with pytest.raises(NotPermitted):
        services.reform_reject(actor=w["master"], reform=reform, note="no")
    services.reform_reject(actor=w["admin"], reform=reform, note="Not aligned with the plan")
    reform.refresh_from_db()
    assert reform.status == S.REJECTED and not CourseVersion.objects.exists()


def test_comments_per_section_only_by_participants(w):
    reform = _in_review(w)
    services.reform_comment(actor=w["master"], reform=reform, section="weights", body="Data analysis matters more")
    with pytest.raises(NotPermitted):
        services.reform_comment(actor=w["mentor"], reform=reform, section="general", body="I was not invited")
    with pytest.raises(ApplicationError):
        services.reform_comment(actor=w["master"], reform=reform, section="nowhere", body="x")
    assert reform.comments.count() == 1


def test_application_leaves_past_cohorts_and_moves_the_new_one(w):
    course = w["course"]
    before = _attainments([s for year in (2023, 2024, 2025) for s in w["students"][year]])
    before_weights = {year: _weights(w["programs"][year], course) for year in (2023, 2024)}
    reform = _in_review(w)
    services.reform_vote(actor=w["master"], reform=reform, decision="approve")
    services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2025)
    after = _attainments([s for year in (2023, 2024, 2025) for s in w["students"][year]])
    for year in (2023, 2024):
        assert _weights(w["programs"][year], course) == before_weights[year]
        for s in w["students"][year]:
            for code in "abc":
                assert after[(s.pk, code)] == before[(s.pk, code)]
    assert _weights(w["programs"][2025], course) == (Decimal("5.0"), {"a": Decimal("0.50"), "c": Decimal("1.00")})
    moved = [s for s in w["students"][2025] if any(after[(s.pk, c)] != before[(s.pk, c)] for c in "abc")]
    assert len(moved) == 4
    assert version_in_force(course=course, intake_year=2024) is None
    assert version_in_force(course=course, intake_year=2025).number == 1
    assert version_in_force(course=course, intake_year=2026).number == 1


def test_diff_marks_changed_sections(w):
    reform = services.reform_create(actor=w["owner"], course=w["course"], title="T",
                                    content=new_content(credits="4"))
    sections = {s.section: s for s in reform_diff(reform=reform)}
    assert sections["objectives"].changed and sections["modules"].changed and sections["weights"].changed
    assert not sections["credits"].changed
    rows = {r.label: (r.before, r.after) for r in sections["weights"].rows}
    assert rows["Competency b"] == ("0.5", "") and rows["Competency c"] == ("", "1")


def test_impact_preview_is_the_radar_dry_run(w):
    """'before' equals the cohort's stored radar; 'after' equals the radar once applied."""
    reform = _in_review(w)
    cohort = w["students"][2025]
    preview = reform_impact_preview(reform=reform, program=w["programs"][2025])
    assert preview.cohort_size == 4
    stored = _attainments(cohort)
    for axis in preview.axes:
        assert axis.before == pytest.approx(sum(stored[(s.pk, axis.code)] for s in cohort) / 4)
    assert Reform.objects.get(pk=reform.pk).status == S.REVIEW and not CourseVersion.objects.exists()
    services.reform_vote(actor=w["master"], reform=reform, decision="approve")
    services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2025)
    applied = _attainments(cohort)
    for axis in preview.axes:
        assert axis.after == pytest.approx(sum(applied[(s.pk, axis.code)] for s in cohort) / 4)
    assert any(axis.delta for axis in preview.axes)


def test_reform_pages_journey(client, w):
    course = w["course"]
    client.force_login(w["owner"])
    page = client.get(reverse("teachers:reform_create"), {"course": course.pk, "competency": "c",
                                                          "major": w["major"].code})
    assert page.status_code == 200 and b"demand gap" in page.content
    response = client.post(reverse("teachers:reform_create"), {
        "course": course.pk, "focus_competency": "c", "title": "More c", "credits": "4", "objectives": "x",
        "modules": "M1 | 8 | intro", "w-a": "1", "w-c": "0.8", "comp-code-0": "tasks", "comp-name-0": "Tasks",
        "comp-weight-0": "70"})
    assert response.status_code == 400 and not Reform.objects.exists()  # components sum to 70
    response = client.post(reverse("teachers:reform_create"), {
        "course": course.pk, "focus_competency": "c", "title": "More c", "credits": "4", "objectives": "x",
        "modules": "M1 | 8 | intro", "w-a": "1", "w-c": "0.8", "comp-code-0": "tasks", "comp-name-0": "Tasks",
        "comp-weight-0": "100"})
    reform = Reform.objects.get()
    assert response.status_code == 302 and reform.focus_competency == "c"
    detail = reverse("teachers:reform_detail", args=[reform.pk])
    assert client.get(detail).status_code == 200
    client.post(reverse("teachers:reform_invite", args=[reform.pk]), {"reviewers": [w["master"].pk]})
    client.post(reverse("teachers:reform_submit", args=[reform.pk]))
    client.force_login(w["mentor"])  # not invited
    assert client.get(detail).status_code == 404  # not invited: answered as missing
    assert client.post(reverse("teachers:reform_vote", args=[reform.pk]), {"decision": "approve"}).status_code == 404
    client.force_login(w["master"])
    assert client.post(reverse("teachers:reform_vote", args=[reform.pk]), {"decision": "approve"}).status_code == 302
    client.force_login(w["other_teacher"])
    assert client.get(detail).status_code == 404
    client.force_login(w["admin"])
    assert b"impact-chart" in client.get(detail).content
    response = client.post(reverse("teachers:reform_approve", args=[reform.pk]), {"from_intake_year": "2025"})
    assert response.status_code == 302
    reform.refresh_from_db()
    assert reform.status == S.APPROVED
    assert b"version-applied" in client.get(detail).content
