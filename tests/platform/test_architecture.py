"""The layering README promises: apps depend downwards in INSTALLED_APPS order, so a
lower app never imports a higher one (a higher app contributes to a shared screen
through a registry such as NAV_ITEMS or HOME_PANELS instead)."""

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["accounts", "teachers", "students", "enterprises", "projects", "evaluations", "deepfake", "admin_portal"]


def test_layers_follow_installed_apps_order():
    installed = [app for app in settings.INSTALLED_APPS if app.split(".")[0] in LAYERS]
    assert [app.split(".")[0] for app in installed] == LAYERS


def test_no_app_imports_a_higher_one():
    rank = {app: i for i, app in enumerate(LAYERS)}
    violations = []
    for app in LAYERS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if rank.get(top, -1) > rank[app]:
                        violations.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} imports {module}")
    assert violations == []
