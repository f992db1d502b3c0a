"""Deferred acceptance: hand cases, then random instances checked against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.matching import blocking_pairs, deferred_acceptance, explain


def test_textbook_instance():
    # Three students, two options with one seat each. b holds X until c, bumped from Y
    # by a, proposes to X, which ranks c first.
    capacities = {"X": 1, "Y": 1}
    students = {"a": ["X", "Y"], "b": ["X"], "c": ["Y", "X"]}
    options = {"X": ["c", "b", "a"], "Y": ["a", "c"]}
    result = deferred_acceptance(capacities, students, options)
    assert result == {"a": "Y", "b": None, "c": "X"}
    assert blocking_pairs(capacities, students, options, result) == []


def test_capacity_and_bumping_chain():
    capacities = {"A": 2, "B": 1}
    students = {1: ["A", "B"], 2: ["A", "B"], 3: ["A", "B"], 4: ["B"]}
    options = {"A": [3, 2, 1], "B": [1, 4, 2, 3]}
    result = deferred_acceptance(capacities, students, options)
    # A keeps its two best (3, 2); 1 falls to B and bumps 4, whom B ranks lower.
    assert result == {1: "B", 2: "A", 3: "A", 4: None}


def test_option_not_ranking_a_student_never_admits_them():
    result = deferred_acceptance({"A": 5}, {"s": ["A"]}, {"A": []})
    assert result == {"s": None}


def test_student_optimal_where_options_disagree():
    # Two stable matchings exist; students get their first choices in the student-optimal one.
    capacities = {"X": 1, "Y": 1}
    students = {"a": ["X", "Y"], "b": ["Y", "X"]}
    options = {"X": ["b", "a"], "Y": ["a", "b"]}
    assert deferred_acceptance(capacities, students, options) == {"a": "X", "b": "Y"}


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        deferred_acceptance({"A": 0}, {"s": ["A"]}, {"A": ["s"]})
    with pytest.raises(ValueError):
        deferred_acceptance({"A": 1}, {"s": ["A", "A"]}, {"A": ["s"]})
    with pytest.raises(ValueError):
        deferred_acceptance({"A": 1}, {"s": ["A"]}, {"A": ["s", "s"]})


def test_explanation_names_the_cutoff():
    capacities = {"X": 1, "Y": 1}
    students = {"a": ["X", "Y"], "b": ["X"], "c": ["Y", "X"]}
    options = {"X": ["c", "b", "a"], "Y": ["a", "c"]}
    result = deferred_acceptance(capacities, students, options)
    reasons = explain(capacities, students, options, result)
    (reason,) = reasons["a"]
    assert (reason.option, reason.code, reason.own_rank, reason.cutoff_rank) == ("X", "full", 3, 1)
    (reason,) = reasons["b"]
    assert (reason.option, reason.code, reason.own_rank, reason.cutoff_rank) == ("X", "full", 2, 1)
    (reason,) = reasons["c"]
    assert (reason.option, reason.code, reason.own_rank, reason.cutoff_rank) == ("Y", "full", 2, 1)
    assert explain({"A": 1}, {"s": ["A"]}, {"A": []}, {"s": None})["s"][0].code == "not_ranked"


@st.composite
def instances(draw, max_students=5, max_options=3):
    n_students = draw(st.integers(1, max_students))
    n_options = draw(st.integers(1, max_options))
    options = [f"o{i}" for i in range(n_options)]
    students = [f"s{i}" for i in range(n_students)]
    capacities = {o: draw(st.integers(1, 2)) for o in options}
    student_prefs = {s: draw(st.permutations(options).flatmap(
        lambda perm: st.integers(0, len(perm)).map(lambda k, perm=perm: list(perm[:k])))) for s in students}
    option_prefs = {o: draw(st.permutations(students).flatmap(
        lambda perm: st.integers(0, len(perm)).map(lambda k, perm=perm: list(perm[:k])))) for o in options}
    return capacities, student_prefs, option_prefs


def _all_stable(capacities, student_prefs, option_prefs):
    students = list(student_prefs)
    choices = [[None] + [o for o in student_prefs[s] if s in option_prefs.get(o, ())] for s in students]
    for combo in itertools.product(*choices):
        counts: dict = {}
        for option in combo:
            if option is not None:
                counts[option] = counts.get(option, 0) + 1
        if any(counts[o] > capacities[o] for o in counts):
            continue
        assignment = dict(zip(students, combo, strict=True))
        if not blocking_pairs(capacities, student_prefs, option_prefs, assignment):
            yield assignment


def _position(prefs, option):
    return prefs.index(option) if option is not None else len(prefs)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_random_instances_stable_within_capacity_and_student_optimal(instance):
    capacities, student_prefs, option_prefs = instance
    result = deferred_acceptance(capacities, student_prefs, option_prefs)
    # Capacities, acceptability.
    for option, seats in capacities.items():
        admitted = [s for s, o in result.items() if o == option]
        assert len(admitted) <= seats
        assert all(option in student_prefs[s] and s in option_prefs[option] for s in admitted)
    assert blocking_pairs(capacities, student_prefs, option_prefs, result) == []
    stable = list(_all_stable(capacities, student_prefs, option_prefs))
    assert result in stable
    for other in stable:
        for student, prefs in student_prefs.items():
            assert _position(prefs, result[student]) <= _position(prefs, other[student])
    # Deterministic, and every better choice is explained by a full option or no ranking.
    assert deferred_acceptance(capacities, student_prefs, option_prefs) == result
    for reasons in explain(capacities, student_prefs, option_prefs, result).values():
        for reason in reasons:
            if reason.code == "full":
                assert reason.cutoff_rank is not None and reason.cutoff_rank < reason.own_rank
