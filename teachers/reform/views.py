"""Course reform pages: list, propose (optionally prefilled with a competency), edit,
the side-by-side diff with reviews and votes, decisions, and the impact preview."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import User
from accounts.permissions import RoleRequiredMixin

from ..models import Competency
from ..permissions import REFORM_PROPOSER_ROLES, REFORM_ROLES, is_school_admin
from . import services
from .forms import content_from_post, form_context
from .impact import preview_programs, reform_impact_preview
from .models import Reform, ReformComment, ReformReviewer, ReformVote
from .selectors import (
    course_current_content,
    reform_can_edit,
    reform_diff,
    reform_get_for_user,
    reformer_courses,
    reforms_for_user,
    reviewer_candidates,
)


class ReformListView(RoleRequiredMixin, TemplateView):
    allowed_roles = REFORM_ROLES
    template_name = "teachers/reform/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reforms = reforms_for_user(user=self.request.user)
        status = self.request.GET.get("status", "")
        if status in Reform.Status.values:
            reforms = reforms.filter(status=status)
        ctx.update(reforms=reforms[:200], statuses=Reform.Status.choices, status=status,
                   can_propose=self.request.user.role in REFORM_PROPOSER_ROLES)
        return ctx


class ReformCreateView(RoleRequiredMixin, View):
    """`?course=<id>` picks the course; `?competency=<code>` (with `&major=<code>` when the
    code is ambiguous) prefills a reform that strengthens that competency — the entry point
    the demand-vs-supply gaps link to."""

    allowed_roles = REFORM_PROPOSER_ROLES
    template_name = "teachers/reform/form.html"

    def _focus(self, request) -> Competency | None:
        code = request.GET.get("competency") or request.POST.get("focus_competency") or ""
        qs = Competency.objects.select_related("major").filter(code=code)
        if request.GET.get("major"):
            qs = qs.filter(major__code=request.GET["major"])
        return qs.first() if code else None

    def get(self, request):
        focus = self._focus(request)
        courses = reformer_courses(user=request.user)
        if focus is not None:
            courses = courses.filter(major=focus.major)
        course_id = request.GET.get("course")
        if not course_id or not str(course_id).isdigit():
            return render(request, "teachers/reform/pick_course.html",
                          {"courses": courses, "focus": focus})
        course = get_object_or_404(courses, pk=course_id)
        content = course_current_content(course=course)
        title = _("Strengthen %(competency)s in %(course)s") % {"competency": focus.display_name,
                                                               "course": course.display_name} if focus else ""
        return render(request, self.template_name, {
            "course": course, "focus": focus, "title_value": title, "rationale": "",
            **form_context(course=course, content=content, focus=focus.code if focus else ""),
        })

    def post(self, request):
        course = get_object_or_404(reformer_courses(user=request.user), pk=request.POST.get("course") or 0)
        focus = self._focus(request)
        content = content_from_post(request.POST)
        try:
            reform = services.reform_create(actor=request.user, course=course, title=request.POST.get("title", ""),
                                            rationale=request.POST.get("rationale", ""),
                                            focus_competency=focus.code if focus else "", content=content)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, self.template_name, {
                "course": course, "focus": focus, "title_value": request.POST.get("title", ""),
                "rationale": request.POST.get("rationale", ""),
                **form_context(course=course, content=content, focus=focus.code if focus else ""),
            }, status=exc.status_code)
        messages.success(request, _("Reform saved as a draft. Invite reviewers, then submit it."))
        return redirect("teachers:reform_detail", reform_id=reform.pk)


class ReformEditView(RoleRequiredMixin, View):
    allowed_roles = REFORM_PROPOSER_ROLES
    template_name = "teachers/reform/form.html"

    def _reform(self, request, reform_id):
        reform = reform_get_for_user(user=request.user, reform_id=reform_id)
        if not reform_can_edit(user=request.user, reform=reform):
            raise PermissionDenied
        return reform

    def get(self, request, reform_id: int):
        reform = self._reform(request, reform_id)
        content = {k: getattr(reform, k) for k in ("objectives", "modules", "components", "weights", "credits")}
        return render(request, self.template_name, {
            "reform": reform, "course": reform.course, "title_value": reform.title, "rationale": reform.rationale,
            **form_context(course=reform.course, content=content, focus=reform.focus_competency)})

    def post(self, request, reform_id: int):
        reform = self._reform(request, reform_id)
        content = content_from_post(request.POST)
        try:
            services.reform_update(actor=request.user, reform=reform, title=request.POST.get("title", ""),
                                   rationale=request.POST.get("rationale", ""), content=content)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, self.template_name, {
                "reform": reform, "course": reform.course, "title_value": request.POST.get("title", ""),
                "rationale": request.POST.get("rationale", ""),
                **form_context(course=reform.course, content=content, focus=reform.focus_competency)},
                status=exc.status_code)
        messages.success(request, _("Reform saved."))
        return redirect("teachers:reform_detail", reform_id=reform.pk)


class ReformDetailView(RoleRequiredMixin, View):
    allowed_roles = REFORM_ROLES
    template_name = "teachers/reform/detail.html"

    def get(self, request, reform_id: int):
        reform = reform_get_for_user(user=request.user, reform_id=reform_id)
        return render(request, self.template_name, self.context(request, reform))

    @staticmethod
    def context(request, reform: Reform) -> dict:
        user = request.user
        sections = reform_diff(reform=reform)
        comments = list(ReformComment.objects.filter(reform=reform).select_related("author"))
        for section in sections:
            section.comments = [c for c in comments if c.section == section.section]
        general = [c for c in comments if c.section == ReformComment.Section.GENERAL]
        reviewers = list(ReformReviewer.objects.filter(reform=reform).select_related("reviewer"))
        votes = {v.reviewer_id: v for v in ReformVote.objects.filter(reform=reform)}
        for r in reviewers:
            r.vote = votes.get(r.reviewer_id)
        is_reviewer = any(r.reviewer_id == user.pk for r in reviewers)
        is_proposer = reform.proposer_id == user.pk
        impact, programs = None, []
        if reform.status in (Reform.Status.DRAFT, Reform.Status.REVIEW) and user.role in REFORM_PROPOSER_ROLES:
            programs = list(preview_programs(reform=reform))
            chosen = request.GET.get("program")
            program = next((p for p in programs if str(p.pk) == chosen), programs[0] if programs else None)
            if program is not None:
                impact = reform_impact_preview(reform=reform, program=program)
        invited = {r.reviewer_id for r in reviewers}
        return {
            "reform": reform, "sections": sections, "general_comments": general, "reviewers": reviewers,
            "is_reviewer": is_reviewer, "is_proposer": is_proposer, "is_admin": is_school_admin(user),
            "can_edit": reform_can_edit(user=user, reform=reform),
            "can_comment": (is_reviewer or is_proposer or is_school_admin(user)) and reform.status in ("draft", "review"),
            "candidates": [u for u in reviewer_candidates() if u.pk not in invited]
            if (is_proposer or is_school_admin(user)) and reform.status in ("draft", "review") else [],
            "my_vote": votes.get(user.pk), "section_choices": ReformComment.Section.choices,
            "impact": impact, "programs": programs, "version": getattr(reform, "version", None),
            "chart": {"labels": [a.name for a in impact.axes], "before": [round(a.before, 4) for a in impact.axes],
                      "after": [round(a.after, 4) for a in impact.axes]} if impact else None,
            "default_from_year": programs[0].intake_year + 1 if programs else "",
        }


class ReformActionView(RoleRequiredMixin, View):
    """POST-only state changes; each is one service call, refused with a message on bad input."""

    allowed_roles = REFORM_ROLES
    action = ""

    def post(self, request, reform_id: int):
        reform = reform_get_for_user(user=request.user, reform_id=reform_id)
        post = request.POST
        try:
            if self.action == "submit":
                services.reform_submit(actor=request.user, reform=reform)
                messages.success(request, _("Submitted for review; the reviewers were notified."))
            elif self.action == "revise":
                services.reform_revise(actor=request.user, reform=reform)
                messages.success(request, _("Back to draft: edit the reform and submit it again."))
            elif self.action == "invite":
                ids = [int(i) for i in post.getlist("reviewers") if str(i).isdigit()]
                users = list(User.objects.filter(pk__in=ids))
                n = services.reform_invite(actor=request.user, reform=reform, reviewers=users)
                messages.success(request, _("%(n)d reviewer(s) invited.") % {"n": n})
            elif self.action == "comment":
                services.reform_comment(actor=request.user, reform=reform, section=post.get("section", ""),
                                        body=post.get("body", ""))
                messages.success(request, _("Comment added."))
            elif self.action == "vote":
                services.reform_vote(actor=request.user, reform=reform, decision=post.get("decision", ""),
                                     note=post.get("note", ""))
                messages.success(request, _("Your vote is recorded."))
            elif self.action == "approve":
                version = services.reform_approve(actor=request.user, reform=reform,
                                                  from_intake_year=post.get("from_intake_year"),
                                                  note=post.get("note", ""))
                messages.success(request, _("Approved: version %(n)d applies from the %(year)d intake.")
                                 % {"n": version.number, "year": version.applies_from_intake})
            elif self.action == "reject":
                services.reform_reject(actor=request.user, reform=reform, note=post.get("note", ""))
                messages.success(request, _("Reform rejected."))
            else:
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
            reform.refresh_from_db()
            return render(request, ReformDetailView.template_name, ReformDetailView.context(request, reform),
                          status=exc.status_code)
        return redirect("teachers:reform_detail", reform_id=reform.pk)

