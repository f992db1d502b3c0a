"""Create and edit studios and order classes in the site (issue 12 leftovers).

Studios: teachers create them and lead them (the creator is an admitted lead), with
enterprise mentors; a studio's lead teachers or a school administrator edit it. Order
classes: the sponsoring enterprise's staff or a school administrator create and edit
them (`order_class_create` holds the creation rules). Keyword-only, atomic, audited;
every check runs before anything is written."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record
from accounts.text_input import text_clean
from teachers.models import Course, Major

from .cohort_models import OrderClass
from .models import Studio, StudioMember
from .permissions import is_enterprise_member
from .services import user_leads_studio

STUDIO_ROLES_BY_USER_ROLE = {Role.TEACHER: StudioMember.Role.LEAD, Role.ENTERPRISE: StudioMember.Role.MENTOR}


def _studio_fields(*, code: str, title: str, title_en: str, skill_area: str, description: str,
                   major: Major | None, is_open: bool, studio: Studio | None = None) -> dict:
    code = slugify(code or "")[:50]
    if not code:
        raise ApplicationError(_("Give the studio a code (letters, digits, hyphens)."), code="code")
    if Studio.objects.filter(code=code).exclude(pk=getattr(studio, "pk", None)).exists():
        raise ApplicationError(_("Another studio already has the code %(code)s.") % {"code": code}, code="code_taken")
    if skill_area not in Studio.SkillArea.values:
        raise ApplicationError(_("Unknown skill area."), code="skill_area")
    return {"code": code, "title": text_clean(title, label=_("Title"), max_length=200),
            "title_en": text_clean(title_en, label=_("Title (English)"), max_length=200, required=False),
            "skill_area": skill_area, "major": major, "is_open": bool(is_open),
            "description": text_clean(description, label=_("Description"), max_length=5000, required=False)}


def _staff(*, lead_ids: Sequence[int], mentor_ids: Sequence[int]) -> tuple[list[User], list[User]]:
    leads = list(User.objects.filter(pk__in=list(lead_ids), role=Role.TEACHER, is_active=True))
    mentors = list(User.objects.filter(pk__in=list(mentor_ids), role=Role.ENTERPRISE, is_active=True))
    if len(leads) != len(set(lead_ids)) or len(mentors) != len(set(mentor_ids)):
        raise ApplicationError(_("Leads are teachers and mentors are enterprise staff."), code="staff_role")
    if not leads:
        raise ApplicationError(_("A studio needs at least one lead teacher."), code="no_lead")
    return leads, mentors


def _staff_set(studio: Studio, leads: list[User], mentors: list[User]) -> None:
    """The studio's admitted leads and mentors become exactly these; student members stay."""
    wanted = {u.pk: StudioMember.Role.LEAD for u in leads} | {u.pk: StudioMember.Role.MENTOR for u in mentors}
    now = timezone.now()
    StudioMember.objects.filter(studio=studio, role__in=[StudioMember.Role.LEAD, StudioMember.Role.MENTOR]).exclude(
        user_id__in=list(wanted)).delete()
    existing = {m.user_id: m for m in StudioMember.objects.filter(studio=studio, user_id__in=list(wanted))}
    for user_id, role in wanted.items():
        member = existing.get(user_id)
        if member is None:
            StudioMember.objects.create(studio=studio, user_id=user_id, role=role,
                                        status=StudioMember.Status.ADMITTED, decided_at=now)
        elif member.role != role or member.status != StudioMember.Status.ADMITTED:
            if member.role == StudioMember.Role.STUDENT:
                raise ApplicationError(_("A student member cannot lead or mentor the studio."), code="staff_role")
            member.role, member.status, member.decided_at = role, StudioMember.Status.ADMITTED, now
            member.save(update_fields=["role", "status", "decided_at"])


@transaction.atomic
def studio_create(*, actor: User, code: str, title: str, skill_area: str, title_en: str = "", description: str = "",
                  major: Major | None = None, is_open: bool = True, lead_ids: Sequence[int] = (),
                  mentor_ids: Sequence[int] = ()) -> Studio:
    """Teachers (who lead what they create) and school administrators create studios."""
    if actor.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        raise NotPermitted(_("Teachers and school administrators create studios."))
    lead_ids = list(lead_ids) + ([actor.pk] if actor.role == Role.TEACHER and actor.pk not in lead_ids else [])
    fields = _studio_fields(code=code, title=title, title_en=title_en, skill_area=skill_area,
                            description=description, major=major, is_open=is_open)
    leads, mentors = _staff(lead_ids=lead_ids, mentor_ids=mentor_ids)
    studio = Studio.objects.create(**fields)
    _staff_set(studio, leads, mentors)
    audit_log_record(actor=actor, action="studio.create", target=studio,
                     data={"leads": [u.pk for u in leads], "mentors": [u.pk for u in mentors]})
    return studio


@transaction.atomic
def studio_update(*, actor: User, studio: Studio, code: str, title: str, skill_area: str, title_en: str = "",
                  description: str = "", major: Major | None = None, is_open: bool = True,
                  lead_ids: Sequence[int] = (), mentor_ids: Sequence[int] = ()) -> Studio:
    """The studio's lead teachers and school administrators edit it and its staff."""
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    if not user_leads_studio(user=actor, studio=studio):
        raise NotPermitted(_("Only the studio's lead teachers or a school administrator edit it."))
    fields = _studio_fields(code=code, title=title, title_en=title_en, skill_area=skill_area,
                            description=description, major=major, is_open=is_open, studio=studio)
    leads, mentors = _staff(lead_ids=lead_ids, mentor_ids=mentor_ids)
    for key, value in fields.items():
        setattr(studio, key, value)
    studio.save()
    _staff_set(studio, leads, mentors)
    audit_log_record(actor=actor, action="studio.update", target=studio,
                     data={"leads": [u.pk for u in leads], "mentors": [u.pk for u in mentors]})
    return studio


def order_class_can_edit(*, user: User, order_class: OrderClass) -> bool:
    return user.role == Role.SCHOOL_ADMIN or is_enterprise_member(user, order_class.enterprise_id)


@transaction.atomic
def order_class_update(*, actor: User, order_class: OrderClass, title: str, major: Major, intake_year: int,
                       capacity: int, criteria: str, status: str, description: str = "", title_en: str = "",
                       course_ids: Sequence[int] = (), mentor_ids: Sequence[int] = ()) -> OrderClass:
    """The sponsor's staff or a school administrator edit an order class; the capacity
    cannot drop below its members, and mentors work for the sponsor."""
    order_class = OrderClass.objects.select_for_update().get(pk=order_class.pk)
    if not order_class_can_edit(user=actor, order_class=order_class):
        raise NotPermitted(_("Only the enterprise or a school administrator edits its order class."))
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
        raise ApplicationError(_("The capacity must be at least 1."), code="invalid_capacity")
    members = order_class.members.count()
    if capacity < members:
        raise ApplicationError(_("The class has %(n)d members: the capacity cannot be lower.") % {"n": members},
                               code="capacity_below_members")
    if status not in OrderClass.Status.values:
        raise ApplicationError(_("Unknown status."), code="status")
    courses = list(Course.objects.filter(pk__in=list(course_ids)))
    mentors = list(User.objects.filter(pk__in=list(mentor_ids), role=Role.ENTERPRISE,
                                       memberships__organization_id=order_class.enterprise_id))
    if len(courses) != len(set(course_ids)) or len(mentors) != len(set(mentor_ids)):
        raise ApplicationError(_("Unknown course or mentor (mentors work for the enterprise)."), code="unknown_ref")
    order_class.title = text_clean(title, label=_("Title"), max_length=200)
    order_class.title_en = text_clean(title_en, label=_("Title (English)"), max_length=200, required=False)
    order_class.criteria = text_clean(criteria, label=_("Selection criteria"), max_length=5000)
    order_class.description = text_clean(description, label=_("Description"), max_length=5000, required=False)
    order_class.major, order_class.intake_year, order_class.capacity, order_class.status = (
        major, intake_year, capacity, status)
    order_class.save()
    order_class.courses.set(courses)
    order_class.mentors.set(mentors)
    audit_log_record(actor=actor, action="order_class.update", target=order_class, data={"capacity": capacity})
    return order_class
