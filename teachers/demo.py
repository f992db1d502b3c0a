"""Demo curriculum core: two majors with their competency frameworks, terms, classes."""

from __future__ import annotations

import datetime

from django.db import transaction

from .models import Competency, Major, SchoolClass, Term

MAJORS = {
    "ecommerce": ("电子商务", "E-commerce", [
        ("ec-operation", "电子商务运营", "E-commerce operation"),
        ("photography", "商品拍摄与图像处理", "Product photography & image processing"),
        ("shop-design", "网店美工设计", "Online-shop art design"),
        ("new-media", "新媒体运营", "New-media operation"),
        ("marketing", "营销推广", "Marketing & promotion"),
        ("data-analysis", "数据分析", "Data analysis"),
        ("customer-service", "客户服务", "Customer service"),
    ]),
    "bigdata": ("大数据技术", "Big Data Technology", [
        ("data-collection", "数据采集与清洗", "Data collection & cleaning"),
        ("data-visualisation", "数据分析与可视化", "Data analysis & visualisation"),
        ("platforms", "大数据平台运维", "Big-data platforms"),
        ("ml-ai", "机器学习与人工智能应用", "Machine learning & AI application"),
        ("programming", "程序设计", "Programming"),
        ("database", "数据库技术", "Database"),
        ("project-practice", "项目实践", "Project practice"),
    ]),
}
INTAKE_YEARS = (2023, 2024, 2025)
CLASS_SIZE = 40


@transaction.atomic
def seed(ctx) -> None:
    school = ctx.organizations.get("school")
    majors = {}
    for code, (name, name_en, competencies) in MAJORS.items():
        major, _ = Major.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "school": school})
        majors[code] = major
        for order, (c_code, c_name, c_name_en) in enumerate(competencies):
            Competency.objects.get_or_create(
                major=major, code=c_code, defaults={"name": c_name, "name_en": c_name_en, "order": order}
            )
    for year in range(min(INTAKE_YEARS), max(INTAKE_YEARS) + 1):
        Term.objects.get_or_create(
            start_year=year, number=1,
            defaults={"code": f"{year}-{year + 1}-1", "starts_on": datetime.date(year, 9, 1), "ends_on": datetime.date(year + 1, 1, 20)},
        )
        Term.objects.get_or_create(
            start_year=year, number=2,
            defaults={"code": f"{year}-{year + 1}-2", "starts_on": datetime.date(year + 1, 2, 20), "ends_on": datetime.date(year + 1, 7, 10)},
        )
    # Enough classes for the requested number of students: split evenly over majors x intakes.
    groups = len(majors) * len(INTAKE_YEARS)
    per_group = -(-ctx.students // groups)
    classes_per_group = max(1, -(-per_group // CLASS_SIZE))
    teacher_ids = ctx.teacher_ids or [None]
    index = 0
    for code, major in majors.items():
        for year in INTAKE_YEARS:
            for n in range(1, classes_per_group + 1):
                class_code = f"{code}-{year}-{n:02d}"
                SchoolClass.objects.get_or_create(
                    code=class_code,
                    defaults={
                        "major": major, "intake_year": year,
                        "name": f"{major.name}{str(year)[2:]}级{n}班",
                        "head_teacher_id": teacher_ids[index % len(teacher_ids)],
                    },
                )
                index += 1
    ctx.extra["majors"] = majors
    ctx.log(f"teachers: {len(majors)} majors, {SchoolClass.objects.count()} classes")
