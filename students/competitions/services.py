"""Competitions, entries and awards: the writes.

A student records an entry with its result and a certificate; it counts (points,
mapped competencies) only once a teacher who heads the student's class, or a
school admin, verifies it.
"""

from __future__ import annotations

import secrets

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.services import audit_log_record, notification_send
from accounts.uploads import image_ends_where_it_should

from ..permissions import can_manage_student
from ..points.models import PointSource
from ..points.services import points_grant_by_rule
from ..profiles.models import StudentProfile
from .models import Competition, CompetitionEntry

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
# Ledger reasons of award points, one source text per result (rendered in the reader's language).
AWARD_REASONS = {
    CompetitionEntry.Rank.FIRST: gettext_noop("%(competition)s: first prize"),
    CompetitionEntry.Rank.SECOND: gettext_noop("%(competition)s: second prize"),
    CompetitionEntry.Rank.THIRD: gettext_noop("%(competition)s: third prize"),
    CompetitionEntry.Rank.HONOURABLE: gettext_noop("%(competition)s: honourable mention"),
    CompetitionEntry.Rank.PARTICIPATION: gettext_noop("%(competition)s: participation"),
}
# Recognised by their first bytes, never by the name or the browser's content type.
CERTIFICATE_SIGNATURES = [
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
]


# A certificate is a scan or a photo: more pixels than this is a decompression bomb.
CERTIFICATE_MAX_PIXELS = 40_000_000


def certificate_validate(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of a real PDF/PNG/JPEG certificate, or ApplicationError.
    Images are decoded completely (Image.verify() decodes nothing: a JPEG cut in half
    and a 12000×12000 PNG bomb passed it), after their size was checked from the header."""
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ApplicationError(_("The certificate is larger than 5 MB."), code="certificate_too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    match = next(((ext, ctype) for sig, ext, ctype in CERTIFICATE_SIGNATURES if head.startswith(sig)), None)
    if match is None:
        raise ApplicationError(_("The certificate must be a PDF, PNG or JPEG file."), code="certificate_type")
    ext, content_type = match
    if ext in ("png", "jpg"):
        _certificate_image_check(upload)
    else:
        upload.seek(max(0, upload.size - 1024))
        tail = upload.read()
        upload.seek(0)
        if not tail.rstrip().endswith(b"%%EOF"):  # cut short, or something glued after it
            raise ApplicationError(_("The certificate PDF is incomplete."), code="certificate_invalid")
    return ext, content_type


def _certificate_image_check(upload: UploadedFile) -> None:
    import warnings

    from PIL import Image, ImageFile

    damaged = ApplicationError(_("The certificate image is damaged or incomplete."), code="certificate_invalid")
    if not image_ends_where_it_should(upload, "png" if upload.read(4) == b"\x89PNG" else "jpg"):
        upload.seek(0)
        raise damaged
    upload.seek(0)
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if min(width, height) < 32 or max(width, height) > 10 * min(width, height):
                    raise ApplicationError(
                        _("The certificate image is %(w)d×%(h)d pixels: that is not a scan or a photo of a document.")
                        % {"w": width, "h": height}, code="certificate_invalid")
                if width * height > CERTIFICATE_MAX_PIXELS:
                    raise ApplicationError(
                        _("The certificate image has %(pixels)s pixels; the limit is %(limit)s.")
                        % {"pixels": f"{width * height:,}", "limit": f"{CERTIFICATE_MAX_PIXELS:,}"},
                        code="certificate_too_large")
                image.load()  # every pixel: a truncated file fails here
    except ApplicationError:
        raise
    except Exception:  # noqa: BLE001 - any decoding failure means not a whole image
        raise damaged from None
    finally:
        upload.seek(0)


@transaction.atomic
def competition_create(*, actor, name: str, level: str, held_on, organizer: str = "", term=None,
                       competencies=()) -> Competition:
    if actor.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        raise ApplicationError(_("Only teachers and school admins create competitions."), code="permission_denied",
                               status_code=403)
    if level not in Competition.Level.values:
        raise ApplicationError(_("Unknown level."), code="invalid_level")
    competition = Competition.objects.create(name=name, level=level, held_on=held_on, organizer=organizer,
                                             term=term, created_by=actor)
    if competencies:
        competition.competencies.set(competencies)
    audit_log_record(actor=actor, action="competition.create", target=competition)
    return competition


@transaction.atomic
def entry_submit(*, actor, competition: Competition, rank: str, certificate: UploadedFile | None) -> CompetitionEntry:
    """Record an entry. The row is written first and the unique constraint decides a
    double submit (ApplicationError 409); the certificate file is stored only once the
    row is ours, so a losing request leaves no orphan file."""
    student = StudentProfile.objects.filter(user=actor).first()
    if student is None:
        raise ApplicationError(_("Only students record competition entries."), code="no_profile", status_code=403)
    if rank not in CompetitionEntry.Rank.values:
        raise ApplicationError(_("Unknown result."), code="invalid_rank")
    certificate_kind = certificate_validate(certificate) if certificate is not None else None
    duplicate = ApplicationError(_("You have already recorded this competition."), code="duplicate_entry",
                                 status_code=409)
    if CompetitionEntry.objects.filter(competition=competition, student=student).exists():
        raise duplicate
    try:
        with transaction.atomic():
            entry = CompetitionEntry.objects.create(competition=competition, student=student, rank=rank)
    except IntegrityError:
        raise duplicate from None
    stored = ""
    try:
        if certificate_kind is not None:
            ext, content_type = certificate_kind
            # The stored name is ours: random, with the extension of the real content.
            entry.certificate.save(f"{secrets.token_hex(16)}.{ext}", certificate, save=False)
            stored = entry.certificate.name
            entry.certificate_type = content_type
            entry.save(update_fields=["certificate", "certificate_type"])
        audit_log_record(actor=actor, action="competition_entry.submit", target=entry)
        head = student.school_class.head_teacher_id
        if head:
            notification_send(recipients=[head],
                              title=gettext_noop("Competition award to review: %(student)s · %(competition)s"),
                              params={"student": str(student.user), "competition": competition.name},
                              url="/students/awards/review/")
    except Exception:
        if stored:  # the row rolls back with this transaction; the file must go with it
            entry.certificate.storage.delete(stored)
        raise
    return entry


@transaction.atomic
def entry_review(*, actor, entry: CompetitionEntry, approve: bool, note: str = "") -> CompetitionEntry:
    entry = CompetitionEntry.objects.select_for_update().select_related("competition", "student__school_class").get(
        pk=entry.pk)
    if not can_manage_student(actor, entry.student):
        raise ApplicationError(_("You cannot review this entry."), code="permission_denied", status_code=403)
    if entry.status != CompetitionEntry.Status.PENDING:
        raise ApplicationError(_("This entry has already been reviewed."), code="already_reviewed")
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
            key=f"{competition.level}:{entry.rank}", reason=AWARD_REASONS[entry.rank],
            reason_params={"competition": competition.name},
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
