"""Pages of the radar: a student's competences (own, or as their teacher), class summaries, chart files."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin
from teachers.selectors import classes_for_user

from ..permissions import CLASS_RADAR_ROLES, HOME_ROLES, RADAR_VIEWER_ROLES
from ..profiles import selectors
from . import charts
from .selectors import class_radar_summary, growth_by_year, radar_explanation, radar_for_student, radar_history
from .tasks import radar_class_chart_task, radar_student_charts_task


def student_chart(student, kind: str):
    lang = charts.current_language()
    data = charts.student_chart_data(student=student, kind=kind)
    status = charts.chart_status(
        subject=charts.student_subject(student.pk), data=data, lang=lang,
        enqueue=lambda: radar_student_charts_task.delay(student.pk, lang, [kind]),
    )
    return data, status


def competences_context(student) -> dict:
    radar = radar_for_student(student=student)
    history = radar_history(student=student)
    return {
        "student": student,
        "radar": radar,
        "explanation": radar_explanation(student=student),
        "history": history,
        "growth": growth_by_year(history),
        "kinds": charts.KINDS,
    }


class MyCompetencesView(RoleRequiredMixin, View):
    """A student's own "My competences" page: radar, growth, explanation."""

    allowed_roles = HOME_ROLES

    def get(self, request):
        student = selectors.student_profile_for_user(user=request.user)
        return render(request, "students/competences.html", {**competences_context(student), "own": True})


class StudentCompetencesView(RoleRequiredMixin, View):
    """The same page for a teacher of the student's class or a school administrator."""

    allowed_roles = RADAR_VIEWER_ROLES

    def get(self, request, student_number: str):
        student = selectors.student_get_for_user(user=request.user, student_number=student_number)
        return render(request, "students/competences.html",
                      {**competences_context(student), "own": student.user_id == request.user.pk})


class StudentChartFragmentView(RoleRequiredMixin, View):
    """htmx: the chart's <img> when rendered, else a placeholder that polls again."""

    allowed_roles = RADAR_VIEWER_ROLES

    def get(self, request, student_number: str, kind: str):
        if kind not in charts.KINDS:
            raise Http404
        student = selectors.student_get_for_user(user=request.user, student_number=student_number)
        data, status = student_chart(student, kind)
        return chart_fragment(request, data, status, "students:competences_chart_image", student.student_number, kind)


def chart_fragment(request, data, status, image_url_name: str, *args):
    """The chart's <img> (PNG and SVG, named by the digest so browsers never show a stale
    one) once rendered, else a placeholder that polls this URL again."""
    def image_url(fmt: str) -> str:
        return reverse(image_url_name, args=[*args, fmt]) + f"?v={status.digest}"

    return render(request, "students/_chart.html", {"status": status, "data": data, "poll_url": request.path,
                                                     "png_url": image_url("png"), "svg_url": image_url("svg")})


def file_or_pending(status, fmt: str):
    name = status.name_png if fmt == "png" else status.name_svg
    if not status.ready:
        response = HttpResponse(status=202)
        response["Retry-After"] = "1"
        return response
    response = FileResponse(default_storage.open(name, "rb"), content_type=charts.FORMATS[fmt])
    response["Cache-Control"] = "private, max-age=300"
    return response


class StudentChartImageView(RoleRequiredMixin, View):
    """The chart image itself (202 with Retry-After while it is being rendered)."""

    allowed_roles = RADAR_VIEWER_ROLES

    def get(self, request, student_number: str, kind: str, fmt: str):
        if kind not in charts.KINDS or fmt not in charts.FORMATS:
            raise Http404
        student = selectors.student_get_for_user(user=request.user, student_number=student_number)
        _data, status = student_chart(student, kind)
        return file_or_pending(status, fmt)


class ClassListView(RoleRequiredMixin, TemplateView):
    allowed_roles = CLASS_RADAR_ROLES
    template_name = "students/class_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["classes"] = classes_for_user(user=self.request.user)
        return ctx


def class_chart(school_class, summary):
    lang = charts.current_language()
    data = charts.class_chart_data(school_class=school_class, summary=summary)
    status = charts.chart_status(
        subject=charts.class_subject(school_class.pk), data=data, lang=lang,
        enqueue=lambda: radar_class_chart_task.delay(school_class.pk, lang),
    )
    return data, status


class ClassCompetencesView(RoleRequiredMixin, View):
    allowed_roles = CLASS_RADAR_ROLES

    def get(self, request, class_id: int):
        school_class = selectors.school_class_get_for_user(user=request.user, class_id=class_id)
        summary = class_radar_summary(school_class=school_class)
        return render(request, "students/class_competences.html", {"school_class": school_class, "summary": summary})


class ClassChartFragmentView(RoleRequiredMixin, View):
    allowed_roles = CLASS_RADAR_ROLES

    def get(self, request, class_id: int):
        school_class = selectors.school_class_get_for_user(user=request.user, class_id=class_id)
        data, status = class_chart(school_class, class_radar_summary(school_class=school_class))
        return chart_fragment(request, data, status, "students:class_chart_image", class_id)


class ClassChartImageView(RoleRequiredMixin, View):
    allowed_roles = CLASS_RADAR_ROLES

    def get(self, request, class_id: int, fmt: str):
        if fmt not in charts.FORMATS:
            raise Http404
        school_class = selectors.school_class_get_for_user(user=request.user, class_id=class_id)
        _data, status = class_chart(school_class, class_radar_summary(school_class=school_class))
        return file_or_pending(status, fmt)
