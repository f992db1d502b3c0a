"""Pages of order-based projects, teams, studios and entrepreneurship teams. Thin: parse,
call a selector or service, render. A refused action re-renders its page with the
message and a 4xx status; nothing is written."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Organization, User
from accounts.permissions import RoleRequiredMixin

from . import cohort_services, selectors, services
from .forms import (
    BidForm,
    ModerateForm,
    ProjectForm,
    RatingForm,
    ReviewForm,
    SelectForm,
    TeamForm,
    UploadForm,
    VentureForm,
)
from .models import Project, StudioMember, Venture
from .permissions import (
    HOME_ROLES,
    MODERATE_ROLES,
    PUBLISH_ROLES,
    TEAM_ROLES,
    can_moderate,
    enterprise_ids_for_user,
)
from .uploads import check_upload


class ActionView(RoleRequiredMixin, View):
    """POST-only: run `act`, then go to its page; on ApplicationError re-render the page
    (built by `page_view`) with the message and the error's status."""

    http_method_names = ["post"]
    page_view: type[TemplateView]
    success_message = ""

    def act(self, request, **kwargs):
        raise NotImplementedError

    def page_kwargs(self, **kwargs) -> dict:
        return kwargs

    def post(self, request, **kwargs):
        try:
            target = self.act(request, **kwargs)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return render_page(request, self.page_view, self.page_kwargs(**kwargs), status=exc.status_code)
        if self.success_message:
            messages.success(request, self.success_message)
        return target


def render_page(request, view_class, kwargs: dict, *, status: int = 200, extra: dict | None = None):
    view = view_class()
    view.setup(request, **kwargs)
    context = view.get_context_data(**kwargs) | (extra or {})
    return render(request, view.template_name, context, status=status)


class HomeView(RoleRequiredMixin, TemplateView):
    """What each role has to do in projects, in one place."""

    allowed_roles = HOME_ROLES
    template_name = "projects/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        from . import cohort_selectors as cs

        context = {
            "open_projects": selectors.project_list_for_user(user=user, status=Project.Status.OPEN)[:5],
            "my_projects": selectors.project_list_for_user(user=user, mine=True)[:10]
            if user.role in TEAM_ROLES else selectors.project_list_for_user(user=user)[:10],
            "teams": selectors.teams_for_user(user=user)[:10] if user.role in TEAM_ROLES else [],
            "to_moderate": selectors.projects_awaiting_moderation()[:10] if can_moderate(user) else [],
            "rounds": cs.round_list_for_user(user=user)[:5],
            "designs": cs.designs_for_user(user=user)[:10],
            "studios": selectors.studio_list()[:6],
            "figures": selectors.service_figures() if can_moderate(user) else None,
            "can_publish": bool(enterprise_ids_for_user(user)),
        }
        return super().get_context_data(**kwargs) | context


class ProjectListView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/project_list.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        status = status if status in Project.Status.values else ""
        qs = selectors.project_list_for_user(user=self.request.user, status=status,
                                             q=self.request.GET.get("q", "").strip()[:100])
        page = Paginator(qs, 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {
            "page": page, "status": status, "statuses": Project.Status.choices,
            "query": f"status={status}" if status else "", "can_publish": bool(enterprise_ids_for_user(self.request.user))}


class ProjectCreateView(RoleRequiredMixin, TemplateView):
    allowed_roles = PUBLISH_ROLES
    template_name = "projects/project_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"form": kwargs.get("form") or ProjectForm()}

    def post(self, request):
        form = ProjectForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            competencies = data.pop("competencies")
            ids = enterprise_ids_for_user(request.user)
            try:
                if not ids:
                    raise ApplicationError(_("Your account is not linked to an enterprise."), code="no_enterprise")
                project = services.project_create(actor=request.user, enterprise=Organization.objects.get(pk=ids[0]),
                                                  competency_ids=[c.pk for c in competencies], **data)
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Sent to the school for moderation."))
                return redirect("projects:project_detail", project_id=project.pk)
        return render(request, self.template_name, self.get_context_data(form=form), status=400)


class ProjectDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/project_detail.html"

    def get_context_data(self, project_id: int, **kwargs):
        user = self.request.user
        project = selectors.project_get_for_user(user=user, project_id=project_id)
        owner = project.enterprise_id in enterprise_ids_for_user(user)
        can_see_work = selectors.user_can_see_work(user=user, project=project)
        on_team = selectors.user_on_selected_team(user=user, project=project)
        my_teams = list(selectors.teams_for_user(user=user)) if user.role in TEAM_ROLES else []
        return super().get_context_data(**kwargs) | {
            "project": project, "owner": owner, "on_team": on_team, "can_moderate": can_moderate(user),
            "bids": list(selectors.bids_for_project(user=user, project=project)),
            "milestones": list(selectors.milestones_for_project(project=project)) if can_see_work else [],
            "rating": getattr(project, "rating", None) if project.status == Project.Status.COMPLETED else None,
            "bid_form": kwargs.get("bid_form") or BidForm(teams=my_teams),
            "can_bid": bool(my_teams) and project.status == Project.Status.OPEN,
            "select_form": SelectForm(), "upload_form": UploadForm(), "review_form": ReviewForm(),
            "moderate_form": ModerateForm(), "rating_form": RatingForm(),
        }


class ProjectModerateView(ActionView):
    allowed_roles = MODERATE_ROLES
    page_view = ProjectDetailView

    def act(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        form = ModerateForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Choose whether to publish or return the project."), code="invalid")
        services.project_moderate(actor=request.user, project=project,
                                  approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"])
        return redirect("projects:project_detail", project_id=project.pk)


class ProjectResubmitView(ActionView):
    allowed_roles = PUBLISH_ROLES
    page_view = ProjectDetailView
    success_message = ""

    def act(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        services.project_submit(actor=request.user, project=project)
        return redirect("projects:project_detail", project_id=project.pk)


class BidView(ActionView):
    allowed_roles = TEAM_ROLES
    page_view = ProjectDetailView

    def act(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        teams = list(selectors.teams_for_user(user=request.user))
        form = BidForm(request.POST, teams=teams)
        if not form.is_valid():
            raise ApplicationError(_("Choose your team and write the proposal and the plan."), code="invalid")
        team = selectors.team_get_for_user(user=request.user, team_id=form.cleaned_data["team"])
        services.bid_submit(actor=request.user, project=project, team=team, proposal=form.cleaned_data["proposal"],
                            plan=form.cleaned_data["plan"])
        messages.success(request, _("Your bid is in. The enterprise will choose one team."))
        return redirect("projects:project_detail", project_id=project.pk)


class BidSelectView(ActionView):
    allowed_roles = PUBLISH_ROLES
    page_view = ProjectDetailView

    def page_kwargs(self, bid_id: int):
        return {"project_id": selectors.bid_get_for_user(user=self.request.user, bid_id=bid_id).project_id}

    def act(self, request, bid_id: int):
        bid = selectors.bid_get_for_user(user=request.user, bid_id=bid_id)
        form = SelectForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(" ".join(form.errors.get("milestones", [])) or _("Invalid milestones."),
                                   code="invalid")
        services.bid_select(actor=request.user, bid=bid, milestones=form.cleaned_data["milestones"])
        messages.success(request, _("Team selected; the other teams have been told."))
        return redirect("projects:project_detail", project_id=bid.project_id)


class MilestoneActionView(ActionView):
    """A milestone action; a refusal re-renders the milestone's project page."""

    page_view = ProjectDetailView

    def page_kwargs(self, milestone_id: int):
        return {"project_id": selectors.milestone_get_for_user(user=self.request.user,
                                                               milestone_id=milestone_id).project_id}


class MilestoneSubmitView(MilestoneActionView):
    allowed_roles = TEAM_ROLES

    def act(self, request, milestone_id: int):
        milestone = selectors.milestone_get_for_user(user=request.user, milestone_id=milestone_id)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ApplicationError(_("Choose a file to upload."), code="no_file")
        services.milestone_submit(actor=request.user, milestone=milestone,
                                  checked=check_upload(form.cleaned_data["file"]), note=form.cleaned_data["note"])
        messages.success(request, _("Deliverable handed in."))
        return redirect("projects:project_detail", project_id=milestone.project_id)


class MilestoneReviewView(MilestoneActionView):
    allowed_roles = PUBLISH_ROLES

    def act(self, request, milestone_id: int):
        milestone = selectors.milestone_get_for_user(user=request.user, milestone_id=milestone_id)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Accept the deliverable or return it with comments."), code="invalid")
        services.milestone_review(actor=request.user, milestone=milestone,
                                  accept=form.cleaned_data["decision"] == "accept", comment=form.cleaned_data["comment"])
        return redirect("projects:project_detail", project_id=milestone.project_id)


class DeliverableDownloadView(RoleRequiredMixin, View):
    allowed_roles = HOME_ROLES

    def get(self, request, submission_id: int):
        submission = selectors.submission_get_for_user(user=request.user, submission_id=submission_id)
        response = FileResponse(submission.file.open("rb"), as_attachment=True,
                                filename=submission.original_name or submission.file.name.rsplit("/", 1)[-1],
                                content_type=submission.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ProjectRateView(ActionView):
    allowed_roles = PUBLISH_ROLES
    page_view = ProjectDetailView

    def act(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        form = RatingForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Rate every criterion from 1 to 5."), code="invalid_scores")
        services.project_rate(actor=request.user, project=project, scores=form.scores(),
                              comment=form.cleaned_data["comment"])
        messages.success(request, _("Rated. Each student member has received their points."))
        return redirect("projects:project_detail", project_id=project.pk)


# --- Teams and entrepreneurship teams --------------------------------------------------


class TeamListView(RoleRequiredMixin, TemplateView):
    allowed_roles = TEAM_ROLES
    template_name = "projects/teams.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        teams = list(selectors.teams_for_user(user=user))
        studios = [m.studio for m in StudioMember.objects.filter(user=user, status=StudioMember.Status.ADMITTED)
                   .select_related("studio")]
        return super().get_context_data(**kwargs) | {
            "teams": teams, "form": kwargs.get("form") or TeamForm(studios=studios),
            "venture_form": kwargs.get("venture_form") or VentureForm(teams=[t for t in teams
                                                                              if not hasattr(t, "venture")]),
        }


class TeamCreateView(ActionView):
    allowed_roles = TEAM_ROLES
    page_view = TeamListView

    def act(self, request):
        studios = [m.studio for m in StudioMember.objects.filter(user=request.user).select_related("studio")]
        form = TeamForm(request.POST, studios=studios)
        if not form.is_valid():
            raise ApplicationError(_("Give the team a name."), code="invalid")
        studio = selectors.studio_get(studio_id=form.cleaned_data["studio"]) if form.cleaned_data["studio"] else None
        services.team_create(actor=request.user, name=form.cleaned_data["name"], member_usernames=form.usernames(),
                             studio=studio)
        messages.success(request, _("Team created."))
        return redirect("projects:teams")


class VentureListView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/ventures.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.ventures_list(), 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {
            "page": page, "figures": selectors.service_figures(), "stages": Venture.Stage.choices,
            "mine": selectors.venture_ids_for_user(user=self.request.user)}


class VentureRegisterView(ActionView):
    allowed_roles = TEAM_ROLES
    page_view = TeamListView

    def act(self, request):
        teams = list(selectors.teams_for_user(user=request.user))
        form = VentureForm(request.POST, teams=teams)
        if not form.is_valid():
            raise ApplicationError(_("Choose the team, describe the business and name the mentor."), code="invalid")
        mentor = User.objects.filter(username=form.cleaned_data["mentor"].strip()).first()
        if mentor is None:
            raise ApplicationError(_("No such user: %(names)s") % {"names": form.cleaned_data["mentor"]},
                                   code="unknown_member")
        team = selectors.team_get_for_user(user=request.user, team_id=form.cleaned_data["team"])
        cohort_services.venture_register(actor=request.user, team=team, business=form.cleaned_data["business"],
                                         mentor=mentor, stage=form.cleaned_data["stage"])
        messages.success(request, _("Registered as an entrepreneurship team."))
        return redirect("projects:ventures")


class VentureMilestoneView(ActionView):
    """The team or its mentor records a milestone reached (and, optionally, the new stage)."""

    allowed_roles = (*TEAM_ROLES, "enterprise")
    page_view = VentureListView

    def page_kwargs(self, venture_id: int):
        return {}

    def act(self, request, venture_id: int):
        venture = get_object_or_404(Venture, pk=venture_id)
        if venture.pk not in selectors.venture_ids_for_user(user=request.user):
            raise NotPermitted(_("Only the team and its mentor record milestones."))
        try:
            achieved_on = datetime.date.fromisoformat(request.POST.get("achieved_on", ""))
        except ValueError:
            raise ApplicationError(_("Give the date it was achieved (YYYY-MM-DD)."), code="invalid_date") from None
        cohort_services.venture_milestone_add(actor=request.user, venture=venture,
                                              title=request.POST.get("title", ""), achieved_on=achieved_on,
                                              stage=request.POST.get("stage") or None)
        messages.success(request, _("Milestone recorded."))
        return redirect("projects:ventures")


# --- Studios -------------------------------------------------------------------------------


class StudioListView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/studios.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "studios": selectors.studio_list(), "can_create": self.request.user.role in ("teacher", "school_admin")}


class StudioDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/studio_detail.html"

    members_per_page = 30
    projects_per_page = 20
    applications_shown = 50

    def get_context_data(self, studio_id: int, **kwargs):
        user = self.request.user
        studio = selectors.studio_get(studio_id=studio_id)
        leads = services.user_leads_studio(user=user, studio=studio)
        # A studio of thousands of members and projects: each list is a page of its own
        # (`?members=` and `?projects=`, each pager keeping the other's place).
        members = Paginator(selectors.studio_members(studio=studio), self.members_per_page).get_page(
            self.request.GET.get("members"))
        projects = Paginator(selectors.studio_projects(studio=studio), self.projects_per_page).get_page(
            self.request.GET.get("projects"))
        applications = selectors.studio_members(studio=studio, status=StudioMember.Status.APPLIED)
        return super().get_context_data(**kwargs) | {
            "studio": studio,
            "members": members,
            "members_query": f"projects={projects.number}" if projects.number > 1 else "",
            "projects": projects,
            "projects_query": f"members={members.number}" if members.number > 1 else "",
            # the oldest applications first, a screenful at a time: deciding them brings up the next
            "applications": list(applications[:self.applications_shown]) if leads else [],
            "applications_total": applications.count() if leads else 0,
            "outputs": selectors.studio_outputs(studio=studio),
            "membership": selectors.studio_membership_of(user=user, studio=studio),
            "leads": leads,
        }


class StudioApplyView(ActionView):
    allowed_roles = ("student",)
    page_view = StudioDetailView

    def act(self, request, studio_id: int):
        studio = selectors.studio_get(studio_id=studio_id)
        services.studio_apply(actor=request.user, studio=studio, motivation=request.POST.get("motivation", ""))
        messages.success(request, _("Application sent to the studio's lead teachers."))
        return redirect("projects:studio_detail", studio_id=studio.pk)


class StudioDecideView(ActionView):
    allowed_roles = ("teacher", "school_admin")
    page_view = StudioDetailView

    def page_kwargs(self, member_id: int):
        return {"studio_id": get_object_or_404(StudioMember, pk=member_id).studio_id}

    def act(self, request, member_id: int):
        member = get_object_or_404(StudioMember.objects.select_related("studio"), pk=member_id)
        services.studio_application_decide(actor=request.user, member=member,
                                           admit=request.POST.get("decision") == "admit")
        return redirect("projects:studio_detail", studio_id=member.studio_id)

