"""Equivalence of symbolic answers: equal, not equal, undecided and timeout, with messages."""

from __future__ import annotations

import pytest
import sympy

from grader.oracles.compare import Verdict
from grader.oracles.symbolic import Outcome, check_symbolic, equivalent, parse_expression
from grader.oracles.symbolic.numeric import value_at

CALL = "symbolic_derivative('x**2*sin(x)')"
PRODUCT_RULE = "2*x*sin(x) + x**2*cos(x)"


def judge(student: str, reference: str, variables: tuple[str, ...] = ("x",), **options):
    return equivalent(
        parse_expression(student, variables),
        parse_expression(reference, variables),
        variables,
        seed=options.pop("seed", 7),
        call=CALL,
        **options,
    )


@pytest.mark.parametrize(
    "student",
    [
        PRODUCT_RULE,
        "x*(2*sin(x) + x*cos(x))",
        "x^2*cos(x) + 2*sin(x)*x",
        "2*x*sin(x)+x**2*cos(x)+0",
    ],
)
def test_equivalent_forms_are_equal_by_evaluation(student: str) -> None:
    result = judge(student, PRODUCT_RULE)
    assert result.outcome is Outcome.EQUAL
    assert result.ok and result.message == ""
    assert result.points == 12


def test_equal_on_a_partial_domain_and_in_two_variables() -> None:
    assert judge("1/x", "1/x + log(x) - log(x)").ok
    assert judge("log(x**2)/2", "log(Abs(x))").ok
    assert judge("-3*y**2*x", "x*(-3)*y^2", ("x", "y")).ok


def test_a_wrong_answer_gets_a_counterexample_it_can_check() -> None:
    result = judge("2*x*cos(x)", PRODUCT_RULE)
    assert result.outcome is Outcome.NOT_EQUAL
    assert not result.ok
    assert result.message.startswith(f"{CALL} is not equivalent to the expected answer: at x = ")
    # the point is no grid point (see test_answers_vanishing_on_a_grid_are_caught), and shown
    # with 12 digits: enough for the student to evaluate both sides there and see them differ
    point = float(result.message.split("at x = ")[1].split(" ")[0])
    assert round(point, 2) != point
    x = sympy.Symbol("x")
    shown = f"it is {float((2 * x * sympy.cos(x)).subs(x, point)):.8g},"
    assert shown in result.message


def test_same_seed_same_verdict() -> None:
    assert judge("x**2", "x**3", seed=3) == judge("x**2", "x**3", seed=3)


def test_no_real_points_but_proven_by_expansion_is_equal() -> None:
    result = judge("sqrt(-1-x**2)*(x+1)**2", "sqrt(-1-x**2)*(x**2+2*x+1)")
    assert result.outcome is Outcome.EQUAL
    assert result.points == 0


def test_no_real_points_and_no_proof_is_undecided_and_wrong() -> None:
    result = judge("sqrt(-1-x**2)", "2*sqrt(-1-x**2)")
    assert result.outcome is Outcome.UNDECIDED
    assert not result.ok
    assert result.message == (
        f"{CALL} could not be confirmed equal to the expected answer: it could be compared at "
        "only 0 test points and the difference could not be simplified to 0; try writing it in "
        "a simpler form."
    )


def test_a_spent_budget_is_a_timeout_and_not_the_students_fault() -> None:
    result = judge(PRODUCT_RULE, PRODUCT_RULE, timeout=0.0)
    assert result.outcome is Outcome.TIMEOUT
    assert not result.ok
    assert "took longer than 0 s; this is not your fault" in result.message


def test_stray_symbols_in_the_reference_are_the_checks_fault() -> None:
    with pytest.raises(ValueError, match="uses z, not among the variables"):
        equivalent(sympy.Symbol("x"), sympy.Symbol("z"), ["x"], seed=0)
    with pytest.raises(TypeError, match="parse strings first"):
        equivalent("x", sympy.Symbol("x"), ["x"], seed=0)


def test_check_symbolic_reads_the_answer_then_compares() -> None:
    ok = check_symbolic("x*(2*sin(x) + x*cos(x))", PRODUCT_RULE, ["x"], call=CALL, seed=1)
    assert ok.ok
    x = sympy.Symbol("x", real=True)
    expression = 2 * x * sympy.sin(x) + x**2 * sympy.cos(x)
    assert check_symbolic(PRODUCT_RULE, expression, ["x"], call=CALL, seed=1).ok
    wrong = check_symbolic("2*x*sin(x)", PRODUCT_RULE, ["x"], call=CALL, seed=1)
    assert not wrong.ok and "is not equivalent" in wrong.message
    unreadable = check_symbolic("2x*sin(x)", PRODUCT_RULE, ["x"], call=CALL, seed=1)
    assert unreadable == Verdict(
        False,
        f"{CALL} returned '2x*sin(x)'; could not read your expression: at position 2, two terms "
        "side by side; put an operator such as * between them.",
    )
    number = check_symbolic(2.0, PRODUCT_RULE, ["x"], call=CALL, seed=1)
    assert number == Verdict(False, f"{CALL} returned 2.0, expected a str such as 'x**2*sin(x)'.")


def test_towers_and_huge_powers_end_instead_of_computing_forever() -> None:
    # at x = 3, six nested exp ask evalf for a number of ~10**(10**7) digits: screened out
    tower = judge("exp(exp(exp(exp(exp(exp(x))))))", "x")
    assert tower.outcome is Outcome.UNDECIDED and tower.points == 0
    # a sum to the 1000th power is neither expanded nor simplified
    power = judge("(sqrt(-1-x**2) + sin(x) + cos(x) + exp(x))**1000", "sqrt(-1-x**2)")
    assert power.outcome is Outcome.UNDECIDED


def test_value_at_skips_what_is_not_a_finite_real_number() -> None:
    x = sympy.Symbol("x", real=True)
    at = {x: sympy.Rational(-3, 2)}
    assert value_at(x**2 + sympy.sign(x), at) == pytest.approx(1.25)
    assert value_at(sympy.log(x), at) is None
    assert value_at(sympy.exp(sympy.exp(sympy.exp(sympy.exp(-x)))), at) is None
    # exp(-1.6e38) underflows harmlessly to a tiny number, which evalf computes quickly
    assert value_at(sympy.exp(-sympy.exp(sympy.exp(sympy.exp(-x)))), at) == 0.0
    # a function the screen has no rule for (only in a course's own reference) is evaluated
    assert value_at(sympy.Heaviside(x) + sympy.gamma(-x), at) == pytest.approx(
        float(sympy.gamma(sympy.Rational(3, 2)))
    )
