"""Reads for the school administrator's landing page: what is waiting for a decision,
counted in the database (one COUNT per queue, never a row loop). admin_portal is the top
layer, so it reads every app's models; it writes none of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    icon: str


def admin_work_items() -> list[WorkItem]:
    from accounts.background import task_failures_list
    from enterprises.models import Posting
    from evaluations.models import Appeal
    from projects.cohort_models import GraduationTopic
    from projects.models import Project
    from teachers.reform.models import Reform

    week_ago = timezone.now() - timedelta(days=7)
    return [
        WorkItem(_("Postings awaiting review"), Posting.objects.filter(status=Posting.Status.SUBMITTED).count(),
                 reverse("enterprises:moderation"), "megaphone"),
        WorkItem(_("Projects awaiting moderation"), Project.objects.filter(status=Project.Status.PENDING).count(),
                 reverse("projects:project_list") + "?status=pending", "kanban"),
        WorkItem(_("Graduation topics to approve"),
                 GraduationTopic.objects.filter(status=GraduationTopic.Status.PROPOSED).count(),
                 reverse("projects:graduation"), "mortarboard"),
        WorkItem(_("Course reforms in review"), Reform.objects.filter(status=Reform.Status.REVIEW).count(),
                 reverse("teachers:reform_list"), "journal-check"),
        WorkItem(_("Evaluation appeals to decide"), Appeal.objects.filter(status=Appeal.Status.PENDING).count(),
                 reverse("evaluations:appeals"), "chat-square-text"),
        WorkItem(_("Background tasks failed this week"),
                 task_failures_list().filter(occurred_at__gte=week_ago).count(),
                 reverse("admin_portal:background_tasks"), "exclamation-triangle"),
    ]
