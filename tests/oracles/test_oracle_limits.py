"""Bounds on the trusted side's work on one expression: parser caps, the linear evaluator, and the
two mechanisms that really stop SymPy (a CPU-time signal, a forked child). Outcomes only: no
assertion here is about how long anything took."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import sympy

from grader.oracles.symbolic import Outcome, SymbolicParseError, equivalent, parse_expression
from grader.oracles.symbolic.limits import CpuLimit, OutOfTime, can_fork, in_child
from grader.oracles.symbolic.numeric import value_at
from grader.oracles.symbolic.parser import MAX_NODES

PRODUCT_RULE = "2*x*sin(x) + x**2*cos(x)"
x = sympy.Symbol("x", real=True)


def nested_zero(depth: int) -> str:
    """An exact 0, nested: SymPy's adaptive evalf raises its precision again at every level."""
    zero = "0"
    for k in range(1, depth + 1):
        zero = f"(sin(x+{k})**2+cos(x+{k})**2-1+x*{zero})"
    return zero


def in_a_thread(function):
    result = []
    thread = threading.Thread(target=lambda: result.append(function()))
    thread.start()
    thread.join()
    return result[0]


def test_the_cpu_limit_stops_a_loop_in_the_main_thread() -> None:
    stopped = False
    start = time.process_time()
    try:
        with CpuLimit(0.2) as limit:
            assert limit.armed
            while time.process_time() < start + 60:  # bounded, should the limit fail
                pass
    except OutOfTime:
        stopped = True
    assert stopped
    # and leaves nothing armed behind
    with CpuLimit(0.0) as limit:
        assert not limit.armed
    with CpuLimit(5.0):
        pass
    time.sleep(0)  # nothing pending either


def test_the_cpu_limit_stops_sympy_itself() -> None:
    with pytest.raises(OutOfTime), CpuLimit(0.2):
        for exponent in range(2000, 8000, 500):  # ~47 s of CPU unlimited: fails, never hangs
            sympy.expand((x + 1) ** exponent)


def _abandoned() -> Iterator[int]:
    try:
        yield 1
    finally:
        sum(range(20000))  # CPU spent while Python finalises the generator


def test_a_limit_that_fires_while_an_object_is_finalised_fires_again() -> None:
    # SymPy abandons generators all the time; a signal handled while one is finalised has its
    # exception dropped by Python ("Exception ignored in <generator ...>"). The first 0.3 s here
    # are spent almost wholly in such finalisers, so the limit's first OutOfTime is dropped; the
    # plain loop after them must still be stopped (once, this test's unbounded sympy loop hung).
    start = time.process_time()
    with pytest.raises(OutOfTime), CpuLimit(0.05):
        while time.process_time() - start < 0.3:
            generator = _abandoned()
            next(generator)
            del generator
        while time.process_time() - start < 3.0:
            pass


def test_outside_the_main_thread_nothing_is_armed_and_no_fork_is_made() -> None:
    def probe() -> tuple[bool, bool]:
        with CpuLimit(1.0) as limit:
            return limit.armed, can_fork()

    assert in_a_thread(probe) == (False, False)


def test_a_child_answers_or_is_stopped() -> None:
    assert in_child(lambda: True, 2.0) is True
    assert in_child(lambda: False, 2.0) is False
    assert in_child(lambda: 1 / 0 == 0, 2.0) is None  # it failed: no answer

    def forever() -> bool:
        while True:
            pass

    assert in_child(forever, 0.2) is None
    assert in_child(lambda: len(bytearray(8 << 30)) > 0, 2.0, memory_bytes=1 << 28) is None


def test_nested_exact_cancellations_are_evaluated_and_judged_equal() -> None:
    answer = parse_expression(f"{PRODUCT_RULE} + {nested_zero(9)}", ["x"])
    assert (
        abs(value_at(answer - parse_expression(PRODUCT_RULE, ["x"]), {x: sympy.Rational(57, 100)}))
        < 1e-40
    )
    result = equivalent(answer, parse_expression(PRODUCT_RULE, ["x"]), ["x"], seed=3)
    assert result.outcome is Outcome.EQUAL and result.points == 12


def test_fixed_precision_covers_cancellation_of_huge_intermediates() -> None:
    power = (x + 3) ** 150
    difference = power - sympy.expand(power) + sympy.sin(x)  # terms near 1e100 that cancel
    point = {x: sympy.Rational(5, 2)}
    assert value_at(difference, point) == pytest.approx(float(sympy.sin(sympy.Rational(5, 2))))


def test_simplification_decides_the_same_in_a_child_and_in_process() -> None:
    def judge() -> Outcome:
        student = parse_expression("sqrt(-1-x**2)*(x+1)**2", ["x"])
        reference = parse_expression("sqrt(-1-x**2)*(x**2+2*x+1)", ["x"])
        return equivalent(student, reference, ["x"], seed=7).outcome

    assert can_fork()
    assert judge() is Outcome.EQUAL  # in a forked child
    assert in_a_thread(judge) is Outcome.EQUAL  # in-process, with clock checks only


def test_too_many_nodes_is_refused_with_a_sentence() -> None:
    text = "+".join(f"sin({k}*x)" for k in range(1, MAX_NODES // 5))  # 4 nodes each
    parse_expression(text, ["x"])
    with pytest.raises(SymbolicParseError) as refused:
        parse_expression(text + "+" + "+".join(f"cos({k}*x)" for k in range(1, 60)), ["x"])
    assert str(refused.value) == (
        "could not read your expression: it is too long to be judged (more than 400 numbers, "
        "names and operations); write it in a simpler form."
    )


def test_an_unknown_name_is_repeated_only_in_part() -> None:
    with pytest.raises(SymbolicParseError) as refused:
        parse_expression("a" * 1500, ["x"])
    assert f"unknown name '{'a' * 27}...'" in str(refused.value)
    assert len(str(refused.value)) < 300
