"""Students' pages of the talent market: browse postings with their fit, a posting
with the explanation and the application form, their applications, and the career
profile they write for employers. Also the files of that profile, for whoever may see them."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin
from teachers.models import Competency, Major

from . import permissions as perms
from . import selectors, services
from .career import smart_resume
from .forms import ApplyForm, CareerProfileForm, PortfolioForm, errors_onto
from .matching import matches_for_student
from .models import Application, CareerProfile, PortfolioItem, Posting
from .search import posting_filters_from
from .views import fit_context


def _student_or_none(user):
    if user.role != Role.STUDENT:
        return None
    try:
        return selectors.student_for_user(user=user)
    except Http404:
        return None


class PostingBrowseView(RoleRequiredMixin, TemplateView):
    """Open postings with filters; a student sees their fit on each."""

    allowed_roles = perms.POSTING_READER_ROLES
    template_name = "enterprises/posting_browse.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = _student_or_none(self.request.user)
        params = self.request.GET.copy()
        if student is not None and "major" not in params:
            params["major"] = student.major.code
        try:
            filters = posting_filters_from(params)
        except ApplicationError as exc:
            messages.error(self.request, "; ".join(" ".join(v) for v in (exc.extra or {}).values()))
            filters = posting_filters_from({})
        page = Paginator(selectors.postings_published(filters=filters), 20).get_page(self.request.GET.get("page"))
        matches = matches_for_student(student, list(page.object_list)) if student is not None else {}
        query = params.copy()
        query.pop("page", None)
        ctx.update(query=query.urlencode(), page=page, rows=[(p, matches.get(p.pk)) for p in page.object_list], student=student,
                   params=params, kinds=Posting.Kind.choices, majors=Major.objects.order_by("code"),
                   competencies=Competency.objects.select_related("major").order_by("major__code", "order"))
        return ctx


class PostingView(RoleRequiredMixin, TemplateView):
    """A posting: its requirements and, for a student, their fit explained (the radar
    over the requirement polygon, the shortfalls and what would close them) and the form."""

    allowed_roles = perms.POSTING_READER_ROLES
    template_name = "enterprises/posting_view.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posting = selectors.posting_get_for_user(user=self.request.user, posting_id=self.kwargs["posting_id"])
        student = _student_or_none(self.request.user)
        ctx.update(posting=posting, student=student, form=kwargs.get("form") or ApplyForm(),
                   profile=selectors.profile_for_organization(organization=posting.organization))
        if student is not None:
            ctx.update(fit_context(student=student, posting=posting),
                       application=Application.objects.filter(posting=posting, student=student).first(),
                       eligible=posting.majors.filter(pk=student.major_id).exists())
        return ctx

    def post(self, request, posting_id: int):
        if request.user.role != Role.STUDENT:
            raise Http404
        posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
        form = ApplyForm(request.POST)
        if form.is_valid():
            try:
                services.application_create(actor=request.user, posting=posting,
                                            cover_note=form.cleaned_data["cover_note"])
                messages.success(request, _("Your application was sent."))
                return redirect("enterprises:my_applications")
            except ApplicationError as exc:
                errors_onto(form, exc)
        return self.render_to_response(self.get_context_data(form=form))


class MyApplicationsView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.APPLICANT_ROLES
    template_name = "enterprises/my_applications.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = selectors.student_for_user(user=self.request.user)
        ctx["page"] = Paginator(selectors.applications_for_student(student=student), 20).get_page(
            self.request.GET.get("page"))
        return ctx


class MyApplicationView(RoleRequiredMixin, TemplateView):
    """One of the student's applications: the stage, the history, the interview, the
    reason when not successful, and the answer to an offer."""

    allowed_roles = perms.APPLICANT_ROLES
    template_name = "enterprises/my_application.html"

    def get_application(self) -> Application:
        application = selectors.application_get_for_user(user=self.request.user,
                                                         application_id=self.kwargs["application_id"])
        if application.student.user_id != self.request.user.pk:
            raise Http404
        return application

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        application = self.get_application()
        ctx.update(application=application, events=list(application.events.all()),
                   **fit_context(student=application.student, posting=application.posting))
        return ctx

    def post(self, request, application_id: int):
        application = self.get_application()
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.application_withdraw(actor=request.user, application=application)
                messages.success(request, _("You withdrew your application."))
            elif action in ("accept", "decline"):
                services.application_respond(actor=request.user, application=application, accept=action == "accept")
                messages.success(request, _("Your answer was sent."))
            else:
                messages.error(request, _("Unknown action."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("enterprises:my_application", application.pk)


class CareerProfileView(RoleRequiredMixin, TemplateView):
    """The student writes what employers read, chooses who may find it, and sees the
    smart summary and the postings it fits best."""

    allowed_roles = perms.APPLICANT_ROLES
    template_name = "enterprises/career_profile.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = selectors.student_for_user(user=self.request.user)
        profile = selectors.career_profile_for(student=student)
        ctx.update(student=student, profile=profile, smart=smart_resume(student=student),
                   form=kwargs.get("form") or CareerProfileForm(instance=profile),
                   portfolio_form=kwargs.get("portfolio_form") or PortfolioForm(),
                   portfolio=list(profile.portfolio.all()) if profile.pk else [])
        return ctx

    def post(self, request):
        student = selectors.student_for_user(user=request.user)
        if "portfolio" in request.POST:
            form = PortfolioForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.portfolio_item_add(actor=request.user, student=student, title=form.cleaned_data["title"],
                                                upload=form.cleaned_data["file"])
                    messages.success(request, _("Work sample added."))
                    return redirect("enterprises:career_profile")
                except ApplicationError as exc:
                    errors_onto(form, exc)
            return self.render_to_response(self.get_context_data(portfolio_form=form))
        if request.POST.get("delete_item"):
            item = get_object_or_404(PortfolioItem.objects.select_related("profile__student"),
                                     pk=request.POST["delete_item"], profile__student=student)
            services.portfolio_item_delete(actor=request.user, item=item)
            messages.success(request, _("Work sample removed."))
            return redirect("enterprises:career_profile")
        profile = selectors.career_profile_for(student=student)
        form = CareerProfileForm(request.POST, request.FILES, instance=CareerProfile(student=student))
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in CareerProfileForm.Meta.fields}
            try:
                services.career_profile_update(actor=request.user, student=student, data=data,
                                               photo=form.cleaned_data.get("photo_upload"),
                                               remove_photo=form.cleaned_data.get("remove_photo", False))
                messages.success(request, _("Career profile saved."))
                return redirect("enterprises:career_profile")
            except ApplicationError as exc:
                errors_onto(form, exc)
        form.instance = profile
        return self.render_to_response(self.get_context_data(form=form))


class CareerFileView(RoleRequiredMixin, View):
    """A photo or work sample, for the student, their school staff and the employers
    who may see the student (selectors.student_access_for_user); 404 for anyone else."""

    allowed_roles = perms.POSTING_READER_ROLES

    def get(self, request, student_number: str, item: str):
        access = selectors.student_access_for_user(user=request.user, student_number=student_number)
        profile = CareerProfile.objects.filter(student=access.student).first()
        if profile is None:
            raise Http404
        if item == "photo":
            if not profile.photo:
                raise Http404
            handle, content_type = profile.photo, profile.photo_content_type
        else:
            if not item.isdigit():
                raise Http404
            entry = get_object_or_404(PortfolioItem, pk=int(item), profile=profile)
            handle, content_type = entry.file, entry.content_type
        try:
            response = FileResponse(handle.open("rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'"
        response["Cache-Control"] = "private, max-age=300"
        return response
