"""Demo expert lectures (through the services, so points and notifications follow):
an upcoming lecture where student_demo is confirmed, an upcoming full one with a waitlist
that student_demo can join, and a past one with attendance taken and points given."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Role

from ..profiles.models import StudentProfile
from . import services
from .models import Lecture, LectureSignup

SPECS = [
    # (title, speaker, speaker's position, days from now, capacity, sign-ups, demo student signs up)
    ("直播电商的流量运营实战 · Live-commerce traffic operations in practice", "王立新 Wang Lixin",
     "某头部 MCN 机构运营总监 · Operations director, a leading MCN agency", 6, 40, 25, True),
    ("企业数据中台建设经验 · Building an enterprise data platform", "陈思 Chen Si",
     "行业协会专家委员 · Expert member, industry association", 10, 12, 15, False),
    ("跨境电商合规与品牌出海 · Cross-border e-commerce compliance and brands going abroad", "刘敏 Liu Min",
     "跨境电商协会副会长 · Vice-chair, cross-border e-commerce association", -14, 30, 20, True),
]


def seed_lectures(ctx) -> None:
    master = ctx.demo_users.get(Role.INDUSTRY)
    student_user = ctx.demo_users.get(Role.STUDENT)
    demo_student = StudentProfile.objects.filter(user=student_user).first() if student_user else None
    if master is None or demo_student is None:
        return
    others = list(StudentProfile.objects.filter(major_id=demo_student.major_id).exclude(pk=demo_student.pk)
                  .select_related("user").order_by("student_number")[:40])
    two_pm = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    for title, speaker, position, days, capacity, n_signups, demo_signs in SPECS:
        if Lecture.objects.filter(title=title).exists():
            continue
        past = days < 0
        starts_at = two_pm + datetime.timedelta(days=1 if past else days)  # scheduled ahead, then moved back
        lecture = services.lecture_schedule(
            actor=master, title=title, speaker=speaker, speaker_title=position, starts_at=starts_at,
            room="图书馆报告厅 · Library lecture hall", capacity=capacity, majors=[demo_student.major],
            abstract="行业导师结合真实企业案例，讲解岗位所需的新技术与新规范，并现场答疑。\n"
                     "An industry master walks through real enterprise cases, the new techniques and rules the job "
                     "needs, and answers questions.")
        attendees = ([demo_student] if demo_signs else []) + others[:n_signups - (1 if demo_signs else 0)]
        for student in attendees:
            services.lecture_signup(actor=student.user, lecture=lecture)
        if past:
            Lecture.objects.filter(pk=lecture.pk).update(starts_at=two_pm + datetime.timedelta(days=days))
            lecture.refresh_from_db()
            came = [s.student.student_number for s in LectureSignup.objects.filter(
                lecture=lecture, status=LectureSignup.Status.CONFIRMED).select_related("student")
                .order_by("signed_up_at", "id")][:max(1, n_signups - 4)]
            services.attendance_save(actor=master, lecture=lecture, student_numbers=came)
    ctx.log(f"students: {Lecture.objects.count()} expert lectures")
