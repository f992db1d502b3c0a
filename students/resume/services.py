"""Writes of the visual resume: its settings, the share link."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.errors import ApplicationError
from accounts.services import audit_log_record

from ..profiles.models import StudentProfile
from .models import ResumeSection, ResumeSettings

ALL_SECTIONS = list(ResumeSection.values)


def resume_settings_for(*, student: StudentProfile) -> ResumeSettings:
    settings_obj, _ = ResumeSettings.objects.get_or_create(student=student)
    return settings_obj


@transaction.atomic
def resume_settings_update(*, actor, student: StudentProfile, public_sections: list[str],
                           visible_to_enterprises: bool, headline: str = "") -> ResumeSettings:
    if student.user_id != actor.pk:
        raise ApplicationError("Only the student edits their resume.", code="permission_denied", status_code=403)
    unknown = set(public_sections) - set(ALL_SECTIONS)
    if unknown:
        raise ApplicationError(f"Unknown sections: {', '.join(sorted(unknown))}.", code="invalid_section")
    obj = resume_settings_for(student=student)
    obj.public_sections = [s for s in ALL_SECTIONS if s in set(public_sections)]
    obj.visible_to_enterprises = visible_to_enterprises
    obj.headline = headline[:200]
    obj.save()
    audit_log_record(actor=actor, action="resume.settings", target=obj,
                     data={"public": obj.public_sections, "enterprises": visible_to_enterprises})
    return obj


@transaction.atomic
def resume_share_create(*, actor, student: StudentProfile) -> ResumeSettings:
    """A new unguessable token (256 bits); an older link stops working."""
    obj = resume_settings_for(student=student)
    if student.user_id != actor.pk:
        raise ApplicationError("Only the student shares their resume.", code="permission_denied", status_code=403)
    obj.share_token = secrets.token_urlsafe(32)
    obj.share_created_at = timezone.now()
    obj.save(update_fields=["share_token", "share_created_at", "updated_at"])
    audit_log_record(actor=actor, action="resume.share", target=obj)
    return obj


@transaction.atomic
def resume_share_revoke(*, actor, student: StudentProfile) -> ResumeSettings:
    obj = resume_settings_for(student=student)
    obj.share_token = None
    obj.share_created_at = None
    obj.save(update_fields=["share_token", "share_created_at", "updated_at"])
    audit_log_record(actor=actor, action="resume.revoke", target=obj)
    return obj
