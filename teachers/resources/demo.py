"""Demo: resources of every kind from teachers, an enterprise and the industry association; the
school has reviewed them all but the enterprise's customer-review dataset, which waits in the
administrator's moderation queue."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role

from ..models import Competency, Course
from . import samples, services
from .models import Resource
from .previews import preview_render


def seed(ctx) -> None:
    teacher, mentor = ctx.demo_users.get(Role.TEACHER), ctx.demo_users.get(Role.ENTERPRISE)
    master, admin = ctx.demo_users.get(Role.INDUSTRY), ctx.demo_users.get(Role.SCHOOL_ADMIN)
    if not (teacher and mentor and master and admin) or Resource.objects.exists():
        return
    courses = {c.code: c for c in Course.objects.filter(code__in=["EC302", "EC303", "EC304", "BD402"])}
    comps = {(c.major.code, c.code): c for c in Competency.objects.select_related("major")}
    items = [
        (teacher, "网店运营课件 · Online-shop operation slides", "courseware", "school", "EC302",
         [("ecommerce", "ec-operation")], "ec302-slides.pdf", samples.pdf_bytes("EC302 Online-shop operation")),
        (teacher, "直播间搭建示范视频 · Setting up a live-stream room", "video", "partners", "EC303",
         [("ecommerce", "new-media")], "live-room.mp4", samples.mp4_bytes()),
        (teacher, "店铺销售数据集（脱敏）· Anonymised shop sales", "dataset", "public", "EC304",
         [("ecommerce", "data-analysis")], "shop-sales.csv",
         "日期,订单数,GMV,转化率\n2025-10-01,132,15840.5,0.031\n2025-10-02,141,16920.0,0.033\n".encode()),
        (mentor, "企业真实案例：双11大促复盘 · Double-11 campaign review", "case", "partners", "EC303",
         [("ecommerce", "marketing"), ("ecommerce", "new-media")], "double11-case.pdf",
         samples.pdf_bytes("Double-11 campaign review (enterprise case)")),
        (master, "行业技能标准：直播电商 · Skill standard: live commerce", "courseware", "public", None,
         [("ecommerce", "new-media")], "skill-standard.docx", samples.docx_bytes()),
        (teacher, "商品主图示例 · Product hero images", "courseware", "school", "EC302",
         [("ecommerce", "photography")], "hero.png", samples.png_bytes()),
        (mentor, "用户评论数据集 · Customer reviews", "dataset", "partners", "BD402",
         [("bigdata", "ml-ai")], "reviews.zip", samples.zip_bytes()),
    ]
    left_waiting = items[-1][1]
    for actor, title, kind, visibility, course, tags, name, data in items:
        course_obj = courses.get(course) if course else None
        resource = services.resource_upload(
            actor=actor, upload=SimpleUploadedFile(name, data), title=title, kind=kind, visibility=visibility,
            description=title, course=course_obj, major=course_obj.major if course_obj else comps[tags[0]].major,
            competencies=[comps[t] for t in tags if t in comps])
        preview_render(resource=resource)
        if resource.status == Resource.Status.PENDING and title != left_waiting:
            services.resource_review(actor=admin, resource=resource, approve=True, note="")
    waiting = Resource.objects.filter(status=Resource.Status.PENDING).count()
    ctx.log(f"teachers: {Resource.objects.count()} shared resources, {waiting} awaiting review")
