"""403 vs 404 (issue 17 §4 "Info"): a URL that names a student (a student number), a
class, a competition entry or one of the teachers app's objects (offering, course, reform,
supervision plan, task, evidence file, resource) must not tell someone without rights whether it exists.
For every such URL in the permission matrix and every actor the matrix denies, the
answer for a record that exists but is not theirs equals the answer for one that does
not exist (status, and the JSON body for the API)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import ALL_ACTORS, Case
from tests.test_permission_matrix import CASES, DELEGATED_NAMESPACES, world  # noqa: F401 - world is a fixture

# The path parameters that address a student or their records, and a value that names nothing.
NOWHERE = 2**31 - 1
MISSING = {"student_number": "NOSUCH00000", "class_id": NOWHERE, "entry_id": NOWHERE,
           # the teachers app's sequential ids: offerings (gradebooks), courses, reforms,
           # supervision plans, tasks and evidence files, resources
           "offering_id": NOWHERE, "course_id": NOWHERE, "reform_id": NOWHERE, "plan_id": NOWHERE,
           "task_id": NOWHERE, "file_id": NOWHERE, "resource_id": NOWHERE}


def _routes(patterns, namespace: str = "", prefix: str = "") -> dict[str, list[str]]:
    routes: dict[str, list[str]] = {}
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in DELEGATED_NAMESPACES:
                continue
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            for name, found in _routes(entry.url_patterns, ns, prefix + str(entry.pattern)).items():
                routes.setdefault(name, []).extend(found)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            routes.setdefault(name, []).append(prefix + str(entry.pattern))
    return routes


ROUTES = _routes(get_resolver().url_patterns)


def _params(url_name: str) -> set[str]:
    return {p for route in ROUTES.get(url_name, []) for p in re.findall(r"<(?:\w+:)?(\w+)>", route)}


ORACLE_CASES = [case for case in CASES if _params(case.url_name) & set(MISSING)]


def test_every_url_naming_a_student_is_checked():
    """A new URL with <student_number> (or a class or entry id) is covered here through its matrix Case."""
    named = sorted(name for name in ROUTES if _params(name) & set(MISSING))
    assert "students:student_competences" in named and "api:students-radar" in named
    assert set(named) <= {case.url_name for case in ORACLE_CASES}


# Where an actor may see an object, a 403 on an action they may not take reveals nothing: the
# page that shows the object (the probe) answers 200 for them. Only actors who cannot see it must
# get the answer for a missing one.
PROBES = {"offering_id": "teachers:gradebook", "course_id": "teachers:course_detail",
          "reform_id": "teachers:reform_detail", "plan_id": "teachers:supervision_plan",
          "task_id": "teachers:supervision_task", "resource_id": "teachers:resource_detail"}
# A program's page lists its courses to all staff: removing one names a course they already see there.
LISTED = {("teachers:program_course_remove", "course_id")}


def _sees(client, case: Case, param: str, kwargs: dict) -> bool:
    probe = PROBES.get(param)
    if (case.url_name, param) in LISTED:
        return True
    if probe is None or probe == case.url_name:
        return False
    return client.get(reverse(probe, kwargs={param: kwargs[param]})).status_code == 200


def _request(client, case: Case, world_, kwargs: dict):
    url = reverse(case.url_name, kwargs=kwargs)
    data = case.data(world_) if callable(case.data) else (case.data or {})
    request = getattr(client, case.method)
    if case.method != "get" and case.content_type == "application/json":
        return request(url, json.dumps(data), content_type="application/json")
    return request(url, data)


@pytest.mark.parametrize("actor", [a for a in ALL_ACTORS if a != "anonymous"])
@pytest.mark.parametrize("case", ORACLE_CASES, ids=lambda c: f"{c.id} {','.join(sorted(_params(c.url_name)))}")
def test_not_theirs_answers_as_missing(case: Case, actor: str, world, client):  # noqa: F811 - the fixture
    kwargs = case.build(world) if case.build else {}
    client.force_login(world.users[actor])
    for param in sorted(_params(case.url_name) & set(MISSING)):
        missing = _request(client, case, world, {**kwargs, param: MISSING[param]})
        existing = _request(client, case, world, kwargs)
        if existing.status_code not in (403, 404):
            continue  # theirs to see (a missing one is then simply 404)
        if existing.status_code == 403 and _sees(client, case, param, kwargs):
            continue  # they see it, and may not do this to it
        assert existing.status_code == missing.status_code, (
            f"{case.id} as {actor}: {existing.status_code} for an existing {param}, "
            f"{missing.status_code} for a missing one")
        if existing.get("Content-Type", "").startswith("application/json"):
            assert existing.json() == missing.json(), f"{case.id} as {actor}: bodies differ"
