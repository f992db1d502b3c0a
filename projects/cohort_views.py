"""Pages of two-way selection rounds, order classes and graduation design."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Organization, Role, User
from accounts.permissions import RoleRequiredMixin
from teachers.models import Course, Major

from . import cohort_selectors as cs
from . import cohort_services, selection
from .forms import GradeForm, TopicForm, UploadForm
from .models import GraduationDesign, SelectionOption, SelectionRound
from .permissions import HOME_ROLES, MODERATE_ROLES, ORDER_CLASS_CREATE_ROLES, TOPIC_ROLES
from .uploads import check_upload
from .views import ActionView

# --- Selection rounds --------------------------------------------------------------------


class RoundListView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/rounds.html"

    def get_context_data(self, **kwargs):
        page = Paginator(cs.round_list_for_user(user=self.request.user), 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {"page": page}


class RoundDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/round_detail.html"

    def get_context_data(self, round_id: int, **kwargs):
        user = self.request.user
        selection_round = cs.round_get_for_user(user=user, round_id=round_id)
        options = cs.round_options(selection_round=selection_round)
        admitted = cs.admitted_counts(selection_round=selection_round)
        for option in options:
            option.admitted = admitted.get(option.pk, 0)
        owned = [o for o in options if selection.user_owns_option(user=user, option=o)] \
            if user.role != Role.STUDENT else []
        for option in owned:
            option.applicants = list(cs.option_applicants(option=option))
        mine = list(cs.applications_of_student(user=user, selection_round=selection_round)) \
            if user.role == Role.STUDENT else []
        applied = {a.option_id for a in mine}
        chart = {"labels": [str(o.target.display_title) for o in options],
                 "capacity": [o.capacity for o in options], "applicants": [o.applicant_count for o in options],
                 "admitted": [o.admitted for o in options]}
        return super().get_context_data(**kwargs) | {
            "round": selection_round, "options": options, "owned": owned, "mine": mine,
            "can_apply": user.role == Role.STUDENT and selection_round.status == SelectionRound.Status.OPEN,
            "unapplied": [o for o in options if o.pk not in applied],
            "result": cs.outcome_for_student(user=user, selection_round=selection_round)
            if user.role == Role.STUDENT and selection_round.status == SelectionRound.Status.CONFIRMED else None,
            "is_admin": user.role == Role.SCHOOL_ADMIN, "chart": chart,
        }


class RoundApplyView(ActionView):
    allowed_roles = (Role.STUDENT,)
    page_view = RoundDetailView

    def act(self, request, round_id: int):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        try:
            option_id = int(request.POST.get("option", ""))
        except ValueError:
            raise ApplicationError(_("Choose an option."), code="invalid") from None
        option = get_object_or_404(SelectionOption, pk=option_id, round=selection_round)
        selection.selection_apply(actor=request.user, option=option, statement=request.POST.get("statement", ""))
        return redirect("projects:round_detail", round_id=selection_round.pk)


class RoundRankView(ActionView):
    allowed_roles = (Role.STUDENT,)
    page_view = RoundDetailView

    def act(self, request, round_id: int):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        try:
            option_ids = [int(x) for x in request.POST.getlist("option")]
        except ValueError:
            raise ApplicationError(_("Choose an option."), code="invalid") from None
        selection.selection_rank(actor=request.user, selection_round=selection_round, option_ids=option_ids)
        messages.success(request, _("Your order of preference is saved."))
        return redirect("projects:round_detail", round_id=selection_round.pk)


class OptionRankView(ActionView):
    allowed_roles = (Role.ENTERPRISE, Role.TEACHER, Role.SCHOOL_ADMIN)
    page_view = RoundDetailView

    def page_kwargs(self, option_id: int):
        return {"round_id": cs.option_get_for_user(user=self.request.user, option_id=option_id).round_id}

    def act(self, request, option_id: int):
        option = cs.option_get_for_user(user=request.user, option_id=option_id)
        numbers = [n.strip() for n in request.POST.get("order", "").replace("，", ",").split(",") if n.strip()]
        scores = {key.removeprefix("interview_"): value for key, value in request.POST.items()
                  if key.startswith("interview_") and value.strip()}
        selection.selection_option_rank(actor=request.user, option=option, student_numbers=numbers or None,
                                        interview_scores=scores)
        messages.success(request, _("The applicants' order is saved."))
        return redirect("projects:round_detail", round_id=option.round_id)


class RoundActionView(ActionView):
    allowed_roles = MODERATE_ROLES
    page_view = RoundDetailView
    actions = {"close": selection.selection_close, "compute": selection.selection_compute,
               "confirm": selection.selection_confirm}

    def page_kwargs(self, round_id: int, action: str):
        return {"round_id": round_id}

    def act(self, request, round_id: int, action: str):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        if action == "second":
            from datetime import timedelta

            from django.utils import timezone

            new_round = selection.selection_second_round(actor=request.user, selection_round=selection_round,
                                                         apply_deadline=timezone.now() + timedelta(days=7))
            return redirect("projects:round_detail", round_id=new_round.pk)
        self.actions[action](actor=request.user, selection_round=selection_round)
        return redirect("projects:round_detail", round_id=selection_round.pk)


# --- Order classes -------------------------------------------------------------------------


class OrderClassListView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/order_classes.html"

    def get_context_data(self, **kwargs):
        page = Paginator(cs.order_class_list_for_user(user=self.request.user), 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {
            "page": page, "can_create": self.request.user.role in ORDER_CLASS_CREATE_ROLES}


class OrderClassDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/order_class_detail.html"

    def get_context_data(self, order_class_id: int, **kwargs):
        user = self.request.user
        order_class = cs.order_class_get_for_user(user=user, order_class_id=order_class_id)
        members = cs.order_class_members(order_class=order_class) \
            if cs.user_sees_order_class_members(user=user, order_class=order_class) else None
        from .editing import order_class_can_edit

        return super().get_context_data(**kwargs) | {
            "order_class": order_class, "members": members,
            "can_edit": order_class_can_edit(user=user, order_class=order_class)}


# --- Graduation design ------------------------------------------------------------------------


class GraduationView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "projects/graduation.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        topics = cs.topic_list_for_user(user=user).order_by("status", "major", "title")
        form = kwargs.get("topic_form") or topic_form_for_majors()
        designs = list(cs.designs_for_user(user=user)[:200])
        for design in designs:
            design.side = cohort_services.tutor_side(user=user, topic=design.topic)
        return super().get_context_data(**kwargs) | {
            "topics": Paginator(topics, 30).get_page(self.request.GET.get("page")),
            "designs": designs, "topic_form": form, "can_propose": user.role in TOPIC_ROLES,
            "is_admin": user.role == Role.SCHOOL_ADMIN, "grade_form": GradeForm(), "upload_form": UploadForm(),
            "stage_weights": GraduationDesign.STAGE_WEIGHTS,
        }


def topic_form_for_majors(*args, **kwargs) -> TopicForm:
    form = TopicForm(*args, **kwargs)
    form.fields["major"].choices = [(m.pk, m.display_name) for m in Major.objects.order_by("code")]
    return form


def topic_propose_arguments(*, me: User, data: dict) -> dict:
    """topic_propose's arguments from the topic form: the major's graduation-design course,
    the other tutor by username, and the enterprise tutor's enterprise."""
    major = Major.objects.get(pk=data["major"])
    course = Course.objects.filter(major=major, code__endswith="602").first() or \
        Course.objects.filter(major=major).order_by("-code").first()
    partner = User.objects.filter(username=data["partner"].strip()).first()
    if partner is None or course is None:
        raise ApplicationError(_("No such user, or the major has no graduation-design course."), code="unknown_ref")
    school_tutor, enterprise_tutor = (me, partner) if me.role == Role.TEACHER else (partner, me)
    enterprise = Organization.objects.filter(memberships__user=enterprise_tutor,
                                             kind=Organization.Kind.ENTERPRISE).first()
    return {"title": data["title"], "description": data["description"], "major": major, "course": course,
            "school_tutor": school_tutor, "enterprise_tutor": enterprise_tutor, "enterprise": enterprise,
            "capacity": data["capacity"]}


class TopicProposeView(ActionView):
    allowed_roles = TOPIC_ROLES
    page_view = GraduationView

    def act(self, request):
        form = topic_form_for_majors(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Fill in the title, description, major and the other tutor."), code="invalid")
        cohort_services.topic_propose(actor=request.user,
                                      **topic_propose_arguments(me=request.user, data=form.cleaned_data))
        messages.success(request, _("Topic proposed; the school will review it."))
        return redirect("projects:graduation")


class TopicReviewView(ActionView):
    allowed_roles = MODERATE_ROLES
    page_view = GraduationView

    def page_kwargs(self, topic_id: int):
        return {}

    def act(self, request, topic_id: int):
        topic = cs.topic_get_for_user(user=request.user, topic_id=topic_id)
        cohort_services.topic_review(actor=request.user, topic=topic, approve=request.POST.get("decision") == "approve")
        return redirect("projects:graduation")


class DesignGradeView(ActionView):
    allowed_roles = TOPIC_ROLES
    page_view = GraduationView

    def page_kwargs(self, design_id: int):
        return {}

    def act(self, request, design_id: int):
        design = cs.design_get_for_user(user=request.user, design_id=design_id)
        form = GradeForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("The score must be a number from 0 to 100."), code="invalid_score")
        cohort_services.stage_grade(actor=request.user, design=design, score=form.cleaned_data["score"],
                                    comment=form.cleaned_data["comment"])
        messages.success(request, _("Grade saved."))
        return redirect("projects:graduation")


class DesignSubmitView(ActionView):
    allowed_roles = (Role.STUDENT,)
    page_view = GraduationView

    def page_kwargs(self, design_id: int):
        return {}

    def act(self, request, design_id: int):
        design = cs.design_get_for_user(user=request.user, design_id=design_id)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ApplicationError(_("Choose a file to upload."), code="no_file")
        cohort_services.graduation_submit(actor=request.user, design=design,
                                          checked=check_upload(form.cleaned_data["file"]),
                                          note=form.cleaned_data["note"])
        messages.success(request, _("Handed in."))
        return redirect("projects:graduation")


class GraduationFileView(RoleRequiredMixin, View):
    allowed_roles = HOME_ROLES

    def get(self, request, submission_id: int):
        submission = cs.graduation_submission_get_for_user(user=request.user, submission_id=submission_id)
        response = FileResponse(submission.file.open("rb"), as_attachment=True,
                                filename=submission.original_name or "submission", content_type=submission.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response

