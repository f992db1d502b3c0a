"""Teachers (issue 14): courses, programs and offerings in the site, grade components,
course reform. Owner = world.users["teacher"] (owns the course, teaches the offering,
proposes the reforms); world.users["industry"] is the invited reviewer; the enterprise
user is not invited."""

from __future__ import annotations

from . import Case, World, api, page, unseen


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
        import datetime

        from teachers.supervision import services as supervision

        plan = supervision.plan_create(
            actor=world.users["school_admin"], term=offering.term, title="Plan", supervisors=[world.users["industry"]]
        )
        task = supervision.finding_file(
            actor=world.users["industry"],
            plan=plan,
            offering=offering,
            description="Finding",
            action="Action",
            deadline=datetime.date.today() + datetime.timedelta(days=7),
        )
        from django.core.files.uploadedfile import SimpleUploadedFile

        from teachers.resources.previews import preview_render
        from teachers.resources.services import resource_upload
        from tests.teachers.resource_files import pdf_bytes

        resource = resource_upload(
            actor=teacher,
            upload=SimpleUploadedFile("s.pdf", pdf_bytes()),
            title="Slides",
            kind="courseware",
            visibility="school",
        )
        preview_render(resource=resource)
        return {
            "course": course,
            "program": program,
            "offering": offering,
            "draft": draft,
            "review": in_review,
            "plan": plan,
            "task": task,
            "resource": resource,
        }

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


def _plan(w):
    return {"plan_id": teachers_world(w)["plan"].pk}


def _task(w):
    return {"task_id": teachers_world(w)["task"].pk}


def _evidence_file(w):
    def build():
        import datetime

        from django.core.files.uploadedfile import SimpleUploadedFile

        from teachers.supervision import services as supervision
        from tests.teachers.resource_files import pdf_bytes

        t = teachers_world(w)
        task = supervision.finding_file(
            actor=w.users["industry"],
            plan=t["plan"],
            offering=t["offering"],
            description="Second finding",
            action="Action",
            deadline=datetime.date.today() + datetime.timedelta(days=7),
        )
        supervision.evidence_submit(
            actor=w.users["teacher"], task=task, note="Done", files=[SimpleUploadedFile("evidence.pdf", pdf_bytes())]
        )
        return task.evidence_files.get()

    return {"file_id": w.once("evidence_file", build).pk}


def _observation(w):
    scores = {f"score-{code}": 4 for code in ("objectives", "organisation", "practice", "engagement", "assessment")}
    return {"offering": teachers_world(w)["offering"].pk, "observed_on": "2024-10-10", **scores}


def _finding(w):
    return {"offering": teachers_world(w)["offering"].pk, "description": "d", "action": "a", "deadline": "2099-01-01"}


def _resource(w):
    return {"resource_id": teachers_world(w)["resource"].pk}


STAFF = ("teacher", "school_admin")
SCHOOL = ("student", "teacher", "school_admin")
REFORM_READERS = ("teacher", "school_admin", "industry", "enterprise")

CASES = [
    Case("teachers:grade_components", page(*STAFF, **unseen("other_teacher")), build=_offering),
    Case(
        "teachers:component_scores",
        page(*STAFF, ok=400, **unseen("other_teacher")),
        method="post",
        build=_offering,
        note="no components yet: 400 with a message",
    ),
    Case("teachers:course_list", page(*STAFF)),
    Case("teachers:course_create", page(*STAFF)),
    Case("teachers:course_detail", page(*STAFF, **unseen("other_teacher")), build=_course),
    Case("teachers:course_edit", page(*STAFF, **unseen("other_teacher")), build=_course),
    Case("teachers:program_list", page(*STAFF)),
    Case("teachers:program_create", page("school_admin")),
    Case("teachers:program_detail", page(*STAFF), build=_program),
    Case(
        "teachers:program_course_remove",
        page(*STAFF, ok=302, other_teacher=403),
        method="post",
        build=lambda w: {**_program(w), "course_id": teachers_world(w)["course"].pk},
    ),
    Case("teachers:offering_create", page(*STAFF)),
    Case("teachers:reform_list", page(*REFORM_READERS)),
    Case("teachers:reform_create", page(*STAFF)),
    # Drafts are private to their proposer, the course's owners and administrators.
    Case(
        "teachers:reform_detail",
        page(*REFORM_READERS, **unseen("other_teacher", "enterprise", "other_enterprise")),
        build=_review,
    ),
    Case("teachers:reform_edit", page(*STAFF, **unseen("other_teacher")), build=_draft),
    Case(
        "teachers:reform_submit",
        page("teacher", ok=302, **unseen("other_teacher", "enterprise", "industry", "other_enterprise")),
        method="post",
        build=_draft,
    ),
    Case(
        "teachers:reform_revise",
        page("teacher", ok=302, **unseen("other_teacher", "enterprise", "other_enterprise")),
        method="post",
        build=_review,
    ),
    Case(
        "teachers:reform_invite",
        page("teacher", "school_admin", ok=302, **unseen("other_teacher", "enterprise", "other_enterprise")),
        method="post",
        build=_review,
        data=lambda w: {"reviewers": [w.users["enterprise"].pk]},
    ),
    Case(
        "teachers:reform_comment",
        page(
            "teacher", "school_admin", "industry", ok=302, **unseen("other_teacher", "enterprise", "other_enterprise")
        ),
        method="post",
        build=_review,
        data={"section": "general", "body": "Looks right"},
    ),
    Case(
        "teachers:reform_vote",
        page("industry", ok=302, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_review,
        data={"decision": "approve"},
    ),
    Case(
        "teachers:reform_approve",
        page("school_admin", ok=400, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_review,
        data={"from_intake_year": 2025},
        note="no reviewer has voted: 400 with the reason",
    ),
    Case(
        "teachers:reform_reject",
        page("school_admin", ok=302, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_review,
        data={"note": "Not now"},
    ),
    Case("teachers:course_quality", page(*STAFF, **unseen("other_teacher")), build=_course),
    Case("teachers:supervision_home", page(*REFORM_READERS)),
    Case("teachers:supervision_plan_create", page("school_admin")),
    Case(
        "teachers:supervision_plan",
        page("school_admin", "industry", **unseen("enterprise", "other_enterprise", "other_teacher", "teacher")),
        build=_plan,
    ),
    Case(
        "teachers:supervision_observe",
        page(
            "school_admin", "industry", ok=302, **unseen("enterprise", "other_enterprise", "other_teacher", "teacher")
        ),
        method="post",
        build=_plan,
        data=_observation,
    ),
    Case(
        "teachers:supervision_finding",
        page(
            "school_admin", "industry", ok=302, **unseen("enterprise", "other_enterprise", "other_teacher", "teacher")
        ),
        method="post",
        build=_plan,
        data=_finding,
    ),
    Case(
        "teachers:supervision_task",
        page("teacher", "school_admin", "industry", **unseen("other_teacher", "enterprise", "other_enterprise")),
        build=_task,
    ),
    Case(
        "teachers:supervision_evidence",
        page("teacher", ok=302, **unseen("other_teacher", "enterprise", "other_enterprise")),
        method="post",
        build=_task,
        data={"note": "Evidence"},
    ),
    Case(
        "teachers:supervision_evidence_file",
        page("teacher", "school_admin", "industry", **unseen("other_teacher", "enterprise", "other_enterprise")),
        build=_evidence_file,
    ),
    Case(
        "teachers:supervision_close",
        page("school_admin", "industry", ok=400, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_task,
        note="an open task cannot be closed: 400 with the reason",
    ),
    Case(
        "teachers:supervision_reopen",
        page("school_admin", "industry", ok=400, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_task,
        data={"note": "again"},
        note="already open: 400",
    ),
    Case("teachers:course_feedback", page("student")),
    Case("teachers:resource_list", page("student", *REFORM_READERS)),
    Case("teachers:resource_upload", page(*REFORM_READERS)),
    # A resource shared with the school only: partners get 403.
    Case(
        "teachers:resource_detail",
        page(*SCHOOL, **unseen("enterprise", "industry", "other_enterprise")),
        build=_resource,
    ),
    Case(
        "teachers:resource_download",
        page(*SCHOOL, **unseen("enterprise", "industry", "other_enterprise")),
        build=_resource,
    ),
    Case(
        "teachers:resource_preview",
        page(*SCHOOL, **unseen("enterprise", "industry", "other_enterprise")),
        build=_resource,
    ),
    Case(
        "teachers:resource_rate",
        page(*SCHOOL, ok=302, teacher=400, other_teacher=302, **unseen("enterprise", "industry", "other_enterprise")),
        method="post",
        build=_resource,
        data={"stars": 4},
        note="the uploader cannot rate their own resource",
    ),
    Case(
        "teachers:resource_delete",
        page(
            "teacher",
            "school_admin",
            ok=302,
            student=403,
            other_teacher=403,
            **unseen("enterprise", "industry", "other_enterprise"),
        ),
        method="post",
        build=_resource,
    ),
    # API
    Case("api:teachers-courses", api(*STAFF)),
    Case("api:teachers-course", api(*STAFF, **unseen("other_teacher")), build=_course),
    Case("api:teachers-reforms", api(*REFORM_READERS)),
    Case(
        "api:teachers-reform",
        api(*REFORM_READERS, **unseen("other_teacher", "enterprise", "other_enterprise")),
        build=_review,
    ),
    Case("api:teachers-reform-impact", api(*STAFF, **unseen("other_teacher")), build=_review),
    Case(
        "api:teachers-reform-vote",
        api("industry", **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_review,
        data={"decision": "approve"},
        content_type="application/json",
    ),
    Case(
        "api:teachers-reform-approve",
        api("school_admin", ok=400, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_review,
        data={"from_intake_year": 2025},
        content_type="application/json",
        note="no votes yet: 400",
    ),
    Case(
        "api:teachers-reform-reject",
        api("school_admin", **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_review,
        data={"note": "Not now"},
        content_type="application/json",
    ),
    Case(
        "api:teachers-reform-submit",
        api("teacher", **unseen("other_teacher", "enterprise", "industry", "other_enterprise")),
        method="post",
        build=_draft,
        content_type="application/json",
    ),
    Case(
        "api:teachers-reform-revise",
        api("teacher", **unseen("other_teacher", "enterprise", "other_enterprise")),
        method="post",
        build=_review,
        content_type="application/json",
    ),
    Case("api:teachers-resources", api("student", *REFORM_READERS)),
    Case("api:teachers-tasks", api(*REFORM_READERS)),
    Case(
        "api:teachers-task-evidence",
        api("teacher", **unseen("other_teacher", "enterprise", "other_enterprise")),
        method="post",
        build=_task,
        data={"note": "Evidence"},
        content_type="application/json",
    ),
    Case(
        "api:teachers-task-close",
        api("school_admin", "industry", ok=400, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_task,
        content_type="application/json",
        note="an open task cannot be closed",
    ),
    Case(
        "api:teachers-task-reopen",
        api("school_admin", "industry", ok=400, **unseen("enterprise", "other_enterprise", "other_teacher")),
        method="post",
        build=_task,
        data={"note": "again"},
        content_type="application/json",
        note="already open",
    ),
]
