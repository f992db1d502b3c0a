from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, Role, User

from .models import Room, ServiceRecord, Target


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    code = forms.SlugField(label=_("Figure"), max_length=60)
    value = forms.DecimalField(label=_("Target"), max_digits=10, decimal_places=3,
                               help_text=_("A count, or a rate between 0 and 1 (0.7 = 70 %)."))
    unit = forms.ChoiceField(label=_("Unit"), choices=Target.Unit.choices)


class BookingForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.filter(is_active=True).order_by("code"))
    school_class = forms.IntegerField(label=_("Class"), required=False)
    studio = forms.IntegerField(label=_("Studio"), required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceRecord.Kind.choices)
    enterprise = forms.ModelChoiceField(label=_("Enterprise"),
                                        queryset=Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
                                        .order_by("name"))
    teacher = forms.ModelChoiceField(label=_("Teacher"), required=False,
                                     queryset=User.objects.filter(role=Role.TEACHER, is_active=True)
                                     .order_by("username"))
    provided_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), max_digits=7, decimal_places=1, min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), max_length=150, required=False)
    action = forms.CharField(label=_("Action"), max_length=100, required=False)
    target = forms.CharField(label=_("Target"), max_length=120, required=False,
                             help_text=_("type, or type:id (e.g. projects.project:12)"))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The range ends before it starts."))
        return data
