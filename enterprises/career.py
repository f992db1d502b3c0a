"""The resume enterprises read: the student's own content (career profile and
portfolio), the "smart" parts computed from their data (skill tags, a summary
sentence, the postings it fits best), and the snapshot frozen into an application."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import User
from accounts.services import audit_log_record
from students.models import CompetitionEntry, PointBalance, StudentProfile
from students.selectors import attainments_for_students, cohort_average
from teachers.models import Competency

from .models import CareerProfile, PortfolioItem, Visibility
from .validation import check_upload
from .vectors import vector_visibility_set

PORTFOLIO_MAX_ITEMS = 12
TEXT_FIELDS = ("phone", "email", "wechat", "introduction", "education", "certificates")


def _own_profile(actor: User, student: StudentProfile) -> CareerProfile:
    if student.user_id != actor.pk:
        raise NotPermitted(_("Only the student edits their career profile."))
    profile, _created = CareerProfile.objects.get_or_create(student=student)
    return profile


@transaction.atomic
def career_profile_update(*, actor: User, student: StudentProfile, data: dict, photo=None,
                          remove_photo: bool = False) -> CareerProfile:
    from django.core.exceptions import ValidationError

    profile = _own_profile(actor, student)
    errors: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        if name in data:
            value = (data.get(name) or "").strip()
            if "\x00" in value:
                errors[name] = [_("The text contains a NUL character.")]
            setattr(profile, name, value)
    if "visibility" in data:
        if data["visibility"] not in Visibility.values:
            errors["visibility"] = [_("Unknown visibility.")]
        else:
            profile.visibility = data["visibility"]
    if errors:
        raise ApplicationError(_("The submitted data is invalid."), code="invalid", extra=errors)
    try:
        profile.full_clean(exclude=["student", "photo"])
    except ValidationError as exc:
        raise ApplicationError(_("The submitted data is invalid."), code="invalid", extra=exc.message_dict) from None
    if photo is not None:
        checked = check_upload(photo, allowed=("image",))
        if profile.photo:
            profile.photo.delete(save=False)
        photo.seek(0)
        profile.photo.save(f"{uuid.uuid4().hex}{checked.extension}", ContentFile(photo.read()), save=False)
        profile.photo_content_type = checked.content_type
    elif remove_photo and profile.photo:
        profile.photo.delete(save=False)
        profile.photo_content_type = ""
    profile.save()
    vector_visibility_set(student_id=student.pk, visibility=profile.visibility)
    audit_log_record(actor=actor, action="career.update", target=profile, data={"visibility": profile.visibility})
    return profile


@transaction.atomic
def portfolio_item_add(*, actor: User, student: StudentProfile, title: str, upload) -> PortfolioItem:
    profile = _own_profile(actor, student)
    title = (title or "").strip()
    if not title or "\x00" in title:
        raise ApplicationError(_("Give the work sample a title."), code="invalid", extra={"title": [_("Required.")]})
    if profile.portfolio.count() >= PORTFOLIO_MAX_ITEMS:
        raise ApplicationError(_("A portfolio holds at most %(n)d items.") % {"n": PORTFOLIO_MAX_ITEMS},
                               code="portfolio_full")
    checked = check_upload(upload)
    upload.seek(0)
    item = PortfolioItem(profile=profile, title=title[:120], kind=checked.kind, content_type=checked.content_type,
                         size_bytes=checked.size)
    item.file.save(f"{uuid.uuid4().hex}{checked.extension}", ContentFile(upload.read()), save=False)
    item.save()
    audit_log_record(actor=actor, action="career.portfolio_add", target=item, data={"kind": item.kind})
    return item


@transaction.atomic
def portfolio_item_delete(*, actor: User, item: PortfolioItem) -> None:
    if item.profile.student.user_id != actor.pk:
        raise NotPermitted(_("Only the student edits their portfolio."))
    audit_log_record(actor=actor, action="career.portfolio_delete", target=item)
    item.file.delete(save=False)
    item.delete()


# --- the smart parts -------------------------------------------------------------------

def skill_tags(*, axes: list[Competency], attainment: dict[int, float], cohort: dict[int, float],
               limit: int = 3) -> list[dict]:
    """The strongest competencies: highest attainment, ahead of the cohort first."""
    ranked = sorted(axes, key=lambda c: (attainment.get(c.pk, 0.0) >= cohort.get(c.pk, 0.0),
                                         attainment.get(c.pk, 0.0)), reverse=True)
    return [{"code": c.code, "name": c.display_name, "attainment": round(attainment.get(c.pk, 0.0), 4),
             "cohort": round(cohort.get(c.pk, 0.0), 4)}
            for c in ranked[:limit] if attainment.get(c.pk, 0.0) > 0]


def summary_sentence(*, student: StudentProfile, tags: list[dict], points: int, awards: int) -> str:
    """One sentence from the data, in the reader's language (no external service)."""
    parts = [_("%(name)s studies %(major)s (intake %(year)s).") % {
        "name": student.user.name_for_display, "major": student.major.display_name, "year": student.intake_year}]
    if tags:
        top = tags[0]
        ahead = top["attainment"] - top["cohort"]
        if ahead > 0:
            parts.append(_("Strongest in %(skill)s at %(pct)d%%, %(ahead)d points above the cohort average.") % {
                "skill": top["name"], "pct": round(top["attainment"] * 100), "ahead": round(ahead * 100)})
        else:
            parts.append(_("Strongest in %(skill)s at %(pct)d%%.") % {
                "skill": top["name"], "pct": round(top["attainment"] * 100)})
        if len(tags) > 1:
            parts.append(_("Also good at %(skills)s.") % {"skills": ", ".join(t["name"] for t in tags[1:])})
    parts.append(_("%(points)d growth points and %(awards)d verified awards.") % {"points": points, "awards": awards})
    return " ".join(parts)


def smart_resume(*, student: StudentProfile, with_postings: bool = True) -> dict:
    """Tags, the summary, the radar values and the best-fitting open postings (a handful
    of queries, independent of the data size)."""
    from .matching import best_postings_for_student
    from .models import Posting

    axes = list(Competency.objects.filter(major_id=student.major_id).order_by("order", "code"))
    attainment = attainments_for_students(student_ids=[student.pk]).get(student.pk, {})
    cohort = cohort_average(major_id=student.major_id, intake_year=student.intake_year)
    tags = skill_tags(axes=axes, attainment=attainment, cohort=cohort)
    points = PointBalance.objects.filter(student=student).values_list("total", flat=True).first() or 0
    awards = CompetitionEntry.objects.filter(student=student, status=CompetitionEntry.Status.VERIFIED).count()
    best = []
    if with_postings:
        ranked = best_postings_for_student(student=student, limit=3)
        by_id = Posting.objects.select_related("organization").in_bulk([pid for pid, _f in ranked])
        best = [{"posting": by_id[pid], "fit": fit} for pid, fit in ranked if pid in by_id]
    return {
        "tags": tags, "tag_names": [t["name"] for t in tags], "summary": summary_sentence(student=student, tags=tags, points=points, awards=awards),
        "points": points, "awards": awards, "best_postings": best,
        "radar": [{"code": c.code, "name": c.display_name, "attainment": round(attainment.get(c.pk, 0.0), 4)}
                  for c in axes],
    }


def resume_snapshot(*, student: StudentProfile) -> dict:
    """The resume frozen into an application: what the enterprise reads even if the
    student edits or hides their profile later. Plain JSON (codes and numbers, the
    student's own texts); labels are rendered when read."""
    profile = CareerProfile.objects.filter(student=student).prefetch_related("portfolio").first()
    smart = smart_resume(student=student, with_postings=False)
    return {
        "taken_at": timezone.now().isoformat(),
        "student_number": student.student_number,
        "name": student.user.display_name, "name_en": student.user.display_name_en,
        "major": student.major.code, "intake_year": student.intake_year,
        "contact": {name: getattr(profile, name) for name in ("phone", "email", "wechat")} if profile else {},
        "introduction": profile.introduction if profile else "",
        "education": CareerProfile.lines(profile.education) if profile else [],
        "certificates": CareerProfile.lines(profile.certificates) if profile else [],
        "portfolio": [{"id": item.pk, "title": item.title, "kind": item.kind} for item in profile.portfolio.all()]
        if profile else [],
        "radar": smart["radar"],
        "tags": [t["code"] for t in smart["tags"]],
        "points": smart["points"], "awards": smart["awards"],
    }
