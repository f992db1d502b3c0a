"""Deepfake lab teaching materials: guides are read by students, teachers and school
administrators; lab work and reports are seen by the offering's enrolled students (their own
report), its teacher and school administrators (others 404); only the offering's teacher
attaches and grades; only its students submit."""

from __future__ import annotations

from . import Case, World, api, page


def _assignment(world: World):
    def make():
        from deepfake.teaching import services
        from tests.deepfake.lab_data import make_lab_offering

        teacher, student = world.users["teacher"], world.users["student"]
        _offering, components, _ai = make_lab_offering(teacher, [student], code="mx")
        return services.assignment_attach(actor=teacher, guide="cnn", component=components["lab"])

    return world.once("lab_assignment", make)


def _report(world: World):
    def make():
        from deepfake.teaching import services
        from tests.deepfake.lab_data import pdf_upload

        return services.report_submit(actor=world.users["student"], assignment=_assignment(world),
                                      uploaded_file=pdf_upload())

    return world.once("lab_report", make)


def _assignment_kwargs(world):
    return {"assignment_id": _assignment(world).pk}


def _report_kwargs(world):
    return {"report_id": _report(world).pk}


READERS = ("student", "teacher", "school_admin")
SCOPED = page(*READERS, other_student=404, other_teacher=404)
SCOPED_API = api(*READERS, other_student=404, other_teacher=404)

CASES = [
    Case("deepfake:guide_list", page(*READERS)),
    Case("deepfake:guide_detail", page(*READERS), build=lambda w: {"slug": "data"}),
    Case("deepfake:guide_attach", page("teacher", ok=400), method="post", data={}, build=lambda w: {"slug": "data"},
         note="no component chosen: a form error (400)"),
    Case("deepfake:lab_assignment", SCOPED, build=_assignment_kwargs),
    Case("deepfake:lab_report_submit", page("student", ok=400, other_student=404), method="post", data={},
         build=_assignment_kwargs, note="no file: a form error (400)"),
    Case("deepfake:lab_report_download", SCOPED, build=_report_kwargs),
    Case("deepfake:lab_report_grade", page("teacher", ok=400, other_teacher=404), method="post", data={},
         build=_report_kwargs, note="no score: a form error (400)"),
    Case("api:deepfake-guides", api(*READERS)),
    Case("api:deepfake-lab-assignments", api(*READERS)),
    Case("api:deepfake-lab-reports", SCOPED_API, build=_assignment_kwargs),
    Case("api:deepfake-lab-report-grade", api("teacher", ok=400, other_teacher=404), method="post", data={},
         content_type="application/json", build=_report_kwargs, note="no score: 400"),
]
