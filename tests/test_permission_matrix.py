"""Every URL × every actor. Adding a URL without a Case in tests/matrix/ fails here."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from tests import matrix
from tests.factories import UserFactory
from tests.matrix import ALL_ACTORS, BASE_ACTORS, Case, World

# Namespaces that are whole third-party sites with their own access rules; one
# representative Case (admin:index) covers each.
DELEGATED_NAMESPACES = {"admin"}


def _all_cases() -> list[Case]:
    cases: list[Case] = []
    for module_info in pkgutil.iter_modules(matrix.__path__):
        module = importlib.import_module(f"{matrix.__name__}.{module_info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases


CASES = _all_cases()


def _url_names(patterns, namespace: str = "") -> list[str | None]:
    names: list[str | None] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in DELEGATED_NAMESPACES:
                continue
            prefix = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names.extend(_url_names(entry.url_patterns, prefix))
        elif isinstance(entry, URLPattern):
            names.append(f"{namespace}:{entry.name}" if namespace and entry.name else entry.name)
    return names


def test_every_url_has_a_matrix_case():
    names = _url_names(get_resolver().url_patterns)
    assert None not in names, "every URL pattern needs a name so the matrix can cover it"
    covered = {case.url_name for case in CASES}
    missing = sorted(set(names) - covered)
    assert not missing, f"URLs without a permission-matrix Case (add them to tests/matrix/): {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_declares_every_role(case):
    for actor in BASE_ACTORS:
        assert actor in case.expect, f"{case.id} has no expectation for {actor}"


@pytest.fixture
def world(db):
    users = {
        "student": UserFactory(username="mx_student", role=Role.STUDENT),
        "other_student": UserFactory(username="mx_student2", role=Role.STUDENT),
        "teacher": UserFactory(username="mx_teacher", role=Role.TEACHER),
        "other_teacher": UserFactory(username="mx_teacher2", role=Role.TEACHER),
        "enterprise": UserFactory(username="mx_hr", role=Role.ENTERPRISE),
        "other_enterprise": UserFactory(username="mx_hr2", role=Role.ENTERPRISE),
        "industry": UserFactory(username="mx_master", role=Role.INDUSTRY),
        "school_admin": UserFactory(username="mx_admin", role=Role.SCHOOL_ADMIN),
    }
    return World(users=users)


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_permission_matrix(case: Case, actor: str, world: World, client):
    kwargs = case.build(world) if case.build else {}
    url = reverse(case.url_name, kwargs=kwargs)
    if actor != "anonymous":
        client.force_login(world.users[actor])
    data = case.data(world) if callable(case.data) else (case.data or {})
    request = getattr(client, case.method)
    if case.method == "get":
        response = request(url, data)
    elif case.content_type == "application/json":
        response = request(url, json.dumps(data), content_type="application/json")
    else:
        response = request(url, data)
    expected = case.expected_for(actor)
    assert response.status_code in expected, (
        f"{case.id} as {actor}: got {response.status_code}, expected {expected}"
    )
    assert response.status_code != 500
