"""What the talent market adds to other apps' screens (read through
accounts.navigation.project_app_attribute, so lower apps never import this one):

- HOME_PANELS: the student's home shows the open postings that fit them best.
- RESUME_SECTIONS: the student's resume shows the career profile they wrote for
  employers (introduction, education, certificates, portfolio) and the smart summary.
"""

from __future__ import annotations

from accounts.models import Role


def recommended_postings_panel(user) -> dict:
    from students.models import StudentProfile

    from .career import smart_resume

    student = StudentProfile.objects.select_related("major", "user").filter(user=user).first()
    if student is None:
        return {"template": "enterprises/_home_panel.html", "best": []}
    smart = smart_resume(student=student)
    return {"template": "enterprises/_home_panel.html", "best": smart["best_postings"], "tags": smart["tags"]}


def career_resume_section(student) -> dict | None:
    from .career import smart_resume
    from .models import CareerProfile

    profile = CareerProfile.objects.filter(student=student).prefetch_related("portfolio").first()
    smart = smart_resume(student=student, with_postings=False)
    from django.utils.translation import gettext as _

    education = CareerProfile.lines(profile.education) if profile else []
    certificates = CareerProfile.lines(profile.certificates) if profile else []
    lines = [smart["summary"], *(CareerProfile.lines(profile.introduction) if profile else []), *education,
             *certificates]
    # Without a "section" key the students app shows it to the student and their staff only;
    # employers read it on the talent market's pages.
    return {"template": "enterprises/_resume_section.html", "title": _("Career profile"), "profile": profile,
            "smart": smart, "education": education, "certificates": certificates, "pdf_lines": lines}


# (roles, order, function(user) -> context with "template")
HOME_PANELS = [((Role.STUDENT,), 40, recommended_postings_panel)]
# (order, function(student) -> context with "template", or None)
RESUME_SECTIONS = [(50, career_resume_section)]

# Internships (issue 11)
from .internships.panels import HOME_PANELS as INTERNSHIP_HOME_PANELS  # noqa: E402
from .internships.panels import RESUME_SECTIONS as INTERNSHIP_RESUME_SECTIONS  # noqa: E402

HOME_PANELS += INTERNSHIP_HOME_PANELS
RESUME_SECTIONS += INTERNSHIP_RESUME_SECTIONS
