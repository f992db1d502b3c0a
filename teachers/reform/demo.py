"""Demo data for issue 14's curriculum side: course owners, grade components and reforms
at every stage (draft, in review awaiting industry_demo, changes requested, approved and
applied from the 2025 intake, rejected)."""

from __future__ import annotations

from accounts.models import Role, User

from ..assessment.models import GradeComponent
from ..assessment.services import DEFAULT_COMPONENTS, grade_components_set
from ..models import Course, CourseOffering
from . import services
from .models import Reform

DEMO_CLASS = "ecommerce-2024-01"

REFORMS = [
    # course, title, rationale, focus, stage, content changes
    ("EC303", "新媒体营销 → 短视频与直播电商营销", "Live-commerce is where partner shops now sell; the association's skill standard asks for it.",
     "new-media", "approved",
     {"objectives": "策划并执行一场直播带货\n用数据复盘短视频投放效果\n遵守广告法与平台规则",
      "modules": [{"title": "短视频脚本与拍摄", "hours": 12, "content": "脚本、分镜、拍摄"},
                  {"title": "直播间搭建与话术", "hours": 12, "content": "企业真实直播间"},
                  {"title": "投放与数据复盘", "hours": 8, "content": "千川/巨量数据"}],
      "components": [{"code": "attendance", "name": "考勤 Attendance", "weight": "10"},
                     {"code": "tasks", "name": "过程任务 Process tasks", "weight": "30"},
                     {"code": "live", "name": "直播实战 Live session", "weight": "40"},
                     {"code": "exam", "name": "考试 Exam", "weight": "20"}],
      "weights": {"new-media": "1", "marketing": "0.6", "data-analysis": "0.3"}, "credits": "4"}),
    ("EC304", "电子商务数据分析：加入真实店铺看板项目", "Employers rate our graduates' data analysis lowest; use a partner shop's data.",
     "data-analysis", "review",
     {"objectives": "读懂店铺经营看板\n用Excel与Python完成销售分析\n向运营提出可执行建议",
      "modules": [{"title": "指标体系", "hours": 8, "content": "GMV、转化率、客单价"},
                  {"title": "真实店铺看板项目", "hours": 20, "content": "合作企业脱敏数据"}],
      "components": DEFAULT_COMPONENTS, "weights": {"data-analysis": "1", "ec-operation": "0.3"}, "credits": "4"}),
    ("EC302", "网店运营：引入企业导师双师授课", "Co-teaching with enterprise mentors for the operation course.",
     "ec-operation", "changes",
     {"components": DEFAULT_COMPONENTS, "weights": {"ec-operation": "1", "data-analysis": "0.4"}, "credits": "4"}),
    ("EC301", "网店美工设计：对接1+X视觉营销证书", "Align with the 1+X certificate; more AIGC image tools.",
     "shop-design", "draft",
     {"weights": {"shop-design": "1", "photography": "0.3"}, "credits": "4"}),
    ("EC202", "Photoshop图像处理：压缩理论学时", "Fewer theory hours, more product retouching.",
     "", "rejected", {"weights": {"photography": "1"}, "credits": "3"}),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def seed(ctx) -> None:
    teacher = ctx.demo_users.get(Role.TEACHER)
    admin = ctx.demo_users.get(Role.SCHOOL_ADMIN)
    master = ctx.demo_users.get(Role.INDUSTRY)
    mentor = ctx.demo_users.get(Role.ENTERPRISE)
    if not (teacher and admin and master and mentor):
        return
    _owners(ctx, teacher)
    _components(teacher)
    for code, title, rationale, focus, stage, changes in REFORMS:
        course = Course.objects.filter(code=code).first()
        if course is None or Reform.objects.filter(course=course, title=title).exists():
            continue
        base = services.course_current_content(course=course)
        base.pop("version")
        content = {**base, **changes}
        reform = services.reform_create(actor=teacher, course=course, title=title, rationale=rationale,
                                        focus_competency=focus, content=content)
        if stage == "draft":
            continue
        services.reform_invite(actor=teacher, reform=reform, reviewers=[master, mentor])
        services.reform_submit(actor=teacher, reform=reform)
        if stage == "review":  # industry_demo still has to vote: real work on their landing page
            services.reform_comment(actor=mentor, reform=reform, section="modules",
                                    body="我们可以提供近12个月的脱敏店铺数据。We can share 12 months of anonymised shop data.")
            services.reform_vote(actor=mentor, reform=reform, decision="approve")
            continue
        if stage == "changes":
            services.reform_vote(actor=master, reform=reform, decision="changes",
                                 note="请补充企业导师的课时安排。Add the mentors' teaching hours.")
            continue
        services.reform_vote(actor=master, reform=reform, decision="approve")
        services.reform_vote(actor=mentor, reform=reform, decision="approve")
        if stage == "approved":
            services.reform_approve(actor=admin, reform=reform, from_intake_year=2025,
                                    note="2025级起执行 From the 2025 intake on")
        else:
            services.reform_reject(actor=admin, reform=reform, note="与专业群建设方案不一致 Not in line with the plan")
    ctx.log(f"teachers: {Reform.objects.count()} reforms")


def _owners(ctx, teacher: User) -> None:
    """The demo teacher owns the courses they teach the demo class; other teachers share the rest."""
    taught = set(CourseOffering.objects.filter(teacher=teacher).values_list("course_id", flat=True))
    for course in Course.objects.filter(pk__in=taught):
        course.owners.add(teacher)
    for code in ("EC202", "EC301", "EC302", "EC303", "EC304"):
        course = Course.objects.filter(code=code).first()
        if course is not None:
            course.owners.add(teacher)
    others = [tid for tid in ctx.teacher_ids if tid != teacher.pk] or [teacher.pk]
    for i, course in enumerate(Course.objects.filter(owners__isnull=True).order_by("code")):
        course.owners.add(others[i % len(others)])


def _components(teacher: User) -> None:
    """Process-based assessment on the demo teacher's current offerings of the demo class."""
    offerings = CourseOffering.objects.filter(teacher=teacher, school_class__code=DEMO_CLASS).order_by("course__code")
    for offering in offerings[:2]:
        # The finals students.demo seeds later stay until a student's first component score.
        if not GradeComponent.objects.filter(offering=offering).exists():
            grade_components_set(actor=teacher, offering=offering, components=DEFAULT_COMPONENTS)

