"""Pages for expert lectures: the list, scheduling and editing, the lecture page with
sign-up and cancel, and the organiser's attendance page (checkboxes or a CSV)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin
from teachers.models import Major

from .. import permissions as perms
from . import selectors, services
from .models import LectureSignup


class LectureForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    speaker = forms.CharField(label=gettext_lazy("Speaker"), max_length=120)
    speaker_title = forms.CharField(label=gettext_lazy("Speaker's position"), max_length=200, required=False)
    abstract = forms.CharField(label=gettext_lazy("Abstract"), widget=forms.Textarea(attrs={"rows": 5}))
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    duration_minutes = forms.IntegerField(label=gettext_lazy("Duration (minutes)"), initial=90, min_value=15,
                                          max_value=480)
    room = forms.CharField(label=gettext_lazy("Room"), max_length=120)
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), min_value=1, max_value=services.MAX_CAPACITY)
    majors = forms.ModelMultipleChoiceField(label=gettext_lazy("For majors (none: every major)"), required=False,
                                            queryset=Major.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.SelectMultiple) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _form_page(request, *, form, lecture=None, status=200):
    return render(request, "students/lectures/form.html", {"form": form, "lecture": lecture}, status=status)


class LectureListView(RoleRequiredMixin, View):
    allowed_roles = perms.LECTURE_ROLES
    template_name = "students/lectures/list.html"

    def get(self, request):
        when = request.GET.get("when", "upcoming")
        when = when if when in ("upcoming", "past") else "upcoming"
        page = Paginator(selectors.lectures_for_user(user=request.user, when=when), 20).get_page(request.GET.get("page"))
        return render(request, self.template_name, {
            "page": page, "when": when, "query": f"when={when}",
            "can_schedule": request.user.role in perms.LECTURE_ORGANISER_ROLES})


class LectureCreateView(RoleRequiredMixin, View):
    allowed_roles = perms.LECTURE_ORGANISER_ROLES

    def get(self, request):
        return _form_page(request, form=LectureForm())

    def post(self, request):
        form = LectureForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            majors = list(data.pop("majors"))
            try:
                lecture = services.lecture_schedule(actor=request.user, majors=majors, **data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Lecture scheduled."))
                return redirect("students:lecture_detail", lecture_id=lecture.pk)
        return _form_page(request, form=form, status=400)


class LectureEditView(RoleRequiredMixin, View):
    allowed_roles = perms.LECTURE_ORGANISER_ROLES

    def _lecture(self, request, lecture_id):
        lecture = selectors.lecture_get_for_user(user=request.user, lecture_id=lecture_id)
        if not services.can_manage(user=request.user, lecture=lecture):
            raise PermissionDenied
        return lecture

    def get(self, request, lecture_id: int):
        lecture = self._lecture(request, lecture_id)
        initial = {k: getattr(lecture, k) for k in ("title", "speaker", "speaker_title", "abstract", "duration_minutes",
                                                    "room", "capacity")}
        initial.update(starts_at=timezone.localtime(lecture.starts_at), majors=list(lecture.majors.all()))
        return _form_page(request, form=LectureForm(initial=initial), lecture=lecture)

    def post(self, request, lecture_id: int):
        lecture = self._lecture(request, lecture_id)
        form = LectureForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            majors = list(data.pop("majors"))
            try:
                services.lecture_update(actor=request.user, lecture=lecture, majors=majors, **data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Lecture saved."))
                return redirect("students:lecture_detail", lecture_id=lecture.pk)
        return _form_page(request, form=form, lecture=lecture, status=400)


class LectureDetailView(RoleRequiredMixin, View):
    allowed_roles = perms.LECTURE_ROLES
    template_name = "students/lectures/detail.html"

    def render_page(self, request, lecture_id: int, status: int = 200):
        user = request.user
        lecture = selectors.lecture_get_for_user(user=user, lecture_id=lecture_id)
        signup = selectors.signup_for_user(user=user, lecture=lecture)
        manage = services.can_manage(user=user, lecture=lecture)
        return render(request, self.template_name, {
            "lecture": lecture, "signup": signup, "can_manage": manage,
            "active_signup": signup is not None and signup.status != LectureSignup.Status.CANCELLED,
            "position": selectors.waitlist_position(signup=signup) if signup else None,
            "started": lecture.starts_at <= timezone.now(), "majors": lecture.majors.all(),
            "roster": selectors.lecture_roster(lecture=lecture) if manage else None,
            "is_student": user.role in perms.HOME_ROLES,
        }, status=status)

    def get(self, request, lecture_id: int):
        return self.render_page(request, lecture_id)


class LectureActionView(RoleRequiredMixin, View):
    """A student's sign-up or cancellation."""

    allowed_roles = perms.HOME_ROLES
    action = ""

    def post(self, request, lecture_id: int):
        lecture = selectors.lecture_get_for_user(user=request.user, lecture_id=lecture_id)
        try:
            if self.action == "signup":
                signup = services.lecture_signup(actor=request.user, lecture=lecture)
                messages.success(request, _("You are signed up.") if signup.status == LectureSignup.Status.CONFIRMED
                                 else _("The lecture is full: you are on the waitlist."))
            else:
                services.lecture_cancel(actor=request.user, lecture=lecture)
                messages.success(request, _("Your sign-up is cancelled."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return LectureDetailView().render_page(request, lecture_id, status=exc.status_code)
        return redirect("students:lecture_detail", lecture_id=lecture.pk)


class AttendanceView(RoleRequiredMixin, View):
    """The organiser ticks who came (or uploads a CSV of student numbers) on one page."""

    allowed_roles = perms.LECTURE_ORGANISER_ROLES
    template_name = "students/lectures/attendance.html"

    def _lecture(self, request, lecture_id):
        lecture = selectors.lecture_get_for_user(user=request.user, lecture_id=lecture_id)
        if not services.can_manage(user=request.user, lecture=lecture):
            raise PermissionDenied
        return lecture

    def render_page(self, request, lecture, status=200):
        roster = [s for s in selectors.lecture_roster(lecture=lecture) if s.status != LectureSignup.Status.CANCELLED]
        return render(request, self.template_name, {
            "lecture": lecture, "roster": roster, "started": lecture.starts_at <= timezone.now()}, status=status)

    def get(self, request, lecture_id: int):
        return self.render_page(request, self._lecture(request, lecture_id))

    def post(self, request, lecture_id: int):
        lecture = self._lecture(request, lecture_id)
        try:
            upload = request.FILES.get("csv")
            if upload is not None:
                if upload.size > 2 * 1024 * 1024:
                    raise ApplicationError(_("The attendance file is larger than 2 MB."), code="too_large",
                                           status_code=413)
                numbers = services.student_numbers_from_csv(upload.read())
            else:
                numbers = request.POST.getlist("attended")
            result = services.attendance_save(actor=request.user, lecture=lecture, student_numbers=numbers)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.render_page(request, lecture, status=exc.status_code)
        messages.success(request, _("Attendance saved: %(n)d attended, %(added)d newly given %(points)d points each.")
                         % {"n": result["attended"], "added": result["added"], "points": result["points"]})
        return redirect("students:lecture_attendance", lecture_id=lecture.pk)
