"""Pages of the enterprise side: the pipeline home, postings and their applicants,
candidate search, the organisation and its members, talent demand. Thin: parse,
call a selector or service, render. Students' pages: student_views.py; school
administrators' moderation: moderation_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Membership, Role
from accounts.permissions import RoleRequiredMixin

from . import permissions as perms
from . import selectors, services
from .career import smart_resume
from .forms import DemandForm, InviteForm, MoveForm, OrganizationProfileForm, PostingForm, errors_onto
from .matching import candidate_page, gap_closers, match, radar_overlay, requirements_of
from .models import Application, Invitation, Posting, TalentDemand
from .search import candidate_filters_from


class EnterpriseMixin(RoleRequiredMixin):
    allowed_roles = perms.POSTING_OWNER_ROLES

    def organization(self):
        return selectors.organization_required(user=self.request.user)

    def owned_posting(self, posting_id: int) -> Posting:
        return selectors.posting_get_for_user(user=self.request.user, posting_id=posting_id, manage=True)


class HomeView(EnterpriseMixin, TemplateView):
    """The enterprise's landing page: its postings by state with the applicants at
    each stage, and the latest applications."""

    template_name = "enterprises/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        organization = selectors.organization_for_user(user=self.request.user)
        ctx["organization"] = organization
        if organization is None:
            return ctx
        postings = list(selectors.postings_for_organization(organization=organization))
        ctx.update(postings=postings, recent=selectors.applications_for_organization(organization=organization),
                   profile=selectors.profile_for_organization(organization=organization),
                   stages=[s for s in Application.Stage if s != Application.Stage.WITHDRAWN],
                   status_counts={s.label: sum(1 for p in postings if p.status == s) for s in Posting.Status})
        return ctx


def _posting_form_context(form: PostingForm) -> dict:
    groups: dict = {}
    for row in form.requirement_rows():
        groups.setdefault(row["competency"].major, []).append(row)
    return {"form": form, "requirement_groups": groups}


def _posting_data(form: PostingForm) -> services.PostingData:
    data = form.cleaned_data
    return services.PostingData(
        title=data["title"], kind=data["kind"], deadline=data["deadline"], major_ids=[m.pk for m in data["majors"]],
        requirements=form.requirements(), description=data["description"], city=data["city"],
        salary_min=data["salary_min"], salary_max=data["salary_max"], headcount=data["headcount"])


class PostingCreateView(EnterpriseMixin, TemplateView):
    template_name = "enterprises/posting_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_posting_form_context(kwargs.get("form") or PostingForm()))
        return ctx

    def post(self, request):
        organization = self.organization()
        form = PostingForm(request.POST)
        if form.is_valid():
            try:
                posting = services.posting_create(actor=request.user, organization=organization,
                                                  data=_posting_data(form), submit="submit" in request.POST)
                messages.success(request, _("Posting saved."))
                return redirect("enterprises:posting_detail", posting.pk)
            except ApplicationError as exc:
                errors_onto(form, exc)
        return self.render_to_response(self.get_context_data(form=form))


class PostingEditView(EnterpriseMixin, TemplateView):
    template_name = "enterprises/posting_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posting = self.owned_posting(self.kwargs["posting_id"])
        form = kwargs.get("form") or PostingForm(initial=PostingForm.initial_for(posting))
        ctx.update(_posting_form_context(form), posting=posting)
        return ctx

    def post(self, request, posting_id: int):
        posting = self.owned_posting(posting_id)
        form = PostingForm(request.POST)
        if form.is_valid():
            try:
                services.posting_update(actor=request.user, posting=posting, data=_posting_data(form))
                messages.success(request, _("Posting saved."))
                return redirect("enterprises:posting_detail", posting.pk)
            except ApplicationError as exc:
                errors_onto(form, exc)
        return self.render_to_response(self.get_context_data(form=form))


class PostingDetailView(EnterpriseMixin, TemplateView):
    """The applicant pipeline of one posting, column by column, with bulk actions."""

    template_name = "enterprises/posting_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posting = self.owned_posting(self.kwargs["posting_id"])
        applications = list(selectors.applications_for_posting(posting=posting))
        columns = [(stage, [a for a in applications if a.stage == stage]) for stage in Application.Stage]
        ctx.update(posting=posting, columns=columns, applications=applications,
                   requirements=requirements_of(posting))
        return ctx


class PostingActionView(EnterpriseMixin, View):
    http_method_names = ["post"]

    def post(self, request, posting_id: int):
        posting = self.owned_posting(posting_id)
        action = request.POST.get("action")
        try:
            if action == "submit":
                services.posting_submit(actor=request.user, posting=posting)
                messages.success(request, _("Submitted for review."))
            elif action == "close":
                services.posting_close(actor=request.user, posting=posting)
                messages.success(request, _("The posting is closed."))
            else:
                messages.error(request, _("Unknown action."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("enterprises:posting_detail", posting.pk)


class PostingBulkView(EnterpriseMixin, View):
    http_method_names = ["post"]

    def post(self, request, posting_id: int):
        posting = self.owned_posting(posting_id)
        try:
            ids = [int(i) for i in request.POST.getlist("application")]
            count = services.application_bulk(actor=request.user, posting=posting, application_ids=ids,
                                              stage=request.POST.get("stage", ""), reason=request.POST.get("reason", ""))
            messages.success(request, _("%(n)d applications updated.") % {"n": count})
        except ValueError:
            messages.error(request, _("Select at least one applicant."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("enterprises:posting_detail", posting.pk)


def fit_context(*, student, posting: Posting) -> dict:
    """The explanation shown wherever a fit is: the overlay chart's data, the gaps with
    the courses that would close them."""
    from students.selectors import attainments_for_students

    requirements = requirements_of(posting)
    attainment = attainments_for_students(student_ids=[student.pk]).get(student.pk, {})
    result = match(requirements, attainment)
    gap_closers(student=student, gaps=result.gaps)
    overlay = radar_overlay(student=student, requirements=requirements, attainment=attainment)
    overlay.update(student_label=_("Attainment"), required_label=_("Required"))
    return {"match": result, "overlay": overlay}


class ApplicationReviewView(RoleRequiredMixin, TemplateView):
    """An applicant as the enterprise sees them: the resume frozen when they applied,
    today's fit explained, the history, private notes and the next steps."""

    allowed_roles = perms.CANDIDATE_VIEWER_ROLES
    template_name = "enterprises/application_review.html"

    def get_application(self) -> Application:
        application = selectors.application_get_for_user(user=self.request.user,
                                                         application_id=self.kwargs["application_id"])
        if self.request.user.role == Role.STUDENT:
            raise Http404
        return application

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        application = self.get_application()
        posting = selectors.posting_get_for_user(user=self.request.user, posting_id=application.posting_id)
        owner = self.request.user.role == Role.ENTERPRISE
        ctx.update(application=application, posting=posting, snapshot=application.snapshot, owner=owner,
                   notes=list(selectors.notes_for_application(application=application)) if owner else [],
                   events=list(application.events.select_related("actor")),
                   moves=next_stages(application), move_form=kwargs.get("move_form") or MoveForm(),
                   **fit_context(student=application.student, posting=posting))
        return ctx

    def post(self, request, application_id: int):
        application = self.get_application()
        form = MoveForm(request.POST)
        try:
            if request.POST.get("note") is not None:
                services.application_note_add(actor=request.user, application=application,
                                              text=request.POST.get("note", ""))
                messages.success(request, _("Note saved."))
            elif form.is_valid():
                data = form.cleaned_data
                services.application_move(actor=request.user, application=application, stage=data["stage"],
                                          reason=data["reason"], interview_at=data["interview_at"],
                                          interview_place=data["interview_place"])
                messages.success(request, _("The applicant was moved to “%(stage)s”.")
                                 % {"stage": Application.Stage(data["stage"]).label})
            else:
                messages.error(request, _("Check the form."))
                return self.render_to_response(self.get_context_data(move_form=form))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("enterprises:application_review", application.pk)


def next_stages(application: Application) -> list:
    """The stages the enterprise may move this application to."""
    from .applications import ENTERPRISE_MOVES

    return [Application.Stage(s) for s in ENTERPRISE_MOVES.get(application.stage, ())]


class CandidatesView(RoleRequiredMixin, TemplateView):
    """Candidate search for a posting: students the enterprise may find, ranked by fit;
    filters by major, intake year, competency level and tier."""

    allowed_roles = perms.CANDIDATE_VIEWER_ROLES
    template_name = "enterprises/candidates.html"
    page_size = 20

    def get_context_data(self, **kwargs):
        from students.models import StudentProfile, Tier

        from .api import candidate_results

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        admin = user.role == Role.SCHOOL_ADMIN
        posting = selectors.posting_get_for_user(user=user, posting_id=self.kwargs["posting_id"], manage=not admin)
        try:
            filters = candidate_filters_from(self.request.GET, posting=posting)
        except ApplicationError as exc:
            messages.error(self.request, "; ".join(f"{k}: {' '.join(v)}" for k, v in (exc.extra or {}).items()))
            filters = candidate_filters_from({}, posting=posting)
        try:
            page_number = max(1, int(self.request.GET.get("page", 1)))
        except ValueError:
            page_number = 1
        organization_id = None if admin else posting.organization_id
        partner = False if admin else selectors.organization_is_partner(organization_id=posting.organization_id)
        total, rows = candidate_page(posting=posting, organization_id=organization_id, partner=partner, filters=filters,
                                     offset=(page_number - 1) * self.page_size, limit=self.page_size)
        results = candidate_results(posting, rows)
        students = StudentProfile.objects.select_related("major", "school_class").in_bulk([r.student_id for r in rows])
        for row, result in zip(rows, results, strict=True):
            result["student"] = students[row.student_id]
            result["shortfalls"] = [g for g in result["gaps"] if g["attainment"] < g["required"]]
        paginator = Paginator(range(total), self.page_size)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(query=query.urlencode(), posting=posting, results=results, total=total, page=paginator.get_page(page_number),
                   majors=list(posting.majors.all()), tiers=Tier.choices, params=self.request.GET,
                   competencies=[r for r in requirements_of(posting)])
        return ctx


class CandidateDetailView(RoleRequiredMixin, TemplateView):
    """A student's resume as an employer sees it, with the fit on one of its postings."""

    allowed_roles = perms.CANDIDATE_VIEWER_ROLES
    template_name = "enterprises/candidate_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        posting = selectors.posting_get_for_user(user=user, posting_id=self.kwargs["posting_id"],
                                                 manage=user.role == Role.ENTERPRISE)
        access = selectors.student_access_for_user(user=user, student_number=self.kwargs["student_number"])
        profile = selectors.career_profile_for(student=access.student)
        ctx.update(posting=posting, student=access.student, contact=access.contact, profile=profile,
                   smart=smart_resume(student=access.student, with_postings=False),
                   education=profile.lines(profile.education), certificates=profile.lines(profile.certificates),
                   **fit_context(student=access.student, posting=posting))
        return ctx


class OrganizationView(RoleRequiredMixin, TemplateView):
    """The organisation's profile and members; its administrators edit and invite."""

    allowed_roles = perms.DEMAND_ROLES
    template_name = "enterprises/organization.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        organization = selectors.organization_required(user=self.request.user)
        profile = selectors.profile_for_organization(organization=organization)
        manager = selectors.is_manager(user=self.request.user, organization=organization)
        initial = {"industry": profile.industry, "size": profile.size, "city": profile.city,
                   "address": profile.address, "website": profile.website, "description": organization.description}
        ctx.update(organization=organization, profile=profile, manager=manager,
                   members=list(selectors.members_for_organization(organization=organization)),
                   invitations=list(selectors.open_invitations(organization=organization)) if manager else [],
                   form=kwargs.get("form") or OrganizationProfileForm(initial=initial),
                   invite_form=kwargs.get("invite_form") or InviteForm())
        return ctx

    def post(self, request):
        organization = selectors.organization_required(user=request.user)
        form = OrganizationProfileForm(request.POST)
        if form.is_valid():
            try:
                services.enterprise_profile_update(actor=request.user, organization=organization, **form.cleaned_data)
                messages.success(request, _("Profile saved."))
                return redirect("enterprises:organization")
            except ApplicationError as exc:
                errors_onto(form, exc)
        return self.render_to_response(self.get_context_data(form=form))


class InviteView(RoleRequiredMixin, View):
    allowed_roles = perms.DEMAND_ROLES
    http_method_names = ["post"]

    def post(self, request):
        organization = selectors.organization_required(user=request.user)
        form = InviteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a valid e-mail address."))
            return redirect("enterprises:organization")
        try:
            services.invitation_create(
                actor=request.user, organization=organization, **form.cleaned_data,
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("enterprises:invitation_accept", args=[token])))
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        except ApplicationError as exc:
            messages.error(request, " ".join(sum((list(v) for v in (exc.extra or {}).values()), [])) or exc.message)
        return redirect("enterprises:organization")


class InvitationRevokeView(RoleRequiredMixin, View):
    allowed_roles = perms.DEMAND_ROLES
    http_method_names = ["post"]

    def post(self, request, invitation_id: int):
        organization = selectors.organization_required(user=request.user)
        invitation = get_object_or_404(Invitation, pk=invitation_id, organization=organization)
        try:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("enterprises:organization")


class MemberUpdateView(RoleRequiredMixin, View):
    allowed_roles = perms.DEMAND_ROLES
    http_method_names = ["post"]

    def post(self, request, membership_id: int):
        organization = selectors.organization_required(user=request.user)
        membership = get_object_or_404(Membership.objects.select_related("organization"), pk=membership_id,
                                       organization=organization)
        action = request.POST.get("action")
        try:
            services.member_update(actor=request.user, membership=membership, remove=action == "remove",
                                   is_manager={"promote": True, "demote": False}.get(action))
            messages.success(request, _("Members updated."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("enterprises:organization")


class InvitationAcceptView(TemplateView):
    """Open to visitors: a valid signed link lets a new person create their account, or
    a signed-in person of the right role join."""

    template_name = "enterprises/invitation_accept.html"

    def get_context_data(self, **kwargs):
        from .forms import AcceptInvitationForm

        ctx = super().get_context_data(**kwargs)
        try:
            ctx["invitation"] = services.invitation_from_token(self.kwargs["token"])
        except ApplicationError:
            raise Http404 from None
        ctx["form"] = kwargs.get("form") or AcceptInvitationForm()
        return ctx

    def post(self, request, token: str):
        from .forms import AcceptInvitationForm

        form = AcceptInvitationForm(request.POST) if not request.user.is_authenticated else None
        try:
            if form is not None and not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            data = form.cleaned_data if form is not None else {}
            membership = services.invitation_accept(token=token, user=request.user, **data)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise Http404 from None
            form = form or AcceptInvitationForm()
            errors_onto(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("You joined %(org)s.") % {"org": membership.organization.name})
        return redirect("enterprises:organization" if request.user.is_authenticated else "accounts:login")


class DemandView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.DEMAND_ROLES
    template_name = "enterprises/demand.html"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        ctx = super().get_context_data(**kwargs)
        organization = selectors.organization_required(user=self.request.user)
        ctx.update(organization=organization, demands=list(selectors.demand_for_organization(organization=organization)),
                   form=kwargs.get("form") or DemandForm(initial={"year": timezone.localdate().year + 1,
                                                                  "headcount": 1}))
        return ctx

    def post(self, request):
        organization = selectors.organization_required(user=request.user)
        if request.POST.get("delete"):
            demand = get_object_or_404(TalentDemand, pk=request.POST["delete"], organization=organization)
            services.demand_delete(actor=request.user, demand=demand)
            messages.success(request, _("Deleted."))
            return redirect("enterprises:demand")
        form = DemandForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.demand_create(actor=request.user, organization=organization, year=data["year"],
                                       position_family=data["position_family"], major_id=data["major"].pk,
                                       headcount=data["headcount"], notes=data["notes"])
                messages.success(request, _("Talent demand saved."))
                return redirect("enterprises:demand")
            except ApplicationError as exc:
                errors_onto(form, exc)
        return self.render_to_response(self.get_context_data(form=form))
