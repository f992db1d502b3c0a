from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Username"), widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class AccountRequestForm(forms.Form):
    """A visitor's request for an account (accounts.services.account_request_create checks it again)."""

    full_name = forms.CharField(label=_("Full name"), max_length=100,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.RegexField(label=_("Phone"), max_length=30, required=False, regex=r"^[0-9+()\- ]*$",
                             error_messages={"invalid": _("Digits, spaces and + - ( ) only.")},
                             widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    role = forms.ChoiceField(label=_("I am"), choices=[])
    organization_name = forms.CharField(label=_("Organisation"), max_length=200, required=False,
                                        help_text=_("Your enterprise, association or school. Required for enterprise staff."))
    message = forms.CharField(label=_("Message"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Who you are and what you will use Chanjiao for (at most 2000 characters)."))

    def __init__(self, *args, **kwargs):
        from .models import AccountRequest

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = AccountRequest.RequestedRole.choices
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "role" else "form-control"

    def clean(self):
        from .models import Role

        cleaned = super().clean()
        if cleaned.get("role") == Role.ENTERPRISE and not cleaned.get("organization_name"):
            self.add_error("organization_name", _("Enterprise staff must name their enterprise."))
        return cleaned
