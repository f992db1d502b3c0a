from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .account_request_throttle import account_request_count, account_request_is_throttled
from .errors import ApplicationError
from .forms import AccountRequestForm, LanguageForm, LoginForm
from .permissions import ROLE_HOME


def landing(request):
    """`/`: each role lands on its own home page."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    return redirect(ROLE_HOME.get(request.user.role, "accounts:profile"))


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.audit_log_record(actor=self.request.user, action="user.password_change", target=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link of the approval e-mail (and any future reset e-mail): choose a password."""

    template_name = "registration/password_set.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.audit_log_record(actor=form.user, action="user.password_set", target=form.user)
        messages.success(self.request, _("Your password is set. You can log in now."))
        return response


def account_request(request):
    """Open to visitors: ask for an account; a school administrator decides (moderation queue)."""
    if request.user.is_authenticated:
        return redirect(ROLE_HOME.get(request.user.role, "accounts:profile"))
    if request.method != "POST":
        return render(request, "accounts/account_request.html", {"form": AccountRequestForm()})
    if account_request_is_throttled(request):
        return render(request, "accounts/account_request.html", {"form": AccountRequestForm(), "throttled": True},
                      status=429)
    form = AccountRequestForm(request.POST)
    if form.is_valid():
        account_request_count(request)
        data = form.cleaned_data
        try:
            services.account_request_create(
                full_name=data["full_name"], email=data["email"], phone=data["phone"], role=data["role"],
                organization_name=data["organization_name"], message=data["message"],
                language=translation.get_language() or settings.LANGUAGE_CODE)
        except ApplicationError as exc:
            fields = exc.extra if isinstance(exc.extra, dict) else {}
            for name, errors in fields.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            if not fields:
                form.add_error(None, str(exc.message))
        else:
            return redirect("accounts:account_request_done")
    return render(request, "accounts/account_request.html", {"form": form}, status=400)


def account_request_done(request):
    return render(request, "accounts/account_request_done.html")


@login_required
def profile(request):
    organizations = selectors.organizations_for_user(user=request.user)
    return render(request, "accounts/profile.html", {"organizations": organizations})


@require_POST
def set_language(request):
    """Switch the interface language; signed-in users keep the choice on their account."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        messages.error(request, _("Unsupported language."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list_for_user(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request):
    ids = request.POST.getlist("id")
    try:
        parsed = [int(value) for value in ids] if ids else None
    except ValueError:
        messages.error(request, _("Invalid notification."))
        return redirect("accounts:notifications")
    services.notification_mark_read(user=request.user, notification_ids=parsed)
    if request.headers.get("HX-Request"):
        return render(request, "accounts/_badge.html", {"count": selectors.notification_unread_count(user=request.user)})
    return redirect(reverse("accounts:notifications"))


@login_required
def notification_badge(request):
    """htmx polls this to refresh the unread badge."""
    return render(request, "accounts/_badge.html", {"count": selectors.notification_unread_count(user=request.user)})
