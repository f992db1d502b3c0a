from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

from ..models import Course, Major, SchoolClass, Term


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select | forms.SelectMultiple) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CourseForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    major = forms.ModelChoiceField(label=_("Major"), queryset=Major.objects.all(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Course.Kind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    owners = forms.ModelMultipleChoiceField(label=_("Owners"), required=False,
                                            queryset=User.objects.filter(role=Role.TEACHER).order_by("username"))
    golden_level = forms.ChoiceField(label=_("Golden course"), required=False,
                                     choices=[("", _("Not recognised"))] + list(Course.GoldenLevel.choices))
    golden_year = forms.IntegerField(label=_("Recognised in (year)"), required=False, min_value=2000, max_value=2100)

    # What only school administrators set: the owners and the golden-course recognition.
    ADMIN_FIELDS = ("owners", "golden_level", "golden_year")

    def __init__(self, *args, can_set_owners: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_set_owners:
            for name in self.ADMIN_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("golden_level") and not data.get("golden_year"):
            self.add_error("golden_year", _("Give the year the course was recognised (2000–2100)."))
        return data


class ProgramForm(BootstrapMixin, forms.Form):
    major = forms.ModelChoiceField(label=_("Major"), queryset=Major.objects.all())
    intake_year = forms.IntegerField(label=_("Intake year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)


class OfferingForm(BootstrapMixin, forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all())
    school_class = forms.ModelChoiceField(label=_("Class"), queryset=SchoolClass.objects.select_related("major"))
    teacher = forms.ModelChoiceField(label=_("Teacher"), required=False,
                                     queryset=User.objects.filter(role=Role.TEACHER).order_by("username"))

    def __init__(self, *args, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses if courses is not None else Course.objects.none()
