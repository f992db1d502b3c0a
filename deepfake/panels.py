"""The lab's panel on the student's home page (see students.dashboard)."""

from accounts.models import Role


def recent_jobs_panel(user) -> dict:
    from .models import DetectionJob

    jobs = list(DetectionJob.objects.filter(requested_by=user).select_related("media").order_by("-created_at", "-id")[:3])
    return {"template": "deepfake/_home_panel.html", "jobs": jobs}


# (roles, order, function(user) -> context with "template")
HOME_PANELS = [((Role.STUDENT,), 60, recent_jobs_panel)]
