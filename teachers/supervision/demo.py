"""Demo: a supervision plan for the demo term with open and closed loops — one closed,
one with evidence waiting for industry_demo to verify, one open for teacher_demo, one
overdue and escalated to the school administrators."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User

from ..models import CourseOffering, Term
from ..resources.samples import pdf_bytes, png_bytes
from . import services
from .models import RectificationTask, SupervisionPlan

PLAN_TITLE = "2025-2026学年第一学期 校企行三方教学质量督导 · Autumn 2025 co-supervision"
SCORES = [
    {"objectives": 4, "organisation": 4, "practice": 3, "engagement": 3, "assessment": 4},
    {"objectives": 5, "organisation": 4, "practice": 5, "engagement": 4, "assessment": 4},
    {"objectives": 3, "organisation": 3, "practice": 2, "engagement": 3, "assessment": 3},
    {"objectives": 4, "organisation": 5, "practice": 4, "engagement": 5, "assessment": 4},
]
FINDINGS = [
    # (offering index, filer, description, action, stage)
    (0, "industry", "实训任务与岗位脱节 · Practice tasks do not match shop jobs",
     "引入合作企业真实订单任务 · Use a partner shop's real orders", "closed"),
    (1, "enterprise", "过程考核记录不完整 · Process assessment records incomplete",
     "补齐每次任务的评分与反馈 · Record a score and feedback for every task", "submitted"),
    (2, "industry", "课堂以讲授为主 · Mostly lecturing", "每次课至少一个动手环节 · One hands-on part per lesson", "open"),
    (3, "admin", "教案未更新 · Lesson plans not updated", "按新课程标准修订教案 · Revise lesson plans", "overdue"),
]


def seed(ctx) -> None:
    teacher, admin = ctx.demo_users.get(Role.TEACHER), ctx.demo_users.get(Role.SCHOOL_ADMIN)
    master, mentor = ctx.demo_users.get(Role.INDUSTRY), ctx.demo_users.get(Role.ENTERPRISE)
    term = Term.objects.filter(start_year=2025, number=1).first()
    if not (teacher and admin and master and mentor and term) or SupervisionPlan.objects.filter(title=PLAN_TITLE).exists():
        return
    school_supervisor = User.objects.filter(role=Role.TEACHER).exclude(pk=teacher.pk).order_by("pk").first() or admin
    plan = services.plan_create(actor=admin, term=term, title=PLAN_TITLE,
                                description="校内督导、企业督导、行业督导共同听课评课，问题闭环整改。",
                                supervisors=[master, mentor, school_supervisor])
    mine = list(CourseOffering.objects.filter(term=term, teacher=teacher).select_related("course", "teacher")
                .order_by("course__code")[:3])
    others = list(CourseOffering.objects.filter(term=term, teacher__isnull=False).exclude(teacher=teacher)
                  .select_related("course", "teacher").order_by("pk")[:1])
    offerings = mine + others
    if len(offerings) < 4:
        return
    filers = {"industry": master, "enterprise": mentor, "admin": admin}
    for i, offering in enumerate(offerings):
        services.observation_file(actor=[master, mentor, school_supervisor, master][i], plan=plan, offering=offering,
                                  observed_on=datetime.date(2025, 10, 9 + i * 7), scores=SCORES[i],
                                  comments="听课记录 · Observation notes")
    today = timezone.localdate()
    for index, filer, description, action, stage in FINDINGS:
        offering = offerings[index]
        task = services.finding_file(actor=filers[filer], plan=plan, offering=offering, description=description,
                                     action=action, deadline=today + datetime.timedelta(days=14),
                                     severity="major" if stage == "overdue" else "minor")
        if stage in ("closed", "submitted"):
            services.evidence_submit(actor=task.owner, task=task,
                                     note="已修订任务书并上传课堂照片 · Task sheets revised, class photos attached",
                                     files=[SimpleUploadedFile("revised-task-sheet.pdf",
                                                               pdf_bytes("Revised task sheet")),
                                            SimpleUploadedFile("class-photo.png", png_bytes())])
        if stage == "closed":
            services.task_close(actor=filers[filer], task=task, note="复查通过 · Checked in class")
        if stage == "overdue":
            RectificationTask.objects.filter(pk=task.pk).update(deadline=today - datetime.timedelta(days=5))
    services.tasks_overdue_escalate()
    ctx.log(f"teachers: supervision plan with {RectificationTask.objects.filter(finding__plan=plan).count()} tasks")
