"""Internship fixtures: an enterprise with a mentor, a class with a head teacher (the
tutor), students with active placements; clips and images made on the fly."""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from enterprises.internships import services
from enterprises.models import Placement
from tests.enterprises.builders import make_enterprise
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_student

LOG_TEXT = ("本周我在电商运营部门实习，主要负责商品上架、详情页文案撰写和直播间的数据复盘。周一参加了部门例会，"
            "导师讲解了本月的销售目标；周三独立完成了二十款商品的标题优化，点击率提升了百分之八；周五协助主播准备"
            "直播脚本，并在直播结束后整理了观看人数、转化率和退货原因。通过这一周的工作，我体会到数据分析对运营决策"
            "的重要性，也发现自己在表格函数方面还需要加强。")
OTHER_TEXT = ("这周在物流公司仓储部门轮岗，跟着师傅学习入库验收、货位管理和盘点流程。第一天熟悉了仓库管理系统的操作"
              "界面，第二天开始参与早班的到货清点，发现条码破损的货物需要人工登记。周四参加了安全培训，学习了叉车作业"
              "区的注意事项。下周计划学习出库拣货的路径优化，并尝试用表格统计每日差错率，争取把差错控制在千分之一以内。")


def make_people(*, mentor=None, tutor=None):
    mentor = mentor or UserFactory(role=Role.ENTERPRISE)
    tutor = tutor or UserFactory(role=Role.TEACHER)
    organization = make_enterprise(mentor, partner=True)
    major = make_major()
    school_class = make_class(major, 2024, head_teacher=tutor)
    return organization, school_class, mentor, tutor


def make_placement(*, student=None, organization=None, school_class=None, mentor=None, tutor=None,
                   starts_on=None, weeks: int = 12, latitude="30.274100", longitude="120.155100",
                   radius_m: int = 500, student_user=None) -> Placement:
    if organization is None:
        organization, school_class, mentor, tutor = make_people(mentor=mentor, tutor=tutor)
    student = student or make_student(school_class, user=student_user)
    starts_on = starts_on or timezone.localdate() - datetime.timedelta(days=14)
    data = services.PlacementData(organization=organization, starts_on=starts_on,
                                  ends_on=starts_on + datetime.timedelta(weeks=weeks, days=-1), mentor=mentor,
                                  tutor=tutor, title="运营实习", latitude=latitude, longitude=longitude,
                                  radius_m=radius_m)
    placement = services._placement_build(actor=tutor, student=student, data=data)
    placement.save()
    return placement


def clip_bytes(*, seconds: float = 2, fps: int = 10, size=(160, 120), suffix=".mp4") -> bytes:
    """A real short MP4 made with cv2.VideoWriter."""
    import cv2
    import numpy as np

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / f"clip{suffix}")
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
        for i in range(int(seconds * fps)):
            frame = np.full((size[1], size[0], 3), (i * 7) % 255, dtype=np.uint8)
            cv2.putText(frame, str(i), (10, size[1] // 2), cv2.FONT_HERSHEY_SIMPLEX, 1, (255, 255, 255), 2)
            writer.write(frame)
        writer.release()
        return Path(path).read_bytes()


def video_upload(data: bytes | None = None, name: str = "week.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else clip_bytes(), content_type="video/mp4")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
