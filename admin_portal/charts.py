"""Chart data of the dashboard, drawn by Chart.js in the page (static/js/dashboard.js) and by
matplotlib in the PDF report (admin_portal/report.py): one description for both."""

from __future__ import annotations

from django.utils.translation import gettext as _


def dashboard_charts(cards, labels: dict, *, rooms: list[dict] | None = None, targets=None) -> list[dict]:
    """[{"id", "title", "type": "bar"|"line", "labels", "datasets": [{"label", "data"}], "percent"}]"""
    charts: list[dict] = []
    keys = list(labels)
    by_code = {card.kpi.code: card for card in cards}
    students = by_code.get("students")
    if students and students.groups:
        charts.append({"id": "chart-students", "title": str(students.kpi.name), "type": "bar",
                       "labels": [labels[k] for k in keys],
                       "datasets": [{"label": str(students.kpi.name),
                                     "data": [(students.groups.get(k).value if students.groups.get(k) else 0)
                                              for k in keys]}]})
    rate_cards = [c for c in cards if c.kpi.unit == "rate" and c.groups]
    if rate_cards:
        charts.append({"id": "chart-rates", "title": _("Rates by group"), "type": "bar", "percent": True,
                       "labels": [labels[k] for k in keys],
                       "datasets": [{"label": str(c.kpi.name),
                                     "data": [(c.groups[k].value if k in c.groups else None) for k in keys]}
                                    for c in rate_cards]})
    for card in cards:
        if card.figure is not None and card.figure.breakdown and card.kpi.code != "order_class_places":
            items = list(card.figure.breakdown.items())
            charts.append({"id": f"chart-{card.kpi.code}", "title": str(card.kpi.name),
                           "type": "bar", "percent": card.kpi.code == "competency_radar",
                           "labels": [str(label) for label, _v in items],
                           "datasets": [{"label": str(card.kpi.name), "data": [v for _l, v in items]}]})
    if rooms:
        charts.append({"id": "chart-rooms", "title": _("Training-room utilisation"), "type": "bar", "percent": True,
                       "labels": [r["room"].code for r in rooms],
                       "datasets": [{"label": _("Utilisation"), "data": [r["utilisation"] or 0 for r in rooms]}]})
    if targets:
        charts.extend(target_trend_charts(targets))
    return charts


def target_trend_charts(trend: dict) -> list[dict]:
    """One line chart per target: target and actual over the plan's years."""
    charts = []
    for s in trend["series"]:
        charts.append({"id": f"chart-target-{s['code']}", "title": s["name"], "type": "line",
                       "percent": s["unit"] == "rate", "labels": [str(y) for y in trend["years"]],
                       "datasets": [{"label": _("Target"), "data": s["target"]},
                                    {"label": _("Actual"), "data": s["actual"]}]})
    return charts
