"""The two standard templates: four-in-one (teacher 0.3, mentor 0.3, master 0.2, peers 0.2)
and three-party (no peers), on the four dimensions of the design card with their
sub-criteria, mapped to a major's competencies. Used by the demo and the tests; school
administrators edit them (each edit is a new version)."""

from __future__ import annotations

from decimal import Decimal

from teachers.models import Major

from .models import RubricTemplate
from .services import rubric_template_save

D = Decimal

DIMENSIONS = [
    ("basic", "基本技能", "Basic skills", D("0.2"), [
        ("tools", "工具与软件使用", "Tools and software", D("0.5")),
        ("norms", "操作规范", "Working to standards", D("0.5")),
    ]),
    ("comprehensive", "综合技能", "Comprehensive skills", D("0.3"), [
        ("problem", "分析与解决问题", "Analysing and solving problems", D("0.6")),
        ("teamwork", "沟通与协作", "Communication and teamwork", D("0.4")),
    ]),
    ("professional", "职业能力", "Professional ability", D("0.3"), [
        ("tasks", "岗位任务完成", "Completing the post's tasks", D("0.6")),
        ("innovation", "创新与改进", "Innovation and improvement", D("0.4")),
    ]),
    ("quality", "职业素养", "Professional quality", D("0.2"), [
        ("attitude", "敬业与责任", "Dedication and responsibility", D("0.5")),
        ("discipline", "纪律与诚信", "Discipline and integrity", D("0.5")),
    ]),
]

FOUR_IN_ONE = {"teacher": (D("0.3"), True), "mentor": (D("0.3"), True), "master": (D("0.2"), False),
               "peer": (D("0.2"), True)}
THREE_PARTY = {"teacher": (D("0.4"), True), "mentor": (D("0.4"), True), "master": (D("0.2"), False)}


def _competency_map(major: Major) -> dict[str, dict[int, Decimal]]:
    """Each dimension speaks for two of the major's competencies (in framework order)."""
    ids = list(major.competencies.order_by("order", "code").values_list("pk", flat=True))
    if not ids:
        return {}
    pick = {"basic": (0, 1), "comprehensive": (2, 3), "professional": (4, 5), "quality": (6, 0)}
    return {code: {ids[i % len(ids)]: D("1") if n == 0 else D("0.5") for n, i in enumerate(idx)}
            for code, idx in pick.items()}


def default_spec(*, major: Major, family: str, parties: dict, name: str, name_en: str) -> dict:
    mapping = _competency_map(major)
    return {
        "family": family, "name": name, "name_en": name_en, "major_id": major.pk,
        "excellent_threshold": D("85"), "excellent_top_share": None, "reward_points": 50, "appeal_days": 7,
        "parties": {p: {"weight": w, "required": req} for p, (w, req) in parties.items()},
        "dimensions": [
            {"code": code, "name": zh, "name_en": en, "weight": w,
             "criteria": [{"code": c, "name": czh, "name_en": cen, "weight": cw} for c, czh, cen, cw in criteria],
             "competencies": mapping.get(code, {})}
            for code, zh, en, w, criteria in DIMENSIONS
        ],
    }


def default_templates_ensure(*, actor=None, major: Major) -> dict[str, RubricTemplate]:
    """The current four-in-one and three-party templates of a major (created when missing)."""
    found = {}
    for kind, parties, name, name_en in (
        ("four", FOUR_IN_ONE, "四位一体评价", "Four-in-one evaluation"),
        ("three", THREE_PARTY, "三方评价", "Three-party evaluation"),
    ):
        family = f"{major.code}-{kind}"
        template = RubricTemplate.objects.filter(family=family, is_current=True).first()
        if template is None:
            template = rubric_template_save(actor=actor, spec=default_spec(
                major=major, family=family, parties=parties, name=f"{major.name}{name}",
                name_en=f"{major.name_en} — {name_en}"))
        found[kind] = template
    return found
