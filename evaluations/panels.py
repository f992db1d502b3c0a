"""What the evaluations app adds to other apps' screens, through their registries:

* HOME_PANELS — "my evaluations to do" on the student's home (students.dashboard), and on
  the teacher's and enterprise's home pages (the `home_panels` tag of accounts);
* RESUME_SECTIONS — excellent results (joint rewards) as a line on the student's resume."""

from __future__ import annotations

from accounts.models import Role


def evaluations_to_do_panel(user) -> dict:
    from .selectors import invitations_to_do

    invitations = invitations_to_do(user=user)
    return {"template": "evaluations/_home_panel.html", "to_do": list(invitations[:5]),
            "to_do_count": invitations.count()}


def excellent_results_section(student) -> dict | None:
    from django.utils.translation import gettext as _

    from .selectors import rewards_for_student

    rewards = list(rewards_for_student(student=student)[:10])
    if not rewards:
        return None
    return {
        "template": "evaluations/_resume_section.html", "section": "evaluations",
        "title": _("Excellent in joint evaluations"), "rewards": rewards,
        "pdf_lines": [_("%(subject)s — rated excellent by school, enterprise, industry and peers (%(s)s)")
                      % {"subject": r.round.subject_title, "s": f"{r.result.final:.1f}"} for r in rewards],
    }


# (roles, order, function(user) -> context with "template")
HOME_PANELS = [((Role.STUDENT, Role.TEACHER, Role.ENTERPRISE), 40, evaluations_to_do_panel)]
# (order, function(student) -> context with "template", or None)
RESUME_SECTIONS = [(50, excellent_results_section)]
