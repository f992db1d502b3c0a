from django import forms
from django.utils.translation import gettext_lazy as _

from students.models import JobFamily

from .models import DestinationCategory, SalaryBand

COUNTERPART_CHOICES = [("", _("Not applicable")), ("yes", _("Yes")), ("no", _("No"))]


class DestinationForm(forms.Form):
    category = forms.ChoiceField(label=_("Destination"), choices=DestinationCategory.choices)
    employer_name = forms.CharField(label=_("Employer or institution"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    job_family = forms.ChoiceField(label=_("Job family"), choices=[("", "—"), *JobFamily.choices], required=False)
    counterpart = forms.ChoiceField(label=_("Counterpart to your major"), choices=COUNTERPART_CHOICES,
                                    required=False)
    salary_band = forms.ChoiceField(label=_("Monthly salary"), choices=[("", "—"), *SalaryBand.choices],
                                    required=False)
    city = forms.CharField(label=_("City"), max_length=60, required=False)
    started_on = forms.DateField(label=_("Since"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field, forms.ChoiceField)
                                          else "form-control")
