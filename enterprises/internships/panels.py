"""What the internships add to other screens (collected through enterprises/panels.py):
a card on the home of students (today's check-in and this week's log), teachers and
enterprise users (their desk's counters), and the signed internship summaries on the resume."""

from __future__ import annotations

from accounts.models import Role


def internship_home_panel(user) -> dict:
    from django.utils import timezone

    from .models import CheckIn, Placement, WeeklyLog
    from .selectors import desk_totals, logs_pending_review

    if user.role == Role.STUDENT:
        today = timezone.localdate()
        placement = (Placement.objects.filter(student__user=user, status=Placement.Status.ACTIVE)
                     .select_related("organization").first())
        checked_in = placement is not None and CheckIn.objects.filter(placement=placement, day=today).exists()
        logged = placement is not None and WeeklyLog.objects.filter(
            placement=placement, week=placement.week_of(today)).exists()
        return {"template": "enterprises/internships/_home_panel.html", "placement": placement,
                "checked_in": checked_in, "logged": logged}
    totals = desk_totals(user=user)
    return {"template": "enterprises/internships/_home_panel.html", "totals": totals,
            "to_review": logs_pending_review(user=user).count()}


def internship_resume_section(student) -> dict | None:
    from django.utils.translation import gettext as _

    from .models import InternshipSummary

    summaries = [s for s in InternshipSummary.objects.filter(placement__student=student)
                 .select_related("placement__organization", "placement__mentor", "placement__tutor")
                 .order_by("-placement__starts_on") if s.signed]
    if not summaries:
        return None
    return {"template": "enterprises/internships/_resume_section.html", "section": "internships",
            "title": _("Internships"), "summaries": summaries,
            "pdf_lines": [f"{s.placement.organization.name} · {s.placement.title} · {s.placement.starts_on:%Y-%m}–"
                          f"{s.placement.ends_on:%Y-%m}: {s.text[:300]}" for s in summaries]}


HOME_PANELS = [((Role.STUDENT, Role.TEACHER, Role.ENTERPRISE), 30, internship_home_panel)]
RESUME_SECTIONS = [(40, internship_resume_section)]
