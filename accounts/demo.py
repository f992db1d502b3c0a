"""Demo data for accounts: organisations, one login per role, and N students.

Bulk inserts throughout: `seed_demo --students 10000` must finish in well under
two minutes. Every step is idempotent (existing rows are kept, missing ones added).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import AccountRequest, Membership, Organization, Role, User

DEMO_PASSWORD = "chanjiao-demo"  # demo data only; printed by seed_demo

SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"),
    ("罗", "Luo"), ("高", "Gao"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
]
GIVEN = [
    ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"),
    ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"),
    ("杰", "Jie"), ("娟", "Juan"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"),
    ("霞", "Xia"), ("平", "Ping"), ("刚", "Gang"), ("欣怡", "Xinyi"), ("子涵", "Zihan"),
    ("浩然", "Haoran"), ("宇轩", "Yuxuan"), ("雨桐", "Yutong"), ("梓萱", "Zixuan"), ("俊杰", "Junjie"),
]

ORGANIZATIONS = [
    (Organization.Kind.SCHOOL, "school", "江南职业技术学院", "Jiangnan Vocational and Technical College"),
    (Organization.Kind.ENTERPRISE, "ent-xingyun", "星云电子商务有限公司", "Xingyun E-commerce Co., Ltd."),
    (Organization.Kind.ENTERPRISE, "ent-shuzhi", "数智大数据科技有限公司", "Shuzhi Big Data Technology Co., Ltd."),
    (Organization.Kind.ENTERPRISE, "ent-lianhe", "联合物流供应链有限公司", "Lianhe Logistics & Supply Chain Co., Ltd."),
    (Organization.Kind.INDUSTRY_ASSOCIATION, "assoc-ecommerce", "省电子商务行业协会", "Provincial E-commerce Industry Association"),
]

# username, role, Chinese name, English name, organisation code
DEMO_LOGINS = [
    ("student_demo", Role.STUDENT, "王小明", "Wang Xiaoming", "school"),
    ("teacher_demo", Role.TEACHER, "李慧", "Li Hui", "school"),
    ("enterprise_demo", Role.ENTERPRISE, "张经理", "Manager Zhang", "ent-xingyun"),
    ("industry_demo", Role.INDUSTRY, "陈大师", "Master Chen", "assoc-ecommerce"),
    ("schooladmin_demo", Role.SCHOOL_ADMIN, "赵校长", "Principal Zhao", "school"),
]


@dataclass
class DemoContext:
    """Shared state passed through every app's `demo.seed(ctx)` in dependency order."""

    students: int = 300
    seed: int = 20261122
    stdout: object = None
    rng: random.Random = field(init=False)
    password_hash: str = field(init=False)
    organizations: dict[str, Organization] = field(default_factory=dict)
    demo_users: dict[str, User] = field(default_factory=dict)
    student_ids: list[int] = field(default_factory=list)
    teacher_ids: list[int] = field(default_factory=list)
    enterprise_user_ids: list[int] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        # Hash once: hashing 10,000 passwords one by one would take minutes.
        self.password_hash = make_password(DEMO_PASSWORD)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


def person_name(index: int, salt: int = 0) -> tuple[str, str]:
    """A deterministic bilingual name for the index-th person."""
    rng = random.Random(index * 7919 + salt)
    sur_zh, sur_en = rng.choice(SURNAMES)
    giv_zh, giv_en = rng.choice(GIVEN)
    return f"{sur_zh}{giv_zh}", f"{sur_en} {giv_en}"


def _ensure_users(ctx: DemoContext, specs: list[tuple[str, str, str, str]]) -> dict[str, int]:
    """specs: (username, role, name_zh, name_en). Returns username -> id for all of them."""
    usernames = [spec[0] for spec in specs]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=username, role=role, display_name=zh, display_name_en=en,
                password=ctx.password_hash, email=f"{username}@demo.chanjiao.local",
            )
            for username, role, zh, en in specs
            if username not in existing
        ],
        batch_size=2000,
    )
    return dict(User.objects.filter(username__in=usernames).values_list("username", "id"))


def _ensure_memberships(org: Organization, user_ids: list[int], title: str = "") -> None:
    existing = set(Membership.objects.filter(organization=org, user_id__in=user_ids).values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        [Membership(organization=org, user_id=uid, title=title) for uid in user_ids if uid not in existing],
        batch_size=2000,
    )


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    for kind, code, name, name_en in ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(code=code, defaults={"kind": kind, "name": name, "name_en": name_en})
        ctx.organizations[code] = org

    ids = _ensure_users(ctx, [(u, r, zh, en) for u, r, zh, en, _ in DEMO_LOGINS])
    for username, role, _zh, _en, org_code in DEMO_LOGINS:
        user = User.objects.get(pk=ids[username])
        ctx.demo_users[role] = user
        _ensure_memberships(ctx.organizations[org_code], [user.pk])

    # More teachers, enterprise staff and industry masters so lists are not empty.
    staff_specs = []
    for i in range(1, 16):
        zh, en = person_name(i, salt=11)
        staff_specs.append((f"teacher{i:03d}", Role.TEACHER, zh, en))
    for i, code in enumerate(["ent-xingyun", "ent-shuzhi", "ent-lianhe"]):
        for j in range(1, 4):
            zh, en = person_name(i * 10 + j, salt=23)
            staff_specs.append((f"{code}-hr{j}", Role.ENTERPRISE, zh, en))
    for i in range(1, 4):
        zh, en = person_name(i, salt=37)
        staff_specs.append((f"master{i:02d}", Role.INDUSTRY, zh, en))
    staff_ids = _ensure_users(ctx, staff_specs)
    school = ctx.organizations["school"]
    _ensure_memberships(school, [staff_ids[u] for u, r, *_ in staff_specs if r == Role.TEACHER], title="教师")
    for code in ["ent-xingyun", "ent-shuzhi", "ent-lianhe"]:
        _ensure_memberships(ctx.organizations[code], [staff_ids[u] for u, *_ in staff_specs if u.startswith(code)])
    _ensure_memberships(ctx.organizations["assoc-ecommerce"], [staff_ids[u] for u, r, *_ in staff_specs if r == Role.INDUSTRY])
    ctx.teacher_ids = [ctx.demo_users[Role.TEACHER].pk] + [staff_ids[u] for u, r, *_ in staff_specs if r == Role.TEACHER]
    ctx.enterprise_user_ids = [ctx.demo_users[Role.ENTERPRISE].pk] + [
        staff_ids[u] for u, r, *_ in staff_specs if r == Role.ENTERPRISE
    ]

    # Students: the demo login is the first; the rest are numbered.
    student_specs = []
    for i in range(1, max(ctx.students, 1)):
        zh, en = person_name(i)
        student_specs.append((f"stu{i:06d}", Role.STUDENT, zh, en))
    student_ids = _ensure_users(ctx, student_specs)
    ctx.student_ids = [ctx.demo_users[Role.STUDENT].pk] + [student_ids[spec[0]] for spec in student_specs]
    _ensure_memberships(school, ctx.student_ids, title="学生")
    _seed_account_requests()
    ctx.log(f"accounts: {len(ctx.student_ids)} students, {len(ctx.teacher_ids)} teachers, {len(ORGANIZATIONS)} organisations")


# Two visitors waiting for the school administrator's decision (the moderation page).
ACCOUNT_REQUESTS = [
    ("周建国", "zhou.jianguo@hengtong-ecom.example.cn", "13800001111", Role.ENTERPRISE, "恒通跨境电商有限公司",
     "我是恒通跨境电商的人事经理，希望在平台发布实习岗位并参与订单班合作。"),
    ("吴雅琴", "wu.yaqin@assoc.example.cn", "", Role.INDUSTRY, "省电子商务行业协会",
     "协会专家，受邀参与电子商务专业课程改革评审和教学质量督导。"),
]


def _seed_account_requests() -> None:
    existing = set(AccountRequest.objects.filter(email__in=[r[1] for r in ACCOUNT_REQUESTS])
                   .values_list("email", flat=True))
    AccountRequest.objects.bulk_create([
        AccountRequest(full_name=name, email=email, phone=phone, role=role, organization_name=org, message=message,
                       language="zh-hans")
        for name, email, phone, role, org, message in ACCOUNT_REQUESTS if email not in existing
    ])
