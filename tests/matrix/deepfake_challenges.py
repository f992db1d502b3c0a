"""Deepfake class challenges: the students of the challenge's classes and its teacher see it
(others 404); school administrators read; only students submit and form teams; the teacher
posts baselines and closes phases."""

from __future__ import annotations

from . import Case, World, api, page


def _challenge(world: World):
    def make():
        from students.models import StudentProfile
        from teachers.models import Major, SchoolClass
        from tests.deepfake.challenge_data import make_challenge

        teacher, student = world.users["teacher"], world.users["student"]
        profile = StudentProfile.objects.filter(user=student).select_related("school_class").first()
        if profile is None:
            major, _ = Major.objects.get_or_create(code="mx-ch", defaults={"name": "大数据"})
            school_class = SchoolClass.objects.create(major=major, intake_year=2025, code="mx-ch-1", name="MXCH",
                                                      head_teacher=teacher)
            StudentProfile.objects.create(user=student, student_number="MXCH1", major=major,
                                          school_class=school_class, intake_year=2025)
        else:
            school_class = profile.school_class
        return make_challenge(teacher, school_class)

    return world.once("challenge", make)


def _challenge_kwargs(world):
    return {"challenge_id": _challenge(world).pk}


def _phase_kwargs(world):
    return {"phase_id": _challenge(world).phases.get().pk}


VISIBLE = page("student", "teacher", "school_admin", other_student=404, other_teacher=404)
VISIBLE_API = api("student", "teacher", "school_admin", other_student=404, other_teacher=404)

CASES = [
    Case("deepfake:challenge_list", page("student", "teacher", "school_admin")),
    Case("deepfake:challenge_create", page("teacher")),
    Case("deepfake:challenge_detail", VISIBLE, build=_challenge_kwargs),
    Case("deepfake:challenge_download", VISIBLE, build=lambda w: _challenge_kwargs(w) | {"name": "dev"}),
    Case("deepfake:challenge_team", page("student", ok=302, other_student=404), method="post",
         data={"name": "Owls"}, build=_challenge_kwargs),
    Case("deepfake:challenge_submit", page("student", "teacher", ok=400, other_student=404, other_teacher=404),
         method="post", data={}, build=_phase_kwargs, note="no file: a form error (400)"),
    Case("deepfake:challenge_phase_close", page("teacher", ok=302, other_teacher=404), method="post",
         build=_phase_kwargs),
    Case("api:deepfake-challenges", api("student", "teacher", "school_admin")),
    Case("api:deepfake-challenge-detail", VISIBLE_API, build=_challenge_kwargs),
    Case("api:deepfake-challenge-leaderboard", VISIBLE_API, build=_phase_kwargs),
    Case("api:deepfake-challenge-submissions", api("student", "teacher", other_student=404, other_teacher=404),
         build=_phase_kwargs),
]


def _experiment_kwargs(world):
    def make():
        from deepfake.models import Experiment

        return Experiment.objects.create(student=world.users["student"], challenge=_challenge(world),
                                         arch="spectrum_logreg", epochs=1, status="failed", error="matrix")

    return {"experiment_id": world.once("experiment", make).pk}


CASES += [
    Case("deepfake:experiment_list", page("student", "teacher")),
    Case("deepfake:experiment_start", page("student", ok=400, other_student=404), method="post",
         data={"arch": "spectrum_logreg", "epochs": 0}, build=_challenge_kwargs,
         note="invalid epochs: a form error shown on the list page (400 for the class's student)"),
    Case("deepfake:experiment_detail", page("student", "teacher", other_student=404, other_teacher=404),
         build=_experiment_kwargs),
    Case("deepfake:experiment_roc", page("student", "teacher", ok=404), build=_experiment_kwargs,
         note="a failed run has no ROC curve: 404 for everyone allowed"),
    Case("deepfake:experiment_submit", page("student", ok=302, other_student=404), method="post",
         build=_experiment_kwargs, note="a failed run cannot be submitted: a message and a redirect"),
    Case("api:deepfake-experiments", api("student", "teacher")),
]
