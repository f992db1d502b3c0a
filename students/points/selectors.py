"""Reads of the points ledger."""

from __future__ import annotations

from django.db.models import Sum
from django.db.models.functions import Coalesce

from ..profiles.models import StudentProfile
from .models import PointBalance, PointEntry


def points_total_for_student(*, student: StudentProfile | int) -> int:
    student_id = student if isinstance(student, int) else student.pk
    return PointBalance.objects.filter(student_id=student_id).values_list("total", flat=True).first() or 0


def points_ledger_sum(*, student: StudentProfile | int) -> int:
    student_id = student if isinstance(student, int) else student.pk
    return PointEntry.objects.filter(student_id=student_id).aggregate(s=Coalesce(Sum("amount"), 0))["s"]


def points_entries_for_student(*, student: StudentProfile):
    return (PointEntry.objects.filter(student=student)
            .select_related("competency", "term", "granted_by", "reverses").order_by("-created_at", "-id"))
