"""Writes for shared resources: upload (checked by content and size), rating, download count."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record

from ..models import Competency, Course, Major
from ..permissions import RESOURCE_UPLOAD_ROLES
from .checks import KIND_FORMATS, max_bytes, uploaded_file_check
from .models import Resource, ResourceRating

PARTNER_ROLES = (Role.ENTERPRISE, Role.INDUSTRY)


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
    resource = Resource(title=title, description=(description or "").strip()[:5000], kind=kind, visibility=visibility,
                        course=course, major=major, original_name=upload.name[:200], content_type=checked.content_type,
                        size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor)
    resource.search_text = resource.search_text_build()
    resource.file.save(f"{digest.hexdigest()[:16]}.{checked.format if checked.format != 'jpeg' else 'jpg'}",
                       upload, save=False)
    resource.save()
    resource.competencies.set(competencies)
    audit_log_record(actor=actor, action="resource.upload", target=resource,
                     data={"kind": kind, "size": resource.size, "format": checked.format})
    if checked.format in ("pdf", "png", "jpeg", "mp4", "webm"):
        transaction.on_commit(lambda: resource_preview_task.delay(resource.pk))
    return resource


@transaction.atomic
def resource_rate(*, actor: User, resource: Resource, stars) -> Resource:
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ApplicationError(_("Rate from 1 to 5 stars."), code="stars")
    if resource.uploaded_by_id == actor.pk:
        raise ApplicationError(_("You cannot rate your own resource."), code="own_resource")
    ResourceRating.objects.update_or_create(resource=resource, user=actor, defaults={"value": stars})
    totals = ResourceRating.objects.filter(resource=resource).aggregate(n=Count("id"), total=Sum("value"))
    Resource.objects.filter(pk=resource.pk).update(rating_sum=totals["total"] or 0, rating_count=totals["n"])
    resource.refresh_from_db(fields=["rating_sum", "rating_count"])
    return resource


def resource_download_count(*, resource: Resource) -> None:
    """Counted in the database (F expression), so concurrent downloads are not lost."""
    Resource.objects.filter(pk=resource.pk).update(downloads=F("downloads") + 1)


@transaction.atomic
def resource_delete(*, actor: User, resource: Resource) -> None:
    if resource.uploaded_by_id != actor.pk and actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only the uploader or a school administrator removes a resource."))
    audit_log_record(actor=actor, action="resource.delete", target=resource, data={"title": resource.title})
    file, preview = resource.file, resource.preview
    resource.delete()
    transaction.on_commit(lambda: (file.delete(save=False), preview and preview.delete(save=False)))
