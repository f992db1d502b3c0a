"""Quality co-supervision pages: plans, observations, findings and their rectification
tasks, the per-course quality trend, and students' end-of-course feedback."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Role, User
from accounts.permissions import RoleRequiredMixin

from ..curriculum.forms import BootstrapMixin
from ..curriculum.selectors import course_get_for_user
from ..curriculum.views import _form_page
from ..models import CourseOffering, Term
from ..permissions import FEEDBACK_ROLES, PROGRAM_ADMIN_ROLES, SUPERVISION_ROLES, is_school_admin
from . import selectors, services
from .models import OBSERVATION_CRITERIA, EvidenceFile, Finding, Observation, RectificationTask


class PlanForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(label=gettext_lazy("Term"), queryset=Term.objects.order_by("-start_year", "-number"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    supervisors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Supervisors (school, enterprise, industry)"), required=False,
        queryset=User.objects.filter(role__in=(Role.TEACHER, Role.SCHOOL_ADMIN, Role.ENTERPRISE, Role.INDUSTRY),
                                     is_active=True).order_by("role", "username"))


def _date(value: str, default: datetime.date | None = None) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        if default is not None:
            return default
        raise ApplicationError(_("Give a date as YYYY-MM-DD."), code="date") from None


class SupervisionHomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = SUPERVISION_ROLES
    template_name = "teachers/supervision/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        tasks = list(selectors.tasks_for_user(user=user).order_by("status", "deadline")[:200])
        today = datetime.date.today()
        for t in tasks:
            t.overdue = t.status == RectificationTask.Status.OPEN and t.deadline < today
        ctx.update(plans=selectors.plans_for_user(user=user), tasks=tasks, can_plan=is_school_admin(user),
                   my_open=[t for t in tasks if t.owner_id == user.pk and t.status == "open"])
        return ctx


class PlanCreateView(RoleRequiredMixin, View):
    allowed_roles = PROGRAM_ADMIN_ROLES

    def get(self, request):
        return _form_page(request, form=PlanForm(), title=_("New supervision plan"),
                          back_url="teachers:supervision_home", back_label=_("Quality supervision"))

    def post(self, request):
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(actor=request.user, term=data["term"], title=data["title"],
                                            description=data["description"], supervisors=list(data["supervisors"]))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("teachers:supervision_plan", plan_id=plan.pk)
        return _form_page(request, form=form, title=_("New supervision plan"),
                          back_url="teachers:supervision_home", back_label=_("Quality supervision"), status=400)


class PlanDetailView(RoleRequiredMixin, View):
    allowed_roles = SUPERVISION_ROLES
    template_name = "teachers/supervision/plan.html"

    def render_plan(self, request, plan, status=200):
        return render(request, self.template_name, {
            "plan": plan, "offerings": selectors.plan_offerings(plan=plan),
            "observations": Observation.objects.filter(plan=plan).select_related(
                "offering__course", "offering__school_class", "supervisor")[:200],
            "tasks": selectors.tasks_for_user(user=request.user).filter(finding__plan=plan).order_by("status", "deadline"),
            "criteria": OBSERVATION_CRITERIA, "severities": Finding.Severity.choices, "sources": Finding.Source.choices,
            "today": datetime.date.today(), "supervisors": plan.supervisors.all(),
        }, status=status)

    def get(self, request, plan_id: int):
        return self.render_plan(request, selectors.plan_get_for_user(user=request.user, plan_id=plan_id))


class PlanActionView(RoleRequiredMixin, View):
    allowed_roles = SUPERVISION_ROLES
    action = ""

    def post(self, request, plan_id: int):
        plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
        post = request.POST
        offering = CourseOffering.objects.filter(pk=post.get("offering") or 0).select_related("course", "teacher").first()
        try:
            if offering is None:
                raise ApplicationError(_("Choose an offering."), code="offering")
            if self.action == "observe":
                services.observation_file(
                    actor=request.user, plan=plan, offering=offering,
                    observed_on=_date(post.get("observed_on"), datetime.date.today()),
                    scores={code: post.get(f"score-{code}") for code, _label in OBSERVATION_CRITERIA},
                    comments=post.get("comments", ""))
                messages.success(request, _("Observation filed."))
            elif self.action == "finding":
                services.finding_file(actor=request.user, plan=plan, offering=offering,
                                      description=post.get("description", ""), action=post.get("action", ""),
                                      deadline=_date(post.get("deadline")), severity=post.get("severity", "minor"),
                                      source=post.get("source", "observation"))
                messages.success(request, _("Finding filed; the teacher has a rectification task."))
            else:
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return PlanDetailView().render_plan(request, plan, status=exc.status_code)
        return redirect("teachers:supervision_plan", plan_id=plan.pk)


class TaskDetailView(RoleRequiredMixin, View):
    allowed_roles = SUPERVISION_ROLES
    template_name = "teachers/supervision/task.html"

    def render_task(self, request, task, status=200):
        user = request.user
        return render(request, self.template_name, {
            "task": task, "events": task.events.select_related("actor").prefetch_related("files"),
            "evidence_formats": ", ".join(sorted(f.upper() for f in services.EVIDENCE_FORMATS)),
            "evidence_max_mb": services.EVIDENCE_MAX_BYTES // (1024 * 1024),
            "evidence_max_files": services.EVIDENCE_MAX_FILES,
            "is_owner": task.owner_id == user.pk,
            "is_supervisor": services.is_supervisor(user=user, plan=task.finding.plan),
            "overdue": task.status == "open" and task.deadline < datetime.date.today(),
        }, status=status)

    def get(self, request, task_id: int):
        return self.render_task(request, selectors.task_get_for_user(user=request.user, task_id=task_id))


class TaskActionView(RoleRequiredMixin, View):
    allowed_roles = SUPERVISION_ROLES
    action = ""

    def post(self, request, task_id: int):
        task = selectors.task_get_for_user(user=request.user, task_id=task_id)
        note = request.POST.get("note", "")
        try:
            if self.action == "evidence":
                services.evidence_submit(actor=request.user, task=task, note=note,
                                         files=request.FILES.getlist("files"))
                messages.success(request, _("Evidence submitted; the supervisor will verify it."))
            elif self.action == "close":
                services.task_close(actor=request.user, task=task, note=note)
                messages.success(request, _("Verified and closed."))
            elif self.action == "reopen":
                deadline = request.POST.get("deadline")
                services.task_reopen(actor=request.user, task=task, note=note,
                                     deadline=_date(deadline) if deadline else None)
                messages.success(request, _("Task reopened."))
            else:
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
            task.refresh_from_db()
            return TaskDetailView().render_task(request, task, status=exc.status_code)
        return redirect("teachers:supervision_task", task_id=task.pk)


class EvidenceFileView(RoleRequiredMixin, View):
    """An evidence file, for those who may see its task (owner, filer, supervisors, administrators)."""

    allowed_roles = SUPERVISION_ROLES

    def get(self, request, file_id: int):
        evidence = get_object_or_404(EvidenceFile, pk=file_id)
        selectors.task_get_for_user(user=request.user, task_id=evidence.task_id)
        response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                                content_type=evidence.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CourseQualityView(RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.TEACHER, Role.SCHOOL_ADMIN)
    template_name = "teachers/supervision/quality.html"

    def get_context_data(self, course_id: int, **kwargs):
        ctx = super().get_context_data(**kwargs)
        course = course_get_for_user(user=self.request.user, course_id=course_id)
        rows = selectors.course_quality_trend(course=course)
        ctx.update(course=course, rows=rows, chart={
            "labels": [r["term"] for r in rows], "observation": [r["observation"] for r in rows],
            "feedback": [r["feedback"] for r in rows]})
        return ctx


class FeedbackView(RoleRequiredMixin, View):
    allowed_roles = FEEDBACK_ROLES
    template_name = "teachers/supervision/feedback.html"

    def get(self, request, status=200):
        return render(request, self.template_name, {
            "offerings": selectors.feedback_offerings_for_student(user=request.user)}, status=status)

    def post(self, request):
        offering = get_object_or_404(CourseOffering, pk=request.POST.get("offering") or 0)
        try:
            services.feedback_submit(actor=request.user, offering=offering, rating=request.POST.get("rating"),
                                     comment=request.POST.get("comment", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.get(request, status=exc.status_code)
        messages.success(request, _("Thank you: your feedback goes to the teaching-quality loop."))
        return redirect("teachers:course_feedback")
