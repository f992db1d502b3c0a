"""Small careers worlds: a major, graduated cohorts, an employer."""

from __future__ import annotations

from accounts.models import Role
from students.models import CompetencyAttainment, StudentProfile
from teachers.models import Competency
from tests.enterprises.builders import make_enterprise
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_student


def make_graduates(major, intake_year: int, n: int, *, school_class=None, prefix: str | None = None,
                   attainments: dict[str, float] | None = None) -> list[StudentProfile]:
    school_class = school_class or make_class(major, intake_year)
    out = []
    for i in range(n):
        student = make_student(school_class, number=f"{prefix or intake_year}{major.pk:02d}{i:04d}")
        student.status = StudentProfile.Status.GRADUATED
        student.save(update_fields=["status"])
        out.append(student)
    if attainments:
        set_attainments(out, attainments)
    return out


def set_attainments(students, values: dict[str, float]) -> None:
    """Stored radars by hand (the radar's own tests cover how they are computed)."""
    if not students:
        return
    comps = {c.code: c for c in Competency.objects.filter(major_id=students[0].major_id)}
    CompetencyAttainment.objects.bulk_create([
        CompetencyAttainment(student=s, competency=comps[code], attainment=value, earned=value, possible=1.0)
        for s in students for code, value in values.items()])


def make_employer(username: str = "hr_careers"):
    user = UserFactory(role=Role.ENTERPRISE, username=username)
    return user, make_enterprise(user)


__all__ = ["make_class", "make_graduates", "make_major", "make_employer", "set_attainments"]
