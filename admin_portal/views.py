"""Thin pages of admin_portal: parse, call a selector or service, render. Bad input is a form
error with status 400; a scope the viewer may not see is 403 (admin_portal/permissions.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.background import live_workers_by_queue, task_failures_list
from accounts.dashboard import Scope, kpi_registry
from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin
from accounts.selectors import user_counts_by_role

from . import exports, selectors, services
from .charts import dashboard_charts, target_trend_charts
from .forms import AuditFilterForm, BookingForm, ServiceRecordForm, TargetForm
from .models import Booking
from .permissions import BOOKING_ROLES, DASHBOARD_ROLES, HOME_ROLES, dashboard_scope_check

GROUPS_PER_PAGE = 40  # classes (or majors) per page of the dashboard's group table
BOOKINGS_PER_PAGE = 30


class HomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "admin_portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_counts"] = user_counts_by_role()
        context["work_items"] = selectors.admin_work_items()
        return context


class BackgroundTasksView(RoleRequiredMixin, TemplateView):
    """Failed background tasks, newest first, and which queues have a live worker."""

    allowed_roles = HOME_ROLES
    template_name = "admin_portal/background_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = Paginator(task_failures_list(), 25).get_page(self.request.GET.get("page"))
        context["workers"] = sorted(live_workers_by_queue().items())
        return context


def _filters_context(request, scope: Scope | None) -> dict:
    from teachers.models import SchoolClass

    major = scope.major_code if scope else (request.GET.get("major") or None)
    # (id, name) pairs: a major of a large school has hundreds of classes
    classes = SchoolClass.objects.filter(major__code=major).order_by("-intake_year", "code").values_list(
        "pk", "name") if major else []
    return {"years": selectors.dashboard_years(), "majors": selectors.majors(), "classes": classes,
            "scope": scope, "query": request.GET.urlencode()}


def scope_for_request(request) -> Scope:
    """The validated scope the viewer may see: ApplicationError (400) or PermissionDenied (403)."""
    scope = selectors.scope_from_params(request.GET)
    try:
        dashboard_scope_check(request.user, scope)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    return scope


def _bad_filters(request, exc: ApplicationError, template: str = "admin_portal/school_dashboard.html"):
    context = _filters_context(request, None)
    context.update({"errors": exc.extra or {}, "error": exc.message, "cards": [], "charts": []})
    return render(request, template, context, status=400)


def _errors_into_form(form, exc: ApplicationError, *, with_message: bool = False) -> None:
    """A service's refusal as form errors: its per-field messages, and its message for the form when
    asked or when no field is named."""
    fields = exc.extra or {}
    if with_message or not any(name in form.fields for name in fields):
        form.add_error(None, exc.message)
    for name, errors in fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


class SchoolDashboardView(RoleRequiredMixin, View):
    """The figures of a year, for the school, a major or a class, with charts and drill-downs."""

    allowed_roles = DASHBOARD_ROLES

    def get(self, request):
        try:
            scope = scope_for_request(request)
        except ApplicationError as exc:
            return _bad_filters(request, exc)
        teacher_view = request.user.role == Role.TEACHER
        cards = selectors.dashboard_cards(scope, teacher_view=teacher_view)
        level, labels = selectors.group_labels(scope)
        # A major of a large school has hundreds of classes: the table and the per-group charts
        # show one page of them (the figures of all are computed and cached together).
        groups_page = Paginator(list(labels.items()), GROUPS_PER_PAGE).get_page(request.GET.get("groups"))
        labels = dict(groups_page.object_list)
        rooms = targets = None
        if not teacher_view and not scope.major_code:
            rooms = selectors.rooms_with_utilisation(scope.year)
            targets = selectors.targets_for_year(scope.year)
        context = _filters_context(request, scope)
        context.update({
            "cards": cards, "level": level, "labels": labels, "targets": targets, "rooms": rooms,
            "group_rows": [{"key": k, "label": v,
                            "cells": [selectors.format_value(card.groups[k].value if k in card.groups else None,
                                                             card.kpi.unit) for card in cards if card.groups]}
                           for k, v in labels.items()],
            "group_cards": [card for card in cards if card.groups],
            "charts": dashboard_charts(cards, labels, rooms=rooms),
            "class_obj": _class(scope.class_id),
            "groups_page": groups_page, "groups_query": _without_param(request, "groups"),
        })
        return render(request, "admin_portal/school_dashboard.html", context)


def _class(class_id):
    if not class_id:
        return None
    from teachers.models import SchoolClass

    return SchoolClass.objects.select_related("major").get(pk=class_id)


class KpiDetailView(RoleRequiredMixin, View):
    """One figure's drill-down: per major → per class → per student."""

    allowed_roles = DASHBOARD_ROLES

    def get(self, request, code: str):
        kpi = kpi_registry().get(code)
        if kpi is None:
            raise Http404
        try:
            scope = scope_for_request(request)
        except ApplicationError as exc:
            return _bad_filters(request, exc)
        if kpi.school_wide_only and request.user.role != Role.SCHOOL_ADMIN:
            raise PermissionDenied
        drill = selectors.kpi_drilldown(kpi, scope)
        if kpi.school_wide_only:
            from .dashboard import school_rows

            drill["school_rows"] = school_rows(kpi.code, scope.year)
        context = _filters_context(request, scope)
        context.update({"kpi": kpi, "drill": drill, "class_obj": _class(scope.class_id),
                        "value": selectors.format_value(drill["figure"].value if drill["figure"] else None,
                                                        kpi.unit)})
        labels = {g["key"]: g["label"] for g in drill["groups"]}
        context["charts"] = [{"id": "chart-drill", "title": str(kpi.name), "type": "bar",
                              "percent": kpi.unit == "rate", "labels": list(labels.values()),
                              "datasets": [{"label": str(kpi.name),
                                            "data": [g["figure"].value if g["figure"] else None
                                                     for g in drill["groups"]]}]}] if drill["groups"] else []
        return render(request, "admin_portal/kpi_detail.html", context)


class ExportView(RoleRequiredMixin, View):
    """Any table of the dashboard as XLSX (formula-safe: accounts.spreadsheets.xlsx_bytes)."""

    allowed_roles = DASHBOARD_ROLES

    def get(self, request, table: str):
        if table not in exports.TABLES:
            raise Http404
        if table not in exports.TEACHER_TABLES and request.user.role != Role.SCHOOL_ADMIN:
            raise PermissionDenied
        try:
            content, filename = exports.export_table(table, request)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content,
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ReportPdfView(RoleRequiredMixin, View):
    """The year's report as PDF, charts included (school administrators)."""

    allowed_roles = HOME_ROLES

    def get(self, request):
        from .report import year_report_pdf

        try:
            scope = scope_for_request(request)
        except ApplicationError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(year_report_pdf(scope), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="chanjiao-report-{scope.year}.pdf"'
        return response


class TargetsView(RoleRequiredMixin, View):
    """The construction plan's targets of a year, their actuals and status, the trend over the plan."""

    allowed_roles = HOME_ROLES

    def _context(self, request, year: int, form=None) -> dict:
        trend = selectors.targets_trend()
        lines = trend["by_year"].get(year) or selectors.targets_for_year(year)
        return {"year": year, "years": selectors.dashboard_years(), "lines": lines, "form": form or TargetForm(),
                "charts": target_trend_charts(trend), "plan_years": trend["years"]}

    def get(self, request):
        raw = request.GET.get("year") or str(timezone.localdate().year)
        year = int(raw) if raw.isdigit() else None
        if year not in selectors.dashboard_years():
            context = self._context(request, timezone.localdate().year)
            context["error"] = _("Unknown year.")
            return render(request, "admin_portal/targets.html", context, status=400)
        return render(request, "admin_portal/targets.html", self._context(request, year))

    def post(self, request):
        form = TargetForm(request.POST)
        year = timezone.localdate().year
        if form.is_valid():
            data = form.cleaned_data
            year = data["year"]
            try:
                services.target_set(actor=request.user, year=data["year"], code=data["code"], value=data["value"],
                                    unit=data["unit"])
            except ApplicationError as exc:
                _errors_into_form(form, exc)
            else:
                messages.success(request, _("Target saved."))
                return redirect(reverse("admin_portal:targets") + f"?year={data['year']}")
        if year not in selectors.dashboard_years():
            year = timezone.localdate().year
        return render(request, "admin_portal/targets.html", self._context(request, year, form), status=400)


class EquipmentView(RoleRequiredMixin, View):
    """The register of rooms and equipment, utilisation, and bookings (a teacher sees and makes their own)."""

    allowed_roles = BOOKING_ROLES

    def _context(self, request, form=None) -> dict:
        year = timezone.localdate().year
        classes, studios = selectors.bookable_targets_for(request.user)
        rooms = selectors.rooms_with_utilisation(year)
        return {"rooms": rooms, "equipment": selectors.equipment_list(), "year": year,
                "bookings": Paginator(selectors.bookings_list(user=request.user), BOOKINGS_PER_PAGE)
                .get_page(request.GET.get("bookings")),
                "bookings_query": _without_param(request, "bookings"), "form": form or BookingForm(),
                # (id, name) pairs, not model instances: a large school has thousands of classes
                "classes": classes.values_list("pk", "name"), "studios": studios,
                "charts": dashboard_charts([], {}, rooms=rooms)}

    def get(self, request):
        return render(request, "admin_portal/equipment.html", self._context(request))

    def post(self, request):
        form = BookingForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.booking_create(actor=request.user, room=data["room"], starts_at=data["starts_at"],
                                        ends_at=data["ends_at"], school_class_id=data["school_class"],
                                        studio_id=data["studio"], purpose=data["purpose"])
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                status = exc.status_code
                _errors_into_form(form, exc, with_message=True)
            else:
                messages.success(request, _("Room booked."))
                return redirect("admin_portal:equipment")
        return render(request, "admin_portal/equipment.html", self._context(request, form), status=status)


class BookingCancelView(RoleRequiredMixin, View):
    allowed_roles = BOOKING_ROLES

    def post(self, request, pk: int):
        booking = get_object_or_404(Booking, pk=pk)
        if request.user.role != Role.SCHOOL_ADMIN and booking.booked_by_id != request.user.pk:
            raise Http404
        services.booking_cancel(actor=request.user, booking=booking)
        messages.success(request, _("Booking cancelled."))
        return redirect("admin_portal:equipment")


class ServicesView(RoleRequiredMixin, View):
    """Teachers' consultancy and technical services to enterprises (counted by the plan's figures)."""

    allowed_roles = HOME_ROLES

    def _render(self, request, form=None, status=200):
        page = Paginator(selectors.service_records(), 50).get_page(request.GET.get("page"))
        return render(request, "admin_portal/services.html", {"page": page, "form": form or ServiceRecordForm()},
                      status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        form = ServiceRecordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.service_record_create(actor=request.user, kind=data["kind"], enterprise=data["enterprise"],
                                               teacher=data["teacher"], provided_on=data["provided_on"],
                                               title=data["title"], hours=data["hours"])
            except ApplicationError as exc:
                _errors_into_form(form, exc)
            else:
                messages.success(request, _("Service recorded."))
                return redirect("admin_portal:services")
        return self._render(request, form, status=400)


class ModerationView(RoleRequiredMixin, View):
    """Everything waiting for the school's decision, in one place; decisions go to the owning apps' services."""

    allowed_roles = HOME_ROLES

    def get(self, request):
        return render(request, "admin_portal/moderation.html", {"queues": selectors.moderation_queues()})

    def post(self, request):
        kind = request.POST.get("kind", "")
        raw_id = request.POST.get("id", "")
        decision = request.POST.get("decision", "")
        if not raw_id.isdigit() or decision not in ("approve", "reject"):
            messages.error(request, _("The submitted data is invalid."))
            return render(request, "admin_portal/moderation.html", {"queues": selectors.moderation_queues()},
                          status=400)
        try:
            services.moderation_decide(actor=request.user, kind=kind, item_id=int(raw_id),
                                       approve=decision == "approve", note=request.POST.get("note", ""),
                                       site_url=request.build_absolute_uri("/"))
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise Http404 from exc
            messages.error(request, str(exc.message))
            return render(request, "admin_portal/moderation.html", {"queues": selectors.moderation_queues()},
                          status=exc.status_code)
        messages.success(request, _("Decision recorded."))
        return redirect(reverse("admin_portal:moderation") + f"#{kind}s")


def _without_param(request, param: str = "page") -> str:
    """The request's query string without one pager's parameter (the pager adds it back)."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


class AuditLogView(RoleRequiredMixin, View):
    allowed_roles = HOME_ROLES

    def get(self, request):
        form = AuditFilterForm(request.GET or None)
        status = 200
        filters = {}
        if form.is_bound:
            if form.is_valid():
                filters = form.cleaned_data
            else:
                status = 400
        entries = selectors.audit_log_filtered(**filters) if status == 200 else selectors.audit_log_filtered().none()
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(request, "admin_portal/audit_log.html", {"form": form, "page": page,
                                                               "query": _without_param(request)}, status=status)
