"""Forms of the talent market's pages. They parse and show errors; the rules live
in the services, whose field errors (ApplicationError.extra) are put back on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from students.models import JobFamily
from teachers.models import Competency, Major

from .models import Application, CareerProfile, CooperationLevel, Posting, Visibility


def errors_onto(form: forms.Form, exc: ApplicationError) -> None:
    """Field errors of a service on the form's fields (others at the top)."""
    fields = exc.extra if isinstance(exc.extra, dict) else {}
    if not fields:
        form.add_error(None, str(exc.message))
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(target, f"{name}: {message}" if target is None and name != "__all__" else message)


class PostingForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Posting.Kind.choices)
    majors = forms.ModelMultipleChoiceField(label=_("majors"), queryset=Major.objects.order_by("code"),
                                            widget=forms.CheckboxSelectMultiple)
    city = forms.CharField(label=_("city"), max_length=60, required=False)
    salary_min = forms.IntegerField(label=_("monthly salary from (CNY)"), required=False)
    salary_max = forms.IntegerField(label=_("monthly salary to (CNY)"), required=False)
    headcount = forms.IntegerField(label=_("headcount"), initial=1)
    deadline = forms.DateField(label=_("deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(Competency.objects.select_related("major").order_by("major__code", "order", "code"))
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-control")
        self.fields["kind"].widget.attrs["class"] = "form-select"

    def requirement_rows(self) -> list[dict]:
        """Inputs per competency (grouped by major): minimum 0..1 (blank: not required), importance."""
        data = self.data if self.is_bound else self.initial.get("requirements_raw", {})
        return [{"competency": c, "minimum": data.get(f"req_{c.pk}_min", ""),
                 "importance": data.get(f"req_{c.pk}_imp", "1")} for c in self.competencies]

    def requirements(self) -> list[dict]:
        rows = []
        for c in self.competencies:
            minimum = (self.data.get(f"req_{c.pk}_min") or "").strip()
            if minimum == "":
                continue
            rows.append({"competency": c.pk, "minimum": minimum,
                         "importance": (self.data.get(f"req_{c.pk}_imp") or "1").strip()})
        return rows

    @staticmethod
    def initial_for(posting: Posting) -> dict:
        raw = {}
        for r in posting.requirements.all():
            raw[f"req_{r.competency_id}_min"] = f"{r.minimum:g}"
            raw[f"req_{r.competency_id}_imp"] = f"{r.importance:g}"
        return {"title": posting.title, "kind": posting.kind, "majors": list(posting.majors.all()),
                "city": posting.city, "salary_min": posting.salary_min, "salary_max": posting.salary_max,
                "headcount": posting.headcount, "deadline": posting.deadline, "description": posting.description,
                "requirements_raw": raw}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Application.Stage.choices)
    reason = forms.CharField(required=False, max_length=2000)
    interview_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    interview_place = forms.CharField(required=False, max_length=300)


class ApplyForm(forms.Form):
    cover_note = forms.CharField(label=_("cover note"), required=False, max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))


class CareerProfileForm(forms.ModelForm):
    photo_upload = forms.FileField(label=_("photo"), required=False,
                                   help_text=_("JPEG, PNG or WebP, at most 2 MB."))
    remove_photo = forms.BooleanField(label=_("remove the photo"), required=False)

    class Meta:
        model = CareerProfile
        fields = ["visibility", "introduction", "education", "certificates", "phone", "email", "wechat"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4}), "education": forms.Textarea(attrs={"rows": 3}),
                   "certificates": forms.Textarea(attrs={"rows": 3}), "visibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = Visibility.choices
        for name, field in self.fields.items():
            if name not in ("visibility", "remove_photo"):
                field.widget.attrs.setdefault("class", "form-control")


class PortfolioForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120, widget=forms.TextInput(attrs={"class": "form-control"}))
    file = forms.FileField(label=_("file"), help_text=_("An image (5 MB), a PDF (10 MB) or a short MP4/WebM video "
                                                        "(30 MB, 90 seconds)."),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))


class OrganizationProfileForm(forms.Form):
    industry = forms.CharField(label=_("industry"), max_length=100, required=False)
    size = forms.ChoiceField(label=_("size"), choices=[])
    city = forms.CharField(label=_("city"), max_length=60, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from .models import CompanySize

        super().__init__(*args, **kwargs)
        self.fields["size"].choices = CompanySize.choices
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("e-mail"), widget=forms.EmailInput(attrs={"class": "form-control"}))
    title = forms.CharField(label=_("title"), max_length=100, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    is_manager = forms.BooleanField(label=_("manager"), required=False)


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150, widget=forms.TextInput(attrs={"class": "form-control"}))
    display_name = forms.CharField(label=_("name"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    password = forms.CharField(label=_("password"), min_length=8,
                               widget=forms.PasswordInput(attrs={"class": "form-control"}))


class DemandForm(forms.Form):
    year = forms.IntegerField(label=_("year"))
    position_family = forms.ChoiceField(label=_("position family"), choices=JobFamily.choices)
    major = forms.ModelChoiceField(label=_("major"), queryset=Major.objects.order_by("code"))
    headcount = forms.IntegerField(label=_("headcount"))
    notes = forms.CharField(label=_("notes"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control")


class CooperationForm(forms.Form):
    cooperation_level = forms.ChoiceField(label=_("cooperation level"), choices=CooperationLevel.choices)
    cooperation_starts = forms.DateField(label=_("cooperation starts"), required=False,
                                         widget=forms.DateInput(attrs={"type": "date"}))
    cooperation_ends = forms.DateField(label=_("cooperation ends"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    auto_publish = forms.BooleanField(label=_("trusted: publish without review"), required=False)
