"""Demo careers: for the graduated classes of the 2020–2022 intakes (classes of
2023–2025, seeded with their radars by students/profiles/demo.py so that every step of
seed_demo sees them from the first run): survey rounds, destinations in every category,
employers' feedback on their graduates and accepted interns, and talent demand with
competency requirements for the past years (so the demand-vs-supply trend has data).
`graduate_demo` is one of the class of 2025. Idempotent: rows are found by natural keys
and only missing ones are added; real records are handed to the outlook, which is
retrained when new ones arrived."""

from __future__ import annotations

import contextlib
import datetime
import random

from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from students.models import CompetencyAttainment, JobFamily, StudentProfile
from teachers.models import Competency, Major

from ..models import Application, DemandRequirement, TalentDemand
from .models import (
    PROGRAM_YEARS,
    WORKING_CATEGORIES,
    Destination,
    DestinationCategory,
    EmployerFeedback,
    FeedbackRating,
    SurveyRound,
)
from .services import outlook_records_sync, survey_round_get_or_create

GRADUATED_INTAKES = (2020, 2021, 2022)  # students/profiles/demo.py seeds these classes

# the competencies each job family asks for (minimum attainment) in the demo's demand
FAMILY_NEEDS = {
    JobFamily.OPERATIONS: {"ec-operation": 0.75, "data-analysis": 0.65, "project-practice": 0.7, "platforms": 0.6},
    JobFamily.MARKETING: {"new-media": 0.8, "marketing": 0.75},
    JobFamily.DESIGN: {"photography": 0.7, "shop-design": 0.8},
    JobFamily.CUSTOMER: {"customer-service": 0.7, "ec-operation": 0.5},
    JobFamily.DATA: {"data-visualisation": 0.8, "ml-ai": 0.75, "data-collection": 0.65},
    JobFamily.ENGINEERING: {"programming": 0.8, "database": 0.75, "platforms": 0.7},
}
FAMILIES = {"ecommerce": [JobFamily.OPERATIONS, JobFamily.MARKETING, JobFamily.DESIGN, JobFamily.CUSTOMER],
            "bigdata": [JobFamily.DATA, JobFamily.ENGINEERING, JobFamily.OPERATIONS]}
POSITIONS = {JobFamily.OPERATIONS: "运营专员", JobFamily.MARKETING: "新媒体运营", JobFamily.DESIGN: "美工设计",
             JobFamily.CUSTOMER: "客服专员", JobFamily.DATA: "数据分析助理", JobFamily.ENGINEERING: "大数据开发"}
CITIES = ["杭州", "宁波", "上海", "苏州", "温州", "义乌"]
CATEGORY_WEIGHTS = [(DestinationCategory.EMPLOYED, 62), (DestinationCategory.FURTHER_STUDY, 12),
                    (DestinationCategory.ENTREPRENEURSHIP, 5), (DestinationCategory.ENLISTED, 3),
                    (DestinationCategory.FLEXIBLE, 8), (DestinationCategory.NOT_EMPLOYED, 10)]


def _graduates(majors: list[Major]) -> list[StudentProfile]:
    """The graduated classes seeded by students' demo (students/profiles/demo.py)."""
    return list(StudentProfile.objects.select_related("user", "major").filter(
        major__in=majors, status=StudentProfile.Status.GRADUATED, intake_year__in=GRADUATED_INTAKES))


def _rounds(today: datetime.date) -> list[SurveyRound]:
    rounds = []
    for intake in GRADUATED_INTAKES:
        year = intake + PROGRAM_YEARS
        for kind in SurveyRound.Kind.values:
            if SurveyRound.opening_date(year, kind) <= today:
                survey_round = survey_round_get_or_create(graduation_year=year, kind=kind)
                if survey_round.notified_at is None and survey_round.closes_on < today:
                    survey_round.notified_at = timezone.make_aware(
                        datetime.datetime.combine(survey_round.opens_on, datetime.time(9)))
                    survey_round.save(update_fields=["notified_at"])
                rounds.append(survey_round)
    return rounds


def _destinations(ctx, graduates, rounds, employers: dict[int, list[Organization]]) -> list[int]:
    rng = random.Random(ctx.seed + 81)
    have = set(Destination.objects.filter(student__in=graduates).values_list("student_id", "survey_round_id"))
    means = {}
    for sid, value in CompetencyAttainment.objects.filter(student__in=graduates).values_list("student_id",
                                                                                             "attainment"):
        means.setdefault(sid, []).append(value)
    admin = User.objects.filter(role=Role.SCHOOL_ADMIN).order_by("pk").first()
    rows, touched = [], set()
    categories, weights = zip(*CATEGORY_WEIGHTS, strict=True)
    for s in sorted(graduates, key=lambda p: p.pk):
        mean = sum(means.get(s.pk, [0.6])) / max(1, len(means.get(s.pk, [])))
        family_pool = FAMILIES.get(s.major.code, [JobFamily.OPERATIONS])
        previous = None
        for r in sorted((r for r in rounds if r.graduation_year == s.intake_year + PROGRAM_YEARS),
                        key=lambda r: r.opens_on):
            if (s.pk, r.pk) in have:
                continue
            if previous and previous not in (DestinationCategory.NOT_EMPLOYED,) and rng.random() < 0.8:
                category = previous  # most graduates stay where they were
            else:
                category = rng.choices(categories, weights=weights)[0]
                if category == DestinationCategory.NOT_EMPLOYED and mean > 0.65 and rng.random() < 0.6:
                    category = DestinationCategory.EMPLOYED
            previous = category
            working = category in WORKING_CATEGORIES
            family = rng.choice(family_pool) if working else ""
            employer = rng.choice(employers.get(s.major_id) or [None]) if category == "employed" else None
            band = "" if not working else ("8k+" if mean > 0.72 else "5-8k" if mean > 0.62 else
                                           rng.choice(["3-5k", "<3k", "3-5k"]))
            rows.append(Destination(
                student=s, survey_round=r, graduation_year=r.graduation_year, major_id=s.major_id,
                school_class_id=s.school_class_id, category=category,
                employer=employer, employer_name=(employer.name if employer else
                                                  "浙江工业大学" if category == "further_study" else
                                                  f"{s.user.display_name}工作室" if category == "entrepreneurship"
                                                  else ""),
                position=POSITIONS.get(family, "") if working else "", job_family=family,
                counterpart=(rng.random() < 0.75) if working else None, salary_band=band,
                city=rng.choice(CITIES) if working else "",
                started_on=r.opens_on + datetime.timedelta(days=rng.randint(0, 40)) if working else None,
                source=Destination.Source.IMPORT if r.kind == "graduation" else Destination.Source.SURVEY,
                recorded_by=admin if r.kind == "graduation" else s.user))
            touched.add(s.pk)
    Destination.objects.bulk_create(rows, batch_size=2000)
    return sorted(touched)


def _feedback(ctx, today: datetime.date) -> int:
    """Each employer rates its graduates (at graduation and one year on) and its accepted
    interns, ratings following the student's radar."""
    rng = random.Random(ctx.seed + 82)
    competencies: dict[int, list[Competency]] = {}
    for c in Competency.objects.order_by("order", "code"):
        competencies.setdefault(c.major_id, []).append(c)
    attain = {(s, c): v for s, c, v in CompetencyAttainment.objects.filter(
        student__status=StudentProfile.Status.GRADUATED).values_list("student_id", "competency_id", "attainment")}
    done = set(EmployerFeedback.objects.values_list("organization_id", "student_id", "survey_round_id"))
    staff = {}
    wanted = []
    for d in Destination.objects.filter(employer__isnull=False, category__in=WORKING_CATEGORIES,
                                        survey_round__kind__in=("graduation", "1y")).select_related(
            "student", "survey_round"):
        wanted.append((d.employer_id, d.student, d.survey_round, EmployerFeedback.Kind.GRADUATE))
    for a in Application.objects.filter(stage=Application.Stage.ACCEPTED, posting__kind="internship").select_related(
            "student", "posting"):
        r = survey_round_get_or_create(graduation_year=a.student.intake_year + PROGRAM_YEARS, kind="graduation")
        wanted.append((a.posting.organization_id, a.student, r, EmployerFeedback.Kind.INTERN))
    made = 0
    for org_id, student, r, kind in wanted:
        if (org_id, student.pk, r.pk) in done:
            continue
        done.add((org_id, student.pk, r.pk))
        if org_id not in staff:
            staff[org_id] = Membership.objects.filter(organization_id=org_id).order_by("pk").values_list(
                "user_id", flat=True).first()
        feedback = EmployerFeedback.objects.create(
            organization_id=org_id, student=student, survey_round=r, kind=kind, major_id=student.major_id,
            created_by_id=staff[org_id],
            year=min(r.opens_on.year, today.year), comment=rng.choice(["工作认真，学习能力强。", "沟通顺畅，需加强数据分析。",
                                                                       "上手快，设计感好。", "基础扎实，责任心强。"]))
        FeedbackRating.objects.bulk_create([
            FeedbackRating(feedback=feedback, competency=c, rating=max(1, min(5, round(
                1 + 4 * attain.get((student.pk, c.pk), 0.55) + rng.gauss(-0.4, 0.6)))))
            for c in competencies.get(student.major_id, [])])
        made += 1
    return made


def _demand(ctx, majors: list[Major], today: datetime.date) -> None:
    """Past years' demand for the trend, and requirements for every demand row without any."""
    rng = random.Random(ctx.seed + 83)
    orgs = {m.pk: list(Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, code__startswith="ent-")
                       .order_by("code"))[i::2][:4] for i, m in enumerate(majors)}
    have = set(TalentDemand.objects.values_list("organization_id", "year", "position_family"))
    new = []
    for major in majors:
        for year in range(today.year - 3, today.year):
            for k, org in enumerate(orgs.get(major.pk, [])):
                family = FAMILIES.get(major.code, [JobFamily.OPERATIONS])[k % len(FAMILIES.get(major.code, [1]))]
                if (org.pk, year, family) not in have:
                    have.add((org.pk, year, family))
                    new.append(TalentDemand(organization=org, year=year, position_family=family, major=major,
                                            headcount=3 + (k + year) % 5, notes="demo"))
    TalentDemand.objects.bulk_create(new)
    comps = {(c.major_id, c.code): c for c in Competency.objects.all()}
    requirements = []
    for demand in TalentDemand.objects.filter(requirements__isnull=True):
        # demand rises a little year by year: the gaps grow unless teaching keeps up
        drift = 0.02 * (demand.year - (today.year - 3))
        for code, minimum in FAMILY_NEEDS.get(demand.position_family, {}).items():
            competency = comps.get((demand.major_id, code))
            if competency is not None:
                requirements.append(DemandRequirement(demand=demand, competency=competency, minimum=round(min(
                    1.0, minimum + drift + rng.uniform(-0.03, 0.03)), 2)))
    DemandRequirement.objects.bulk_create(requirements, ignore_conflicts=True)


def seed(ctx) -> None:
    majors = list(Major.objects.filter(code__in=FAMILIES).order_by("code"))
    if not majors:
        ctx.log("careers: no demo majors; skipped")
        return
    today = timezone.localdate()
    graduates = _graduates(majors)
    rounds = _rounds(today)
    employers = {m.pk: list(Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, code__startswith="ent-")
                            .order_by("code"))[i::2] for i, m in enumerate(majors)}
    touched = _destinations(ctx, graduates, rounds, employers)
    outlook_records_sync(student_ids=touched)
    made = _feedback(ctx, today)
    _demand(ctx, majors, today)
    if touched:  # the outlook learns from the new real records (and says how many it used)
        from accounts.errors import ApplicationError
        from students.services import outlook_train

        for major in majors:
            with contextlib.suppress(ApplicationError):  # too few alumni: the previous model stays
                outlook_train(major=major)
    ctx.log(f"careers: {len(graduates)} graduates, {len(touched)} with new destinations, {made} new feedback")
