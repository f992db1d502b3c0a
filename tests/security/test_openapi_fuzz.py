"""schemathesis over the OpenAPI schema, as each role and anonymously (issue 17 §5):
zero server errors, zero undocumented statuses, zero responses that break the schema.
Plus the schema facts the attack found wrong (issue 17 §4 "OpenAPI")."""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token

from accounts.models import Role
from tests.factories import UserFactory
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

schemathesis = pytest.importorskip("schemathesis")

ACTORS = ["anonymous", Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY, Role.SCHOOL_ADMIN]
EXAMPLES = 10


def _schema():
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def _keep_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection
    when a request ends; keep the test's (as django.test.Client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db, shipped_model, _keep_test_connection):
    teacher = UserFactory(role=Role.TEACHER, username="fz_teacher")
    major = make_major(code="fz", competencies=("a", "b", "c"))
    make_program(major, 2024, [("FZ1", 2, 1, {"a": 1, "b": 0.5}), ("FZ2", 3, 1, {"c": 1})])
    school_class = make_class(major, 2024, head_teacher=teacher, code="fz-class")
    users = {role: UserFactory(role=role, username=f"fz_{role}") for role in ACTORS[1:]}
    users[Role.TEACHER] = teacher
    student = make_student(school_class, user=users[Role.STUDENT], number="2024770001")
    others = [make_student(school_class, number=f"202477{i:04d}") for i in range(2, 5)]
    offering = make_offering("FZ1", make_term(), school_class, teacher=teacher)
    for i, s in enumerate([student, *others]):
        grade(offering, s, 60 + 10 * i)
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    return {"tokens": tokens, "student_number": student.student_number, "class_id": school_class.pk}


def _describe(exc: BaseException) -> str:
    parts = getattr(exc, "exceptions", None) or [exc]
    return " | ".join(" ".join(str(p).strip().splitlines()[:3]) or type(p).__name__ for p in parts)


def _fuzz(strategy, label: str, headers: dict, checks: list, failures: list[str]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        try:
            case.call_and_validate(headers=headers, checks=checks)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported together by the caller
            failures.append(f"{label}: {_describe(exc)}")

    run()


def _operations():
    return [result.ok() for result in _schema().get_all_operations()]


@pytest.mark.parametrize("actor", ACTORS)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(api_world, actor):
    from schemathesis.generation import GenerationMode

    headers = {} if actor == "anonymous" else {"Authorization": f"Token {api_world['tokens'][actor]}"}
    failures: list[str] = []
    checks = _checks()
    for operation in _operations():
        known = {name: value for name, value in (("student_number", api_world["student_number"]),
                                                  ("class_id", api_world["class_id"]))
                 if f"{{{name}}}" in operation.path}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters in ({}, known) if known else ({},):
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)
                label = f"{operation.method.upper()} {operation.path} [{mode.value}]"

                try:
                    _fuzz(strategy, label, headers, checks, failures)
                except Unsatisfiable:
                    continue  # nothing to make invalid (an operation without parameters or body)
    assert not failures, "\n".join(sorted(set(failures)))


def _spec():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_paginated_lists_are_documented_as_paginated():
    spec = _spec()
    for path in ("/api/v1/deepfake/jobs/", "/api/v1/notifications/", "/api/v1/rankings/", "/api/v1/me/points/"):
        ref = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        schema = spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]] if "$ref" in ref else ref
        assert {"count", "results"} <= set(schema["properties"]), path
        page = [p for p in spec["paths"][path]["get"].get("parameters", []) if p["name"] == "page"]
        assert page and page[0]["schema"].get("minimum") == 1, path


def test_every_operation_documents_its_error_responses():
    spec = _spec()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert "400" in codes, (method, path)
            if operation.get("security") and {} not in operation["security"]:
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)


def test_detection_jobs_take_multipart_only():
    body = _spec()["paths"]["/api/v1/deepfake/jobs/"]["post"]["requestBody"]["content"]
    assert set(body) == {"multipart/form-data"}
