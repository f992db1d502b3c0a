from . import Case, api, page, public, unseen
from .growth import _award, _competition_data, _other_number, _student_number, _with_world

JSON = "application/json"


def _gradebook_import(world) -> dict:
    from teachers.models import GradebookImport
    from tests.radar.builders import radar_world

    offering = radar_world(world)["offering"]
    job = world.once("gradebook_import", lambda: GradebookImport.objects.create(
        offering=offering, requested_by=world.users["teacher"], upload_name="big.csv",
        status=GradebookImport.Status.REJECTED, error_count=1,
        errors=[{"row": 2, "student_number": "X", "reason": "matrix"}]))
    return {"offering_id": offering.pk, "import_id": job.pk}

CASES = [
    Case("api:root", public(200), note="where the API starts; public like the schema"),
    Case("admin_portal:background_tasks", page("school_admin")),
    Case("api:accounts-health", api("school_admin"), note="the details of /healthz, which itself says only ok/failing"),
    Case("deepfake:upload", page("student", "teacher", ok=302), note="GET: the form is on the lab's home page"),
    Case("teachers:gradebook_import_status", page("teacher", "school_admin", **unseen("other_teacher")),
         build=_gradebook_import, note="an import run by a worker: as the offering's gradebook"),
    # The REST twins of the competitions, resume and outlook pages (issue 17 §5).
    Case("api:students-competitions", api("student", "teacher", "school_admin"), build=_with_world),
    Case("api:students-competitions", api("teacher", "school_admin", ok=201), method="post", content_type=JSON,
         data={"name": "新赛", "level": "provincial", "held_on": "2025-06-01"},
         note="students read the list but do not create competitions"),
    Case("api:students-my-competition-entries", api("student"), build=_with_world),
    Case("api:students-my-competition-entries", api("student", ok=201, student=409, other_student=201), method="post",
         build=_with_world, data=_competition_data,
         note="multipart; the student already entered this competition: 409"),
    Case("api:students-competition-entries", api("teacher", "school_admin"), build=_with_world),
    Case("api:students-competition-entry", api("student", "teacher", "school_admin", other_student=404,
                                               other_teacher=404), build=_award,
         note="not theirs: 404, as for an entry that does not exist"),
    Case("api:students-competition-entry-review", api("teacher", "school_admin", other_teacher=404), method="post",
         build=_award, data={"decision": "approve"}, content_type=JSON),
    Case("api:students-my-resume", api("student"), build=_with_world),
    Case("api:students-my-resume", api("student"), method="patch", build=_with_world, content_type=JSON,
         data={"headline": "矩阵", "public_sections": ["profile", "radar"]}),
    Case("api:students-my-resume-share", api("student", ok=201), method="post", build=_with_world),
    Case("api:students-my-resume-share", api("student", ok=204), method="delete", build=_with_world),
    Case("api:students-resumes", api("enterprise", "school_admin"), build=_with_world),
    Case("api:students-resume", api("teacher", "enterprise", "school_admin", other_teacher=404),
         build=_student_number, note="made visible to enterprises; the head teacher and admins see it all"),
    Case("api:students-resume", api("teacher", "enterprise", "school_admin", ok=404, school_admin=200),
         build=_other_number, note="not made visible: enterprises and other teachers get 404"),
    Case("api:students-my-outlook", api("student"), build=_with_world, note="available: false without a model"),
    Case("api:students-outlook-models", api("school_admin")),
    Case("api:students-outlook-retrain", api("school_admin", ok=202), method="post"),
]
