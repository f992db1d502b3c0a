"""The layering README and docs/architecture.md promise: apps depend downwards in
INSTALLED_APPS order. A lower app never imports a higher one, and never reaches into a
higher one through the ORM either — a lookup such as `student_profile__school_class`
or `Count("students")` in the teachers app walks a relation the students app declared,
so teachers would depend on students at run time without a single import. A higher app
contributes to a lower app's screens through registries (NAV_ITEMS, HOME_PANELS,
RESUME_SECTIONS, ROSTER_PROVIDERS) instead.

The checks read the source (Python and templates); the last two tests feed them a
throwaway module with one upward import and one upward ORM lookup to show they fail."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

LAYERS = ["accounts", "teachers", "students", "enterprises", "projects", "evaluations", "deepfake", "admin_portal"]
RANK = {app: i for i, app in enumerate(LAYERS)}
BASE = Path(settings.BASE_DIR)

# ORM calls whose string arguments are lookups / field paths, and those whose keyword
# names are lookups even without "__".
PATH_ARG_CALLS = {"select_related", "prefetch_related", "values", "values_list", "order_by", "only", "defer",
                  "F", "Count", "Sum", "Avg", "Min", "Max", "StdDev", "Variance", "ArrayAgg", "Prefetch",
                  "FilteredRelation", "OuterRef", "distinct", "filter", "exclude"}
LOOKUP_KWARG_CALLS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "Q", "aggregate"}
# `.items()` on a dict is not a reverse relation called "items".
BUILTIN_ATTRIBUTES = {name for kind in (dict, list, set, str, tuple) for name in dir(kind)}
LOOKUP = re.compile(r"^-?[a-z_][a-z0-9_]*(__[a-z0-9_]+)*$")
TEMPLATE_EXPRESSION = re.compile(r"({{.*?}}|{%.*?%})", re.S)
DOTTED = re.compile(r"\b[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+")


def upward_relation_names(app: str) -> dict[str, str]:
    """Names that lead from `app`'s models (or lower ones) into a higher app: the reverse
    query names and accessors of every relation a higher app's model declares onto a
    model of `app` or of an app below it. {name: where}."""
    names: dict[str, str] = {}
    for model in apps.get_models():
        owner = model._meta.app_label
        if RANK.get(owner, -1) <= RANK[app]:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.remote_field is None:
                continue
            if field.remote_field.hidden or RANK.get(field.related_model._meta.app_label, 99) > RANK[app]:
                continue
            where = f"{model._meta.label}.{field.name}"
            names[field.related_query_name()] = where
            names[field.remote_field.get_accessor_name()] = where
    return names


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _upward_segments(path: str, forbidden: dict[str, str]) -> list[str]:
    return [segment for segment in path.lstrip("-").split("__") if segment in forbidden]


def _demo_context_field(node: ast.Attribute) -> bool:
    """`ctx.students` in a demo hook is the seed context's student count, not a relation."""
    from accounts.demo import DemoContext

    return isinstance(node.value, ast.Name) and node.value.id == "ctx" and node.attr in DemoContext.__dataclass_fields__


def python_violations(source: str, *, app: str, label: str, forbidden: dict[str, str]) -> list[str]:
    """Upward imports and upward ORM lookups in one module of `app`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                       else [node.module] if node.level == 0 and node.module else [])
            found += [f"{label}:{node.lineno} imports {m}" for m in modules if RANK.get(m.split(".")[0], -1) > RANK[app]]
        elif isinstance(node, ast.Call):
            call = _called_name(node)
            for keyword in node.keywords:
                if keyword.arg and ("__" in keyword.arg or call in LOOKUP_KWARG_CALLS):
                    found += [f"{label}:{node.lineno} looks up {keyword.arg} ({forbidden[s]})"
                              for s in _upward_segments(keyword.arg, forbidden)]
            if call in PATH_ARG_CALLS:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and LOOKUP.match(arg.value):
                        found += [f"{label}:{node.lineno} looks up {arg.value!r} ({forbidden[s]})"
                                  for s in _upward_segments(arg.value, forbidden)]
        elif isinstance(node, ast.Attribute) and node.attr in forbidden and node.attr not in BUILTIN_ATTRIBUTES \
                and not _demo_context_field(node):
            found.append(f"{label}:{node.lineno} reads .{node.attr} ({forbidden[node.attr]})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "__" in node.value \
                and LOOKUP.match(node.value):
            found += [f"{label}:{node.lineno} looks up {node.value!r} ({forbidden[s]})"
                      for s in _upward_segments(node.value, forbidden)]
    return sorted(set(found))


def template_violations(text: str, *, label: str, forbidden: dict[str, str]) -> list[str]:
    """`{{ row.student.student_profile.student_number }}` walks the same relations."""
    found = []
    for expression in TEMPLATE_EXPRESSION.findall(text):
        for dotted in DOTTED.findall(expression):
            found += [f"{label}: {dotted} ({forbidden[part]})" for part in dotted.split(".")[1:] if part in forbidden]
    return sorted(set(found))


def app_violations(app: str) -> list[str]:
    forbidden = upward_relation_names(app)
    found = []
    for path in (BASE / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found += python_violations(path.read_text(encoding="utf-8"), app=app,
                                   label=str(path.relative_to(BASE)), forbidden=forbidden)
    for folder in (BASE / "templates" / app, BASE / app / "templates"):
        for path in folder.rglob("*.html"):
            found += template_violations(path.read_text(encoding="utf-8"), label=str(path.relative_to(BASE)),
                                         forbidden=forbidden)
    return found


def test_layers_follow_installed_apps_order():
    installed = [app for app in settings.INSTALLED_APPS if app.split(".")[0] in LAYERS]
    assert [app.split(".")[0] for app in installed] == LAYERS


def test_no_app_imports_or_looks_up_a_higher_one():
    violations = [v for app in LAYERS for v in app_violations(app)]
    assert violations == []


def test_the_lookup_check_knows_the_relations_it_guards():
    """The names are computed from the models, so the check follows new relations."""
    names = upward_relation_names("teachers")
    assert {"student_profile", "students", "attainments"} <= set(names)
    assert "student_profile" not in upward_relation_names("students")  # its own relation


# --- the checks catch what they are meant to catch (throwaway fixtures) -------------

UPWARD_IMPORT = '''
from students.models import StudentProfile


def numbers():
    return list(StudentProfile.objects.values_list("student_number", flat=True))
'''

UPWARD_LOOKUPS = '''
from django.db.models import Count

from accounts.models import User

from .models import Enrolment, SchoolClass


def cohort(program):
    return User.objects.filter(student_profile__major_id=program.major_id)


def roster(offering):
    return Enrolment.objects.filter(offering=offering).order_by("student__student_profile__student_number")


def sizes():
    return SchoolClass.objects.annotate(size=Count("students"))


def number(enrolment):
    return enrolment.student.student_profile.student_number
'''


def test_an_upward_import_fails_the_check(tmp_path):
    fixture = tmp_path / "teachers_upward_import.py"
    fixture.write_text(UPWARD_IMPORT, encoding="utf-8")
    found = python_violations(fixture.read_text(encoding="utf-8"), app="teachers", label=fixture.name,
                              forbidden=upward_relation_names("teachers"))
    assert found == ["teachers_upward_import.py:2 imports students.models"]


def test_an_upward_orm_lookup_fails_the_check(tmp_path):
    fixture = tmp_path / "teachers_upward_lookup.py"
    fixture.write_text(UPWARD_LOOKUPS, encoding="utf-8")
    found = python_violations(fixture.read_text(encoding="utf-8"), app="teachers", label=fixture.name,
                              forbidden=upward_relation_names("teachers"))
    assert [line.split(" (")[0] for line in found] == [
        "teachers_upward_lookup.py:10 looks up student_profile__major_id",
        "teachers_upward_lookup.py:14 looks up 'student__student_profile__student_number'",
        "teachers_upward_lookup.py:18 looks up 'students'",
        "teachers_upward_lookup.py:22 reads .student_profile",
    ]
    # The same module in the students app (which owns those relations) is fine.
    assert python_violations(UPWARD_LOOKUPS, app="students", label="x", forbidden=upward_relation_names("students")) \
        == []


def test_an_upward_template_lookup_fails_the_check():
    text = "<td>{{ row.student.student_profile.student_number }}</td>{% if c.student_number %}{% endif %}"
    found = template_violations(text, label="gradebook.html", forbidden=upward_relation_names("teachers"))
    assert [line.split(" (")[0] for line in found] == ["gradebook.html: row.student.student_profile.student_number"]
