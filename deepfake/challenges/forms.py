from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Challenge


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    classes = forms.ModelMultipleChoiceField(label=_("Classes"), queryset=None)
    archive = forms.FileField(label=_("Labelled images (zip)"),
                              help_text=_("Images plus labels.csv with the columns file,label,generator "
                                          "(label real or fake)."))
    dev_percent = forms.IntegerField(label=_("Dev split for students (%)"), min_value=0, max_value=50, initial=20)
    starts_at = forms.DateTimeField(label=_("Opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    daily_quota = forms.IntegerField(label=_("Submissions per day"), min_value=1, max_value=100, initial=5)
    total_quota = forms.IntegerField(label=_("Submissions in total"), min_value=1, max_value=1000, initial=50)
    rule = forms.ChoiceField(label=_("Leaderboard rule"), choices=Challenge.Rule.choices)

    def __init__(self, *args, classes_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].queryset = classes_queryset


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("predictions", _("Prediction CSV (id,probability)")),
                                                       ("weights", _("Model weights (.pt from the lab)"))])
    file = forms.FileField(label=_("File"))
    label = forms.CharField(label=_("Note"), max_length=80, required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=60)


class ExperimentForm(forms.Form):
    arch = forms.ChoiceField(label=_("Architecture"), choices=[("small_cnn", _("Small CNN on face crops")),
                                                               ("spectrum_logreg", _("Frequency spectrum + logistic regression"))])
    epochs = forms.IntegerField(label=_("Epochs"), min_value=1, max_value=8, initial=3)
    note = forms.CharField(label=_("Note"), max_length=80, required=False)
