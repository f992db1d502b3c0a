"""Parse and prefill the reform form: sections as plain inputs (no JS needed)."""

from __future__ import annotations

from ..models import Competency

COMPONENT_ROWS = 6


def modules_to_text(modules: list[dict]) -> str:
    return "\n".join(f"{m.get('title', '')} | {m.get('hours', '')} | {m.get('content', '')}" for m in modules or [])


def modules_from_text(text: str) -> list[dict]:
    modules = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        modules.append({"title": parts[0], "hours": parts[1] if len(parts) > 1 else 0,
                        "content": " | ".join(parts[2:]) if len(parts) > 2 else ""})
    return modules[:50]


def content_from_post(post) -> dict:
    components = []
    for i in range(COMPONENT_ROWS):
        row = {k: post.get(f"comp-{k}-{i}", "").strip() for k in ("code", "name", "weight")}
        if any(row.values()):
            components.append(row)
    weights = {key.removeprefix("w-"): value for key, value in post.items() if key.startswith("w-")}
    return {"objectives": post.get("objectives", ""), "modules": modules_from_text(post.get("modules", "")),
            "components": components, "weights": weights, "credits": post.get("credits", "")}


def form_context(*, course, content: dict, focus: str = "") -> dict:
    """Template context for the section inputs."""
    competencies = list(Competency.objects.filter(major_id=course.major_id).order_by("order", "code")) \
        if course.major_id else []
    weights = content.get("weights") or {}
    components = list(content.get("components") or [])
    components += [{"code": "", "name": "", "weight": ""}] * max(0, COMPONENT_ROWS - len(components))
    return {
        "weight_rows": [{"competency": c, "value": weights.get(c.code, ""), "focus": c.code == focus}
                        for c in competencies],
        "component_rows": components[:COMPONENT_ROWS],
        "modules_text": content["modules"] if isinstance(content.get("modules"), str)
        else modules_to_text(content.get("modules") or []),
        "objectives": content.get("objectives", ""), "credits": content.get("credits", ""),
    }
