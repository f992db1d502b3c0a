"""Growth (issue 4): points, rankings, tiers, competitions, stars, resume, outlook."""

from __future__ import annotations

from . import LOGIN_REDIRECT, Case, World, api, page


def growth_world(world: World) -> dict:
    """Profiles for the two matrix students; the student's class is headed by the
    matrix teacher (the other teacher heads nothing)."""

    def build():
        from students import points
        from tests.growth import factories as f

        klass = f.school_class(code="MX-1", head_teacher=world.users["teacher"])
        other_class = f.school_class(code="MX-2")
        student = f.student(user=world.users["student"], klass=klass, number="MX0001")
        other = f.student(user=world.users["other_student"], klass=other_class, number="MX0002")
        entry = points.points_grant(actor=None, student=student, source="teacher_award", amount=5, reason="matrix")
        return {"student": student, "other": other, "entry": entry, "klass": klass}

    return world.once("growth", build)


def _with_world(world: World) -> dict:
    growth_world(world)
    return {}


def _student_number(world: World) -> dict:
    return {"student_number": growth_world(world)["student"].student_number}


def _entry(world: World) -> dict:
    g = growth_world(world)
    return {"student_number": g["student"].student_number, "entry_id": g["entry"].pk}


MANAGER = {"teacher": 200, "other_teacher": 403, "school_admin": 200}
MANAGER_POST = {"teacher": 302, "other_teacher": 403, "school_admin": 302}

CASES = [
    Case("students:rankings", page("student", "teacher", "school_admin"), build=_with_world),
    Case("students:points", page("student"), build=_with_world),
    Case("students:student_points", page("teacher", "school_admin", **MANAGER), build=_student_number,
         note="only the head teacher of the student's class, or a school admin"),
    Case("students:points_grant", page("teacher", "school_admin", **MANAGER_POST), method="post",
         build=_student_number, data={"amount": 3, "reason": "matrix"}),
    Case("students:points_reverse", page("teacher", "school_admin", **MANAGER_POST), method="post",
         build=_entry, data={"reason": "matrix"}),
    Case("api:students-rankings", api("student", "teacher", "school_admin"), build=_with_world),
    Case("api:students-my-points", api("student"), build=_with_world),
]

__all__ = ["CASES", "LOGIN_REDIRECT"]
