"""Teachers (issue 14): courses, programs and offerings in the site, grade components,
course reform. Owner = world.users["teacher"] (owns the course, teaches the offering,
proposes the reforms); world.users["industry"] is the invited reviewer; the enterprise
user is not invited."""

from __future__ import annotations

from . import Case, World, page


def teachers_world(world: World) -> dict:
    def build():
        from teachers.models import Course
        from teachers.reform import services as reform
        from tests.radar.builders import make_class, make_major, make_offering, make_program, make_term

        teacher = world.users["teacher"]
        major = make_major(competencies=("a", "b"))
        program = make_program(major, 2024, [("TM1", 3, 1, {"a": 1}), ("TM2", 2, 1, {"b": 1})])
        course = Course.objects.get(code="TM1")
        course.owners.add(teacher)
        offering = make_offering("TM1", make_term(), make_class(major, 2024), teacher=teacher)
        draft = reform.reform_create(actor=teacher, course=course, title="Draft")
        reform.reform_invite(actor=teacher, reform=draft, reviewers=[world.users["industry"]])
        in_review = reform.reform_create(actor=teacher, course=course, title="In review")
        reform.reform_invite(actor=teacher, reform=in_review, reviewers=[world.users["industry"]])
        reform.reform_submit(actor=teacher, reform=in_review)
        return {"course": course, "program": program, "offering": offering, "draft": draft, "review": in_review}

    return world.once("teachers", build)


def _offering(w):
    return {"offering_id": teachers_world(w)["offering"].pk}


def _course(w):
    return {"course_id": teachers_world(w)["course"].pk}


def _program(w):
    return {"program_id": teachers_world(w)["program"].pk}


def _draft(w):
    return {"reform_id": teachers_world(w)["draft"].pk}


def _review(w):
    return {"reform_id": teachers_world(w)["review"].pk}


STAFF = ("teacher", "school_admin")
REFORM_READERS = ("teacher", "school_admin", "industry", "enterprise")

CASES = [
    Case("teachers:grade_components", page(*STAFF, other_teacher=403), build=_offering),
    Case("teachers:component_scores", page(*STAFF, ok=400, other_teacher=403), method="post", build=_offering,
         note="no components yet: 400 with a message"),
    Case("teachers:course_list", page(*STAFF)),
    Case("teachers:course_create", page(*STAFF)),
    Case("teachers:course_detail", page(*STAFF, other_teacher=403), build=_course),
    Case("teachers:course_edit", page(*STAFF, other_teacher=403), build=_course),
    Case("teachers:program_list", page(*STAFF)),
    Case("teachers:program_create", page("school_admin")),
    Case("teachers:program_detail", page(*STAFF), build=_program),
    Case("teachers:program_course_remove", page(*STAFF, ok=302, other_teacher=403), method="post",
         build=lambda w: {**_program(w), "course_id": teachers_world(w)["course"].pk}),
    Case("teachers:offering_create", page(*STAFF)),
    Case("teachers:reform_list", page(*REFORM_READERS)),
    Case("teachers:reform_create", page(*STAFF)),
    # Drafts are private to their proposer, the course's owners and administrators.
    Case("teachers:reform_detail", page(*REFORM_READERS, other_teacher=403, enterprise=403), build=_review),
    Case("teachers:reform_edit", page(*STAFF, other_teacher=403), build=_draft),
    Case("teachers:reform_submit", page("teacher", ok=302, other_teacher=403), method="post", build=_draft),
    Case("teachers:reform_revise", page("teacher", ok=302, other_teacher=403), method="post", build=_review),
    Case("teachers:reform_invite", page("teacher", "school_admin", ok=302, other_teacher=403), method="post",
         build=_review, data=lambda w: {"reviewers": [w.users["enterprise"].pk]}),
    Case("teachers:reform_comment", page("teacher", "school_admin", "industry", ok=302, other_teacher=403),
         method="post", build=_review, data={"section": "general", "body": "Looks right"}),
    Case("teachers:reform_vote", page("industry", ok=302), method="post", build=_review,
         data={"decision": "approve"}),
    Case("teachers:reform_approve", page("school_admin", ok=400), method="post", build=_review,
         data={"from_intake_year": 2025}, note="no reviewer has voted: 400 with the reason"),
    Case("teachers:reform_reject", page("school_admin", ok=302), method="post", build=_review,
         data={"note": "Not now"}),
]
