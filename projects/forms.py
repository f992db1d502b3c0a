"""Forms of the projects pages: they parse and shape input; rules live in the services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from teachers.models import Competency, Course, Major

from .cohort_models import OrderClass
from .models import ProjectRating, Studio, Venture

RATING_LABELS = {"quality": _("Quality"), "timeliness": _("Timeliness"), "communication": _("Communication"),
                 "innovation": _("Innovation")}


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("The text contains a NUL character."))
    return value


class CleanTextMixin:
    """Bootstrap classes on every widget, and no NUL characters in any text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                try:
                    _no_nul(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data


class ProjectForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    brief = forms.CharField(label=_("Brief"), widget=forms.Textarea(attrs={"rows": 4}))
    deliverables = forms.CharField(label=_("Deliverables"), widget=forms.Textarea(attrs={"rows": 3}))
    competencies = forms.ModelMultipleChoiceField(label=_("Required competencies"), required=False,
                                                  queryset=Competency.objects.select_related("major"),
                                                  widget=forms.SelectMultiple(attrs={"size": 7}))
    reward_points = forms.IntegerField(label=_("Reward in points"), min_value=1, max_value=100000)
    reward_money = forms.DecimalField(label=_("Reward in money (yuan, optional)"), required=False, min_value=0,
                                      max_digits=10, decimal_places=2)
    bid_deadline = forms.DateTimeField(label=_("Bid deadline"),
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    due_date = forms.DateField(label=_("Delivery date"), widget=forms.DateInput(attrs={"type": "date"}))
    team_size_max = forms.IntegerField(label=_("Largest team"), min_value=1, max_value=50)


class BidForm(CleanTextMixin, forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    proposal = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]


class SelectForm(CleanTextMixin, forms.Form):
    milestones = forms.CharField(
        label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: YYYY-MM-DD title. Empty: one final delivery on the delivery date."))

    def clean_milestones(self) -> list[dict]:
        rows = []
        for number, line in enumerate((self.cleaned_data.get("milestones") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            date_text, _sep, title = line.partition(" ")
            try:
                due = datetime.date.fromisoformat(date_text)
            except ValueError:
                raise forms.ValidationError(_("Line %(n)d: start with a date (YYYY-MM-DD).") % {"n": number}) from None
            if not title.strip():
                raise forms.ValidationError(_("Line %(n)d: give the milestone a title.") % {"n": number})
            rows.append({"title": title.strip(), "due_date": due})
        return rows


class UploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, image, Office document, ZIP or text; at most 20 MB."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return with comments"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ModerateForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Publish")), ("return", _("Return to the enterprise"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(CleanTextMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in ProjectRating.CRITERIA:
            self.fields[criterion] = forms.TypedChoiceField(
                label=RATING_LABELS[criterion], coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)])
        self._style()

    def scores(self) -> dict[str, int]:
        return {c: self.cleaned_data[c] for c in ProjectRating.CRITERIA}


class TeamForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    members = forms.CharField(label=_("Other members (usernames, comma separated)"), required=False)
    studio = forms.TypedChoiceField(label=_("Studio"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, studios=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].choices = [("", _("Ad hoc (no studio)"))] + [(s.pk, s.display_title) for s in studios]

    def usernames(self) -> list[str]:
        return [u.strip() for u in (self.cleaned_data.get("members") or "").replace("，", ",").split(",") if u.strip()]


class VentureForm(CleanTextMixin, forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    business = forms.CharField(label=_("Business"), widget=forms.Textarea(attrs={"rows": 2}))
    stage = forms.ChoiceField(label=_("Stage"), choices=Venture.Stage.choices)
    mentor = forms.CharField(label=_("Mentor (username)"))

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]


class TopicForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    major = forms.TypedChoiceField(label=_("Major"), coerce=int)
    partner = forms.CharField(label=_("The other tutor (username)"),
                              help_text=_("Teachers name the enterprise tutor; enterprises the school tutor."))
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=20, initial=1)


class GradeForm(CleanTextMixin, forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, decimal_places=2, max_digits=5)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _staff_choices(role: str):
    from accounts.models import User

    return User.objects.filter(role=role, is_active=True).order_by("username")


class StudioForm(CleanTextMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50)
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    skill_area = forms.ChoiceField(label=_("Skill area"), choices=Studio.SkillArea.choices)
    major = forms.ModelChoiceField(label=_("Major"), queryset=Major.objects.all(), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_open = forms.BooleanField(label=_("Accepting applications"), required=False, initial=True)
    leads = forms.ModelMultipleChoiceField(label=_("Lead teachers"), queryset=_staff_choices("teacher"),
                                           required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
                                           help_text=_("A teacher who creates a studio leads it."))
    mentors = forms.ModelMultipleChoiceField(label=_("Enterprise mentors"), queryset=_staff_choices("enterprise"),
                                             required=False, widget=forms.SelectMultiple(attrs={"size": 6}))


class OrderClassForm(CleanTextMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Sponsoring enterprise"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    major = forms.ModelChoiceField(label=_("Major"), queryset=Major.objects.all())
    intake_year = forms.IntegerField(label=_("Intake year"), min_value=2000, max_value=2100)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)
    criteria = forms.CharField(label=_("Selection criteria"), widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    courses = forms.ModelMultipleChoiceField(label=_("Enterprise courses"), required=False,
                                             queryset=Course.objects.order_by("code"),
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    mentors = forms.ModelMultipleChoiceField(label=_("Enterprise mentors (staff of the sponsor)"), required=False,
                                             queryset=_staff_choices("enterprise"),
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    status = forms.ChoiceField(label=_("Status"), choices=OrderClass.Status.choices, initial="recruiting")

    def __init__(self, *args, enterprises=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is None or editing:  # the sponsor is fixed (an enterprise's own, or when editing)
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises
        if not editing:
            del self.fields["status"]
