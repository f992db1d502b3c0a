"""Writes for shared resources: upload (checked by content and size), the school's review of
partners' and public uploads, rating, download count."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record, notification_send

from ..models import Competency, Course, Major
from ..permissions import RESOURCE_UPLOAD_ROLES
from .checks import KIND_FORMATS, max_bytes, uploaded_file_check
from .models import Resource, ResourceRating

PARTNER_ROLES = (Role.ENTERPRISE, Role.INDUSTRY)


def resource_needs_review(*, actor: User, visibility: str) -> bool:
    """Enterprise staff's and industry masters' uploads, and anything a teacher shares with
    everyone, wait for a school administrator; the school's own sharing publishes at once."""
    if actor.role == Role.SCHOOL_ADMIN:
        return False
    return actor.role in PARTNER_ROLES or visibility == Resource.Visibility.PUBLIC


@transaction.atomic
def resource_upload(*, actor: User, upload, title: str, kind: str, visibility: str, description: str = "",
                    course: Course | None = None, major: Major | None = None,
                    competencies: list[Competency] | None = None) -> Resource:
    """Store a resource after checking what the bytes are and how many there are; the
    preview is rendered by a worker after commit."""
    from ..tasks import resource_preview_task

    if actor.role not in RESOURCE_UPLOAD_ROLES:
        raise NotPermitted(_("Students do not upload shared resources."))
    title = (title or "").strip()
    if not title or len(title) > 200 or "\x00" in title or "\x00" in (description or ""):
        raise ApplicationError(_("Give a title (at most 200 characters)."), code="title")
    if visibility not in Resource.Visibility.values:
        raise ApplicationError(_("Unknown visibility."), code="visibility")
    if actor.role in PARTNER_ROLES and visibility == Resource.Visibility.SCHOOL:
        raise ApplicationError(_("Partners share with the school and partners, or with everyone."),
                               code="visibility")
    competencies = list(competencies or [])
    if major is None and course is not None:
        major = course.major
    if any(major is None or c.major_id != major.pk for c in competencies):
        raise ApplicationError(_("Tag competencies of the resource's major only."), code="competency_major")
    if kind not in KIND_FORMATS:
        raise ApplicationError(_("Unknown resource kind."), code="kind")
    checked = uploaded_file_check(upload, formats=KIND_FORMATS[kind], limit=max_bytes(kind),
                                  refused_as=str(Resource.Kind(kind).label))
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    status = (Resource.Status.PENDING if resource_needs_review(actor=actor, visibility=visibility)
              else Resource.Status.PUBLISHED)
    resource = Resource(title=title, description=(description or "").strip()[:5000], kind=kind, visibility=visibility,
                        course=course, major=major, original_name=upload.name[:200], content_type=checked.content_type,
                        size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor, status=status)
    resource.search_text = resource.search_text_build()
    resource.file.save(f"{digest.hexdigest()[:16]}.{checked.format if checked.format != 'jpeg' else 'jpg'}",
                       upload, save=False)
    resource.save()
    resource.competencies.set(competencies)
    audit_log_record(actor=actor, action="resource.upload", target=resource,
                     data={"kind": kind, "size": resource.size, "format": checked.format, "status": status})
    if status == Resource.Status.PENDING:
        admins = User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True).values_list("pk", flat=True)
        notification_send(recipients=admins, title=gettext_noop("Resource to review: %(title)s"),
                          body=gettext_noop("%(uploader)s shared a resource that waits for the school's review."),
                          params={"title": resource.title, "uploader": actor.name_for_display},
                          url=reverse("teachers:resource_detail", args=[resource.pk]))
    if checked.format in ("pdf", "png", "jpeg", "mp4", "webm"):
        transaction.on_commit(lambda: resource_preview_task.delay(resource.pk))
    return resource


@transaction.atomic
def resource_review(*, actor: User, resource: Resource, approve: bool, note: str = "") -> Resource:
    """A school administrator publishes a waiting resource, or rejects it with a reason the
    uploader reads on the resource's page."""
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators review shared resources."))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status != Resource.Status.PENDING:
        raise ApplicationError(_("This resource is not awaiting review."), code="state")
    note = (note or "").strip()[:2000]
    if not approve and not note:
        raise ApplicationError(_("Say why the resource is rejected."), code="note_required")
    resource.status = Resource.Status.PUBLISHED if approve else Resource.Status.REJECTED
    resource.review_note = note
    resource.reviewed_by = actor
    resource.reviewed_at = timezone.now()
    resource.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    notification_send(recipients=[resource.uploaded_by_id],
                      title=gettext_noop("Resource published: %(title)s") if approve
                      else gettext_noop("Resource rejected by the school: %(title)s"),
                      params={"title": resource.title},
                      url=reverse("teachers:resource_detail", args=[resource.pk]))
    audit_log_record(actor=actor, action="resource.approve" if approve else "resource.reject", target=resource,
                     data={"note": note[:500]})
    return resource


@transaction.atomic
def resource_rate(*, actor: User, resource: Resource, stars) -> Resource:
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ApplicationError(_("Rate from 1 to 5 stars."), code="stars")
    if resource.status != Resource.Status.PUBLISHED:
        raise ApplicationError(_("Only published resources are rated."), code="not_published")
    if resource.uploaded_by_id == actor.pk:
        raise ApplicationError(_("You cannot rate your own resource."), code="own_resource")
    ResourceRating.objects.update_or_create(resource=resource, user=actor, defaults={"value": stars})
    totals = ResourceRating.objects.filter(resource=resource).aggregate(n=Count("id"), total=Sum("value"))
    Resource.objects.filter(pk=resource.pk).update(rating_sum=totals["total"] or 0, rating_count=totals["n"])
    resource.refresh_from_db(fields=["rating_sum", "rating_count"])
    return resource


def resource_download_count(*, resource: Resource) -> None:
    """Counted in the database (F expression), so concurrent downloads are not lost. A review
    download (a resource not yet published) is not counted."""
    Resource.objects.filter(pk=resource.pk, status=Resource.Status.PUBLISHED).update(downloads=F("downloads") + 1)


@transaction.atomic
def resource_delete(*, actor: User, resource: Resource) -> None:
    if resource.uploaded_by_id != actor.pk and actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only the uploader or a school administrator removes a resource."))
    audit_log_record(actor=actor, action="resource.delete", target=resource, data={"title": resource.title})
    file, preview = resource.file, resource.preview
    resource.delete()
    transaction.on_commit(lambda: (file.delete(save=False), preview and preview.delete(save=False)))
