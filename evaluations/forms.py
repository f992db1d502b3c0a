from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from teachers.models import Course, CourseOffering, SchoolClass

from .models import Party, PracticeActivity, RubricTemplate


class UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_for_display} ({obj.username})"


def _users(role: str):
    return User.objects.filter(role=role, is_active=True).order_by("username")


class RoundCreateForm(forms.Form):
    """Open rounds for every student of a subject: a practice course offering, or a new
    practice activity (internship post, project, graduation-design stage, studio term) for
    the students of one class."""

    SUBJECTS = [("course_offering", _("Practice course offering"))] + list(PracticeActivity.Kind.choices)

    kind = forms.ChoiceField(label=_("Subject type"), choices=SUBJECTS)
    offering = forms.ModelChoiceField(label=_("Course offering"), queryset=CourseOffering.objects.none(), required=False)
    title = forms.CharField(label=_("Title of the activity"), max_length=200, required=False)
    school_class = forms.ModelChoiceField(label=_("Students of class"), queryset=SchoolClass.objects.none(),
                                          required=False)
    template = forms.ModelChoiceField(label=_("Rubric template"), queryset=RubricTemplate.objects.none())
    deadline = forms.DateTimeField(label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    teachers = UserChoice(label=_("School teachers"), queryset=User.objects.none(), required=False)
    mentors = UserChoice(label=_("Enterprise mentors"), queryset=User.objects.none(), required=False)
    masters = UserChoice(label=_("Industry masters"), queryset=User.objects.none(), required=False)
    peers_per_student = forms.IntegerField(label=_("Peers per student"), min_value=3, max_value=8, initial=3)
    self_evaluation = forms.BooleanField(label=_("Ask each student for a self-evaluation"), required=False,
                                         initial=True)
    open_now = forms.BooleanField(label=_("Open now (otherwise a draft)"), required=False, initial=True)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        offerings = CourseOffering.objects.select_related("course", "term", "school_class").filter(
            course__kind__in=[Course.Kind.PRACTICE, Course.Kind.INTEGRATED])
        if user.role != Role.SCHOOL_ADMIN:
            offerings = offerings.filter(teacher=user)
        self.fields["offering"].queryset = offerings
        self.fields["school_class"].queryset = SchoolClass.objects.select_related("major").order_by("code")
        self.fields["template"].queryset = RubricTemplate.objects.filter(is_current=True).order_by("family")
        self.fields["teachers"].queryset = _users(Role.TEACHER)
        self.fields["mentors"].queryset = _users(Role.ENTERPRISE)
        self.fields["masters"].queryset = _users(Role.INDUSTRY)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        if not self.is_bound:
            self.initial.setdefault("deadline", (timezone.localtime() + datetime.timedelta(days=14))
                                    .replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"))
            if user.role == Role.TEACHER:
                self.initial.setdefault("teachers", [user.pk])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "course_offering" and not data.get("offering"):
            self.add_error("offering", _("Choose the course offering."))
        if kind and kind != "course_offering":
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Give the activity a title."))
            if not data.get("school_class"):
                self.add_error("school_class", _("Choose the class whose students are evaluated."))
        return data

    def raters(self) -> dict[str, list[int]]:
        return {Party.TEACHER: [u.pk for u in self.cleaned_data.get("teachers") or []],
                Party.MENTOR: [u.pk for u in self.cleaned_data.get("mentors") or []],
                Party.MASTER: [u.pk for u in self.cleaned_data.get("masters") or []]}


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AppealDecisionForm(forms.Form):
    DECISIONS = [("reject", _("Reject")), ("reopen", _("Reopen one party"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    party = forms.ChoiceField(label=_("Party to reopen"), required=False,
                              choices=[("", "—")] + [c for c in Party.choices if c[0] != Party.SELF])
    deadline = forms.DateTimeField(label=_("New deadline"), required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reopen":
            if not data.get("party"):
                self.add_error("party", _("Choose the party to reopen."))
            if not data.get("deadline"):
                self.add_error("deadline", _("Give the new deadline."))
        return data
