"""Writes for the talent market: organisations and their members, talent demand,
postings and their moderation. Applications: enterprises/applications.py; the
career profile: enterprises/career.py (both re-exported here)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Membership, Organization, Role, User
from accounts.services import audit_log_record, notification_send, user_create
from teachers.models import Competency, Major

from .models import (
    CooperationLevel,
    DemandRequirement,
    EnterpriseProfile,
    Invitation,
    Posting,
    PostingRequirement,
    TalentDemand,
)
from .selectors import MARKET_KINDS, is_manager, organization_for_user

INVITATION_SALT = "enterprises.invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


def _invalid(fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError(_("The submitted data is invalid."), code="invalid", extra=fields)


def _member_ids(organization_id: int) -> list[int]:
    return list(Membership.objects.filter(organization_id=organization_id).values_list("user_id", flat=True))


def _school_admin_ids() -> list[int]:
    return list(User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True).values_list("id", flat=True))


def _require_member(actor: User, organization: Organization) -> None:
    own = organization_for_user(user=actor)
    if own is None or own.pk != organization.pk:
        raise NotPermitted(_("You are not a member of this organisation."))


def _require_manager(actor: User, organization: Organization) -> None:
    _require_member(actor, organization)
    if not is_manager(user=actor, organization=organization):
        raise NotPermitted(_("Only the organisation's administrators manage its profile and members."))


# --- organisation profile and members ------------------------------------------------

@transaction.atomic
def enterprise_profile_update(*, actor: User, organization: Organization, industry: str = "", size: str = "",
                              city: str = "", address: str = "", website: str = "", description: str | None = None
                              ) -> EnterpriseProfile:
    """The organisation's own administrator edits what it says about itself. The
    cooperation level and trust are set by the school (enterprise_cooperation_set)."""
    _require_manager(actor, organization)
    profile, _created = EnterpriseProfile.objects.get_or_create(organization=organization)
    for name, value in {"industry": industry, "size": size or profile.size, "city": city, "address": address,
                        "website": website}.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.full_clean()
    profile.save()
    if description is not None:
        organization.description = description.strip()
        organization.save(update_fields=["description"])
    audit_log_record(actor=actor, action="enterprise.profile_update", target=profile)
    return profile


@transaction.atomic
def enterprise_cooperation_set(*, actor: User, organization: Organization, level: str,
                               starts: datetime.date | None, ends: datetime.date | None,
                               auto_publish: bool = False) -> EnterpriseProfile:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators set cooperation agreements."))
    if level not in CooperationLevel.values:
        raise _invalid({"cooperation_level": [_("Unknown cooperation level.")]})
    if starts and ends and ends < starts:
        raise _invalid({"cooperation_ends": [_("The agreement cannot end before it starts.")]})
    profile, _created = EnterpriseProfile.objects.get_or_create(organization=organization)
    profile.cooperation_level, profile.cooperation_starts, profile.cooperation_ends = level, starts, ends
    profile.auto_publish = auto_publish
    profile.save()
    audit_log_record(actor=actor, action="enterprise.cooperation_set", target=profile,
                     data={"level": level, "auto_publish": auto_publish})
    return profile


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        raise ApplicationError(_("This invitation link is invalid or has expired."), code="invalid_invitation",
                               status_code=404) from None
    invitation = Invitation.objects.select_related("organization").filter(pk=data.get("i")).first()
    if invitation is None or not invitation.is_open:
        raise ApplicationError(_("This invitation has already been used or withdrawn."), code="invitation_used",
                               status_code=404)
    return invitation


@transaction.atomic
def invitation_create(*, actor: User, organization: Organization, email: str, title: str = "",
                      is_manager: bool = False, accept_url_for=None) -> Invitation:
    """Invite a person by e-mail. `accept_url_for(token)` builds the absolute link; a
    worker sends the e-mail after commit, in the inviter's current language."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.utils.translation import get_language

    from .tasks import invitation_email_task

    _require_manager(actor, organization)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise _invalid({"email": [_("Enter a valid e-mail address.")]}) from None
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise _invalid({"email": [_("This person is already a member.")]})
    invitation = Invitation.objects.create(organization=organization, email=email, title=title.strip()[:100],
                                           is_manager=is_manager, invited_by=actor)
    link = accept_url_for(invitation_token(invitation)) if accept_url_for else invitation_token(invitation)
    language = get_language() or "zh-hans"
    transaction.on_commit(lambda: invitation_email_task.delay(invitation.pk, link, language))
    audit_log_record(actor=actor, action="enterprise.invite", target=invitation, data={"email": email})
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    _require_manager(actor, invitation.organization)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_log_record(actor=actor, action="enterprise.invite_revoke", target=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User | None = None, username: str = "", password: str = "",
                      display_name: str = "") -> Membership:
    """Join the organisation: a signed-in enterprise or industry user joins as they are;
    a visitor without an account creates one with the invited e-mail address."""
    invitation = invitation_from_token(token)
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    role = Role.ENTERPRISE if invitation.organization.kind == Organization.Kind.ENTERPRISE else Role.INDUSTRY
    if user is None or not user.is_authenticated:
        if not username or not password:
            raise _invalid({"username": [_("Choose a user name and a password.")]})
        if len(password) < 8:
            raise _invalid({"password": [_("The password needs at least 8 characters.")]})
        user = user_create(actor=None, username=username.strip(), password=password, role=role,
                           display_name=display_name.strip(), email=invitation.email)
    elif user.role != role:
        raise ApplicationError(_("This invitation is for a %(role)s account.") % {"role": Role(role).label},
                               code="wrong_role")
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user,
        defaults={"title": invitation.title, "is_manager": invitation.is_manager})
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log_record(actor=user, action="enterprise.invite_accept", target=invitation)
    if invitation.invited_by_id:
        notification_send(recipients=[invitation.invited_by_id], title=gettext_noop("%(name)s joined %(org)s"),
                          params={"name": user.name_for_display, "org": invitation.organization.name},
                          url="/enterprises/organization/")
    return membership


@transaction.atomic
def member_update(*, actor: User, membership: Membership, is_manager: bool | None = None,
                  remove: bool = False) -> Membership | None:
    _require_manager(actor, membership.organization)
    if membership.user_id == actor.pk:
        raise ApplicationError(_("You cannot change or remove your own membership."), code="own_membership")
    if remove:
        audit_log_record(actor=actor, action="enterprise.member_remove", target=membership,
                         data={"user": membership.user_id})
        membership.delete()
        return None
    if is_manager is not None:
        membership.is_manager = is_manager
        membership.save(update_fields=["is_manager"])
        audit_log_record(actor=actor, action="enterprise.member_update", target=membership,
                         data={"is_manager": is_manager})
    return membership


# --- talent demand -----------------------------------------------------------------

def _requirements_validate(major_ids: Sequence[int], requirements: Iterable[dict], *, with_importance: bool
                           ) -> list[tuple[Competency, float, float]]:
    """[(competency, minimum, importance)] or field errors: a minimum outside 0..1, an
    importance that is not positive, a competency of another major, a repeated one."""
    errors: list[str] = []
    rows = []
    seen = set()
    requirements = list(requirements)
    codes_or_ids = [r.get("competency") for r in requirements]
    lookup = {}
    for c in Competency.objects.filter(major_id__in=list(major_ids)).select_related("major"):
        lookup[c.pk] = c
        lookup[c.code] = c
        lookup[str(c.pk)] = c
    for item, key in zip(requirements, codes_or_ids, strict=True):
        competency = lookup.get(key)
        if competency is None:
            errors.append(_("%(c)s is not a competency of the posting's majors.") % {"c": key})
            continue
        if competency.pk in seen:
            errors.append(_("%(c)s is listed twice.") % {"c": competency.code})
            continue
        seen.add(competency.pk)
        try:
            minimum = float(item.get("minimum", item.get("required")))
            importance = float(item.get("importance", 1.0)) if with_importance else 1.0
        except (TypeError, ValueError):
            errors.append(_("%(c)s: the numbers are not valid.") % {"c": competency.code})
            continue
        if not 0.0 <= minimum <= 1.0:
            errors.append(_("%(c)s: the minimum attainment must be between 0 and 1.") % {"c": competency.code})
        if not importance > 0 or importance > 100:
            errors.append(_("%(c)s: the importance must be above 0 (and at most 100).") % {"c": competency.code})
        rows.append((competency, minimum, importance))
    if errors:
        raise _invalid({"requirements": errors})
    return rows


@transaction.atomic
def demand_create(*, actor: User, organization: Organization, year: int, position_family: str, major_id: int,
                  headcount: int, notes: str = "", requirements: Iterable[dict] = ()) -> TalentDemand:
    from students.models import JobFamily

    _require_member(actor, organization)
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not this_year - 1 <= year <= this_year + 10:
        errors["year"] = [_("Choose a year between %(a)s and %(b)s.") % {"a": this_year - 1, "b": this_year + 10}]
    if position_family not in JobFamily.values:
        errors["position_family"] = [_("Unknown position family.")]
    if not Major.objects.filter(pk=major_id).exists():
        errors["major"] = [_("Unknown major.")]
    if not isinstance(headcount, int) or headcount < 1:
        errors["headcount"] = [_("The headcount must be at least 1.")]
    if errors:
        raise _invalid(errors)
    rows = _requirements_validate([major_id], requirements, with_importance=False)
    demand = TalentDemand.objects.create(organization=organization, year=year, position_family=position_family,
                                         major_id=major_id, headcount=headcount, notes=notes.strip(), created_by=actor)
    DemandRequirement.objects.bulk_create([DemandRequirement(demand=demand, competency=c, minimum=m) for c, m, _v in rows])
    audit_log_record(actor=actor, action="demand.create", target=demand, data={"headcount": headcount})
    return demand


@transaction.atomic
def demand_delete(*, actor: User, demand: TalentDemand) -> None:
    _require_member(actor, demand.organization)
    audit_log_record(actor=actor, action="demand.delete", target=demand)
    demand.delete()


# --- postings ------------------------------------------------------------------------

@dataclass
class PostingData:
    title: str
    kind: str
    deadline: datetime.date
    major_ids: list[int]
    requirements: list[dict]
    description: str = ""
    city: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    headcount: int = 1


def posting_validate(data: PostingData) -> list[tuple[Competency, float, float]]:
    errors: dict[str, list[str]] = {}
    if not (data.title or "").strip():
        errors["title"] = [_("A title is required.")]
    if data.kind not in Posting.Kind.values:
        errors["kind"] = [_("Choose a job or an internship.")]
    if not isinstance(data.deadline, datetime.date) or data.deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    if not isinstance(data.headcount, int) or data.headcount < 1:
        errors["headcount"] = [_("The headcount must be at least 1.")]
    for name in ("salary_min", "salary_max"):
        value = getattr(data, name)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[name] = [_("A salary cannot be negative.")]
    if (isinstance(data.salary_min, int) and isinstance(data.salary_max, int) and data.salary_min >= 0
            and data.salary_max < data.salary_min):
        errors["salary_max"] = [_("The upper salary is below the lower one.")]
    known = set(Major.objects.filter(pk__in=data.major_ids).values_list("pk", flat=True)) if data.major_ids else set()
    if not data.major_ids:
        errors["majors"] = [_("Choose at least one major.")]
    elif known != set(data.major_ids):
        errors["majors"] = [_("Unknown major.")]
    for text_field in ("title", "description", "city"):
        if "\x00" in (getattr(data, text_field) or ""):
            errors[text_field] = [_("The text contains a NUL character.")]
    if errors:
        raise _invalid(errors)
    return _requirements_validate(data.major_ids, data.requirements, with_importance=True)


def _write_posting(posting: Posting, data: PostingData, rows) -> bool:
    """Store the fields and requirements; True when the requirements changed."""
    before = {(r.competency_id, r.minimum, r.importance) for r in posting.requirements.all()} if posting.pk else set()
    for name in ("title", "kind", "deadline", "description", "city", "salary_min", "salary_max", "headcount"):
        value = getattr(data, name)
        setattr(posting, name, value.strip() if isinstance(value, str) else value)
    posting.weight_total = sum(m * v for _c, m, v in rows)
    posting.save()
    posting.majors.set(data.major_ids)
    after = {(c.pk, m, v) for c, m, v in rows}
    if after != before:
        posting.requirements.all().delete()
        PostingRequirement.objects.bulk_create(
            [PostingRequirement(posting=posting, competency=c, minimum=m, importance=v) for c, m, v in rows])
    return after != before


@transaction.atomic
def posting_create(*, actor: User, organization: Organization, data: PostingData, submit: bool = False) -> Posting:
    _require_member(actor, organization)
    if organization.kind not in MARKET_KINDS:
        raise NotPermitted(_("Only enterprises and industry associations post positions."))
    rows = posting_validate(data)
    posting = Posting(organization=organization, created_by=actor)
    _write_posting(posting, data, rows)
    audit_log_record(actor=actor, action="posting.create", target=posting, data={"title": posting.title})
    if submit:
        posting = posting_submit(actor=actor, posting=posting)
    return posting


EDITABLE = (Posting.Status.DRAFT, Posting.Status.REJECTED, Posting.Status.SUBMITTED, Posting.Status.PUBLISHED)


@transaction.atomic
def posting_update(*, actor: User, posting: Posting, data: PostingData) -> Posting:
    """Edit a posting. A published posting whose requirements change goes back to
    review (its applicants keep their applications); a rejected one becomes a draft."""
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    _require_member(actor, posting.organization)
    if posting.status not in EDITABLE:
        raise ApplicationError(_("A closed or expired posting cannot be edited."), code="not_editable")
    rows = posting_validate(data)
    changed = _write_posting(posting, data, rows)
    audit_log_record(actor=actor, action="posting.update", target=posting, data={"requirements_changed": changed})
    if posting.status == Posting.Status.REJECTED:
        _set_status(posting, Posting.Status.DRAFT)
    elif posting.status == Posting.Status.PUBLISHED and changed:
        posting.status = Posting.Status.DRAFT  # through submit: the trusted-partner rule applies again
        posting_submit(actor=actor, posting=posting, resubmission=True)
    return posting


def _set_status(posting: Posting, status: str, **fields) -> None:
    posting.status = status
    for name, value in fields.items():
        setattr(posting, name, value)
    posting.save(update_fields=["status", "updated_at", *fields])


@transaction.atomic
def posting_submit(*, actor: User, posting: Posting, resubmission: bool = False) -> Posting:
    """Draft (or rejected) → submitted, or straight to published for a trusted partner."""
    if not resubmission:
        posting = Posting.objects.select_for_update().select_related("organization").get(pk=posting.pk)
    _require_member(actor, posting.organization)
    if posting.status not in (Posting.Status.DRAFT, Posting.Status.REJECTED):
        raise ApplicationError(_("Only a draft can be submitted for review."), code="invalid_state")
    if posting.deadline < timezone.localdate():
        raise _invalid({"deadline": [_("The deadline cannot be in the past.")]})
    profile = EnterpriseProfile.objects.filter(organization_id=posting.organization_id).first()
    now = timezone.now()
    if profile is not None and profile.auto_publish and profile.is_partner_on():
        _set_status(posting, Posting.Status.PUBLISHED, submitted_at=now, published_at=now, rejection_reason="",
                    reviewed_by=None)
        audit_log_record(actor=actor, action="posting.auto_publish", target=posting)
        _notify_published(posting)
        return posting
    _set_status(posting, Posting.Status.SUBMITTED, submitted_at=now, rejection_reason="")
    audit_log_record(actor=actor, action="posting.submit", target=posting, data={"resubmission": resubmission})
    title = (gettext_noop("Changed requirements to review: %(title)s") if resubmission
             else gettext_noop("Posting to review: %(title)s"))
    notification_send(recipients=_school_admin_ids(), title=title,
                      params={"title": posting.title, "org": posting.organization.name},
                      body=gettext_noop("%(org)s submitted a posting for review."),
                      url="/enterprises/moderation/")
    return posting


def _notify_published(posting: Posting) -> None:
    notification_send(recipients=_member_ids(posting.organization_id),
                      title=gettext_noop("Your posting is published: %(title)s"), params={"title": posting.title},
                      url=f"/enterprises/postings/{posting.pk}/")


@transaction.atomic
def posting_approve(*, actor: User, posting: Posting) -> Posting:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators review postings."))
    posting = Posting.objects.select_for_update().select_related("organization").get(pk=posting.pk)
    if posting.status != Posting.Status.SUBMITTED:
        raise ApplicationError(_("Only a posting awaiting review can be approved."), code="invalid_state")
    now = timezone.now()
    _set_status(posting, Posting.Status.PUBLISHED, published_at=posting.published_at or now, reviewed_by=actor,
                rejection_reason="")
    audit_log_record(actor=actor, action="posting.approve", target=posting)
    _notify_published(posting)
    return posting


@transaction.atomic
def posting_reject(*, actor: User, posting: Posting, reason: str) -> Posting:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators review postings."))
    reason = (reason or "").strip()
    if not reason:
        raise _invalid({"reason": [_("Give the enterprise a reason.")]})
    posting = Posting.objects.select_for_update().select_related("organization").get(pk=posting.pk)
    if posting.status != Posting.Status.SUBMITTED:
        raise ApplicationError(_("Only a posting awaiting review can be rejected."), code="invalid_state")
    _set_status(posting, Posting.Status.REJECTED, reviewed_by=actor, rejection_reason=reason[:2000])
    audit_log_record(actor=actor, action="posting.reject", target=posting, data={"reason": reason[:200]})
    notification_send(recipients=_member_ids(posting.organization_id),
                      title=gettext_noop("Your posting was not approved: %(title)s"),
                      body=gettext_noop("Reason: %(reason)s"), params={"title": posting.title, "reason": reason},
                      url=f"/enterprises/postings/{posting.pk}/")
    return posting


def _notify_applicants_closed(posting: Posting, title: str) -> None:
    from .models import Application

    student_user_ids = list(Application.objects.filter(posting=posting, stage__in=Application.ACTIVE)
                            .values_list("student__user_id", flat=True))
    if student_user_ids:
        notification_send(recipients=student_user_ids, title=title, params={"title": posting.title},
                          url="/enterprises/applications/")


@transaction.atomic
def posting_close(*, actor: User, posting: Posting) -> Posting:
    posting = Posting.objects.select_for_update().select_related("organization").get(pk=posting.pk)
    _require_member(actor, posting.organization)
    if posting.status not in (Posting.Status.PUBLISHED, Posting.Status.SUBMITTED, Posting.Status.DRAFT):
        raise ApplicationError(_("This posting is already closed."), code="invalid_state")
    _set_status(posting, Posting.Status.CLOSED, closed_at=timezone.now())
    audit_log_record(actor=actor, action="posting.close", target=posting)
    _notify_applicants_closed(posting, gettext_noop("A posting you applied to was closed: %(title)s"))
    return posting


def posting_expire_due(*, today: datetime.date | None = None) -> int:
    """Published postings whose deadline has passed become expired (idempotent; each in
    its own transaction so one failure does not hold back the rest)."""
    today = today or timezone.localdate()
    expired = 0
    for posting_id in list(Posting.objects.filter(status=Posting.Status.PUBLISHED, deadline__lt=today)
                           .values_list("pk", flat=True)):
        with transaction.atomic():
            posting = (Posting.objects.select_for_update().select_related("organization")
                       .filter(pk=posting_id, status=Posting.Status.PUBLISHED, deadline__lt=today).first())
            if posting is None:
                continue
            _set_status(posting, Posting.Status.EXPIRED, closed_at=timezone.now())
            audit_log_record(actor=None, action="posting.expire", target=posting)
            notification_send(recipients=_member_ids(posting.organization_id),
                              title=gettext_noop("Your posting expired at its deadline: %(title)s"),
                              params={"title": posting.title}, url=f"/enterprises/postings/{posting.pk}/")
            _notify_applicants_closed(posting, gettext_noop("A posting you applied to has expired: %(title)s"))
            expired += 1
    return expired


def invitation_email_send(*, invitation_id: int, link: str, language: str) -> bool:
    """The invitation e-mail (idempotent enough: an accepted or withdrawn one is not sent)."""
    from django.core.mail import send_mail
    from django.utils import translation

    invitation = Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return False
    with translation.override(language):
        inviter = invitation.invited_by.name_for_display if invitation.invited_by else ""
        subject = _("Invitation to join %(org)s on Chanjiao") % {"org": invitation.organization.name}
        message = _("%(name)s invites you to join %(org)s on Chanjiao. Open this link to accept: %(link)s") % {
            "name": inviter, "org": invitation.organization.name, "link": link}
    send_mail(subject, message, None, [invitation.email], fail_silently=False)
    return True


from .applications import (  # noqa: E402 - the public write API of the app, in one module
    application_bulk,
    application_create,
    application_move,
    application_note_add,
    application_respond,
    application_withdraw,
)
from .career import career_profile_update, portfolio_item_add, portfolio_item_delete  # noqa: E402

__all__ = [
    "application_bulk", "application_create", "application_move", "application_note_add", "application_respond",
    "application_withdraw", "career_profile_update", "demand_create", "demand_delete", "enterprise_cooperation_set",
    "enterprise_profile_update", "invitation_accept", "invitation_create", "invitation_email_send", "invitation_revoke", "member_update",
    "portfolio_item_add", "portfolio_item_delete", "posting_approve", "posting_close", "posting_create",
    "posting_expire_due", "posting_reject", "posting_submit", "posting_update",
]
