"""Pages of the internships: the desks (tutor, mentor, school administrator), the intern's
placements, a placement's page (check-in, weekly logs, conversation, leave, summary),
a log with its review, the batch review page and the class assignment form. Thin:
parse, call a selector or service, render; objects are scoped by the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin

from . import selectors, services
from .forms import AssignForm, LeaveForm, LogForm, PostForm, ReviewForm
from .models import IntegrityFlag, LeaveRequest, Placement, WeeklyLog


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _act(request, action, success: str = "") -> None:
    """Run a service for a POST: its refusal is a message on the page, or 403 when the
    reader may see the placement but not do this."""
    try:
        action()
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from None
        messages.error(request, exc.message)
        return
    if success:
        messages.success(request, success)


class InternshipMixin(RoleRequiredMixin):
    allowed_roles = selectors.VIEWER_ROLES

    def placement(self, placement_id: int) -> Placement:
        return selectors.placement_get_for_user(user=self.request.user, placement_id=placement_id)

    def back(self, placement_id: int, anchor: str = ""):
        response = redirect("enterprises:internship_placement", placement_id)
        if anchor:
            response["Location"] += anchor
        return response


class HomeView(InternshipMixin, TemplateView):
    """Students: their placements. Tutors, mentors, school administrators: the desk."""

    def get_template_names(self):
        return ["enterprises/internships/my_placements.html" if self.request.user.role == Role.STUDENT
                else "enterprises/internships/desk.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if user.role == Role.STUDENT:
            ctx["placements"] = list(selectors.placements_visible_to(user=user).select_related("organization",
                                                                                               "mentor", "tutor"))
            return ctx
        today = timezone.localdate()
        ids, totals = selectors.desk_overview(user=user, today=today)
        page = Paginator(ids, 50).get_page(self.request.GET.get("page"))
        placements = selectors.desk_page(user=user, ids=list(page.object_list), today=today)
        ctx.update(page=page, rows=selectors.desk_rows(placements, today), totals=totals,
                   party=_("Mentor") if user.role == Role.ENTERPRISE else _("Tutor"),
                   can_assign=user.role in selectors.ASSIGN_ROLES)
        return ctx


class PlacementView(InternshipMixin, TemplateView):
    template_name = "enterprises/internships/placement.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        placement = self.placement(self.kwargs["placement_id"])
        ctx.update(selectors.placement_detail(user=user, placement=placement))
        ctx.update(is_intern=placement.student.user_id == user.pk,
                   party=services.reviewer_party(user=user, placement=placement),
                   leave_form=LeaveForm(), post_form=PostForm())
        return ctx


class CheckInView(InternshipMixin, View):
    allowed_roles = (Role.STUDENT,)

    def post(self, request, placement_id: int):
        placement = self.placement(placement_id)
        try:
            checkin = services.checkin_record(
                actor=request.user, placement=placement, latitude=request.POST.get("latitude"),
                longitude=request.POST.get("longitude"), accuracy_m=request.POST.get("accuracy"),
                ip=client_ip(request), user_agent=request.headers.get("user-agent", ""),
                traits=request.POST.get("traits", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.back(placement_id)
        if checkin.far:
            messages.warning(request, _("Checked in, %(m)d m from the workplace: your tutor will see it.")
                             % {"m": checkin.distance_m})
        elif checkin.latitude is None:
            messages.success(request, _("Checked in (without location)."))
        else:
            messages.success(request, _("Checked in."))
        return self.back(placement_id)


class LogCreateView(InternshipMixin, TemplateView):
    allowed_roles = (Role.STUDENT,)
    template_name = "enterprises/internships/log_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["placement"] = self.placement(self.kwargs["placement_id"])
        ctx["form"] = kwargs.get("form") or LogForm(initial={"day": timezone.localdate()})
        return ctx

    def post(self, request, placement_id: int):
        placement = self.placement(placement_id)
        form = LogForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                log = services.log_submit(actor=request.user, placement=placement, text=form.cleaned_data["text"],
                                          day=form.cleaned_data["day"], video=form.cleaned_data["video"],
                                          photos=request.FILES.getlist("photos"))
                messages.success(request, _("Log of week %(week)d submitted.") % {"week": log.week})
                return redirect("enterprises:internship_log", log.pk)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LogView(InternshipMixin, TemplateView):
    """A log with its photos, video and poster; the reviewers' grades; for the tutor the
    copied-text flags with the matching passages side by side; the review form."""

    template_name = "enterprises/internships/log.html"

    def log(self) -> WeeklyLog:
        return selectors.log_get_for_user(user=self.request.user, log_id=self.kwargs["log_id"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        log = kwargs.get("log") or self.log()
        user = self.request.user
        ctx.update(log=log, placement=log.placement, photos=list(log.photos.all()),
                   flags=selectors.log_flags(user=user, log=log),
                   party=services.reviewer_party(user=user, placement=log.placement),
                   is_intern=log.placement.student.user_id == user.pk,
                   form=kwargs.get("form") or ReviewForm(), revise_form=LogForm(initial={"text": log.text}))
        return ctx

    def post(self, request, log_id: int):
        log = self.log()
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.log_review(actor=request.user, log=log, grade=form.cleaned_data["grade"],
                                    comment=form.cleaned_data["comment"], send_back=form.cleaned_data["send_back"])
                messages.success(request, _("Review saved."))
                return redirect("enterprises:internship_log", log.pk)
            except ApplicationError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied from None
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form, log=log), status=400)


class LogReviseView(InternshipMixin, View):
    allowed_roles = (Role.STUDENT,)

    def post(self, request, log_id: int):
        log = selectors.log_get_for_user(user=request.user, log_id=log_id)
        form = LogForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("enterprises:internship_log", log.pk)
        try:
            services.log_revise(actor=request.user, log=log, text=form.cleaned_data["text"],
                                video=form.cleaned_data["video"], photos=request.FILES.getlist("photos"))
            messages.success(request, _("Revision submitted."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("enterprises:internship_log", log.pk)


class LogFileView(InternshipMixin, View):
    """The log's video, poster or a photo, for those who may read the log."""

    def get(self, request, log_id: int, item: str):
        log = selectors.log_get_for_user(user=request.user, log_id=log_id)
        if item == "video" and log.video:
            handle, content_type = log.video, log.video_content_type or "video/mp4"
        elif item == "poster" and log.poster:
            handle, content_type = log.poster, "image/jpeg"
        elif item.isdigit():
            photo = get_object_or_404(log.photos, pk=int(item))
            handle, content_type = photo.image, photo.content_type
        else:
            raise Http404
        try:
            response = FileResponse(handle.open("rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'"
        response["Cache-Control"] = "private, max-age=300"
        return response


class ReviewBatchView(InternshipMixin, TemplateView):
    """The mentor's or tutor's logs waiting for their review, graded on one page."""

    allowed_roles = (Role.TEACHER, Role.ENTERPRISE)
    template_name = "enterprises/internships/review_batch.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = Paginator(selectors.logs_pending_review(user=self.request.user), 30).get_page(
            self.request.GET.get("page"))
        ctx.update(page=page, grades=WeeklyLog._meta.get_field("mentor_grade").choices)
        return ctx

    def post(self, request):
        items = []
        for key in request.POST:
            if key.startswith("grade-") and key[6:].isdigit():
                log_id = int(key[6:])
                items.append((log_id, request.POST.get(key, ""), request.POST.get(f"comment-{log_id}", "")))
        allowed = set(selectors.logs_pending_review(user=request.user).filter(
            pk__in=[i[0] for i in items]).values_list("pk", flat=True))
        done = services.logs_review_batch(actor=request.user, items=[i for i in items if i[0] in allowed])
        messages.success(request, _("%(n)d logs reviewed.") % {"n": done})
        return redirect("enterprises:internship_review")


class MessageView(InternshipMixin, View):
    def post(self, request, placement_id: int):
        placement = self.placement(placement_id)
        _act(request, lambda: services.message_post(actor=request.user, placement=placement,
                                                    body=request.POST.get("body", "")))
        return self.back(placement_id, "#conversation")


class LeaveView(InternshipMixin, View):
    allowed_roles = (Role.STUDENT,)

    def post(self, request, placement_id: int):
        placement = self.placement(placement_id)
        form = LeaveForm(request.POST)
        if form.is_valid():
            try:
                services.leave_request(actor=request.user, placement=placement, **form.cleaned_data)
                messages.success(request, _("Leave requested."))
            except ApplicationError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, _("Check the dates and the reason."))
        return self.back(placement_id, "#leave")


class LeaveDecideView(InternshipMixin, View):
    allowed_roles = (Role.TEACHER, Role.ENTERPRISE)

    def post(self, request, leave_id: int):
        leave = get_object_or_404(LeaveRequest, pk=leave_id)
        placement = self.placement(leave.placement_id)
        _act(request, lambda: services.leave_decide(actor=request.user, leave=leave,
                                                    approve=request.POST.get("decision") == "approve"),
             _("Decision saved."))
        return self.back(placement.pk, "#leave")


class SummaryView(InternshipMixin, View):
    """The intern writes the summary; the mentor and the tutor sign it."""

    def post(self, request, placement_id: int):
        placement = self.placement(placement_id)
        if placement.student.user_id == request.user.pk:
            _act(request, lambda: services.summary_write(actor=request.user, placement=placement,
                                                         text=request.POST.get("text", "")), _("Summary saved."))
        else:
            _act(request, lambda: services.summary_sign(actor=request.user, placement=placement,
                                                        comment=request.POST.get("comment", "")), _("Summary signed."))
        return self.back(placement_id, "#summary")


class PostAddView(InternshipMixin, View):
    allowed_roles = (Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN)

    def post(self, request, placement_id: int):
        placement = self.placement(placement_id)
        form = PostForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Check the post's name and dates."))
            return self.back(placement_id)
        _act(request, lambda: services.post_add(actor=request.user, placement=placement, **form.cleaned_data),
             _("Post added."))
        return self.back(placement_id)


class TerminateView(InternshipMixin, View):
    allowed_roles = (Role.TEACHER, Role.SCHOOL_ADMIN)

    def post(self, request, placement_id: int):
        placement = self.placement(placement_id)
        _act(request, lambda: services.placement_terminate(actor=request.user, placement=placement,
                                                           reason=request.POST.get("reason", "")),
             _("Placement terminated."))
        return self.back(placement_id)


class FlagDismissView(InternshipMixin, View):
    allowed_roles = (Role.TEACHER, Role.SCHOOL_ADMIN)

    def post(self, request, flag_id: int):
        flag = get_object_or_404(IntegrityFlag, pk=flag_id)
        self.placement(flag.placement_id)
        _act(request, lambda: services.flag_dismiss(actor=request.user, flag=flag), _("Flag dismissed."))
        return self.back(flag.placement_id)


class AssignView(InternshipMixin, TemplateView):
    """A teacher assigns a class they head (or some of its students) to a practice base."""

    allowed_roles = selectors.ASSIGN_ROLES
    template_name = "enterprises/internships/assign.html"

    def form(self, data=None) -> AssignForm:
        return AssignForm(data, user=self.request.user,
                          organizations=selectors.practice_bases_for_user(user=self.request.user))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = kwargs.get("form") or self.form()
        return ctx

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                placements = services.placements_assign_class(
                    actor=request.user, school_class=data["school_class"],
                    data=services.PlacementData(
                        organization=data["organization"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                        mentor=data["mentor"], tutor=data["tutor"], title=data["title"],
                        latitude=data["latitude"], longitude=data["longitude"], radius_m=data["radius_m"]))
                messages.success(request, _("%(n)d students assigned.") % {"n": len(placements)})
                return redirect("enterprises:internship_home")
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form), status=400)
