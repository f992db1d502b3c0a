"""The lab's panels on the student's home page (see students.dashboard) and the teacher's home."""

from accounts.models import Role


def recent_jobs_panel(user) -> dict:
    from .models import DetectionJob

    jobs = list(DetectionJob.objects.filter(requested_by=user).select_related("media").order_by("-created_at", "-id")[:3])
    return {"template": "deepfake/_home_panel.html", "jobs": jobs}


def lab_work_panel(user) -> dict:
    """Students: their lab work, reports still to submit first. Teachers: reports awaiting grading."""
    from .teaching import selectors

    if user.role == Role.STUDENT:
        return {"template": "deepfake/guides/_home_panel.html", "assignments": selectors.pending_for_student(user=user)}
    return {"template": "deepfake/guides/_home_panel.html", "to_grade": selectors.reports_to_grade(user=user)}


# (roles, order, function(user) -> context with "template")
HOME_PANELS = [((Role.STUDENT,), 60, recent_jobs_panel), ((Role.STUDENT, Role.TEACHER), 61, lab_work_panel)]
