"""Reads for shared resources: who sees what, search and filters."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from accounts.models import Role, User

from .models import Resource

SCHOOL_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
V = Resource.Visibility
ORDERINGS = {"new": ("-created_at", "-id"), "downloads": ("-downloads", "-id"), "rating": ("-rating_sum", "-id")}


def visibility_filter(*, user: User) -> Q:
    """School members see everything published; partners see what is published for partners or
    everyone. A resource awaiting review or rejected is seen only by its uploader and school
    administrators (who see everything)."""
    if user.role == Role.SCHOOL_ADMIN:
        return Q()
    published = Q(status=Resource.Status.PUBLISHED)
    if user.role in SCHOOL_ROLES:
        return published | Q(uploaded_by=user)
    return (published & Q(visibility__in=(V.PARTNERS, V.PUBLIC))) | Q(uploaded_by=user)


def resources_for_user(*, user: User, q: str = "", kind: str = "", course_id=None, major_id=None,
                       competency_id=None, order: str = "new") -> QuerySet[Resource]:
    qs = Resource.objects.filter(visibility_filter(user=user)).select_related("course", "major", "uploaded_by")
    q = (q or "").strip()[:100].lower()
    if q:
        qs = qs.filter(search_text__contains=q)
    if kind in Resource.Kind.values:
        qs = qs.filter(kind=kind)
    if str(course_id or "").isdigit():
        qs = qs.filter(course_id=int(course_id))
    if str(major_id or "").isdigit():
        qs = qs.filter(major_id=int(major_id))
    if str(competency_id or "").isdigit():
        qs = qs.filter(pk__in=Resource.competencies.through.objects.filter(
            competency_id=int(competency_id)).values("resource_id"))
    return qs.order_by(*ORDERINGS.get(order, ORDERINGS["new"]))


def resource_get_for_user(*, user: User, resource_id: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("course", "major", "uploaded_by"), pk=resource_id)
    if Resource.objects.filter(visibility_filter(user=user), pk=resource.pk).exists():
        return resource
    raise Http404  # not theirs answers as missing: no existence oracle on ids


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 matches: a search over 50,000 resources need not count them all
    (pages show "1000+"); the first pages stay exact."""

    COUNT_CAP = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.COUNT_CAP + 1].count()


def resource_actions(*, user: User, resource: Resource) -> list[dict]:
    """What higher apps offer on a resource's page (RESOURCE_ACTIONS in `<app>/panels.py`:
    function(user, resource) -> [{"label", "url", "icon"}]), e.g. projects turning an
    enterprise case into an order-based project or a graduation topic."""
    from accounts.navigation import project_app_attribute

    if resource.status != Resource.Status.PUBLISHED:
        return []  # nothing is built on a resource the school has not published
    return [action for build in project_app_attribute("panels", "RESOURCE_ACTIONS") for action in build(user, resource)]
