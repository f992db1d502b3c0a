"""The permission matrix: every URL of the project × every role, owner and non-owner.

Each app declares its URLs in tests/matrix/<app>.py as a CASES list of `Case`s.
tests/test_permission_matrix.py fails when a URL pattern of the project has no Case,
or a Case lacks an expectation for one of the roles.

Actors: anonymous, the five roles, and the "other_" actors (a second student,
teacher and enterprise) used for object-level checks: `build(world)` creates the
objects a URL needs, owned by world.users["student"] / ["teacher"] / ["enterprise"],
and returns the URL kwargs. An "other_" actor's expectation defaults to its role's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BASE_ACTORS = ("anonymous", "student", "teacher", "enterprise", "industry", "school_admin")
OTHER_ACTORS = ("other_student", "other_teacher", "other_enterprise")
ALL_ACTORS = BASE_ACTORS + OTHER_ACTORS

LOGIN_REDIRECT = 302
ROLES = ("student", "teacher", "enterprise", "industry", "school_admin")


@dataclass
class World:
    """Users for every actor, plus a scratch dict where builders keep shared objects."""

    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, factory: Callable[[], Any]) -> Any:
        if key not in self.objects:
            self.objects[key] = factory()
        return self.objects[key]


@dataclass
class Case:
    url_name: str
    expect: dict[str, int | tuple[int, ...]]
    method: str = "get"
    build: Callable[[World], dict] | None = None
    data: Callable[[World], dict] | dict | None = None
    content_type: str | None = None
    note: str = ""

    def expected_for(self, actor: str) -> tuple[int, ...]:
        value = self.expect.get(actor)
        if value is None and actor.startswith("other_"):
            value = self.expect[actor.removeprefix("other_")]
        return value if isinstance(value, tuple) else (value,)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}"


def page(*allowed: str, ok: int | tuple[int, ...] = 200, **overrides) -> dict:
    """An HTML page: anonymous users are sent to log in, other roles get 403."""
    expect = {"anonymous": LOGIN_REDIRECT}
    expect.update({role: ok if role in allowed else 403 for role in ROLES})
    expect.update(overrides)
    return expect


def api(*allowed: str, ok: int | tuple[int, ...] = 200, **overrides) -> dict:
    """An API endpoint: anonymous gets 401, roles not allowed get 403."""
    expect = {"anonymous": 401}
    expect.update({role: ok if role in allowed else 403 for role in ROLES})
    expect.update(overrides)
    return expect


def public(status: int | tuple[int, ...] = 200) -> dict:
    return {actor: status for actor in BASE_ACTORS}


def unseen(*actors: str) -> dict:
    """Actors of an allowed role who may not see this object: it answers as a missing one (404),
    so sequential ids are no existence oracle (docs/security.md)."""
    return dict.fromkeys(actors, 404)
