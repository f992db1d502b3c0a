"""Demo internships: teacher_demo tutors and enterprise_demo mentors a group of interns at
星云电子商务 — student_demo among them, with a log reviewed and one waiting, today's
check-in still to do — plus placements in every state (planned, active, finished with a
signed summary on the resume, terminated), logs with short generated videos and poster
frames, a copied pair of logs and a shared-device check-in pair flagged by the integrity
scan, and the placements of the accepted internship offers of the market's demo.
Idempotent: nothing is added once student_demo has a placement (the scan adds only new flags)."""

from __future__ import annotations

import datetime
import random
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organization, User
from students.models import StudentProfile

from .models import CheckIn, InternshipSummary, LeaveRequest, Message, Placement, Post, WeeklyLog

PRODUCTS = ["蓝牙耳机", "保温杯", "运动鞋", "茶叶礼盒", "儿童绘本", "智能手表", "羊毛围巾", "咖啡豆", "收纳箱", "台灯"]
TASKS = ["标题优化", "主图设计", "详情页文案", "库存核对", "评价回复", "直播脚本", "活动报名", "竞品调研"]
LESSONS = ["数据分析对运营决策很重要", "沟通时要先确认需求再动手", "细节决定客户体验", "时间管理需要提前规划",
           "团队协作比单打独斗效率高", "复盘能让下一次做得更好", "规范流程可以减少差错", "要主动向导师请教"]
SENTENCES = [
    "周{d}我负责{n}款{p}的{t}，{m}。",
    "本周参加了部门例会，导师讲解了{p}类目的{t}方法，我记录了{n}条要点。",
    "在{t}过程中遇到了{n}个问题，向导师请教后找到了原因，{m}。",
    "我整理了{p}近{n}天的销售数据，发现转化率和{t}的质量关系很大。",
    "周{d}协助同事完成{p}的{t}，共处理{n}个订单，{m}。",
    "通过这周的实习，我体会到{l}，下周计划继续改进{t}。",
    "导师点评了我的{t}方案，指出{p}的卖点不够突出，我修改了{n}处。",
]
COPIED = ("本周我在电商运营部门实习，主要负责商品上架、详情页文案撰写和直播间的数据复盘。周一参加了部门例会，"
          "导师讲解了本月的销售目标；周三独立完成了二十款商品的标题优化，点击率提升了百分之八；周五协助主播准备"
          "直播脚本，并在直播结束后整理了观看人数、转化率和退货原因。通过这一周的工作，我体会到数据分析对运营决策"
          "的重要性，也发现自己在表格函数方面还需要加强。")
PARAPHRASED = (COPIED.replace("主要负责", "主要承担").replace("周三", "星期三").replace("点击率提升了百分之八", "点击率大约提高了8%")
               .replace("我体会到", "我认识到").replace("还需要加强", "仍需提高"))
SUMMARY = ("三个月的实习让我完整经历了电商运营的各个环节：从商品上架、详情页设计到直播运营和数据复盘。"
           "在导师的指导下，我学会了用数据发现问题，用规范的流程减少差错，也体会到团队协作的重要性。"
           "今后我会继续加强数据分析和文案写作能力，争取在毕业后胜任运营岗位。")


def log_text(rng: random.Random) -> str:
    parts = rng.sample(SENTENCES, 5)
    return "".join(s.format(d="一二三四五"[rng.randrange(5)], n=rng.randint(2, 40), p=rng.choice(PRODUCTS),
                            t=rng.choice(TASKS), m=rng.choice(LESSONS), l=rng.choice(LESSONS)) for s in parts)


def demo_clip(seed: int, *, seconds: int = 2, size=(160, 120)) -> bytes:
    """A small generated MP4 (cv2.VideoWriter): coloured frames with a counter."""
    import cv2
    import numpy as np

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "clip.mp4")
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"mp4v"), 10, size)
        for i in range(seconds * 10):
            frame = np.zeros((size[1], size[0], 3), dtype=np.uint8)
            frame[:] = ((seed * 40) % 255, (i * 9) % 255, 120)
            cv2.putText(frame, f"W{seed} {i}", (8, size[1] // 2), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2)
            writer.write(frame)
        writer.release()
        return Path(path).read_bytes()


def _log(placement: Placement, week: int, text: str, *, video_seed: int | None = None, grades=("", ""),
         status=WeeklyLog.Status.SUBMITTED) -> WeeklyLog:
    from .media import log_poster_make

    due = placement.week_due(week)
    submitted = timezone.make_aware(datetime.datetime.combine(due, datetime.time(20, 0)))
    now = timezone.now()
    log = WeeklyLog.objects.create(
        placement=placement, week=week, due_on=due, text=text, status=status, submitted_at=min(submitted, now),
        mentor_grade=grades[0], mentor_comment="内容具体，继续保持。" if grades[0] else "",
        mentor_reviewed_at=now if grades[0] else None, tutor_grade=grades[1],
        tutor_comment="反思到位，注意总结方法。" if grades[1] else "", tutor_reviewed_at=now if grades[1] else None)
    if video_seed is not None:
        log.video.save(f"log-{log.pk}.mp4", ContentFile(demo_clip(video_seed)), save=False)
        log.video_content_type, log.video_duration_s, log.video_width, log.video_height = "video/mp4", 2.0, 160, 120
        log.poster_status = WeeklyLog.Poster.PENDING
        log.save()
        log_poster_make(log_id=log.pk)
    return log


def _checkins(placement: Placement, rng: random.Random, *, days: int, today: datetime.date) -> None:
    rows = []
    for back in range(days, 0, -1):
        day = today - datetime.timedelta(days=back)
        if day < placement.starts_on or day > placement.ends_on or day.weekday() >= 5:
            continue
        late = rng.random() < 0.15
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 if late else 8, rng.randint(0, 59))))
        far = rng.random() < 0.08
        rows.append(CheckIn(placement=placement, day=day, at=at, latitude=placement.latitude,
                            longitude=placement.longitude, distance_m=2400.0 if far else rng.randint(5, 120),
                            far=far, late=late, ip=f"10.20.{placement.pk % 250}.{rng.randint(2, 250)}",
                            device_hash=f"{placement.pk:064d}"))
    CheckIn.objects.bulk_create(rows)


def seed(ctx) -> None:
    from .integrity import integrity_scan
    from .services import placement_create_for_application

    student_demo = StudentProfile.objects.select_related("user", "school_class").filter(
        user__username="student_demo").first()
    tutor = User.objects.filter(username="teacher_demo").first()
    mentor = User.objects.filter(username="enterprise_demo").first()
    org = Organization.objects.filter(code="ent-xingyun").first()
    if not (student_demo and tutor and mentor and org):
        ctx.log("internships: demo users missing; skipped")
        return
    if Placement.objects.filter(student=student_demo).exists():
        ctx.log(f"internships: {integrity_scan()} new flags")
        return
    rng = random.Random(ctx.seed + 41)
    today = timezone.localdate()
    classmates = list(StudentProfile.objects.filter(school_class=student_demo.school_class).exclude(
        pk=student_demo.pk).select_related("user").order_by("pk")[:11])
    place = {"latitude": "30.274100", "longitude": "120.155100", "radius_m": 500}

    def make(student, starts, weeks, status, organization=org, title="电商运营实习生") -> Placement:
        return Placement.objects.create(student=student, organization=organization, mentor=mentor, tutor=tutor,
                                        title=title, starts_on=starts, ends_on=starts + datetime.timedelta(weeks=weeks, days=-1),
                                        status=status, created_by=tutor, **place)

    started = today - datetime.timedelta(days=17)
    active = [make(s, started, 12, Placement.Status.ACTIVE) for s in [student_demo, *classmates[:7]]]
    for n, placement in enumerate(active):
        Post.objects.create(placement=placement, title="商品运营岗", duties="商品上架、详情页、数据复盘",
                            starts_on=placement.starts_on, ends_on=placement.starts_on + datetime.timedelta(weeks=6, days=-1))
        Post.objects.create(placement=placement, title="直播运营岗", duties="直播脚本、场控、复盘",
                            starts_on=placement.starts_on + datetime.timedelta(weeks=6), ends_on=placement.ends_on)
        _checkins(placement, rng, days=17, today=today)
        if n == 0:  # student_demo: week 1 reviewed, week 2 waiting for review, both with a video
            _log(placement, 1, log_text(rng), video_seed=1, grades=("A", "B"), status=WeeklyLog.Status.REVIEWED)
            _log(placement, 2, log_text(rng), video_seed=2)
        elif n == 1:
            _log(placement, 1, COPIED, video_seed=3, grades=("B", ""))
            _log(placement, 2, log_text(rng))
        elif n == 2:
            _log(placement, 1, PARAPHRASED)  # copied from the intern above: flagged on both sides
        elif n == 3:
            _log(placement, 1, log_text(rng), grades=("B", "B"), status=WeeklyLog.Status.REVIEWED)
            _log(placement, 2, log_text(rng), status=WeeklyLog.Status.RETURNED)
        elif n != 6:  # the sixth intern has written nothing: missing logs on the desks
            _log(placement, 1, log_text(rng))
    # two interns checked in from one phone yesterday
    yesterday = today - datetime.timedelta(days=1)
    CheckIn.objects.filter(placement__in=active[4:6], day=yesterday).update(device_hash="f" * 64)
    if not CheckIn.objects.filter(placement__in=active[4:6], day=yesterday).exists():
        at = timezone.now() - datetime.timedelta(days=1)
        CheckIn.objects.bulk_create([CheckIn(placement=p, day=yesterday, at=at, device_hash="f" * 64)
                                     for p in active[4:6]])
    Message.objects.bulk_create([
        Message(placement=active[0], author=mentor, body="下周一开始轮岗到直播运营岗，请提前看一下直播脚本模板。"),
        Message(placement=active[0], author=tutor, body="收到，周志里记得写一下轮岗的准备情况。"),
        Message(placement=active[0], author=student_demo.user, body="好的，谢谢老师和导师！")])
    LeaveRequest.objects.create(placement=active[1], starts_on=today + datetime.timedelta(days=2),
                                ends_on=today + datetime.timedelta(days=2), reason="回校参加补考")
    others = classmates[7:]
    states = []
    if len(others) >= 3:
        planned = make(others[0], today + datetime.timedelta(days=14), 8, Placement.Status.PLANNED)
        finished = make(others[1], today - datetime.timedelta(weeks=14), 12, Placement.Status.FINISHED)
        for week in range(1, 13):
            _log(finished, week, log_text(rng), grades=("A", "A"), status=WeeklyLog.Status.REVIEWED)
        InternshipSummary.objects.create(placement=finished, text=SUMMARY, mentor_signed_at=timezone.now(),
                                         mentor_comment="工作认真，进步明显。", tutor_signed_at=timezone.now(),
                                         tutor_comment="同意。")
        terminated = make(others[2], today - datetime.timedelta(weeks=5), 12, Placement.Status.TERMINATED)
        terminated.terminated_reason = "学生转入升学备考，经三方协商终止实习。"
        terminated.save(update_fields=["terminated_reason"])
        states = [planned, finished, terminated]
    # the accepted internship offers of the market's demo get their placements (as the hook does)
    from ..models import Application, Posting

    made = 0
    for application in Application.objects.filter(stage=Application.Stage.ACCEPTED,
                                                  posting__kind=Posting.Kind.INTERNSHIP, placement__isnull=True
                                                  ).select_related("posting__organization", "student__school_class"):
        placement_create_for_application(application=application)
        made += 1
    flags = integrity_scan()
    ctx.log(f"internships: {len(active) + len(states)} demo placements, {made} from accepted offers, {flags}")


__all__ = ["seed"]
