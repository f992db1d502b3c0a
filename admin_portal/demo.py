"""admin_portal's part of seed_demo (idempotent): the plan's targets, the equipment register,
bookings this year, and consultancy and technical-service records, so that every chart of the
dashboard has data and at least one target is behind (the demo school has three enterprises,
far from the 20 enterprises served that 2026 asks for)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization, Role, User

from .models import Booking, Equipment, Room, ServiceRecord
from .services import booking_create, targets_seed_defaults

ROOMS = [
    ("ec-live-101", "直播电商实训室", "Live-commerce training room", Room.Kind.TRAINING_ROOM, 40, 40),
    ("ec-photo-102", "商品摄影实训室", "Product photography room", Room.Kind.TRAINING_ROOM, 30, 36),
    ("bd-lab-201", "大数据实验室", "Big-data laboratory", Room.Kind.LAB, 50, 40),
    ("ai-lab-202", "人工智能与深度伪造检测实验室", "AI and deepfake detection lab", Room.Kind.LAB, 36, 30),
    ("base-301", "校内生产性实训基地", "On-campus productive practice base", Room.Kind.PRACTICE_BASE, 60, 40),
]
EQUIPMENT = [
    ("ec-live-101", "EQ-LIVE-CAM", "直播摄像机", 6), ("ec-live-101", "EQ-LIVE-LIGHT", "补光灯", 12),
    ("ec-photo-102", "EQ-PHOTO-DSLR", "单反相机", 10), ("ec-photo-102", "EQ-PHOTO-BOX", "摄影棚柔光箱", 8),
    ("bd-lab-201", "EQ-BD-WS", "数据分析工作站", 50), ("bd-lab-201", "EQ-BD-CLUSTER", "Hadoop 实训集群", 1),
    ("ai-lab-202", "EQ-AI-GPU", "GPU 训练服务器", 2), ("ai-lab-202", "EQ-AI-PC", "实验终端", 36),
    ("base-301", "EQ-BASE-PACK", "仓储打包线", 2),
]


def seed(ctx) -> None:
    created = targets_seed_defaults()
    rooms = {room.code: room for room in Room.objects.filter(code__in=[r[0] for r in ROOMS])}
    for code, name, name_en, kind, seats, weekly in ROOMS:
        if code not in rooms:
            rooms[code] = Room.objects.create(code=code, name=name, name_en=name_en, kind=kind, seats=seats,
                                              weekly_hours=weekly, location=code.split("-")[-1])
    for room_code, asset, name, quantity in EQUIPMENT:
        Equipment.objects.get_or_create(asset_code=asset.lower(), defaults={
            "room": rooms[room_code], "name": name, "quantity": quantity, "acquired_on": datetime.date(2024, 9, 1)})
    if not Booking.objects.filter(room__in=rooms.values()).exists():
        _seed_bookings(ctx, rooms)
    if not ServiceRecord.objects.exists():
        _seed_services(ctx)
    ctx.log(f"admin_portal: {created} targets added, {Room.objects.count()} rooms, {Booking.objects.count()} bookings, "
            f"{ServiceRecord.objects.count()} service records")


def _seed_bookings(ctx, rooms) -> None:
    from projects.models import Studio
    from teachers.models import SchoolClass

    admin = ctx.demo_users[Role.SCHOOL_ADMIN]
    teacher = ctx.demo_users[Role.TEACHER]
    own_classes = list(SchoolClass.objects.filter(Q(head_teacher=teacher) | Q(offerings__teacher=teacher))
                       .distinct().order_by("code")[:3])
    classes = own_classes or list(SchoolClass.objects.order_by("code")[:3])
    booker = teacher if own_classes else admin
    studios = list(Studio.objects.order_by("code")[:2])
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    room_list = list(rooms.values())
    for week in range(1, 21):
        day = monday - datetime.timedelta(weeks=week)
        if day.year != today.year:
            break
        for i, room in enumerate(room_list):
            if (week + i) % 3 == 0:
                continue
            start = datetime.datetime.combine(day + datetime.timedelta(days=i % 5), datetime.time(8 + 2 * (i % 3), 0),
                                              tzinfo=tz)
            hours = 2 + (week + i) % 3
            kwargs = ({"studio_id": studios[i % len(studios)].pk} if studios and i == len(room_list) - 1
                      else {"school_class_id": classes[i % len(classes)].pk} if classes else {})
            if not kwargs:
                return
            who = admin if "studio_id" in kwargs else booker
            booking_create(actor=who, room=room, starts_at=start, ends_at=start + datetime.timedelta(hours=hours),
                           purpose="实训课 / practice class", **kwargs)


def _seed_services(ctx) -> None:
    admin = ctx.demo_users[Role.SCHOOL_ADMIN]
    enterprises = list(Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).order_by("code"))
    teachers = list(User.objects.filter(role=Role.TEACHER, is_active=True).order_by("pk")[:6])
    if not enterprises:
        return
    year = timezone.localdate().year
    topics = ["店铺运营诊断", "直播脚本策划", "用户画像数据分析", "商品图片优化", "供应链数据看板"]
    for i, teacher in enumerate(teachers):
        for y in (year - 1, year):
            if (i + y) % 2 and y == year - 1:
                continue
            ServiceRecord.objects.create(kind=ServiceRecord.Kind.CONSULTANCY, teacher=teacher,
                                         enterprise=enterprises[i % len(enterprises)],
                                         provided_on=datetime.date(y, 1 + (2 + i) % 12, 10), title=topics[i % len(topics)],
                                         hours=8 + 2 * i, recorded_by=admin)
    for i, enterprise in enumerate(enterprises):
        for y in (year - 1, year):
            ServiceRecord.objects.create(kind=ServiceRecord.Kind.TECHNICAL_SERVICE, enterprise=enterprise,
                                         teacher=teachers[i % len(teachers)] if teachers else None,
                                         provided_on=datetime.date(y, 1 + (4 + i) % 12, 20),
                                         title=f"技术服务：{topics[(i + 2) % len(topics)]}", hours=16, recorded_by=admin)
