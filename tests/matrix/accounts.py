from . import ROLES, Case, api, page, public

ALL = ROLES

CASES = [
    Case("accounts:landing", {"anonymous": 302, **{role: 302 for role in ALL}}),
    Case("accounts:login", {"anonymous": 200, **{role: 302 for role in ALL}}, note="signed-in users are sent on"),
    Case("accounts:logout", {"anonymous": 302, **{role: 302 for role in ALL}}, method="post"),
    Case("accounts:password_change", page(*ALL)),
    Case("accounts:account_request", {"anonymous": 200, **{role: 302 for role in ALL}},
         note="open to visitors; signed-in users are sent home"),
    Case("accounts:account_request", {"anonymous": 400, **{role: 302 for role in ALL}}, method="post",
         data={"email": "not-an-address"}, note="a form with errors gives 400 and creates nothing"),
    Case("accounts:account_request_done", public(200)),
    Case("accounts:password_set", public(200), build=lambda world: {"uidb64": "MQ", "token": "wrong-token"},
         note="a wrong or used link shows the 'invalid link' page"),
    Case("accounts:profile", page(*ALL)),
    Case("accounts:set_language", {"anonymous": 302, **{role: 302 for role in ALL}}, method="post",
         data={"language": "en", "next": "/"}),
    Case("accounts:notifications", page(*ALL)),
    Case("accounts:notifications_read", page(*ALL, ok=302), method="post", data={}),
    Case("accounts:notifications_badge", page(*ALL)),
    Case("api:accounts-token", public(400), method="post", data={"username": "nobody", "password": "x"},
         note="wrong credentials give a 400 JSON error for everyone"),
    Case("api:accounts-me", api(*ALL)),
    Case("api:accounts-language", api(*ALL), method="post", data={"language": "en"}, content_type="application/json"),
    Case("api:accounts-notifications", api(*ALL)),
    Case("api:accounts-notifications-read", api(*ALL), method="post", data={"ids": []}, content_type="application/json"),
    Case("api-schema", public(200)),
    Case("api-docs", public(200)),
    Case("admin:index", {"anonymous": 302, **{role: 302 for role in ALL}}, note="only Django staff; our roles are not staff"),
]
