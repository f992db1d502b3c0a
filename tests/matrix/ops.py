from . import Case, page, public

CASES = [
    Case("api:root", public(200), note="where the API starts; public like the schema"),
    Case("healthz", public((200, 503)), note="503 while a queue has no live worker (none runs in this test)"),
    Case("admin_portal:background_tasks", page("school_admin")),
    Case("deepfake:upload", page("student", "teacher", ok=302), note="GET: the form is on the lab's home page"),
]
