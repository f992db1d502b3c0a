"""Deepfake lab: students and teachers detect; a student's media and jobs are theirs and
their class teacher's only (others get 404); teachers train and choose the default model."""

from __future__ import annotations

from django.core.files.base import ContentFile

from . import Case, World, api, page

# 1x1 PNG
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _model(world: World):
    def make():
        from deepfake.models import DetectorModel

        model = DetectorModel(name="matrix-model", version=1, arch="small_cnn", is_active=True)
        model.weights_file.save("matrix.pt", ContentFile(b"weights"), save=False)
        model.roc_curve.save("matrix_roc.png", ContentFile(_PNG), save=False)
        model.save()
        return model

    return world.once("model", make)


def _student_job(world: World):
    def make():
        from deepfake.models import DetectionJob, Media
        from students.models import StudentProfile
        from teachers.models import Major, SchoolClass

        major = Major.objects.create(code="mx-df", name="大数据")
        school_class = SchoolClass.objects.create(major=major, intake_year=2025, code="mx-df-1", name="MX",
                                                  head_teacher=world.users["teacher"])
        StudentProfile.objects.create(user=world.users["student"], student_number="MXDF1", major=major,
                                      school_class=school_class, intake_year=2025)
        media = Media(owner=world.users["student"], kind="image", content_type="image/png", size_bytes=len(_PNG),
                      width=1, height=1, sha256="0" * 64)
        media.file.save("mx.png", ContentFile(_PNG), save=False)
        media.save()
        job = DetectionJob(media=media, detector=_model(world), requested_by=world.users["student"], status="done")
        job.timeline_image.save("mx_timeline.png", ContentFile(_PNG), save=False)
        job.save()
        return job

    return world.once("job", make)


def _job_kwargs(world):
    return {"job_id": _student_job(world).pk}


def _model_kwargs(world):
    return {"model_id": _model(world).pk}


def _run_kwargs(world):
    def make():
        from deepfake.models import TrainingRun

        return TrainingRun.objects.create(started_by=world.users["teacher"], name="mx", arch="small_cnn", epochs=1,
                                          data_dir="/nonexistent")

    return {"run_id": world.once("run", make).pk}


# Owner (student) and their class teacher: 200; another student or teacher: 404; other roles: 403.
OWNED = page("student", "teacher", other_student=404, other_teacher=404)
OWNED_API = api("student", "teacher", other_student=404, other_teacher=404)

CASES = [
    Case("deepfake:upload", page("student", "teacher", ok=400), method="post", data={},
         note="no file: a form error (400)"),
    Case("deepfake:job_detail", OWNED, build=_job_kwargs),
    Case("deepfake:job_status", OWNED, build=_job_kwargs),
    Case("deepfake:job_image", OWNED, build=lambda w: _job_kwargs(w) | {"name": "timeline"}),
    Case("deepfake:media_download", OWNED, build=lambda w: {"media_id": _student_job(w).media_id}),
    Case("deepfake:class_jobs", page("teacher")),
    Case("deepfake:model_list", page("student", "teacher", "school_admin")),
    Case("deepfake:model_detail", page("student", "teacher", "school_admin"), build=_model_kwargs),
    Case("deepfake:model_image", page("student", "teacher", "school_admin"),
         build=lambda w: _model_kwargs(w) | {"name": "roc"}),
    Case("deepfake:model_activate", page("teacher", ok=302), method="post", build=_model_kwargs),
    Case("deepfake:training", page("teacher")),
    Case("deepfake:training_start", page("teacher", ok=400), method="post", data={"name": "x", "arch": "small_cnn",
                                                                                   "epochs": 0},
         note="invalid epochs: a form error, so no training is queued"),
    Case("deepfake:training_detail", page("teacher"), build=_run_kwargs),
    Case("api:deepfake-jobs", api("student", "teacher")),
    Case("api:deepfake-job-detail", OWNED_API, build=_job_kwargs),
    Case("api:deepfake-models", api("student", "teacher", "school_admin")),
]

