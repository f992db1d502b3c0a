"""Competitions, entries and awards: the writes.

A student records an entry with its result and a certificate; it counts (points,
mapped competencies) only once a teacher who heads the student's class, or a
school admin, verifies it.
"""

from __future__ import annotations

import secrets

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.services import audit_log_record, notification_send

from ..permissions import can_manage_student
from ..points.models import PointSource
from ..points.services import points_grant_by_rule
from ..profiles.models import StudentProfile
from .models import Competition, CompetitionEntry

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
# Recognised by their first bytes, never by the name or the browser's content type.
CERTIFICATE_SIGNATURES = [
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
]


def certificate_validate(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of a real PDF/PNG/JPEG certificate, or ApplicationError."""
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ApplicationError("The certificate is larger than 5 MB.", code="certificate_too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    match = next(((ext, ctype) for sig, ext, ctype in CERTIFICATE_SIGNATURES if head.startswith(sig)), None)
    if match is None:
        raise ApplicationError("The certificate must be a PDF, PNG or JPEG file.", code="certificate_type")
    ext, content_type = match
    if ext in ("png", "jpg"):
        from PIL import Image

        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception:  # noqa: BLE001 - any decoding failure means not a real image
            raise ApplicationError("The certificate image is damaged.", code="certificate_invalid") from None
        upload.seek(0)
    else:
        upload.seek(max(0, upload.size - 1024))
        tail = upload.read()
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise ApplicationError("The certificate PDF is incomplete.", code="certificate_invalid")
    return ext, content_type


@transaction.atomic
def competition_create(*, actor, name: str, level: str, held_on, organizer: str = "", term=None,
                       competencies=()) -> Competition:
    if actor.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        raise ApplicationError("Only teachers and school admins create competitions.", code="permission_denied",
                               status_code=403)
    if level not in Competition.Level.values:
        raise ApplicationError("Unknown level.", code="invalid_level")
    competition = Competition.objects.create(name=name, level=level, held_on=held_on, organizer=organizer,
                                             term=term, created_by=actor)
    if competencies:
        competition.competencies.set(competencies)
    audit_log_record(actor=actor, action="competition.create", target=competition)
    return competition


@transaction.atomic
def entry_submit(*, actor, competition: Competition, rank: str, certificate: UploadedFile | None) -> CompetitionEntry:
    student = StudentProfile.objects.filter(user=actor).first()
    if student is None:
        raise ApplicationError("Only students record competition entries.", code="no_profile", status_code=403)
    if rank not in CompetitionEntry.Rank.values:
        raise ApplicationError("Unknown result.", code="invalid_rank")
    if CompetitionEntry.objects.filter(competition=competition, student=student).exists():
        raise ApplicationError("You have already recorded this competition.", code="duplicate_entry")
    entry = CompetitionEntry(competition=competition, student=student, rank=rank)
    if certificate is not None:
        ext, content_type = certificate_validate(certificate)
        # The stored name is ours: random, with the extension of the real content.
        entry.certificate.save(f"{secrets.token_hex(16)}.{ext}", certificate, save=False)
        entry.certificate_type = content_type
    entry.save()
    audit_log_record(actor=actor, action="competition_entry.submit", target=entry)
    head = student.school_class.head_teacher_id
    if head:
        notification_send(recipients=[head], title=gettext_noop("Competition award to review: %(student)s · %(competition)s"),
                          params={"student": str(student.user), "competition": competition.name}, url="/students/awards/review/")
    return entry


@transaction.atomic
def entry_review(*, actor, entry: CompetitionEntry, approve: bool, note: str = "") -> CompetitionEntry:
    entry = CompetitionEntry.objects.select_for_update().select_related("competition", "student__school_class").get(
        pk=entry.pk)
    if not can_manage_student(actor, entry.student):
        raise ApplicationError("You cannot review this entry.", code="permission_denied", status_code=403)
    if entry.status != CompetitionEntry.Status.PENDING:
        raise ApplicationError("This entry has already been reviewed.", code="already_reviewed")
    entry.status = CompetitionEntry.Status.VERIFIED if approve else CompetitionEntry.Status.REJECTED
    entry.verified_by = actor
    entry.verified_at = timezone.now()
    entry.review_note = note[:300]
    entry.save(update_fields=["status", "verified_by", "verified_at", "review_note"])
    if approve:
        competition = entry.competition
        competencies = list(competition.competencies.order_by("order"))
        points_grant_by_rule(
            actor=actor, student=entry.student, source=PointSource.COMPETITION_AWARD,
            key=f"{competition.level}:{entry.rank}", reason=f"{competition.name}: {entry.get_rank_display()}",
            reference=f"competition-entry:{entry.pk}", competency=competencies[0] if competencies else None,
            term=competition.term,
        )
    audit_log_record(actor=actor, action="competition_entry.review", target=entry, data={"approve": approve})
    notification_send(recipients=[entry.student.user_id],
                      title=(gettext_noop("Competition award approved: %(competition)s") if approve
                             else gettext_noop("Competition award not approved: %(competition)s")),
                      params={"competition": entry.competition.name},
                      url="/students/competitions/")
    return entry
