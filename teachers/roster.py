"""The student roster, as the curriculum needs it.

Student records (number, major, class, intake year) belong to the students app, which
sits above this one. The gradebook still needs a few facts about them: who is in a
class or a cohort, their student numbers, how big a class is. This module declares
those facts; the students app provides them (`ROSTER_PROVIDERS` in `students/roster.py`,
found through the app registry like the other contribution points), so no code here
imports the students app or walks its relations — the layering holds at run time too.

Without a provider (the students app not installed) the roster is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from accounts.navigation import project_app_attribute


class RosterProvider(Protocol):
    def user_ids_in_class(self, class_id: int) -> list[int]: ...

    def user_ids_in_cohort(self, major_id: int, intake_year: int) -> list[int]: ...

    def student_numbers(self, user_ids: Iterable[int]) -> dict[int, str]: ...

    def user_ids_for_numbers(self, numbers: Iterable[str]) -> dict[str, int]: ...

    def class_sizes(self, class_ids: Iterable[int]) -> dict[int, int]: ...


class _EmptyRoster:
    def user_ids_in_class(self, class_id: int) -> list[int]:
        return []

    def user_ids_in_cohort(self, major_id: int, intake_year: int) -> list[int]:
        return []

    def student_numbers(self, user_ids: Iterable[int]) -> dict[int, str]:
        return {}

    def user_ids_for_numbers(self, numbers: Iterable[str]) -> dict[str, int]:
        return {}

    def class_sizes(self, class_ids: Iterable[int]) -> dict[int, int]:
        return {}


def roster() -> RosterProvider:
    """The roster provider of the project (the first one registered)."""
    providers = project_app_attribute("roster", "ROSTER_PROVIDERS")
    return providers[0] if providers else _EmptyRoster()


def user_ids_in_class(*, class_id: int) -> list[int]:
    """User ids of the students of an administrative class."""
    return roster().user_ids_in_class(class_id)


def user_ids_in_cohort(*, major_id: int, intake_year: int) -> list[int]:
    """User ids of the students of a major's intake year (the students of one program)."""
    return roster().user_ids_in_cohort(major_id, intake_year)


def student_numbers(*, user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: student number} for those users who are students."""
    return roster().student_numbers(list(user_ids))


def user_ids_for_numbers(*, numbers: Iterable[str]) -> dict[str, int]:
    """{student number: user id} for the numbers that exist."""
    return roster().user_ids_for_numbers(list(numbers))


def class_sizes(*, class_ids: Iterable[int]) -> dict[int, int]:
    """{class id: number of students}."""
    return roster().class_sizes(list(class_ids))
