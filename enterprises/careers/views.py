"""Pages of careers after graduation: the school's destinations page and import, the
graduate's survey, the employer's feedback, and demand vs supply."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin
from students.models import StudentProfile
from teachers.gradebook_io import MAX_IMPORT_BYTES
from teachers.models import Competency, Major

from .. import selectors as market_selectors
from . import permissions as perms
from . import selectors, services
from .forms import DestinationForm
from .imports import destinations_export, destinations_import
from .models import Destination, DestinationCategory, SurveyRound

PAGE_ROWS = 200


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class CareersAdminView(RoleRequiredMixin, TemplateView):
    """Destinations of a graduating class by round, the survey rounds, import and export."""

    allowed_roles = perms.CAREERS_ADMIN_ROLES
    template_name = "enterprises/careers/admin.html"

    def context(self, request, report=None) -> dict:
        years = selectors.graduation_years()
        year = _int(request.GET.get("year"), years[0] if years else timezone.localdate().year)
        kind = request.GET.get("round") if request.GET.get("round") in SurveyRound.Kind.values else "graduation"
        summary = selectors.destination_summary(graduation_year=year, kind=kind)
        labels = dict(DestinationCategory.choices)
        qs = selectors.destinations_for_user(user=request.user, graduation_year=year).filter(
            survey_round__kind=kind)
        return {"years": sorted(years, reverse=True), "year": year, "kind": kind, "kinds": SurveyRound.Kind.choices,
                "categories": [(labels[c], summary["by_category"].get(c, 0)) for c in DestinationCategory.values],
                "summary": summary, "destinations": list(qs[:PAGE_ROWS]), "more": max(0, qs.count() - PAGE_ROWS),
                "rounds": SurveyRound.objects.order_by("-graduation_year", "opens_on")[:24], "report": report}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.context(self.request)}


class CareersImportView(RoleRequiredMixin, View):
    allowed_roles = perms.CAREERS_ADMIN_ROLES

    def post(self, request):
        page = CareersAdminView()
        page.request = request
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_IMPORT_BYTES:
            messages.error(request, _("Choose a CSV or XLSX file to import.") if upload is None
                           else _("The file is larger than 10 MB."))
            return render(request, page.template_name, page.context(request), status=400)
        try:
            report = destinations_import(actor=request.user, upload_name=upload.name or "", data=upload.read())
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, page.template_name, page.context(request), status=400)
        if not report.ok:
            messages.error(request, _("Nothing was imported: %(n)d row(s) have problems. Fix them and import the file "
                                      "again.") % {"n": report.error_count})
            return render(request, page.template_name, page.context(request, report=report), status=400)
        messages.success(request, _("Imported %(rows)d destination(s).") % {"rows": report.applied})
        return redirect("enterprises:careers_admin")


class CareersExportView(RoleRequiredMixin, View):
    allowed_roles = perms.CAREERS_ADMIN_ROLES

    def get(self, request, fmt: str):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        content, content_type, filename = destinations_export(graduation_year=_int(request.GET.get("year")), fmt=fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SurveyView(RoleRequiredMixin, TemplateView):
    """A graduate's rounds and their answers."""

    allowed_roles = perms.SURVEY_ROLES
    template_name = "enterprises/careers/survey.html"

    def get_context_data(self, **kwargs):
        student = selectors.graduate_or_none(user=self.request.user)
        if student is None:  # a current student: the survey starts at graduation
            return {**super().get_context_data(**kwargs), "student": None, "rounds": []}
        answers = {d.survey_round_id: d for d in selectors.destinations_for_user(user=self.request.user)}
        today = timezone.localdate()
        rounds = [{"round": r, "answer": answers.get(r.pk), "open": r.is_open_on(today)}
                  for r in selectors.survey_rounds_for_graduate(student=student)]
        return {**super().get_context_data(**kwargs), "student": student, "rounds": rounds}


class SurveyFillView(RoleRequiredMixin, View):
    allowed_roles = perms.SURVEY_ROLES
    template_name = "enterprises/careers/survey_fill.html"

    def _round(self, request, round_id):
        student = selectors.graduate_for_user(user=request.user)
        return student, selectors.survey_round_for_graduate(student=student, round_id=round_id)

    def _render(self, request, survey_round, form, status=200):
        return render(request, self.template_name, {"round": survey_round, "form": form,
                                                    "open": survey_round.is_open_on(timezone.localdate())},
                      status=status)

    def get(self, request, round_id: int):
        student, survey_round = self._round(request, round_id)
        answer = Destination.objects.filter(student=student, survey_round=survey_round).first()
        initial = {}
        if answer:
            initial = {f: getattr(answer, f) for f in ("category", "employer_name", "position", "job_family",
                                                       "salary_band", "city", "started_on")}
            initial["counterpart"] = "" if answer.counterpart is None else ("yes" if answer.counterpart else "no")
        return self._render(request, survey_round, DestinationForm(initial=initial))

    def post(self, request, round_id: int):
        _student, survey_round = self._round(request, round_id)
        form = DestinationForm(request.POST)
        if not form.is_valid():
            return self._render(request, survey_round, form, status=400)
        data = dict(form.cleaned_data)
        data["counterpart"] = {"yes": True, "no": False}.get(data.pop("counterpart") or "")
        try:
            services.destination_submit(actor=request.user, survey_round=survey_round,
                                        data=services.DestinationData(**data))
        except ApplicationError as exc:
            for name, errors in (exc.extra or {}).items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            messages.error(request, exc.message)
            return self._render(request, survey_round, form, status=400)
        messages.success(request, _("Thank you: your answer was saved."))
        return redirect("enterprises:careers_survey")


class FeedbackMixin(RoleRequiredMixin):
    allowed_roles = perms.FEEDBACK_ROLES

    def organization(self):
        return market_selectors.organization_required(user=self.request.user)


class FeedbackHomeView(FeedbackMixin, TemplateView):
    """The interns and graduates the organisation may rate, and what it rated."""

    template_name = "enterprises/careers/feedback.html"

    def get_context_data(self, **kwargs):
        organization = self.organization()
        subjects = selectors.feedback_subjects(organization_id=organization.pk)
        for subject in subjects:
            subject["rounds"] = [{"round": r, "done": r.pk in subject["rated_rounds"]}
                                 for r in services.feedback_rounds_for(student=subject["student"],
                                                                       kind=subject["kind"])]
        return {**super().get_context_data(**kwargs), "organization": organization, "subjects": subjects,
                "given": list(selectors.feedback_for_user(user=self.request.user,
                                                          organization_id=organization.pk)[:50])}


class FeedbackRateView(FeedbackMixin, View):
    template_name = "enterprises/careers/feedback_rate.html"

    def _subject(self, request, student_number: str, round_id: int):
        organization = self.organization()
        student = StudentProfile.objects.select_related("user", "major").filter(
            student_number=student_number).first()
        if student is None:
            raise Http404
        kind = services.feedback_kind_for(organization_id=organization.pk, student=student)
        if kind is None:  # not an intern or graduate of this organisation: it does not exist for them
            raise Http404
        survey_round = next((r for r in services.feedback_rounds_for(student=student, kind=kind)
                             if r.pk == round_id), None)
        if survey_round is None:
            raise Http404
        return organization, student, kind, survey_round

    def _render(self, request, student, kind, survey_round, *, values=None, errors=None, status=200):
        competencies = list(Competency.objects.filter(major_id=student.major_id).order_by("order", "code"))
        values = values or {}
        return render(request, self.template_name, {
            "student": student, "kind": kind, "round": survey_round, "errors": errors or {},
            "competencies": [{"c": c, "value": values.get(c.code, "")} for c in competencies],
            "comment": values.get("__comment", ""), "scale": range(1, 6)}, status=status)

    def get(self, request, student_number: str, round_id: int):
        _org, student, kind, survey_round = self._subject(request, student_number, round_id)
        return self._render(request, student, kind, survey_round)

    def post(self, request, student_number: str, round_id: int):
        organization, student, kind, survey_round = self._subject(request, student_number, round_id)
        ratings: dict[str, int] = {}
        values: dict[str, str] = {"__comment": request.POST.get("comment", "")}
        for key, value in request.POST.items():
            if key.startswith("rating-"):
                code = key.removeprefix("rating-")
                values[code] = value
                ratings[code] = _int(value, -1)
        try:
            services.feedback_submit(actor=request.user, organization_id=organization.pk, student=student,
                                     survey_round=survey_round, ratings=ratings, comment=values["__comment"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self._render(request, student, kind, survey_round, values=values, errors=exc.extra,
                                status=exc.status_code)
        messages.success(request, _("Thank you: your feedback was saved."))
        return redirect("enterprises:careers_feedback")


class DemandSupplyView(RoleRequiredMixin, TemplateView):
    """Demand vs supply of one major and year, with the trend and the reform links."""

    allowed_roles = perms.DEMAND_SUPPLY_ROLES
    template_name = "enterprises/careers/demand_supply.html"

    def get_context_data(self, **kwargs):
        from ..demand_supply import demand_supply, demand_years

        majors = list(Major.objects.order_by("code"))
        code = self.request.GET.get("major")
        major = next((m for m in majors if m.code == code), majors[0] if majors else None)
        ctx = {**super().get_context_data(**kwargs), "majors": majors, "major": major}
        if major is None:
            return ctx
        years = demand_years(major=major)
        default_year = max((y for y in years if y <= timezone.localdate().year), default=timezone.localdate().year)
        year = _int(self.request.GET.get("year"), default_year)
        if not 1990 <= year <= 2100:
            raise Http404
        result = demand_supply(major=major, year=year)
        chart = {"labels": [str(r.name) for r in result.rows],
                 "level": [None if r.level is None else round(100 * r.level, 1) for r in result.rows],
                 "mean": [None if r.mean is None else round(100 * r.mean, 1) for r in result.rows],
                 "feedback": [None if r.feedback is None else round((r.feedback - 1) * 25, 1) for r in result.rows],
                 "trend": result.trend}
        return {**ctx, "years": years, "year": year, "result": result, "chart": chart}
