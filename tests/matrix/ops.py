from . import Case, page, public

CASES = [
    Case("api:root", public(200), note="where the API starts; public like the schema"),
    Case("admin_portal:background_tasks", page("school_admin")),
    Case("deepfake:upload", page("student", "teacher", ok=302), note="GET: the form is on the lab's home page"),
]
