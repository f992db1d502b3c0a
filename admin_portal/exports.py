"""Every table of the dashboard as XLSX, through accounts.spreadsheets.xlsx_bytes (string cells
are typed text: a name like "=HYPERLINK(...)" is never a formula)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.dashboard import Scope, kpi_registry
from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role
from accounts.spreadsheets import xlsx_bytes

from . import selectors
from .permissions import dashboard_scope_check

TABLES = ("kpis", "kpi", "targets", "rooms", "equipment", "bookings", "services", "audit", "moderation")
TEACHER_TABLES = ("kpis", "kpi", "bookings")


def _num(value):
    return None if value is None else round(float(value), 6)


def _scope(request) -> Scope:
    scope = selectors.scope_from_params(request.GET)
    dashboard_scope_check(request.user, scope)
    return scope


def export_table(table: str, request) -> tuple[bytes, str]:
    builder = globals()[f"_export_{table}"]
    header, rows, name = builder(request)
    return xlsx_bytes(header, rows, sheet=name[:31]), f"{name}.xlsx"


def _export_kpis(request):
    scope = _scope(request)
    teacher_view = request.user.role == Role.TEACHER
    cards = selectors.dashboard_cards(scope, teacher_view=teacher_view)
    level, labels = selectors.group_labels(scope)
    header = [_("Code"), _("Figure"), _("Group"), _("Value"), _("Numerator"), _("Denominator"), _("Unit"),
              _("How it is computed")]
    rows = []
    for card in cards:
        f = card.figure
        rows.append([card.kpi.code, str(card.kpi.name), _("School") if card.school_wide else _("Scope"),
                     _num(f.value if f else None), f.numerator if f else None, f.denominator if f else None,
                     card.kpi.unit, str(card.kpi.help)])
        for key, label in labels.items():
            g = card.groups.get(key)
            if g is not None:
                rows.append([card.kpi.code, str(card.kpi.name), label, _num(g.value), g.numerator, g.denominator,
                             card.kpi.unit, ""])
    return header, rows, f"kpis-{scope.year}"


def _export_kpi(request):
    kpi = kpi_registry().get(request.GET.get("code", ""))
    if kpi is None:
        raise ApplicationError(_("Unknown figure."), code="invalid")
    scope = _scope(request)
    if kpi.school_wide_only and request.user.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("School-wide figures are for school administrators."))
    drill = selectors.kpi_drilldown(kpi, scope)
    if drill["level"] == "student":
        header = [_("Student number"), _("Name"), str(kpi.name)]
        rows = [[r.student_number, r.name, r.value] for r in drill["rows"]]
    else:
        header = [_("Group"), _("Value"), _("Numerator"), _("Denominator")]
        rows = [[g["label"], _num(g["figure"].value) if g["figure"] else None,
                 g["figure"].numerator if g["figure"] else None, g["figure"].denominator if g["figure"] else None]
                for g in drill["groups"]]
        if drill["figure"] is not None:
            rows.append([_("Total"), _num(drill["figure"].value), drill["figure"].numerator,
                         drill["figure"].denominator])
    return header, rows, f"{kpi.code}-{scope.year}"


def _export_targets(request):
    scope = selectors.scope_from_params({"year": request.GET.get("year", "")})
    lines = selectors.targets_for_year(scope.year)
    header = [_("Year"), _("Code"), _("Target"), _("Actual"), _("Unit"), _("Status")]
    rows = [[line.year, line.code, line.target, _num(line.actual), line.unit, str(line.status_label)] for line in lines]
    return header, rows, f"targets-{scope.year}"


def _export_rooms(request):
    scope = selectors.scope_from_params({"year": request.GET.get("year", "")})
    header = [_("Code"), _("Room"), _("Kind"), _("Seats"), _("Bookable hours per week"), _("Equipment"),
              _("Bookings"), _("Booked hours"), _("Utilisation")]
    rows = [[r["room"].code, r["room"].display_name, str(r["room"].get_kind_display()), r["room"].seats,
             r["room"].weekly_hours, r["equipment"], r["bookings"], round(r["booked_hours"], 2), _num(r["utilisation"])]
            for r in selectors.rooms_with_utilisation(scope.year)]
    return header, rows, f"rooms-{scope.year}"


def _export_equipment(request):
    header = [_("Asset code"), _("Name"), _("Room"), _("Quantity"), _("Status")]
    rows = [[e.asset_code, e.name, e.room.code if e.room else "", e.quantity, str(e.get_status_display())]
            for e in selectors.equipment_list()]
    return header, rows, "equipment"


def _export_bookings(request):
    header = [_("Room"), _("Starts at"), _("Ends at"), _("Booked by"), _("Class"), _("Studio"), _("Purpose")]
    rows = [[b.room.code, b.starts_at.strftime("%Y-%m-%d %H:%M"), b.ends_at.strftime("%Y-%m-%d %H:%M"),
             b.booked_by.username, b.school_class.name if b.school_class else "",
             b.studio.display_title if b.studio else "", b.purpose]
            for b in selectors.bookings_list(user=request.user)]
    return header, rows, "bookings"


def _export_services(request):
    header = [_("Date"), _("Kind"), _("Enterprise"), _("Teacher"), _("Title"), _("Hours")]
    rows = [[s.provided_on.isoformat(), str(s.get_kind_display()), s.enterprise.name,
             s.teacher.username if s.teacher else "", s.title, float(s.hours)] for s in selectors.service_records()]
    return header, rows, "services"


def _export_audit(request):
    from .forms import AuditFilterForm

    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        raise ApplicationError(_("The submitted data is invalid."), code="invalid")
    header = [_("When"), _("Actor"), _("Action"), _("Target"), _("Data")]
    rows = [[e.created_at.strftime("%Y-%m-%d %H:%M:%S"), e.actor.username if e.actor else "", e.action,
             f"{e.target_type}:{e.target_id}" if e.target_type else "", str(e.data)]
            for e in selectors.audit_log_filtered(**form.cleaned_data)[:10000]]
    return header, rows, "audit-log"


def _export_moderation(request):
    header = [_("Queue"), _("Id"), _("Title"), _("From"), _("Submitted")]
    rows = [[str(q["label"]), item["id"], item["title"], item["by"],
             item["when"].strftime("%Y-%m-%d %H:%M") if item["when"] else ""]
            for q in selectors.moderation_queues(limit=1000) for item in q["items"]]
    return header, rows, "moderation"
