"""Growth (issue 4): points, rankings, tiers, competitions, stars, resume, outlook."""

from __future__ import annotations

from . import LOGIN_REDIRECT, Case, World, api, page


def growth_world(world: World) -> dict:
    """Profiles for the two matrix students; the student's class is headed by the
    matrix teacher (the other teacher heads nothing)."""

    def build():
        from students.points import services as points
        from tests.growth import factories as f

        klass = f.school_class(code="MX-1", head_teacher=world.users["teacher"])
        other_class = f.school_class(code="MX-2")
        student = f.student(user=world.users["student"], klass=klass, number="MX0001")
        other = f.student(user=world.users["other_student"], klass=other_class, number="MX0002")
        entry = points.points_grant(actor=None, student=student, source="teacher_award", amount=5, reason="matrix")
        import datetime

        from django.core.files.uploadedfile import SimpleUploadedFile

        from students.competitions import services as competitions

        competition = competitions.competition_create(
            actor=world.users["school_admin"], name="矩阵赛", level="school", held_on=datetime.date(2025, 5, 1))
        award = competitions.entry_submit(
            actor=world.users["student"], competition=competition, rank="first",
            certificate=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"))
        from students.resume import services as resume

        resume.resume_settings_update(actor=world.users["student"], student=student,
                                      public_sections=["profile"], visible_to_enterprises=True)
        shared = resume.resume_share_create(actor=world.users["student"], student=student)
        return {"student": student, "other": other, "entry": entry, "klass": klass, "competition": competition,
                "award": award, "token": shared.share_token}

    return world.once("growth", build)


def _with_world(world: World) -> dict:
    growth_world(world)
    return {}


def _student_number(world: World) -> dict:
    return {"student_number": growth_world(world)["student"].student_number}


def _entry(world: World) -> dict:
    g = growth_world(world)
    return {"student_number": g["student"].student_number, "entry_id": g["entry"].pk}


def _award(world: World) -> dict:
    return {"entry_id": growth_world(world)["award"].pk}


def _competition_data(world: World) -> dict:
    return {"competition": growth_world(world)["competition"].pk, "rank": "second"}


def _token(world: World) -> dict:
    return {"token": growth_world(world)["token"]}


def _other_number(world: World) -> dict:
    return {"student_number": growth_world(world)["other"].student_number}


def _term(world: World) -> str:
    from tests.growth import factories as f

    return world.once("term", lambda: f.term(2024, 1)).code


MANAGER = {"teacher": 200, "other_teacher": 404, "school_admin": 200}
MANAGER_POST = {"teacher": 302, "other_teacher": 404, "school_admin": 302}

CASES = [
    Case("students:rankings", page("student", "teacher", "school_admin"), build=_with_world),
    Case("students:points", page("student"), build=_with_world),
    Case("students:student_points", page("teacher", "school_admin", **MANAGER), build=_student_number,
         note="only the head teacher of the student's class, or a school admin"),
    Case("students:points_grant", page("teacher", "school_admin", **MANAGER_POST), method="post",
         build=_student_number, data={"amount": 3, "reason": "matrix"}),
    Case("students:points_reverse", page("teacher", "school_admin", **MANAGER_POST), method="post",
         build=_entry, data={"reason": "matrix"}),
    Case("students:competitions", page("student", "teacher", "school_admin"), build=_with_world),
    Case("students:competition_create", page("teacher", "school_admin", ok=302), method="post",
         data={"name": "新赛", "level": "provincial", "held_on": "2025-06-01"}),
    Case("students:entry_submit", page("student", ok=302, student=409, other_student=302), method="post", build=_with_world,
         data=_competition_data,
         note="the other student records their own entry; the student's duplicate is refused (409, with a message)"),
    Case("students:awards_review", page("teacher", "school_admin"), build=_with_world),
    Case("students:entry_review", page("teacher", "school_admin", **MANAGER_POST),
         method="post", build=_award,
         data={"decision": "approve"}),
    Case("students:entry_certificate", page("student", "teacher", "school_admin", other_student=404,
                                            other_teacher=404), build=_award,
         note="owner, the head teacher of the owner's class, or a school admin; always as an attachment"),
    Case("students:resume", page("student"), build=_with_world),
    Case("students:resume_share", page("student", ok=302), method="post", build=_with_world),
    Case("students:resume_revoke", page("student", ok=302), method="post", build=_with_world),
    Case("students:resume_pdf", page("student"), build=_with_world),
    Case("students:resume_shared", {a: 200 for a in ("anonymous", "student", "teacher", "enterprise", "industry",
                                                       "school_admin")}, build=_token,
         note="anyone holding the unguessable token; public sections only"),
    Case("students:resume_shared_pdf", {a: 200 for a in ("anonymous", "student", "teacher", "enterprise", "industry",
                                                           "school_admin")}, build=_token),
    Case("students:resume_browse", page("enterprise", "school_admin"), build=_with_world),
    Case("students:student_resume", page("teacher", "enterprise", "school_admin", other_teacher=404),
         build=_student_number, note="made visible to enterprises; the head teacher and admins see it all"),
    Case("students:student_resume_pdf", page("teacher", "enterprise", "school_admin", other_teacher=404),
         build=_student_number),
    Case("students:student_resume", page("teacher", "enterprise", "school_admin", ok=404, school_admin=200),
         build=_other_number, note="not made visible: enterprises and other teachers get 404"),
    Case("students:stars", page("student", "teacher", "enterprise", "industry", "school_admin"), build=_with_world),
    Case("students:stars_select", page("school_admin", ok=302), method="post", build=_with_world,
         data=lambda w: {"term": _term(w)}),
    Case("students:outlook", page("student"), build=_with_world),
    Case("students:outlook_admin", page("school_admin")),
    Case("students:outlook_retrain", page("school_admin", ok=302), method="post"),
    Case("api:students-rankings", api("student", "teacher", "school_admin"), build=_with_world),
    Case("api:students-my-points", api("student"), build=_with_world),
]

__all__ = ["CASES", "LOGIN_REDIRECT"]
