"""Two-way selection: student-proposing deferred acceptance (Gale–Shapley with capacities).

Pure functions on plain data, no ORM: the same engine serves order classes and
graduation topics (projects/selection.py loads a round and stores the result).

Inputs
  capacities         {option: seats >= 1}
  student_prefs      {student: [option, ...]}  best first; the options the student applied to
  option_prefs       {option: [student, ...]}  best first; a student an option did not rank
                                               is not acceptable to it

The result is the student-optimal stable assignment: no student and option would both
rather have each other than what they got (the option has a free seat or admitted
someone it ranks below the student), and no stable assignment gives any student a
better option. Running it twice on the same input gives the same result.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

Student = Hashable
Option = Hashable


def deferred_acceptance(
    capacities: Mapping[Option, int],
    student_prefs: Mapping[Student, Sequence[Option]],
    option_prefs: Mapping[Option, Sequence[Student]],
) -> dict[Student, Option | None]:
    """{student: option or None}. O(total applications · log capacity)."""
    for option, seats in capacities.items():
        if seats < 1:
            raise ValueError(f"capacity of {option!r} must be at least 1")
    rank: dict[Option, dict[Student, int]] = {
        option: {student: position for position, student in enumerate(option_prefs.get(option, ()))}
        for option in capacities
    }
    for student, prefs in student_prefs.items():
        if len(set(prefs)) != len(prefs):
            raise ValueError(f"{student!r} ranks an option twice")
    for option, prefs in option_prefs.items():
        if len(set(prefs)) != len(prefs):
            raise ValueError(f"{option!r} ranks a student twice")
    # Held applicants per option: a max-heap on the option's rank (negated), so the
    # worst held applicant is on top and is the one bumped.
    held: dict[Option, list[tuple[int, int, Student]]] = {option: [] for option in capacities}
    next_choice: dict[Student, int] = {}
    order = {student: i for i, student in enumerate(student_prefs)}  # heap tie-break, never used for rank
    free = list(reversed(list(student_prefs)))
    while free:
        student = free.pop()
        prefs = student_prefs[student]
        i = next_choice.get(student, 0)
        while i < len(prefs):
            option = prefs[i]
            i += 1
            position = rank.get(option, {}).get(student)
            if position is None:
                continue  # unknown option, or the option did not rank this student
            heap = held[option]
            if len(heap) < capacities[option]:
                heapq.heappush(heap, (-position, order[student], student))
                break
            if position < -heap[0][0]:
                _, _, bumped = heapq.heapreplace(heap, (-position, order[student], student))
                free.append(bumped)
                break
        next_choice[student] = i
    assignment: dict[Student, Option | None] = dict.fromkeys(student_prefs)
    for option, heap in held.items():
        for _, _, student in heap:
            assignment[student] = option
    return assignment


def blocking_pairs(
    capacities: Mapping[Option, int],
    student_prefs: Mapping[Student, Sequence[Option]],
    option_prefs: Mapping[Option, Sequence[Student]],
    assignment: Mapping[Student, Option | None],
) -> list[tuple[Student, Option]]:
    """Pairs (student, option) that would both rather have each other: empty when stable."""
    rank = {o: {s: p for p, s in enumerate(option_prefs.get(o, ()))} for o in capacities}
    admitted: dict[Option, list[Student]] = {o: [] for o in capacities}
    for student, option in assignment.items():
        if option is not None:
            admitted[option].append(student)
    pairs = []
    for student, prefs in student_prefs.items():
        current = assignment.get(student)
        for option in prefs:
            if option == current:
                break
            if option not in rank or student not in rank[option]:
                continue
            has_room = len(admitted[option]) < capacities[option]
            if has_room or any(rank[option][student] < rank[option][other] for other in admitted[option]):
                pairs.append((student, option))
    return pairs


@dataclass(frozen=True)
class Reason:
    """Why a student did not get an option they ranked above their result."""

    option: Option
    student_rank: int  # 1-based position in the student's list
    code: str  # "not_ranked": the option did not rank them; "full": its last admitted ranked above them
    own_rank: int | None  # 1-based position in the option's list
    cutoff_rank: int | None  # the option's rank of its last admitted applicant


def explain(
    capacities: Mapping[Option, int],
    student_prefs: Mapping[Student, Sequence[Option]],
    option_prefs: Mapping[Option, Sequence[Student]],
    assignment: Mapping[Student, Option | None],
) -> dict[Student, list[Reason]]:
    """For each student, the reason for every option they preferred to their result.
    In a stable assignment each such option either did not rank them or is full of
    applicants it ranks above them."""
    rank = {o: {s: p for p, s in enumerate(option_prefs.get(o, ()))} for o in capacities}
    cutoff: dict[Option, int] = {}
    for student, option in assignment.items():
        if option is not None:
            cutoff[option] = max(cutoff.get(option, -1), rank[option][student])
    reasons: dict[Student, list[Reason]] = {}
    for student, prefs in student_prefs.items():
        current = assignment.get(student)
        lines = []
        for position, option in enumerate(prefs, start=1):
            if option == current:
                break
            own = rank.get(option, {}).get(student)
            if own is None:
                lines.append(Reason(option, position, "not_ranked", None, None))
            else:
                last = cutoff.get(option)
                lines.append(Reason(option, position, "full", own + 1, None if last is None else last + 1))
        reasons[student] = lines
    return reasons
