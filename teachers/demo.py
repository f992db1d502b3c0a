"""Demo curriculum core: two majors with their competency frameworks, terms, classes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .models import (
    Competency,
    Course,
    CourseCompetencyWeight,
    CourseOffering,
    Major,
    Program,
    ProgramCourse,
    SchoolClass,
    Term,
)

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
# The demo's "now": the autumn term 2025-2026-1 has just been graded, so first-years
# have one term of grades, second-years three and third-years five.
LAST_GRADED_TERM = (2025, 1)

# code, name, English name, credits, semester, {competency code: weight}
COURSES = {
    "ecommerce": [
        ("EC101", "电子商务基础", "Introduction to e-commerce", 3, 1, {"ec-operation": 1, "marketing": 0.5}),
        ("EC102", "市场营销", "Principles of marketing", 3, 1, {"marketing": 1}),
        ("EC103", "管理学基础", "Fundamentals of management", 2, 1, {"ec-operation": 0.5, "customer-service": 0.5}),
        ("EC104", "办公软件高级应用", "Office software", 2, 1, {"data-analysis": 0.5}),
        ("EC201", "商品拍摄", "Product photography", 3, 2, {"photography": 1}),
        ("EC202", "Photoshop图像处理", "Image processing with Photoshop", 4, 2, {"photography": 1, "shop-design": 0.5}),
        ("EC203", "消费者行为分析", "Consumer behaviour", 2, 2, {"marketing": 0.6, "customer-service": 0.4}),
        ("EC204", "客户服务与管理", "Customer service management", 3, 2, {"customer-service": 1}),
        ("EC301", "网店美工设计", "Online-shop art design", 4, 3, {"shop-design": 1}),
        ("EC302", "网店运营", "Online-shop operation", 4, 3, {"ec-operation": 1, "data-analysis": 0.3}),
        ("EC303", "新媒体营销", "New-media marketing", 3, 3, {"new-media": 1, "marketing": 0.5}),
        ("EC304", "电子商务数据分析", "E-commerce data analysis", 3, 3, {"data-analysis": 1}),
        ("EC401", "短视频与直播运营", "Short video & live-stream operation", 4, 4, {"new-media": 1, "photography": 0.4}),
        ("EC402", "搜索引擎营销", "Search engine marketing", 3, 4, {"marketing": 1, "data-analysis": 0.4}),
        ("EC403", "跨境电子商务", "Cross-border e-commerce", 3, 4, {"ec-operation": 1, "customer-service": 0.3}),
        ("EC404", "视觉营销设计", "Visual merchandising design", 3, 4, {"shop-design": 1, "photography": 0.3}),
        ("EC501", "电子商务综合实训", "Integrated e-commerce practice", 6, 5,
         {"ec-operation": 1, "shop-design": 0.5, "new-media": 0.5, "data-analysis": 0.5}),
        ("EC502", "数据化运营", "Data-driven operation", 3, 5, {"data-analysis": 1, "ec-operation": 0.5}),
        ("EC503", "客户关系管理", "Customer relationship management", 2, 5, {"customer-service": 1, "marketing": 0.3}),
        ("EC504", "社群运营", "Community operation", 2, 5, {"new-media": 1, "customer-service": 0.3}),
        ("EC601", "电子商务顶岗实习", "E-commerce internship", 12, 6,
         {"ec-operation": 1, "customer-service": 1, "marketing": 0.5, "new-media": 0.5}),
        ("EC602", "电子商务毕业设计", "E-commerce graduation project", 4, 6,
         {"ec-operation": 0.5, "data-analysis": 0.5, "shop-design": 0.5}),
    ],
    "bigdata": [
        ("BD101", "Python程序设计", "Python programming", 4, 1, {"programming": 1}),
        ("BD102", "计算机网络基础", "Computer networks", 3, 1, {"platforms": 0.6}),
        ("BD103", "应用数学", "Applied mathematics", 3, 1, {"ml-ai": 0.5, "data-visualisation": 0.3}),
        ("BD104", "Linux操作系统", "Linux operating system", 3, 1, {"platforms": 1, "programming": 0.3}),
        ("BD201", "MySQL数据库", "MySQL databases", 4, 2, {"database": 1}),
        ("BD202", "Java程序设计", "Java programming", 4, 2, {"programming": 1}),
        ("BD203", "网络爬虫技术", "Web crawling", 3, 2, {"data-collection": 1, "programming": 0.4}),
        ("BD204", "统计学基础", "Statistics", 3, 2, {"data-visualisation": 0.6, "ml-ai": 0.4}),
        ("BD301", "Hadoop大数据平台", "Hadoop platform", 4, 3, {"platforms": 1, "database": 0.3}),
        ("BD302", "数据清洗与预处理", "Data cleaning & preprocessing", 3, 3, {"data-collection": 1}),
        ("BD303", "数据可视化", "Data visualisation", 3, 3, {"data-visualisation": 1}),
        ("BD304", "NoSQL数据库", "NoSQL databases", 3, 3, {"database": 1, "platforms": 0.3}),
        ("BD401", "Spark大数据分析", "Big-data analysis with Spark", 4, 4,
         {"platforms": 0.6, "data-visualisation": 0.6, "programming": 0.3}),
        ("BD402", "机器学习", "Machine learning", 4, 4, {"ml-ai": 1, "programming": 0.3}),
        ("BD403", "数据仓库技术", "Data warehousing", 3, 4, {"database": 1, "data-collection": 0.4}),
        ("BD404", "大数据项目实训", "Big-data project practice", 4, 4, {"project-practice": 1, "data-collection": 0.3}),
        ("BD501", "深度学习应用", "Applied deep learning", 3, 5, {"ml-ai": 1}),
        ("BD502", "大数据平台运维", "Big-data platform operation", 3, 5, {"platforms": 1}),
        ("BD503", "商业数据分析", "Business data analysis", 3, 5, {"data-visualisation": 1, "ml-ai": 0.3}),
        ("BD504", "综合项目实践", "Capstone project", 6, 5, {"project-practice": 1, "programming": 0.5, "database": 0.3}),
        ("BD601", "大数据顶岗实习", "Big-data internship", 12, 6,
         {"project-practice": 1, "platforms": 0.5, "data-collection": 0.5}),
        ("BD602", "大数据毕业设计", "Big-data graduation project", 4, 6, {"project-practice": 1, "ml-ai": 0.3}),
    ],
}


def semester_term(intake_year: int, semester: int) -> tuple[int, int]:
    return intake_year + (semester - 1) // 2, (semester - 1) % 2 + 1
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
    seed_curriculum(ctx, majors)
    ctx.log(f"teachers: {len(majors)} majors, {SchoolClass.objects.count()} classes")
    from .reform.demo import seed as seed_reforms
    from .resources.demo import seed as seed_resources
    from .supervision.demo import seed as seed_supervision

    seed_reforms(ctx)
    seed_supervision(ctx)
    seed_resources(ctx)


def seed_curriculum(ctx, majors: dict[str, Major]) -> None:
    """Programs with their courses, credits and competency weights; offerings of every
    course already taught to every class (graded later by students.demo)."""
    courses: dict[str, Course] = {c.code: c for c in Course.objects.all()}
    new = []
    for major_code, rows in COURSES.items():
        for code, name, name_en, _credits, semester, weights in rows:
            if code not in courses:
                kind = Course.Kind.PRACTICE if semester >= 5 and len(weights) > 2 else Course.Kind.INTEGRATED
                new.append(Course(code=code, name=name, name_en=name_en, major=majors[major_code], kind=kind))
    for course in Course.objects.bulk_create(new):
        courses[course.code] = course
    # One recognised golden course (the construction plan's target counts them).
    first_code = next(iter(COURSES.values()))[0][0]
    Course.objects.filter(code=first_code, golden_level="").update(
        golden_level=Course.GoldenLevel.PROVINCIAL, golden_year=timezone.localdate().year - 1)
    competencies = {(c.major_id, c.code): c.pk for c in Competency.objects.all()}
    terms = {(t.start_year, t.number): t for t in Term.objects.all()}
    for major_code, major in majors.items():
        for year in INTAKE_YEARS:
            program, created = Program.objects.get_or_create(
                major=major, intake_year=year,
                defaults={"name": f"{major.name}专业{year}级人才培养方案",
                          "name_en": f"{major.name_en} talent-training program, {year} intake"},
            )
            if created or not program.program_courses.exists():
                pcs = ProgramCourse.objects.bulk_create([
                    ProgramCourse(program=program, course=courses[code], credits=credits, semester=semester)
                    for code, _n, _e, credits, semester, _w in COURSES[major_code]
                ])
                CourseCompetencyWeight.objects.bulk_create([
                    CourseCompetencyWeight(program_course=pc, competency_id=competencies[(major.pk, comp)], weight=weight)
                    for pc, row in zip(pcs, COURSES[major_code], strict=True)
                    for comp, weight in row[5].items()
                ])
    teacher_ids = ctx.teacher_ids or [None]
    demo_teacher = ctx.demo_users.get("teacher")
    existing = set(CourseOffering.objects.values_list("course_id", "term_id", "school_class_id"))
    offerings = []
    classes = list(SchoolClass.objects.filter(major__in=majors.values(), intake_year__in=INTAKE_YEARS).select_related("major").order_by("code"))
    for class_index, school_class in enumerate(classes):
        for course_index, (code, _n, _e, _c, semester, _w) in enumerate(COURSES[school_class.major.code]):
            key = semester_term(school_class.intake_year, semester)
            if key > LAST_GRADED_TERM or key not in terms:
                continue
            course, term = courses[code], terms[key]
            if (course.pk, term.pk, school_class.pk) in existing:
                continue
            teacher_id = teacher_ids[(class_index * 3 + course_index) % len(teacher_ids)]
            # The demo teacher teaches the demo student's class its current courses.
            if demo_teacher is not None and school_class.code == "ecommerce-2024-01" and key == LAST_GRADED_TERM:
                teacher_id = demo_teacher.pk
            offerings.append(CourseOffering(course=course, term=term, school_class=school_class, teacher_id=teacher_id))
    CourseOffering.objects.bulk_create(offerings, batch_size=2000)
    ctx.log(f"teachers: {Program.objects.count()} programs, {Course.objects.count()} courses, "
            f"{CourseOffering.objects.count()} offerings")
