"""Careers after graduation (issue 11 items 8–9) and demand vs supply (issue 14 item 6).
The student and other_student are graduates of different classes (2024 and 2025): a
graduate answers only their own class's rounds. The enterprise employs the student (a
destination names it); other_enterprise neither hosts nor employs them: 404 on the
rating page, 403 from the API."""

from __future__ import annotations

import datetime

from . import Case, World, api, page


def careers_world(world: World) -> dict:
    def build():
        from django.utils import timezone

        from enterprises.careers import services
        from enterprises.models import Destination, SurveyRound
        from tests.careers.builders import make_graduates, set_attainments
        from tests.enterprises.builders import make_enterprise
        from tests.radar.builders import make_class, make_major, make_student

        major = make_major(code="mx-careers", competencies=("ops", "design"))
        klass = make_class(major, 2021, head_teacher=world.users["teacher"])
        student = make_student(klass, user=world.users["student"], number="MXC0001")
        other = make_student(make_class(major, 2022), user=world.users["other_student"], number="MXC0002")
        for s in (student, other):
            s.status = "graduated"
            s.save(update_fields=["status"])
        set_attainments([student, other], {"ops": 0.6, "design": 0.5})
        make_graduates(major, 2021, 2, school_class=klass, prefix="MXG")
        org = make_enterprise(world.users["enterprise"])
        make_enterprise(world.users["other_enterprise"])
        today = timezone.localdate()
        graduation = services.survey_round_get_or_create(graduation_year=2024, kind="graduation")
        open_round = SurveyRound.objects.create(graduation_year=2024, kind="1y", opens_on=today - datetime.timedelta(
            days=3), closes_on=today + datetime.timedelta(days=30))
        Destination.objects.create(student=student, survey_round=graduation, graduation_year=2024, major=major,
                                   school_class=klass, category="employed", employer=org, employer_name=org.name)
        return {"major": major, "student": student, "graduation": graduation, "open": open_round}

    return world.once("careers", build)


def _world(world):
    careers_world(world)
    return {}


def _open_round(world):
    return {"round_id": careers_world(world)["open"].pk}


def _rate(world):
    c = careers_world(world)
    return {"student_number": c["student"].student_number, "round_id": c["open"].pk}


def _csv(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = careers_world(world)
    body = f"student_number,round,category\n{c['student'].student_number},6m,not_employed\n".encode()
    return {"file": SimpleUploadedFile("d.csv", body, content_type="text/csv")}


def _feedback(world):
    c = careers_world(world)
    return {"student_number": c["student"].student_number, "round": c["open"].pk, "ratings": {"ops": 4, "design": 3},
            "comment": "好"}


def _feedback_form(world):
    careers_world(world)
    return {"rating-ops": "4", "rating-design": "3", "comment": "好"}


def _survey_form(world):
    careers_world(world)
    return {"category": "employed", "employer_name": "星云", "job_family": "operations", "counterpart": "yes",
            "salary_band": "5-8k", "city": "杭州"}


CASES = [
    Case("enterprises:careers_admin", page("school_admin"), build=_world),
    Case("enterprises:careers_import", page("school_admin", ok=302), method="post", build=_world, data=_csv),
    Case("enterprises:careers_export", page("school_admin"), build=lambda w: {**_world(w), "fmt": "csv"}),
    Case("enterprises:careers_survey", page("student"), build=_world,
         note="a current student sees when the survey starts; a graduate their rounds"),
    Case("enterprises:careers_survey_fill", page("student", other_student=404), build=_open_round,
         note="the round is for the student's class (2024), not other_student's (2025)"),
    Case("enterprises:careers_survey_fill", page("student", ok=302, other_student=404), method="post",
         build=_open_round, data=_survey_form),
    Case("enterprises:careers_feedback", page("enterprise"), build=_world),
    Case("enterprises:careers_feedback_rate", page("enterprise", other_enterprise=404), build=_rate,
         note="only the employer of the graduate"),
    Case("enterprises:careers_feedback_rate", page("enterprise", ok=302, other_enterprise=404), method="post",
         build=_rate, data=_feedback_form),
    Case("enterprises:careers_demand_supply", page("teacher", "school_admin"), build=_world,
         data={"major": "mx-careers", "year": 2024}),
    Case("api:careers-destinations", api("student", "school_admin"), build=_world,
         note="a graduate gets only their own (tests/careers/test_pages_api.py)"),
    Case("api:careers-destinations-import", api("school_admin"), method="post", build=_world, data=_csv),
    Case("api:careers-feedback", api("enterprise", "teacher", "school_admin"), build=_world),
    Case("api:careers-feedback", api("enterprise", "teacher", "school_admin", ok=201, teacher=403, school_admin=403,
                                     other_enterprise=403), method="post", build=_world, data=_feedback,
         content_type="application/json", note="other_enterprise neither hosts nor employs the student"),
    Case("api:careers-demand-supply", api("teacher", "school_admin"), build=_world,
         data={"major": "mx-careers", "year": 2024}),
]

__all__ = ["CASES"]
