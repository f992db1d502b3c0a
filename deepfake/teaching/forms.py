from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ComponentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        o = obj.offering
        return f"{o.term.code} · {o.school_class.name} · {o.course} — {obj.name} ({obj.weight}%)"


class AttachForm(forms.Form):
    component = ComponentChoiceField(label=_("Course offering and grade component"), queryset=None,
                                     help_text=_("The reports are graded into this component of the offering's gradebook."))
    due_at = forms.DateTimeField(label=_("Due"), required=False,
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    instructions = forms.CharField(label=_("Instructions for the class"), required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, components_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = components_queryset


class ReportForm(forms.Form):
    file = forms.FileField(label=_("Lab report (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class GradeForm(forms.Form):
    score = forms.CharField(label=_("Score (0–100)"), max_length=10)
    feedback = forms.CharField(label=_("Feedback"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason for a change"), required=False, max_length=200)
