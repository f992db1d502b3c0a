"""Pages for the visual resume: the owner's editor, the share link, the PDF,
and the views of enterprises and staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from .. import permissions as perms
from ..profiles.selectors import student_profile_for_user
from . import selectors, services
from .models import ResumeSection
from .pdf import resume_pdf


def _own_student(request):
    return student_profile_for_user(user=request.user)


def _pdf_response(*, student, sections) -> HttpResponse:
    pdf = resume_pdf(student=student, sections=sections)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="resume-{student.student_number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ResumeView(RoleRequiredMixin, TemplateView):
    """The owner sees every section, marks which are public, and manages the share link."""

    allowed_roles = perms.RESUME_OWNER_ROLES
    template_name = "students/resume.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = _own_student(self.request)
        ctx.update(selectors.resume_context(student=student))
        ctx["owner"] = True
        ctx["all_sections"] = ResumeSection.choices
        ctx["share_url"] = (self.request.build_absolute_uri(f"/students/r/{ctx['settings'].share_token}/")
                            if ctx["settings"].share_token else "")
        return ctx

    def post(self, request):
        student = _own_student(request)
        try:
            services.resume_settings_update(actor=request.user, student=student,
                                           public_sections=request.POST.getlist("public_sections"),
                                           visible_to_enterprises=request.POST.get("visible_to_enterprises") == "on",
                                           headline=request.POST.get("headline", ""))
            messages.success(request, _("Resume settings saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("students:resume")


class ResumeShareView(RoleRequiredMixin, View):
    allowed_roles = perms.RESUME_OWNER_ROLES
    http_method_names = ["post"]
    revoke = False

    def post(self, request):
        student = _own_student(request)
        if self.revoke:
            services.resume_share_revoke(actor=request.user, student=student)
            messages.success(request, _("The share link no longer works."))
        else:
            services.resume_share_create(actor=request.user, student=student)
            messages.success(request, _("A new share link is ready; older links stop working."))
        return redirect("students:resume")


class ResumePdfView(RoleRequiredMixin, View):
    allowed_roles = perms.RESUME_OWNER_ROLES

    def get(self, request):
        return _pdf_response(student=_own_student(request), sections=None)


class SharedResumeView(TemplateView):
    """Anyone with the link: public sections only. 404 once revoked."""

    template_name = "students/resume.html"

    def get(self, request, token: str):
        student, settings_obj = selectors.resume_by_token(token=token)
        ctx = selectors.resume_context(student=student, sections=set(settings_obj.public_sections))
        ctx.update(shared=True, token=token)
        response = self.render_to_response(ctx)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response


class SharedResumePdfView(View):
    def get(self, request, token: str):
        student, settings_obj = selectors.resume_by_token(token=token)
        return _pdf_response(student=student, sections=set(settings_obj.public_sections))


class ResumeBrowseView(RoleRequiredMixin, TemplateView):
    """Enterprises (and school admins) browse the resumes students made visible to partners."""

    allowed_roles = perms.RESUME_LIST_ROLES
    template_name = "students/resume_browse.html"

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        ctx = super().get_context_data(**kwargs)
        ctx["page"] = Paginator(selectors.resumes_visible_to_enterprises(), 50).get_page(self.request.GET.get("page"))
        return ctx


class StudentResumeView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.RESUME_BROWSER_ROLES
    template_name = "students/resume.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student, sections = selectors.resume_for_viewer(user=self.request.user,
                                                      student_number=self.kwargs["student_number"])
        ctx.update(selectors.resume_context(student=student, sections=sections))
        ctx["viewer_pdf"] = True
        return ctx


class StudentResumePdfView(RoleRequiredMixin, View):
    allowed_roles = perms.RESUME_BROWSER_ROLES

    def get(self, request, student_number: str):
        student, sections = selectors.resume_for_viewer(user=request.user, student_number=student_number)
        return _pdf_response(student=student, sections=sections)
