"""Account requests: a visitor asks, a school administrator decides in the moderation queue,
the requester gets an e-mail in the language they asked in (a set-password link or the reason)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import AccountRequest, AuditLog, Membership, Notification, Organization, Role, User
from accounts.services import account_request_create, account_request_decide
from admin_portal.selectors import moderation_pending_count, moderation_queues
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:account_request")
MODERATION = reverse("admin_portal:moderation")
ADDRESSES = ("127.0.0.1", "198.51.100.21", "198.51.100.22")

GOOD = {
    "full_name": "Zhou Jianguo", "email": "Zhou.Jianguo@Hengtong.example.cn", "phone": "+86 138-0000-1111",
    "role": Role.ENTERPRISE, "organization_name": "Hengtong Cross-border E-commerce",
    "message": "HR manager; we would like to offer internships.",
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The cache outlives a test (Redis): start every test with no requests counted."""
    for address in ADDRESSES:
        cache.delete(f"account-requests:{address}")
    yield
    for address in ADDRESSES:
        cache.delete(f"account-requests:{address}")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (the e-mail task, eager in tests) of the block."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def admin(db):
    return UserFactory(username="principal_ar", role=Role.SCHOOL_ADMIN, email="principal@school.example.cn")


def _pending(**overrides) -> AccountRequest:
    data = {"full_name": "Wu Yaqin", "email": "wu.yaqin@assoc.example.cn", "role": Role.INDUSTRY,
            "language": "en", "organization_name": "", "message": "Expert of the association."}
    data.update(overrides)
    return account_request_create(**data)


# --- the public form ---------------------------------------------------------------------

def test_login_page_links_to_the_request_form_and_visitors_get_the_form(client):
    assert URL in client.get(reverse("accounts:login")).content.decode()
    response = client.get(URL)
    assert response.status_code == 200
    assert 'id="account-request-form"' in response.content.decode()


def test_a_signed_in_user_is_sent_home(client):
    client.force_login(UserFactory(role=Role.TEACHER))
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("teachers:home")


@pytest.mark.parametrize(("change", "field"), [
    ({"email": "not-an-address"}, "email"),
    ({"email": ""}, "email"),
    ({"full_name": ""}, "full_name"),
    ({"full_name": "x" * 101}, "full_name"),
    ({"organization_name": ""}, "organization_name"),  # enterprise staff must name their enterprise
    ({"organization_name": "o" * 201}, "organization_name"),
    ({"message": "m" * 2001}, "message"),
    ({"phone": "call me maybe"}, "phone"),
    ({"role": Role.SCHOOL_ADMIN}, "role"),
    ({"role": Role.STUDENT}, "role"),
])
def test_each_bad_input_gives_400_with_the_field_error_and_creates_nothing(client, change, field):
    response = client.post(URL, {**GOOD, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'data-error="{field}"' in response.content.decode()
    assert not AccountRequest.objects.exists()


@pytest.mark.parametrize("field", ["full_name", "organization_name", "message"])
def test_nul_characters_are_refused_and_nothing_is_created(client, field):
    # the site refuses NUL characters in any request (platform_site.security) before the form runs
    assert client.post(URL, {**GOOD, field: "bad\x00text"}).status_code == 400
    assert not AccountRequest.objects.exists()
    # and the service refuses them on its own, naming the field
    with pytest.raises(ApplicationError) as refused:
        account_request_create(**{**GOOD, "language": "en", field: "bad\x00text"})
    assert field in refused.value.extra
    assert not AccountRequest.objects.exists()


def test_a_valid_request_is_stored_in_the_visitors_language_and_the_admins_are_told(client, admin):
    client.cookies.load({"django_language": "en"})
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account_request_done")
    assert 'id="account-request-sent"' in client.get(response["Location"]).content.decode()
    request = AccountRequest.objects.get()
    assert request.email == "zhou.jianguo@hengtong.example.cn"
    assert request.status == AccountRequest.Status.PENDING and request.language == "en"
    assert (request.role, request.organization_name) == (Role.ENTERPRISE, GOOD["organization_name"])
    note = Notification.objects.get(recipient=admin)
    assert note.title == "New account request from %(name)s" and note.params["name"] == "Zhou Jianguo"
    assert note.url == MODERATION + "#accounts"
    assert AuditLog.objects.filter(action="account_request.create", target_id=str(request.pk)).exists()


def test_an_industry_master_needs_no_organisation(client):
    response = client.post(URL, {**GOOD, "role": Role.INDUSTRY, "organization_name": ""})
    assert response.status_code == 302
    assert AccountRequest.objects.get().role == Role.INDUSTRY


def test_a_second_pending_request_for_the_same_address_is_refused(client):
    assert client.post(URL, GOOD).status_code == 302
    again = client.post(URL, {**GOOD, "email": GOOD["email"].upper()})
    assert again.status_code == 400
    assert "已有一条待审核的申请" in " ".join(again.context["form"].errors["email"])  # zh-hans by default
    assert AccountRequest.objects.count() == 1
    with pytest.raises(ApplicationError):
        _pending(email="zhou.jianguo@hengtong.example.cn")


def test_an_address_of_an_existing_user_gets_the_same_answer_and_nothing_is_created(client, admin):
    UserFactory(username="known", email="known@example.cn")
    response = client.post(URL, {**GOOD, "email": "Known@Example.cn"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account_request_done")
    assert not AccountRequest.objects.exists()
    assert not Notification.objects.exists()


def test_one_address_may_send_only_a_few_requests_an_hour(settings):
    settings.ACCOUNT_REQUEST_IP_LIMIT = 3
    client = Client(REMOTE_ADDR="198.51.100.21")
    for i in range(3):
        assert client.post(URL, {**GOOD, "email": f"person{i}@example.cn"}).status_code == 302
    refused = client.post(URL, {**GOOD, "email": "person9@example.cn"})
    assert refused.status_code == 429
    assert 'id="account-request-throttled"' in refused.content.decode()
    assert AccountRequest.objects.count() == 3
    # another address is not affected
    assert Client(REMOTE_ADDR="198.51.100.22").post(URL, {**GOOD, "email": "other@example.cn"}).status_code == 302


# --- decisions -------------------------------------------------------------------------

def _link_from(message) -> str:
    match = re.search(r"https?://testserver(/accounts/password/set/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_approving_creates_the_user_in_the_enterprise_and_mails_a_working_link(client, admin, on_commit):
    client.cookies.load({"django_language": "en"})
    client.post(URL, GOOD)
    request = AccountRequest.objects.get()
    mail.outbox.clear()

    client.force_login(admin)
    with on_commit(execute=True):
        response = client.post(MODERATION, {"kind": "account", "id": request.pk, "decision": "approve"})
    assert response.status_code == 302 and response["Location"].endswith("#accounts")

    request.refresh_from_db()
    user = request.user
    assert request.status == AccountRequest.Status.APPROVED and request.decided_by == admin
    assert (user.username, user.role, user.email) == ("zhou.jianguo", Role.ENTERPRISE, request.email)
    assert user.language == "en" and user.display_name == "Zhou Jianguo" and user.phone == GOOD["phone"]
    assert not user.has_usable_password()
    organization = Organization.objects.get(name=GOOD["organization_name"])
    assert organization.kind == Organization.Kind.ENTERPRISE
    assert Membership.objects.get(user=user).organization == organization
    assert AuditLog.objects.filter(action="account_request.approve", target_id=str(request.pk)).exists()

    [message] = mail.outbox
    assert message.to == [request.email]
    assert message.subject == "Your Chanjiao account is ready"
    assert "zhou.jianguo" in message.body

    visitor = Client()
    link = _link_from(message)
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = visitor.post(form_page.redirect_chain[-1][0],
                        {"new_password1": "Gr33n-tea-at-dawn", "new_password2": "Gr33n-tea-at-dawn"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    logged_in = visitor.post(reverse("accounts:login"), {"username": "zhou.jianguo", "password": "Gr33n-tea-at-dawn"})
    assert logged_in.status_code == 302 and logged_in["Location"] == reverse("accounts:landing")
    # the link works once
    assert not Client().get(link, follow=True).context["validlink"]


def test_approval_mail_is_in_the_requests_language_and_an_existing_enterprise_is_reused(admin, on_commit):
    existing = OrganizationFactory(name="星云电子商务有限公司")
    UserFactory(username="li.hui", email="li.hui@old.example.cn")  # the plain username is taken
    request = _pending(full_name="李慧", email="Li.Hui@xingyun.example.cn", role=Role.ENTERPRISE,
                       organization_name="星云电子商务有限公司", language="zh-hans")
    with on_commit(execute=True):
        account_request_decide(actor=admin, request=request, approve=True, site_url="https://chanjiao.example.cn/")
    request.refresh_from_db()
    assert request.user.username == "li.hui2" and request.user.language == "zh-hans"
    membership = Membership.objects.get(user=request.user)
    assert membership.organization == existing and not membership.is_manager
    [message] = mail.outbox
    assert message.subject == "您的产教融合平台账号已开通"
    assert "https://chanjiao.example.cn/accounts/password/set/" in message.body


def test_rejecting_needs_a_note_and_the_mail_carries_it(client, admin, on_commit):
    request = _pending(language="en")
    mail.outbox.clear()
    client.force_login(admin)
    refused = client.post(MODERATION, {"kind": "account", "id": request.pk, "decision": "reject", "note": "  "})
    assert refused.status_code == 400
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.PENDING and not mail.outbox

    with on_commit(execute=True):
        done = client.post(MODERATION, {"kind": "account", "id": request.pk, "decision": "reject",
                                        "note": "Please ask through your association's secretariat."})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.REJECTED and request.user is None
    assert not User.objects.filter(email=request.email).exists()
    [message] = mail.outbox
    assert message.subject == "Your Chanjiao account request"
    assert "Please ask through your association's secretariat." in message.body


def test_rejection_mail_in_chinese(admin, on_commit):
    request = _pending(language="zh-hans")
    with on_commit(execute=True):
        account_request_decide(actor=admin, request=request, approve=False, note="请通过协会秘书处申请。")
    [message] = mail.outbox
    assert message.subject == "您的产教融合平台账号申请"
    assert "请通过协会秘书处申请。" in message.body and "未获批准" in message.body


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY])
def test_only_school_administrators_decide(client, role):
    request = _pending()
    user = UserFactory(role=role)
    client.force_login(user)
    response = client.post(MODERATION, {"kind": "account", "id": request.pk, "decision": "approve"})
    assert response.status_code == 403
    with pytest.raises(NotPermitted):
        account_request_decide(actor=user, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.PENDING
    assert not User.objects.filter(email=request.email).exists()


def test_a_request_is_decided_once(client, admin, on_commit):
    request = _pending()
    client.force_login(admin)
    with on_commit(execute=True):
        assert client.post(MODERATION, {"kind": "account", "id": request.pk, "decision": "approve"}).status_code == 302
    again = client.post(MODERATION, {"kind": "account", "id": request.pk, "decision": "reject", "note": "no"})
    assert again.status_code == 400
    with pytest.raises(ApplicationError):
        account_request_decide(actor=admin, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.APPROVED
    assert User.objects.filter(email=request.email).count() == 1
    assert len(mail.outbox) == 1
    assert client.post(MODERATION, {"kind": "account", "id": 999999, "decision": "approve"}).status_code == 404


def test_the_decision_mail_is_sent_once(admin, on_commit):
    from accounts.tasks import account_request_decision_email_task

    request = _pending()
    with on_commit(execute=True):
        account_request_decide(actor=admin, request=request, approve=False, note="Not a partner.")
    assert len(mail.outbox) == 1
    assert account_request_decision_email_task(request.pk) is False
    assert len(mail.outbox) == 1


def test_pending_requests_are_counted_in_the_queue_and_the_badge(client, admin):
    _pending()
    _pending(full_name="Zhou", email="zhou@hengtong.example.cn", role=Role.ENTERPRISE,
             organization_name="Hengtong", message="We hire interns.\nMany of them.")
    decided = _pending(email="gone@example.cn")
    account_request_decide(actor=admin, request=decided, approve=False, note="Duplicate.")
    assert moderation_pending_count() == 2
    with translation.override("en"):
        queues = {q["kind"]: q for q in moderation_queues()}
    assert queues["account"]["count"] == 2
    assert [item["title"] for item in queues["account"]["items"]] == ["Wu Yaqin · Industry master",
                                                                      "Zhou · Enterprise staff"]

    client.force_login(admin)
    client.cookies.load({"django_language": "en"})
    page = client.get(MODERATION)
    body = page.content.decode()
    assert 'data-queue="account">2<' in body
    assert "zhou@hengtong.example.cn" in body and "Hengtong" in body and "We hire interns." in body
    assert "Enterprise staff" in body
    html = client.get(reverse("admin_portal:dashboard")).content.decode()
    assert 'class="badge rounded-pill text-bg-warning nav-badge">2<' in html
