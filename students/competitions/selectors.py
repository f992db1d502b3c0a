"""Reads of competitions and entries, scoped per user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role

from ..permissions import can_manage_student
from .models import Competition, CompetitionEntry


def competitions_list() -> QuerySet[Competition]:
    return Competition.objects.select_related("term").prefetch_related("competencies").order_by("-held_on", "name")


def entries_for_student(*, student) -> QuerySet[CompetitionEntry]:
    return (CompetitionEntry.objects.filter(student=student).select_related("competition", "verified_by")
            .order_by("-competition__held_on", "-id"))


def entries_to_review_for(*, user) -> QuerySet[CompetitionEntry]:
    qs = CompetitionEntry.objects.select_related("competition", "student__user", "student__school_class")
    if user.role == Role.TEACHER:
        qs = qs.filter(student__school_class__head_teacher=user)
    elif user.role != Role.SCHOOL_ADMIN:
        qs = qs.none()
    return qs.order_by("status", "-created_at")


def entry_get_for_user(*, user, entry_id: int) -> CompetitionEntry:
    """Owner, the head teacher of the owner's class, or a school admin. Everyone else gets
    404, as for an entry that does not exist: the answer must not tell them it does."""
    entry = get_object_or_404(
        CompetitionEntry.objects.select_related("student__user", "student__school_class", "competition"), pk=entry_id)
    if entry.student.user_id == user.pk or can_manage_student(user, entry.student):
        return entry
    raise Http404
