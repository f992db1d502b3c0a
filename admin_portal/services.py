"""Writes of admin_portal: its own records (targets, bookings, service records) and the
moderation queue's decisions, which call the owning apps' services."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import AccountRequest, Organization, Role, User
from accounts.services import account_request_decide, audit_log_record

from .models import Booking, Room, ServiceRecord, Target
from .targets import PLAN_YEARS, TARGET_DEFAULTS

MAX_BOOKING = datetime.timedelta(hours=12)


def _invalid(fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError(_("The submitted data is invalid."), code="invalid", extra=fields)


@transaction.atomic
def target_set(*, actor: User, year: int, code: str, value, unit: str) -> Target:
    """Create or change the target of `code` for `year`. The unit must be the figure's unit; a value is
    never negative and a rate is 0..1."""
    from .selectors import dashboard_years, target_unit

    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators set the construction plan's targets."))
    errors: dict[str, list[str]] = {}
    if year not in dashboard_years():
        errors["year"] = [_("Unknown year.")]
    if code not in TARGET_DEFAULTS:
        from accounts.dashboard import kpi_registry

        if code not in kpi_registry():
            errors["code"] = [_("Unknown figure.")]
    expected_unit = target_unit(code)
    if unit != expected_unit:
        errors["unit"] = [_("This figure is measured as %(unit)s.") % {"unit": expected_unit}]
    try:
        amount = Decimal(str(value))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["value"] = [_("Enter a number.")]
        amount = None
    if amount is not None:
        if amount < 0:
            errors["value"] = [_("A target cannot be negative.")]
        elif unit == "rate" and amount > 1:
            errors["value"] = [_("A rate is between 0 and 1 (0.7 = 70 %).")]
        elif amount >= Decimal("10000000"):
            errors["value"] = [_("This value is too large.")]
    if errors:
        raise _invalid(errors)
    target, created = Target.objects.update_or_create(year=year, code=code,
                                                      defaults={"value": amount, "unit": unit, "updated_by": actor})
    audit_log_record(actor=actor, action="target.create" if created else "target.update", target=target,
                     data={"year": year, "code": code, "value": str(amount), "unit": unit})
    return target


@transaction.atomic
def targets_seed_defaults() -> int:
    """Store the plan's default targets for the plan years where none is stored yet (idempotent)."""
    created = 0
    for code, (unit, _name, values) in TARGET_DEFAULTS.items():
        for year in PLAN_YEARS:
            _t, was_created = Target.objects.get_or_create(year=year, code=code,
                                                          defaults={"value": values[year], "unit": unit})
            created += was_created
    return created


def _may_book_for(actor: User, *, school_class_id: int | None, studio_id: int | None) -> bool:
    from .selectors import bookable_targets_for

    classes, studios = bookable_targets_for(actor)
    if school_class_id:
        return classes.filter(pk=school_class_id).exists()
    return studios.filter(pk=studio_id).exists()


@transaction.atomic
def booking_create(*, actor: User, room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime,
                   school_class_id: int | None = None, studio_id: int | None = None, purpose: str = "") -> Booking:
    """Book a room for one class or one studio. The room's row is locked while the overlap is checked,
    so two teachers booking the same slot at once cannot both succeed."""
    if actor.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        raise NotPermitted(_("Only teachers and school administrators book rooms."))
    errors: dict[str, list[str]] = {}
    if bool(school_class_id) == bool(studio_id):
        errors["school_class"] = [_("Book the room for one class or one studio.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The booking must end after it starts.")]
    elif ends_at - starts_at > MAX_BOOKING:
        errors["ends_at"] = [_("A booking lasts at most 12 hours.")]
    if errors:
        raise _invalid(errors)
    if not _may_book_for(actor, school_class_id=school_class_id, studio_id=studio_id):
        raise NotPermitted(_("You may book rooms only for your own classes and studios."))
    room = Room.objects.select_for_update().get(pk=room.pk)
    if not room.is_active:
        raise _invalid({"room": [_("This room is not in use.")]})
    clash = Booking.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash is not None:
        raise ApplicationError(
            _("The room is already booked from %(start)s to %(end)s.") % {
                "start": f"{clash.starts_at:%Y-%m-%d %H:%M}", "end": f"{clash.ends_at:%H:%M}"},
            code="double_booking", status_code=409, extra={"starts_at": [_("The room is already booked then.")]})
    booking = Booking.objects.create(room=room, booked_by=actor, school_class_id=school_class_id or None,
                                     studio_id=studio_id or None, starts_at=starts_at, ends_at=ends_at,
                                     minutes=int((ends_at - starts_at).total_seconds() // 60), purpose=purpose[:200])
    audit_log_record(actor=actor, action="booking.create", target=booking,
                     data={"room": room.code, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> None:
    if actor.role != Role.SCHOOL_ADMIN and booking.booked_by_id != actor.pk:
        raise NotPermitted(_("Only who booked the room, or a school administrator, cancels a booking."))
    audit_log_record(actor=actor, action="booking.cancel", target=booking, data={"room_id": booking.room_id})
    booking.delete()


@transaction.atomic
def service_record_create(*, actor: User, kind: str, enterprise: Organization, provided_on: datetime.date,
                          title: str, teacher: User | None = None, hours=0) -> ServiceRecord:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators record services to enterprises."))
    errors: dict[str, list[str]] = {}
    if kind not in ServiceRecord.Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        errors["enterprise"] = [_("Choose an enterprise.")]
    if kind == ServiceRecord.Kind.CONSULTANCY and (teacher is None or teacher.role != Role.TEACHER):
        errors["teacher"] = [_("A consultancy is a teacher's.")]
    if not title.strip():
        errors["title"] = [_("This field is required.")]
    if errors:
        raise _invalid(errors)
    record = ServiceRecord.objects.create(kind=kind, enterprise=enterprise, provided_on=provided_on,
                                          title=title.strip()[:200], teacher=teacher, hours=hours, recorded_by=actor)
    audit_log_record(actor=actor, action="service_record.create", target=record, data={"kind": kind})
    return record


def moderation_decide(*, actor: User, kind: str, item_id: int, approve: bool, note: str = "",
                      site_url: str = "") -> None:
    """One decision of the moderation queue, made by the owning app's service. `site_url` (the
    site's absolute root) makes the links of the e-mails a decision sends absolute."""
    from enterprises.models import Posting
    from enterprises.services import posting_approve, posting_reject
    from projects.cohort_models import GraduationTopic
    from projects.cohort_services import topic_review
    from projects.models import Project
    from projects.services import project_moderate
    from teachers.models import Resource
    from teachers.resources.services import resource_review

    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators moderate."))
    queues = {
        "posting": (Posting, lambda posting: posting_approve(actor=actor, posting=posting) if approve
                    else posting_reject(actor=actor, posting=posting, reason=note)),
        "project": (Project, lambda project: project_moderate(actor=actor, project=project, approve=approve,
                                                              note=note)),
        "topic": (GraduationTopic, lambda topic: topic_review(actor=actor, topic=topic, approve=approve)),
        "resource": (Resource, lambda resource: resource_review(actor=actor, resource=resource, approve=approve,
                                                                note=note)),
        "account": (AccountRequest, lambda request: account_request_decide(actor=actor, request=request,
                                                                           approve=approve, note=note,
                                                                           site_url=site_url)),
    }
    if kind not in queues:
        raise _invalid({"kind": [_("Unknown queue.")]})
    model, decide = queues[kind]
    item = model.objects.filter(pk=item_id).first()
    if item is None:
        raise ApplicationError(_("Not found."), code="not_found", status_code=404)
    decide(item)
