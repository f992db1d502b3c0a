from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from teachers.models import SchoolClass

from .models import Grade


class AssignForm(forms.Form):
    school_class = forms.ModelChoiceField(label=_("Class"), queryset=SchoolClass.objects.none())
    organization = forms.ModelChoiceField(label=_("Practice base"), queryset=None)
    mentor = forms.ModelChoiceField(label=_("Enterprise mentor"), queryset=User.objects.none(), required=False)
    tutor = forms.ModelChoiceField(label=_("School tutor"), queryset=User.objects.none())
    title = forms.CharField(label=_("Position"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
                                   min_value=-180, max_value=180)
    radius_m = forms.IntegerField(label=_("Check-in radius (metres)"), min_value=20, max_value=20000, initial=500)

    def __init__(self, *args, user, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        classes = SchoolClass.objects.select_related("major").order_by("code")
        if user.role != Role.SCHOOL_ADMIN:
            classes = classes.filter(head_teacher=user)
        self.fields["school_class"].queryset = classes
        self.fields["organization"].queryset = organizations
        self.fields["mentor"].queryset = User.objects.filter(
            pk__in=Membership.objects.filter(organization__in=organizations).values("user_id")).order_by("username")
        self.fields["mentor"].label_from_instance = lambda u: f"{u.name_for_display} ({u.username})"
        self.fields["tutor"].queryset = User.objects.filter(role=Role.TEACHER, is_active=True).order_by("username")
        self.fields["tutor"].label_from_instance = lambda u: f"{u.name_for_display} ({u.username})"
        if user.role == Role.TEACHER:
            self.fields["tutor"].initial = user.pk


class LogForm(forms.Form):
    text = forms.CharField(label=_("What you did and learnt this week"), widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=20000)
    day = forms.DateField(label=_("A day of the week the log covers"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    video = forms.FileField(label=_("Short video (at most 60 s, 50 MB)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < settings.INTERNSHIP_LOG_MIN_CHARS:
            raise forms.ValidationError(_("At least %(n)d characters.") % {"n": settings.INTERNSHIP_LOG_MIN_CHARS})
        return text


class ReviewForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *Grade.choices], required=False)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=2000)
    send_back = forms.BooleanField(label=_("Send back for revision"), required=False)


class LeaveForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PostForm(forms.Form):
    title = forms.CharField(label=_("Post"), max_length=200)
    duties = forms.CharField(label=_("Duties"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
