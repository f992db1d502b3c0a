"""Internships (issue 11): the student interns at enterprise A (world "enterprise" is the
mentor and a manager there), the teacher is the tutor and head teacher. A's intern is
invisible to the other student, the other teacher (neither tutor nor head teacher) and
enterprise B ("other_enterprise"): 404 on every object URL. Industry masters have no
internship pages (403)."""

from __future__ import annotations

import datetime

from . import Case, World, api, page

VIEWERS = ("student", "teacher", "enterprise", "school_admin")


def hidden(*roles: str) -> dict:
    """The "other_" actors of the roles that pass the role check get 404 (not theirs)."""
    return {f"other_{role}": 404 for role in ("student", "teacher", "enterprise") if role in roles}


HIDDEN = hidden(*VIEWERS)


def internship_world(world: World) -> dict:
    def build():
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from enterprises.models import IntegrityFlag, LeaveRequest, LogPhoto
        from tests.enterprises.builders import make_enterprise
        from tests.internships.builders import LOG_TEXT, OTHER_TEXT, make_placement
        from tests.radar.builders import make_class, make_major, make_student

        teacher, hr = world.users["teacher"], world.users["enterprise"]
        organization = make_enterprise(hr, partner=True)
        make_enterprise(world.users["other_enterprise"], partner=True)
        major = make_major(code="mx-intern")
        klass = make_class(major, 2024, head_teacher=teacher)
        make_class(major, 2024, head_teacher=world.users["other_teacher"])
        student = make_student(klass, user=world.users["student"], number="MXI0001")
        make_student(make_class(major, 2024), user=world.users["other_student"], number="MXI0002")
        placement = make_placement(student=student, organization=organization, school_class=klass, mentor=hr,
                                   tutor=teacher)
        from enterprises.models import WeeklyLog

        log = WeeklyLog.objects.create(placement=placement, week=1, due_on=placement.week_due(1), text=LOG_TEXT,
                                       submitted_at=timezone.now())
        earlier = WeeklyLog.objects.create(placement=placement, week=2, due_on=placement.week_due(2),
                                           text=OTHER_TEXT, submitted_at=timezone.now())
        photo = LogPhoto(log=log, content_type="image/png")
        photo.image.save("mx.png", ContentFile(b"\x89PNG\r\n\x1a\nmx"), save=True)
        flag = IntegrityFlag.objects.create(kind="self_text", placement=placement, log=log, other_log=earlier,
                                            score=0.9, passages=[["a", "a"]])
        leave = LeaveRequest.objects.create(placement=placement, starts_on=timezone.localdate(),
                                            ends_on=timezone.localdate(), reason="体检")
        return {"placement": placement, "log": log, "photo": photo, "flag": flag, "leave": leave, "class": klass,
                "organization": organization}

    return world.once("internships", build)


def _world(world):
    internship_world(world)
    return {}


def _placement(world):
    return {"placement_id": internship_world(world)["placement"].pk}


def _log(world):
    return {"log_id": internship_world(world)["log"].pk}


def _photo(world):
    i = internship_world(world)
    return {"log_id": i["log"].pk, "item": str(i["photo"].pk)}


def _leave(world):
    return {"leave_id": internship_world(world)["leave"].pk}


def _flag(world):
    return {"flag_id": internship_world(world)["flag"].pk}


def _post(world):
    today = datetime.date.today()
    return {"title": "客服岗", "duties": "接待", "starts_on": today.isoformat(), "ends_on": today.isoformat()}


VIEW = page(*VIEWERS, **HIDDEN)

CASES = [
    Case("enterprises:internship_home", page(*VIEWERS), build=_world),
    Case("enterprises:internship_assign", page("teacher", "school_admin"), build=_world),
    Case("enterprises:internship_review", page("teacher", "enterprise"), build=_world),
    Case("enterprises:internship_placement", VIEW, build=_placement,
         note="the intern, the tutor/head teacher, the mentor/manager, school admins; nobody else"),
    Case("enterprises:internship_checkin", page("student", ok=302, **hidden("student")), method="post", build=_placement),
    Case("enterprises:internship_log_new", page("student", **hidden("student")), build=_placement),
    Case("enterprises:internship_message", page("student", "teacher", "enterprise", "school_admin", ok=302,
                                                school_admin=403, **HIDDEN), method="post", build=_placement,
         data={"body": "你好"}, note="school admins read the thread but are not in it"),
    Case("enterprises:internship_leave", page("student", ok=302, **hidden("student")), method="post", build=_placement,
         data=lambda w: {"starts_on": datetime.date.today().isoformat(),
                         "ends_on": datetime.date.today().isoformat(), "reason": "病假"}),
    Case("enterprises:internship_summary", page(*VIEWERS, ok=302, school_admin=403, **HIDDEN), method="post",
         build=_placement, data={"text": "总结" * 60, "comment": "好"}),
    Case("enterprises:internship_post_add", page("teacher", "enterprise", "school_admin", ok=302, **hidden("teacher", "enterprise")),
         method="post", build=_placement, data=lambda w: _post(w)),
    Case("enterprises:internship_terminate", page("teacher", "school_admin", ok=302, **hidden("teacher")), method="post",
         build=_placement, data={"reason": "违纪"}),
    Case("enterprises:internship_log", VIEW, build=_log),
    Case("enterprises:internship_log", page(*VIEWERS, ok=302, student=403, school_admin=403, **HIDDEN),
         method="post", build=_log, data={"grade": "A", "comment": "好"},
         note="only the mentor and the tutor review"),
    Case("enterprises:internship_log_revise", page("student", ok=302, **hidden("student")), method="post", build=_log,
         data={"text": "x" * 200}),
    Case("enterprises:internship_log_file", VIEW, build=_photo),
    Case("enterprises:internship_leave_decide", page("teacher", "enterprise", ok=302, **hidden("teacher", "enterprise")), method="post",
         build=_leave, data={"decision": "approve"}),
    Case("enterprises:internship_flag_dismiss", page("teacher", "school_admin", ok=302, **hidden("teacher")), method="post",
         build=_flag),
    Case("api:internship-placements", api(*VIEWERS), build=_world),
    Case("api:internship-placement", api(*VIEWERS, **HIDDEN), build=_placement),
    Case("api:internship-checkins", api(*VIEWERS, **HIDDEN), build=_placement),
    Case("api:internship-checkins", api(*VIEWERS, ok=403, student=201, **HIDDEN), method="post", build=_placement,
         data={"latitude": 30.2741, "longitude": 120.1551}, content_type="application/json",
         note="only the intern checks in"),
    Case("api:internship-logs", api(*VIEWERS, **HIDDEN), build=_placement),
    Case("api:internship-logs", api(*VIEWERS, ok=403, student=400, **HIDDEN), method="post", build=_placement,
         data={"text": "太短"}, note="the intern's too short log: 400; others may not write it"),
    Case("api:internship-log", api(*VIEWERS, **HIDDEN), build=_log),
    Case("api:internship-log-review", api("teacher", "enterprise", **hidden("teacher", "enterprise")), method="post", build=_log,
         data={"grade": "B", "comment": "好"}, content_type="application/json"),
]

__all__ = ["CASES"]
