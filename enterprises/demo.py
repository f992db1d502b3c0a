"""Demo talent market: 20+ enterprises (and the industry association) across both
majors, postings in every state, applications at every stage, career profiles, and
talent demand. `enterprise_demo` administers 星云电子商务 and lands on a pipeline with
applicants at each stage; `student_demo` has a career profile, applications and an offer.
Idempotent: rows are found by natural keys and only missing ones are added."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from students.models import JobFamily, StudentProfile
from teachers.models import Competency, Major

from .career import resume_snapshot
from .matching import fit_score
from .models import (
    Application,
    ApplicationEvent,
    CareerProfile,
    CooperationLevel,
    EnterpriseProfile,
    Posting,
    PostingRequirement,
    TalentDemand,
    Visibility,
)

CITIES = ["杭州", "宁波", "上海", "苏州", "南京", "温州", "义乌", "绍兴"]
# code, Chinese name, English name, industry, main major, cooperation level, trusted
ENTERPRISES = [
    ("ent-xingyun", "", "", "跨境电商", "ecommerce", CooperationLevel.STRATEGIC, False),
    ("ent-shuzhi", "", "", "大数据服务", "bigdata", CooperationLevel.PRACTICE_BASE, True),
    ("ent-lianhe", "", "", "物流供应链", "ecommerce", CooperationLevel.PARTNER, False),
    ("ent-d01", "云帆直播电商有限公司", "Yunfan Live Commerce Co.", "直播电商", "ecommerce", CooperationLevel.PARTNER, False),
    ("ent-d02", "青禾农产品电商有限公司", "Qinghe Agri E-commerce Co.", "农产品电商", "ecommerce", CooperationLevel.NONE, False),
    ("ent-d03", "锦绣服饰网络科技有限公司", "Jinxiu Apparel Online Co.", "服装零售", "ecommerce", CooperationLevel.PRACTICE_BASE, False),
    ("ent-d04", "拾光影像设计工作室", "Shiguang Imaging Studio", "视觉设计", "ecommerce", CooperationLevel.NONE, False),
    ("ent-d05", "潮汐新媒体传播有限公司", "Chaoxi New Media Co.", "新媒体", "ecommerce", CooperationLevel.PARTNER, True),
    ("ent-d06", "优选跨境贸易有限公司", "Youxuan Cross-border Trade Co.", "跨境电商", "ecommerce", CooperationLevel.NONE, False),
    ("ent-d07", "安心客服外包服务有限公司", "Anxin Customer Care Co.", "客户服务", "ecommerce", CooperationLevel.NONE, False),
    ("ent-d08", "百川零售连锁有限公司", "Baichuan Retail Chain Co.", "零售", "ecommerce", CooperationLevel.PARTNER, False),
    ("ent-d09", "智云数据科技有限公司", "Zhiyun Data Technology Co.", "数据服务", "bigdata", CooperationLevel.STRATEGIC, False),
    ("ent-d10", "海川信息技术有限公司", "Haichuan IT Co.", "软件开发", "bigdata", CooperationLevel.NONE, False),
    ("ent-d11", "星链智能制造有限公司", "Xinglian Smart Manufacturing Co.", "智能制造", "bigdata", CooperationLevel.PARTNER, False),
    ("ent-d12", "明镜人工智能有限公司", "Mingjing AI Co.", "人工智能", "bigdata", CooperationLevel.NONE, False),
    ("ent-d13", "数安云计算有限公司", "Shu'an Cloud Computing Co.", "云计算", "bigdata", CooperationLevel.PRACTICE_BASE, False),
    ("ent-d14", "城市大脑运营有限公司", "City Brain Operations Co.", "智慧城市", "bigdata", CooperationLevel.NONE, False),
    ("ent-d15", "金盾金融科技有限公司", "Jindun FinTech Co.", "金融科技", "bigdata", CooperationLevel.PARTNER, False),
    ("ent-d16", "医联健康数据有限公司", "Yilian Health Data Co.", "医疗数据", "bigdata", CooperationLevel.NONE, False),
    ("ent-d17", "领航数字营销有限公司", "Linghang Digital Marketing Co.", "数字营销", "ecommerce", CooperationLevel.NONE, False),
    ("ent-d18", "融通物联网科技有限公司", "Rongtong IoT Co.", "物联网", "bigdata", CooperationLevel.NONE, False),
]
# title, English gloss for docs only, kind, competency codes with (minimum, importance)
TITLES = {
    "ecommerce": [
        ("电商运营专员", Posting.Kind.JOB, {"ec-operation": (0.6, 3), "data-analysis": (0.4, 2), "marketing": (0.4, 1)}),
        ("直播运营实习生", Posting.Kind.INTERNSHIP, {"new-media": (0.5, 3), "marketing": (0.4, 2)}),
        ("网店美工设计师", Posting.Kind.JOB, {"shop-design": (0.6, 3), "photography": (0.5, 2)}),
        ("客服主管助理", Posting.Kind.INTERNSHIP, {"customer-service": (0.5, 2), "ec-operation": (0.3, 1)}),
        ("数据分析助理", Posting.Kind.JOB, {"data-analysis": (0.6, 3), "ec-operation": (0.4, 1)}),
        ("新媒体内容编辑", Posting.Kind.INTERNSHIP, {"new-media": (0.5, 2), "photography": (0.4, 1),
                                                    "shop-design": (0.3, 1)}),
    ],
    "bigdata": [
        ("数据采集工程师", Posting.Kind.JOB, {"data-collection": (0.6, 3), "programming": (0.5, 2), "database": (0.4, 1)}),
        ("数据可视化实习生", Posting.Kind.INTERNSHIP, {"data-visualisation": (0.5, 3), "programming": (0.3, 1)}),
        ("大数据平台运维", Posting.Kind.JOB, {"platforms": (0.6, 3), "database": (0.5, 2)}),
        ("机器学习实习生", Posting.Kind.INTERNSHIP, {"ml-ai": (0.5, 3), "programming": (0.5, 2)}),
        ("数据库开发工程师", Posting.Kind.JOB, {"database": (0.6, 3), "programming": (0.5, 2)}),
        ("项目实施助理", Posting.Kind.INTERNSHIP, {"project-practice": (0.5, 2), "data-collection": (0.3, 1)}),
    ],
}
STATUS_CYCLE = [Posting.Status.PUBLISHED, Posting.Status.PUBLISHED, Posting.Status.SUBMITTED, Posting.Status.DRAFT,
                Posting.Status.REJECTED, Posting.Status.CLOSED, Posting.Status.EXPIRED]
STAGE_PLAN = [Application.Stage.APPLIED] * 4 + [Application.Stage.SHORTLISTED] * 3 + [
    Application.Stage.INTERVIEW] * 2 + [Application.Stage.OFFER, Application.Stage.ACCEPTED, Application.Stage.DECLINED,
                                        Application.Stage.REJECTED, Application.Stage.REJECTED,
                                        Application.Stage.WITHDRAWN]
STAGE_PATH = {
    "applied": ["applied"], "shortlisted": ["applied", "shortlisted"],
    "interview": ["applied", "shortlisted", "interview"], "offer": ["applied", "shortlisted", "interview", "offer"],
    "accepted": ["applied", "shortlisted", "interview", "offer", "accepted"],
    "declined": ["applied", "shortlisted", "offer", "declined"], "rejected": ["applied", "rejected"],
    "withdrawn": ["applied", "withdrawn"],
}


def _organizations(ctx) -> dict[str, Organization]:
    orgs = {}
    for i, (code, name, name_en, industry, major, level, trusted) in enumerate(ENTERPRISES):
        org = ctx.organizations.get(code) or Organization.objects.filter(code=code).first()
        if org is None:
            org = Organization.objects.create(code=code, kind=Organization.Kind.ENTERPRISE, name=name, name_en=name_en,
                                              description=f"{name}，{industry}。")
        today = timezone.localdate()
        EnterpriseProfile.objects.get_or_create(organization=org, defaults={
            "industry": industry, "size": ["small", "medium", "large", "micro"][i % 4], "city": CITIES[i % len(CITIES)],
            "address": f"{CITIES[i % len(CITIES)]}市高新区{i + 1}号", "cooperation_level": level,
            "cooperation_starts": today.replace(year=today.year - 1, month=9, day=1) if level != "none" else None,
            "cooperation_ends": today.replace(year=today.year + 2, month=8, day=31) if level != "none" else None,
            "auto_publish": trusted})
        orgs[code] = (org, major)
    association = Organization.objects.filter(kind=Organization.Kind.INDUSTRY_ASSOCIATION).first()
    if association is not None:
        EnterpriseProfile.objects.get_or_create(organization=association, defaults={
            "industry": "行业协会", "size": "small", "city": "杭州", "cooperation_level": CooperationLevel.STRATEGIC})
    return orgs


def _staff(ctx, orgs) -> dict[int, int]:
    """One HR login per new enterprise; enterprise_demo administers 星云. {org id: a member's id}."""
    demo = User.objects.filter(username="enterprise_demo").first()
    if demo is not None:
        Membership.objects.filter(user=demo, organization__code="ent-xingyun").update(is_manager=True, title="招聘经理")
    wanted = [(f"{code}-hr", org) for code, (org, _m) in orgs.items() if code.startswith("ent-d")]
    existing = set(User.objects.filter(username__in=[u for u, _o in wanted]).values_list("username", flat=True))
    User.objects.bulk_create([User(username=u, role=Role.ENTERPRISE, display_name=f"{org.name[:4]}招聘",
                                   display_name_en=f"HR of {org.name_en or org.code}", password=ctx.password_hash,
                                   email=f"{u}@demo.chanjiao.local") for u, org in wanted if u not in existing])
    users = dict(User.objects.filter(username__in=[u for u, _o in wanted]).values_list("username", "id"))
    have = set(Membership.objects.filter(user_id__in=users.values()).values_list("user_id", flat=True))
    Membership.objects.bulk_create([Membership(organization=org, user_id=users[u], is_manager=True, title="HR")
                                    for u, org in wanted if users[u] not in have])
    members = {}
    for org_id, user_id in Membership.objects.filter(organization__in=[o for o, _m in orgs.values()]).order_by(
            "-is_manager", "id").values_list("organization_id", "user_id"):
        members.setdefault(org_id, user_id)
    return members


def _postings(ctx, orgs, members, admin) -> list[Posting]:
    rng = random.Random(ctx.seed + 10)
    majors = {m.code: m for m in Major.objects.filter(code__in=TITLES)}
    competencies = {(c.major.code, c.code): c for c in Competency.objects.select_related("major")}
    today, now = timezone.localdate(), timezone.now()
    existing = {(p.organization_id, p.title) for p in Posting.objects.all()}
    created = []
    for i, (code, (org, major_code)) in enumerate(orgs.items()):
        if major_code not in majors:
            continue
        count = 7 if code == "ent-xingyun" else 3 + i % 2
        for j in range(count):
            title, kind, reqs = TITLES[major_code][(i + j) % len(TITLES[major_code])]
            if j >= len(TITLES[major_code]):
                title = f"{title}（储备）"
            status = STATUS_CYCLE[j % len(STATUS_CYCLE)] if (code == "ent-xingyun" or j > 0) else Posting.Status.PUBLISHED
            if code != "ent-xingyun" and status in (Posting.Status.CLOSED, Posting.Status.EXPIRED) and i % 3:
                status = Posting.Status.PUBLISHED
            if (org.pk, title) in existing:
                continue
            deadline = today - datetime.timedelta(days=5) if status == Posting.Status.EXPIRED else \
                today + datetime.timedelta(days=20 + rng.randint(0, 60))
            rows = [(competencies[(major_code, c)], r, v) for c, (r, v) in reqs.items() if (major_code, c) in competencies]
            posting = Posting.objects.create(
                organization=org, created_by_id=members.get(org.pk), kind=kind, title=title,
                description=f"{org.name}招聘{title}。\n工作内容：参与日常{title[:4]}工作，导师带教。\n要求：认真负责，善于沟通。",
                city=CITIES[i % len(CITIES)], salary_min=3000 + 500 * (j % 4), salary_max=5000 + 1000 * (j % 4),
                headcount=1 + (i + j) % 5, deadline=deadline, status=status,
                rejection_reason="岗位描述过于简单，请补充工作内容与带教安排。" if status == Posting.Status.REJECTED else "",
                reviewed_by=admin if status in (Posting.Status.PUBLISHED, Posting.Status.REJECTED) else None,
                submitted_at=None if status == Posting.Status.DRAFT else now - datetime.timedelta(days=10),
                published_at=now - datetime.timedelta(days=9 - j) if status in (
                    Posting.Status.PUBLISHED, Posting.Status.CLOSED, Posting.Status.EXPIRED) else None,
                closed_at=now if status in (Posting.Status.CLOSED, Posting.Status.EXPIRED) else None,
                weight_total=sum(r * v for _c, r, v in rows))
            posting.majors.set([majors[major_code]])
            PostingRequirement.objects.bulk_create([PostingRequirement(posting=posting, competency=c, minimum=r,
                                                                       importance=v) for c, r, v in rows])
            created.append(posting)
    return created


def _career_profiles(ctx) -> None:
    rng = random.Random(ctx.seed + 11)
    have = set(CareerProfile.objects.values_list("student_id", flat=True))
    rows = []
    for student_id, user_id in StudentProfile.objects.order_by("pk").values_list("pk", "user_id"):
        if student_id in have:
            continue
        roll = rng.random()
        visibility = Visibility.ENTERPRISES if roll < 0.45 else Visibility.PARTNERS if roll < 0.7 else Visibility.HIDDEN
        rows.append(CareerProfile(student_id=student_id, visibility=visibility,
                                  introduction="认真踏实，乐于学习新技能，希望在实践中提升专业能力。",
                                  education="江南职业技术学院 在读", certificates="计算机等级证书（一级）",
                                  email=f"stu{user_id}@demo.chanjiao.local"))
    CareerProfile.objects.bulk_create(rows, batch_size=2000)
    demo = StudentProfile.objects.filter(user__username="student_demo").first()
    if demo is not None:
        CareerProfile.objects.filter(student=demo).update(
            visibility=Visibility.ENTERPRISES, phone="138-0000-0000", email="student_demo@demo.chanjiao.local",
            wechat="xiaoming_ec",
            introduction="电子商务专业二年级学生，做过校园网店运营，熟悉直播带货流程，喜欢用数据找问题。",
            education="2024– 江南职业技术学院 电子商务专业\n2021–2024 杭州市第一中学",
            certificates="电子商务师（四级）\n1+X 网店运营推广（初级）")


def _applications(ctx, postings_by_org) -> int:
    """Applicants at every stage for the published postings, chosen among the students
    of the posting's major who fit it best (and student_demo on two of 星云's postings)."""
    from students.selectors import attainments_for_students

    rng = random.Random(ctx.seed + 12)
    demo_student = StudentProfile.objects.select_related("user", "major").filter(user__username="student_demo").first()
    by_major: dict[int, list[StudentProfile]] = {}
    for s in StudentProfile.objects.select_related("user", "major").order_by("pk"):
        by_major.setdefault(s.major_id, []).append(s)
    attainment = attainments_for_students(student_ids=[s.pk for group in by_major.values() for s in group])
    # Idempotent per posting: a posting that has applicants keeps them. (The radar moves
    # between runs as later apps' demo data adds practice evidence, so choosing again by
    # fit would pick other students.)
    existing = set(Application.objects.values_list("posting_id", flat=True))
    made = 0
    now = timezone.now()
    for code, postings in postings_by_org.items():
        for n, posting in enumerate(p for p in postings if p.status in (Posting.Status.PUBLISHED, Posting.Status.CLOSED)):
            if posting.pk in existing:
                continue
            reqs = [(r.competency_id, r.minimum, r.importance) for r in posting.requirements.all()]
            major_id = posting.majors.all()[0].pk
            pool = by_major.get(major_id, [])
            scored = sorted(pool, key=lambda s: -fit_score([(r, v) for _c, r, v in reqs],
                                                          [attainment.get(s.pk, {}).get(c, 0.0) for c, _r, _v in reqs]))
            plan = STAGE_PLAN if code == "ent-xingyun" else STAGE_PLAN[:: 2 + n % 2]
            chosen = [s for s in scored[: len(plan) * 3] if s != demo_student]
            rng.shuffle(chosen)  # the only use of rng here: a re-run draws the same pairs
            pairs = list(zip(chosen, plan, strict=False))
            if code == "ent-xingyun" and demo_student is not None and demo_student.major_id == major_id and n < 2:
                pairs.append((demo_student, Application.Stage.SHORTLISTED if n == 0 else Application.Stage.OFFER))
            for student, stage in pairs:
                fit = fit_score([(r, v) for _c, r, v in reqs], [attainment.get(student.pk, {}).get(c, 0.0)
                                                               for c, _r, _v in reqs])
                application = Application.objects.create(
                    posting=posting, student=student, stage=stage, fit=fit, snapshot=resume_snapshot(student=student),
                    cover_note="您好，我对这个岗位很感兴趣，希望有机会加入贵公司。",
                    rejection_reason="本次岗位名额已满，欢迎关注后续机会。" if stage == Application.Stage.REJECTED else "",
                    interview_at=now + datetime.timedelta(days=3, hours=student.pk * 7 % 48)
                    if stage == Application.Stage.INTERVIEW else None,
                    interview_place="公司总部三楼会议室" if stage == Application.Stage.INTERVIEW else "")
                ApplicationEvent.objects.bulk_create([ApplicationEvent(application=application, stage=s)
                                                      for s in STAGE_PATH[stage]])
                made += 1
    return made


def _demand(ctx, orgs, members) -> None:
    majors = {m.code: m for m in Major.objects.all()}
    families = {"ecommerce": [JobFamily.OPERATIONS, JobFamily.MARKETING, JobFamily.DESIGN, JobFamily.CUSTOMER],
                "bigdata": [JobFamily.DATA, JobFamily.ENGINEERING]}
    year = timezone.localdate().year
    have = set(TalentDemand.objects.values_list("organization_id", "year", "position_family"))
    rows = []
    for i, (org, major_code) in enumerate(orgs.values()):
        if major_code not in majors:
            continue
        for k, family in enumerate(families[major_code][i % 2: i % 2 + 2]):
            for y in (year, year + 1):
                if (org.pk, y, family) not in have:
                    rows.append(TalentDemand(organization=org, year=y, position_family=family, major=majors[major_code],
                                             headcount=2 + (i + k + y) % 6, created_by_id=members.get(org.pk)))
    TalentDemand.objects.bulk_create(rows)


@transaction.atomic
def seed(ctx) -> None:
    if not Major.objects.filter(code__in=TITLES).exists():
        ctx.log("enterprises: no demo majors; skipped")
        return
    orgs = _organizations(ctx)
    members = _staff(ctx, orgs)
    admin = User.objects.filter(role=Role.SCHOOL_ADMIN).order_by("pk").first()
    _postings(ctx, orgs, members, admin)
    _career_profiles(ctx)
    postings_by_org: dict[str, list[Posting]] = {}
    for posting in Posting.objects.select_related("organization").prefetch_related("requirements", "majors").order_by("pk"):
        postings_by_org.setdefault(posting.organization.code, []).append(posting)
    made = _applications(ctx, postings_by_org)
    _demand(ctx, orgs, members)
    ctx.log(f"enterprises: {len(orgs)} enterprises, {Posting.objects.count()} postings, {made} new applications")
    from .internships.demo import seed as internships_seed  # issue 11

    internships_seed(ctx)

    # careers after graduation, employer feedback, demand (enterprises/careers/demo.py)
    from .careers.demo import seed as careers_seed

    careers_seed(ctx)
