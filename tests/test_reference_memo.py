"""The memoised reference: each distinct call computed once, answers never shared by mutation."""

from __future__ import annotations

import types

import numpy as np

from grader.grading import reference_memo
from grader.grading.reference_memo import MemoizedReference, remembered


def counting_module() -> tuple[types.ModuleType, list]:
    """A stand-in reference module whose functions record every real call."""
    calls: list = []
    module = types.ModuleType("reference")

    def double(x, scale=1):
        calls.append(("double", x, scale))
        return np.asarray(x, dtype=float) * 2 * scale

    def apply(f, x):
        calls.append(("apply", f, x))
        return f(x)

    module.double, module.apply, module.CONSTANT = double, apply, 7
    return module, calls


def test_a_repeated_call_is_computed_once():
    module, calls = counting_module()
    reference = MemoizedReference(module)
    for _ in range(3):
        assert np.array_equal(reference.double(np.array([1.0, 2.0]), scale=3), [6.0, 12.0])
    assert len(calls) == 1
    assert reference.CONSTANT == 7


def test_changing_an_answer_does_not_change_the_next_one():
    module, _ = counting_module()
    reference = MemoizedReference(module)
    first = reference.double([1.0, 2.0])
    first[0] = 99.0
    assert np.array_equal(reference.double([1.0, 2.0]), [2.0, 4.0])


def test_inputs_equal_in_python_but_of_other_types_are_other_calls():
    module, calls = counting_module()
    reference = MemoizedReference(module)
    for x in (1, 1.0, True, np.float64(1.0), np.array([1]), np.array([1.0]), [1], (1,), -0.0, 0.0):
        reference.double(x)
    assert len(calls) == 10


def test_callables_are_told_apart_by_identity():
    module, calls = counting_module()
    reference = MemoizedReference(module)

    def square(x):
        return x * x

    def cube(x):
        return x**3

    assert [reference.apply(square, 3), reference.apply(cube, 3), reference.apply(square, 3)] == [
        9,
        27,
        9,
    ]
    assert len(calls) == 2


def test_arguments_without_a_reliable_value_are_not_remembered():
    module, calls = counting_module()
    reference = MemoizedReference(module)
    opaque = object()
    reference.apply(lambda value: 1, opaque)
    reference.apply(lambda value: 1, opaque)
    assert len(calls) == 2


def test_memory_stops_growing_at_the_cap(monkeypatch):
    """Past the cap the oldest answers make room: the newest five are remembered, no more."""
    monkeypatch.setattr(reference_memo, "MAX_ANSWERS", 5)
    module, calls = counting_module()
    reference = MemoizedReference(module)
    for x in range(8):
        reference.double(float(x))
    for x in (7, 6, 5, 4, 3):
        assert reference.double(float(x)) == 2.0 * x
    assert len(calls) == 8
    assert reference.double(0.0) == 0.0  # forgotten, so worked out again
    assert len(calls) == 9


def test_a_remembered_formula_works_each_input_out_once(monkeypatch):
    """The checks' wrong formulas: one computation per distinct input, a copy for each caller,
    and no memory at all for formulas past the cap (a formula made afresh for each submission)."""
    monkeypatch.setattr(reference_memo, "_remembered", {})
    calls = []

    def doubled(x):
        calls.append(x)
        return np.asarray(x, dtype=float) * 2

    first = remembered(doubled)(np.array([1.0, 2.0]))
    first[0] = 99.0  # a caller changing its answer does not change the next caller's
    again = remembered(doubled)(np.array([1.0, 2.0]))
    assert again.tolist() == [2.0, 4.0]
    remembered(doubled)(np.array([1, 2]))  # another dtype is another input
    assert len(calls) == 2

    monkeypatch.setattr(reference_memo, "MAX_FUNCTIONS", 1)
    made_afresh = [lambda x: calls.append(x) or x for _ in range(3)]
    assert all(remembered(formula) is formula for formula in made_afresh)
    assert list(reference_memo._remembered) == [doubled]
