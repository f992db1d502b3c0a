"""Demo data for projects, built through the services so the demo walks the real paths:
studios with members and applications, projects in every state with teams, bids,
milestones and ratings, entrepreneurship teams, an order-class selection round that is
finished (and a second round open for the unplaced), graduation topics and designs at
every stage. Idempotent: nothing is added when the studios exist."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from students.models import StudentProfile
from teachers.models import Course, CourseOffering, Major, SchoolClass, Term
from teachers.services import offering_create

from . import cohort_services as cohort
from . import selection, services
from .models import Milestone, Project, SelectionRound, Studio, StudioMember, Team
from .uploads import check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STUDIOS = [
    ("studio-live", Studio.SkillArea.LIVE_COMMERCE, "直播电商工作室", "Live-commerce studio",
     "直播脚本、选品与直播间运营，承接企业直播带货项目。"),
    ("studio-marketing", Studio.SkillArea.MARKETING, "营销策划工作室", "Marketing studio",
     "新媒体营销、活动策划与品牌推广。"),
    ("studio-design", Studio.SkillArea.ART_DESIGN, "美工设计工作室", "Art design studio",
     "网店视觉、商品拍摄与海报设计。"),
    ("studio-data", Studio.SkillArea.DATA_ANALYSIS, "数据分析工作室", "Data analysis studio",
     "电商数据分析、可视化报表与用户画像。"),
    ("studio-ai", Studio.SkillArea.AI, "人工智能应用工作室", "AI application studio",
     "AIGC 内容生成、智能客服与深度伪造检测。"),
]

# title, English title, studio code, status to reach, points
PROJECTS = [
    ("双十一直播带货脚本策划", "Singles' Day live-stream scripts", "studio-live", "completed", 120),
    ("春季新品详情页设计", "Spring collection product pages", "studio-design", "completed", 90),
    ("店铺流量数据分析报告", "Shop traffic analysis report", "studio-data", "delivered", 100),
    ("618 直播间运营方案", "618 live-room operation plan", "studio-live", "in_progress", 150),
    ("品牌短视频系列拍摄", "Brand short-video series", "studio-marketing", "in_progress", 110),
    ("智能客服知识库搭建", "Customer-service knowledge base", "studio-ai", "open", 80),
    ("年货节营销海报", "New-Year festival posters", None, "open", 60),
    ("跨境店铺选品调研", "Cross-border product research", None, "pending", 70),
    ("会员复购激励方案", "Member repurchase incentives", None, "returned", 50),
    ("物流时效可视化看板", "Delivery-time dashboard", None, "draft", 90),
]


def _pdf(name: str):
    return check_upload(SimpleUploadedFile(name, PDF, content_type="application/pdf"))


def _pick(people: list, start: int, count: int) -> list:
    """`count` distinct people from `start` on, wrapping round (small demos reuse people)."""
    if not people:
        return []
    return [people[(start + k) % len(people)] for k in range(min(count, len(people)))]


def _students(major_code: str, year: int, limit: int) -> list[StudentProfile]:
    return list(StudentProfile.objects.filter(major__code=major_code, intake_year=year).select_related("user")
                .order_by("student_number")[:limit])


@transaction.atomic
def seed(ctx) -> None:
    if Studio.objects.filter(code="studio-live").exists():
        ctx.log("projects: demo data already present")
        return
    teacher, hr, admin = (ctx.demo_users[Role.TEACHER], ctx.demo_users[Role.ENTERPRISE],
                          ctx.demo_users[Role.SCHOOL_ADMIN])
    demo_student = StudentProfile.objects.filter(user=ctx.demo_users[Role.STUDENT]).select_related("user").first()
    if demo_student is None:
        return
    teachers = list(User.objects.filter(pk__in=ctx.teacher_ids).order_by("pk"))
    xingyun = ctx.organizations["ent-xingyun"]
    shuzhi, lianhe = ctx.organizations["ent-shuzhi"], ctx.organizations["ent-lianhe"]
    hr_shuzhi = User.objects.filter(memberships__organization=shuzhi, role=Role.ENTERPRISE).order_by("pk").first()
    hr_lianhe = User.objects.filter(memberships__organization=lianhe, role=Role.ENTERPRISE).order_by("pk").first()
    peers = [s for s in _students("ecommerce", 2024, 60) if s.pk != demo_student.pk]
    majors = {m.code: m for m in Major.objects.all()}

    studios = _seed_studios(teachers, teacher, hr, hr_shuzhi, demo_student, peers, majors)
    teams = _seed_teams(studios, teacher, teachers, demo_student, peers)
    _seed_projects(ctx, xingyun, hr, admin, teams, peers)
    _seed_ventures(teams, teacher, hr_shuzhi)
    _seed_order_classes(admin, hr, hr_lianhe, xingyun, lianhe, majors, demo_student, peers)
    _seed_graduation(admin, teacher, teachers, hr, hr_shuzhi, xingyun, majors)
    ctx.log(f"projects: {Studio.objects.count()} studios, {Project.objects.count()} projects, "
            f"{Team.objects.count()} teams, {SelectionRound.objects.count()} selection rounds")


def _seed_studios(teachers, teacher, hr, hr_shuzhi, demo_student, peers, majors) -> dict[str, Studio]:
    studios = {}
    for i, (code, area, title, title_en, description) in enumerate(STUDIOS):
        studio = Studio.objects.create(code=code, skill_area=area, title=title, title_en=title_en,
                                       description=description,
                                       major=majors.get("bigdata" if area in ("data_analysis", "ai") else "ecommerce"))
        lead = teacher if code in ("studio-live", "studio-marketing") else teachers[(i + 1) % len(teachers)]
        StudioMember.objects.create(studio=studio, user=lead, role=StudioMember.Role.LEAD,
                                    status=StudioMember.Status.ADMITTED)
        StudioMember.objects.create(studio=studio, user=hr if i % 2 == 0 else hr_shuzhi,
                                    role=StudioMember.Role.MENTOR, status=StudioMember.Status.ADMITTED)
        members = _pick(peers, i * 8, 8)
        if code == "studio-live":
            members = [demo_student, *members]
        for student in members:
            services.studio_apply(actor=student.user, studio=studio, motivation="希望在真实项目中锻炼。")
        for member in StudioMember.objects.filter(studio=studio, status=StudioMember.Status.APPLIED)[:6]:
            services.studio_application_decide(actor=lead if lead.role == Role.TEACHER else teacher, member=member,
                                               admit=True)
        studios[code] = studio  # the rest stay as applications for the lead to decide
    return studios


def _seed_teams(studios, teacher, teachers, demo_student, peers) -> dict[str, Team]:
    def admitted(code: str) -> list[User]:
        return [m.user for m in StudioMember.objects.filter(
            studio=studios[code], status=StudioMember.Status.ADMITTED, role=StudioMember.Role.STUDENT)
            .select_related("user").order_by("pk")]

    teams = {}
    live = [u for u in admitted("studio-live") if u.pk != demo_student.user_id]
    teams["live"] = services.team_create(actor=demo_student.user, name="星火直播队", studio=studios["studio-live"],
                                         member_usernames=[u.username for u in live[:2]] + [teacher.username],
                                         shares={demo_student.user.username: 2})
    rivals = live[2:4] or live[:1]
    teams["live2"] = services.team_create(actor=rivals[0], name="流量先锋", studio=studios["studio-live"],
                                          member_usernames=[u.username for u in rivals[1:]])
    for code, key in (("studio-design", "design"), ("studio-data", "data"), ("studio-marketing", "marketing"),
                      ("studio-ai", "ai")):
        people = admitted(code)
        lead = StudioMember.objects.filter(studio=studios[code], role=StudioMember.Role.LEAD).first().user
        teams[key] = services.team_create(actor=people[0], name=f"{studios[code].title}一队",
                                          studio=studios[code],
                                          member_usernames=[u.username for u in people[1:3]] + [lead.username])
    makers = _pick(peers, 45, 3)
    teams["adhoc"] = services.team_create(actor=makers[0].user, name="创客小组",
                                          member_usernames=[p.user.username for p in makers[1:]])
    return teams


def _advance(project: Project, target: str, *, hr, admin, team: Team, rival: Team | None, day: int) -> None:
    """Move a fresh project through the real services to the target state."""
    if target in ("draft",):
        return
    services.project_submit(actor=hr, project=project)
    if target == "pending":
        return
    if target == "returned":
        services.project_moderate(actor=admin, project=project, approve=False, note="请补充交付物的验收标准。")
        return
    services.project_moderate(actor=admin, project=project, approve=True)
    bid = services.bid_submit(actor=team.created_by, project=project, team=team,
                              proposal="团队成员有相关项目经验，按企业要求分阶段交付。", plan="第一周调研，第二周初稿，第三周定稿。")
    if rival is not None:
        services.bid_submit(actor=rival.created_by, project=project, team=rival, proposal="我们擅长内容创意。",
                            plan="两周完成。")
    if target == "open":
        return
    first_due = project.due_date - datetime.timedelta(days=10)
    services.bid_select(actor=hr, bid=bid, milestones=[{"title": "方案与初稿", "due_date": first_due},
                                                       {"title": "终稿交付", "due_date": project.due_date}])
    first, final = Milestone.objects.filter(project=project).order_by("order")
    student = team.members.filter(user__role=Role.STUDENT).first().user
    services.milestone_submit(actor=student, milestone=first, checked=_pdf("初稿.pdf"), note="初稿请审阅")
    if target == "in_progress":
        if day % 2:  # one returned with comments (the team revises), one awaiting review
            services.milestone_review(actor=hr, milestone=first, accept=False, comment="请补充竞品对比数据。")
        return
    services.milestone_review(actor=hr, milestone=first, accept=True)
    services.milestone_submit(actor=student, milestone=final, checked=_pdf("终稿.pdf"))
    services.milestone_review(actor=hr, milestone=final, accept=True)
    if target == "delivered":
        return
    services.project_rate(actor=hr, project=project, scores={"quality": 5, "timeliness": 4 + day % 2,
                                                             "communication": 5, "innovation": 4},
                          comment="交付质量高，沟通顺畅。")


def _seed_projects(ctx, xingyun, hr, admin, teams, peers) -> None:
    now = timezone.now()
    plan = {"studio-live": ("live", "live2"), "studio-design": ("design", "adhoc"), "studio-data": ("data", None),
            "studio-marketing": ("marketing", "adhoc"), "studio-ai": ("ai", None), None: ("adhoc", None)}
    for day, (title, title_en, studio_code, target, points) in enumerate(PROJECTS, start=1):
        team_key, rival_key = plan[studio_code]
        if title.startswith("618"):
            team_key, rival_key = "live", "live2"
        if title.startswith("年货节"):
            team_key, rival_key = "design", "adhoc"
        deadline = now + datetime.timedelta(days=5 + day)
        project = services.project_create(
            actor=hr, enterprise=xingyun, submit=False, title=title, title_en=title_en,
            brief=f"{title}：为星云电商的店铺完成{title}，按里程碑交付。", deliverables="方案文档（PDF）、源文件（ZIP）",
            reward_points=points, reward_money=Decimal(points * 20), bid_deadline=deadline,
            due_date=(deadline + datetime.timedelta(days=30)).date(), team_size_max=5,
            competency_ids=[])
        _advance(project, target, hr=hr, admin=admin, team=teams[team_key],
                 rival=teams[rival_key] if rival_key else None, day=day)
    cancelled = services.project_create(
        actor=hr, enterprise=xingyun, submit=False, title="旧版店铺装修（已取消）", title_en="Old shop redesign (cancelled)",
        brief="企业调整计划，项目取消。", deliverables="—", reward_points=40, bid_deadline=now + datetime.timedelta(days=3),
        due_date=(now + datetime.timedelta(days=20)).date(), team_size_max=3)
    Project.objects.filter(pk=cancelled.pk).update(status=Project.Status.CANCELLED)


def _seed_ventures(teams, teacher, hr_shuzhi) -> None:
    today = timezone.localdate()
    adhoc = cohort.venture_register(actor=teams["adhoc"].created_by, team=teams["adhoc"], mentor=teacher,
                                    business="校园二手书循环平台：小程序 + 线下回收点。", stage="prototype")
    cohort.venture_milestone_add(actor=teacher, venture=adhoc, title="完成小程序原型",
                                 achieved_on=today - datetime.timedelta(days=40))
    cohort.venture_milestone_add(actor=teacher, venture=adhoc, title="首批 200 名用户",
                                 achieved_on=today - datetime.timedelta(days=10))
    data = cohort.venture_register(actor=teams["data"].created_by, team=teams["data"], mentor=hr_shuzhi,
                                   business="为本地商家提供数据分析外包服务。", stage="registered")
    cohort.venture_milestone_add(actor=hr_shuzhi, venture=data, title="注册个体工商户",
                                 achieved_on=today - datetime.timedelta(days=20))


def _seed_order_classes(admin, hr, hr_lianhe, xingyun, lianhe, majors, demo_student, peers) -> None:
    ecommerce = majors["ecommerce"]
    courses = list(Course.objects.filter(major=ecommerce).order_by("-code")[:2])
    star = cohort.order_class_create(
        actor=hr, enterprise=xingyun, major=ecommerce, title="星云电商订单班", title_en="Xingyun e-commerce order class",
        intake_year=2024, capacity=12, criteria="专业课平均 75 分以上；有直播或美工作品优先；面试。",
        description="企业导师驻校授课，第五学期起到星云电商顶岗实习。", course_ids=[c.pk for c in courses],
        mentor_ids=[hr.pk])
    logistics = cohort.order_class_create(
        actor=hr_lianhe, enterprise=lianhe, major=ecommerce, title="联合供应链订单班",
        title_en="Lianhe supply-chain order class", intake_year=2024, capacity=8,
        criteria="对物流与供应链感兴趣；数据分析课程成绩良好。", mentor_ids=[hr_lianhe.pk])
    deadline = timezone.now() + datetime.timedelta(days=2)
    first = selection.selection_round_create(
        actor=admin, kind=SelectionRound.Kind.ORDER_CLASS, title="2024 级电商订单班双向选择", major=ecommerce,
        intake_year=2024, apply_deadline=deadline, options=[(star, 10), (logistics, 8)], max_choices=2)
    star_option, logistics_option = first.options.order_by("id")
    applicants = [demo_student, *_pick(peers, 0, 27)]
    for i, student in enumerate(applicants):
        choices = [star_option, logistics_option] if i % 3 else [logistics_option, star_option]
        for option in choices[: 1 + (i % 4 != 0)]:
            selection.selection_apply(actor=student.user, option=option)
    selection.selection_close(actor=admin, selection_round=first)
    numbers = [s.student_number for s in applicants]
    # The enterprises rank by interview: the demo student interviews well at Xingyun.
    selection.selection_option_rank(actor=hr, option=star_option, interview_scores={
        n: 95 if n == demo_student.student_number else 60 + (i * 7) % 35 for i, n in enumerate(numbers)
        if star_option.applications.filter(student__student_number=n).exists()})
    # Lianhe accepts only applicants who passed its interview (85+): seats stay free
    # for the second round.
    scores = {n: 55 + (i * 11) % 40 for i, n in enumerate(numbers)
              if logistics_option.applications.filter(student__student_number=n).exists()}
    selection.selection_option_rank(
        actor=hr_lianhe, option=logistics_option, interview_scores=scores,
        student_numbers=sorted((n for n, v in scores.items() if v >= 85), key=lambda n: (-scores[n], n)))
    selection.selection_compute(actor=admin, selection_round=first)
    selection.selection_confirm(actor=admin, selection_round=first)
    selection.selection_second_round(actor=admin, selection_round=first,
                                     apply_deadline=timezone.now() + datetime.timedelta(days=10),
                                     title="2024 级电商订单班双向选择（第二轮）")


def _graduation_offerings(major: Major, course: Course, teacher) -> None:
    # The demo's current term (2025-2026-1, already graded and frozen by the students
    # demo): final grades entered here change no term snapshot on a second seed run.
    term = Term.objects.filter(start_year=2025, number=1).first()
    if term is None:
        return
    for school_class in SchoolClass.objects.filter(major=major, intake_year=2023):
        if not CourseOffering.objects.filter(course=course, term=term, school_class=school_class).exists():
            offering_create(actor=None, course=course, term=term, school_class=school_class, teacher=teacher)


def _seed_graduation(admin, teacher, teachers, hr, hr_shuzhi, xingyun, majors) -> None:
    ecommerce = majors["ecommerce"]
    course = Course.objects.filter(code="EC602").first()
    if course is None:
        return
    _graduation_offerings(ecommerce, course, teacher)
    source = Project.objects.filter(status=Project.Status.COMPLETED).order_by("pk").first()
    specs = [
        ("基于直播数据的选品策略研究", teacher, hr, source, 3),
        ("网店视觉设计与转化率提升", teacher, hr, None, 2),
        ("新媒体矩阵运营方案设计", teachers[2], hr, None, 2),
        ("电商客服话术优化与满意度分析", teachers[3], hr, None, 2),
        ("社群团购运营实践", teachers[4], hr, None, 2),
    ]
    topics = []
    for title, tutor, ent_tutor, project, capacity in specs:
        topic = cohort.topic_propose(actor=tutor, title=title, description=f"{title}：结合企业真实项目完成毕业设计。",
                                     major=ecommerce, course=course, school_tutor=tutor, enterprise_tutor=ent_tutor,
                                     enterprise=xingyun, source_project=project, capacity=capacity)
        topic = cohort.topic_review(actor=admin, topic=topic, approve=True)
        topics.append(topic)
    # One waits for the school's approval.
    cohort.topic_propose(actor=hr, title="跨境电商物流成本分析", description="基于企业订单数据分析物流成本。",
                         major=ecommerce, course=course, school_tutor=teacher, enterprise_tutor=hr,
                         enterprise=xingyun)
    graduates = _students("ecommerce", 2023, 11)
    if not graduates:
        return
    grad_round = selection.selection_round_create(
        actor=admin, kind=SelectionRound.Kind.GRADUATION, title="2023 级电商毕业设计选题", major=ecommerce,
        intake_year=2023, apply_deadline=timezone.now() + datetime.timedelta(days=1),
        options=[(t, t.capacity) for t in topics], max_choices=3)
    options = list(grad_round.options.order_by("id"))
    for i, student in enumerate(graduates):
        for k in range(3):
            selection.selection_apply(actor=student.user, option=options[(i + k) % len(options)])
    selection.selection_close(actor=admin, selection_round=grad_round)
    for option in options:
        applicants = list(option.applications.select_related("student").order_by("student__student_number"))
        selection.selection_option_rank(actor=admin, option=option,
                                        student_numbers=[a.student.student_number for a in applicants])
    selection.selection_compute(actor=admin, selection_round=grad_round)
    selection.selection_confirm(actor=admin, selection_round=grad_round)
    from .models import GraduationDesign

    designs = list(GraduationDesign.objects.select_related("topic", "student__user").order_by("student__student_number"))
    # Stages reached: proposal, midterm, submission, defence, finished (twice), in turn.
    for i, design in enumerate(designs):
        steps = [0, 1, 2, 3, 4, 4][i % 6]
        for step in range(steps):
            if step == 2:
                cohort.graduation_submit(actor=design.student.user, design=design, checked=_pdf("毕业设计.pdf"))
            for tutor in (design.topic.school_tutor, design.topic.enterprise_tutor):
                cohort.stage_grade(actor=tutor, design=design, score=70 + (i * 3 + step * 5) % 28, comment="")
            design.refresh_from_db()
