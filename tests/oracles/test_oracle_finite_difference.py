"""Finite-difference tolerances follow the method's own error; convergence orders are measured."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from grader.oracles.compare import check_number
from grader.oracles.finite_difference import (
    Smoothness,
    check_convergence_order,
    check_fd,
    convergence_order,
    fd_tolerance,
    geometric_steps,
    rounding_error,
    smoothness,
    truncation_error,
)

X = sympy.Symbol("x", real=True)
SINE = Smoothness(value=1.0, first=1.0, second=1.0, third=1.0, fourth=1.0)


def forward(f, x: float, h: float) -> float:
    return (f(x + h) - f(x)) / h


def central(f, x: float, h: float) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def second(f, x: float, h: float) -> float:
    return (f(x + h) - 2 * f(x) + f(x - h)) / h**2


def test_error_terms_follow_the_textbook_formulas() -> None:
    bounds = Smoothness(value=0.0, first=0.0, second=2.0, third=6.0, fourth=12.0)
    assert truncation_error("forward", 0.1, bounds) == pytest.approx(0.1)
    assert truncation_error("backward", 0.1, bounds) == pytest.approx(0.1)
    assert truncation_error("central", 0.1, bounds) == pytest.approx(0.01)
    assert truncation_error("second", 0.1, bounds) == pytest.approx(0.01)
    flat = Smoothness(value=1.0)
    eps = np.finfo(float).eps
    assert rounding_error("central", 1e-5, 0.0, flat) == pytest.approx(eps / 1e-5)
    assert rounding_error("second", 1e-4, 0.0, flat) == pytest.approx(4 * eps / 1e-8)
    with pytest.raises(ValueError, match="unknown finite-difference method 'upwind'"):
        truncation_error("upwind", 0.1, bounds)


def test_rounding_grows_with_x_because_x_plus_h_is_rounded() -> None:
    near = rounding_error("central", 1e-5, 1.0, SINE)
    far = rounding_error("central", 1e-5, 1000.0, SINE)
    assert far > 400 * near


def test_sampled_bounds_of_sine() -> None:
    bounds = smoothness(sympy.sin(X), X, 0.0, 0.1)
    assert bounds.value == pytest.approx(math.sin(0.1))
    assert bounds.first == pytest.approx(1.0)
    assert bounds.third == pytest.approx(1.0)


def test_correct_central_difference_at_1000_passes_where_rel_tol_1e9_fails() -> None:
    x, h = 1000.0, 1e-5
    got, exact = central(np.sin, x, h), math.cos(x)
    bounds = smoothness(sympy.sin(X), X, x, h)
    assert not check_number(got, exact, call="central_difference(sin, 1000.0)", rtol=1e-9).ok
    verdict = check_fd(
        got,
        exact,
        call="central_difference(sin, 1000.0)",
        method="central",
        h=h,
        x=x,
        bounds=bounds,
        same_formula=False,
    )
    assert verdict.ok


def test_an_equivalent_way_of_writing_the_same_formula_passes_at_1000() -> None:
    x, h = 1000.0, 1e-5
    reference = central(np.sin, x, h)
    variant = (np.sin(x + h) / h - np.sin(x - h) / h) * 0.5
    bounds = smoothness(sympy.sin(X), X, x, h)
    assert check_fd(variant, reference, call="c", method="central", h=h, x=x, bounds=bounds).ok


def test_forward_instead_of_central_at_a_large_step_fails() -> None:
    x, h = 1.0, 0.1
    bounds = smoothness(sympy.sin(X), X, x, h)
    reference = central(np.sin, x, h)
    student = forward(np.sin, x, h)
    for same_formula in (True, False):
        verdict = check_fd(
            student,
            reference,
            call="central_difference(f, 1.0, h=0.1)",
            method="central",
            h=h,
            x=x,
            bounds=bounds,
            same_formula=same_formula,
        )
        assert not verdict.ok
        assert verdict.message.startswith("central_difference(f, 1.0, h=0.1) returned 0.4973")


def test_central_instead_of_forward_fails_because_truncation_is_shared() -> None:
    x, h = 1.0, 0.1
    bounds = smoothness(sympy.sin(X), X, x, h)
    verdict = check_fd(
        central(np.sin, x, h),
        forward(np.sin, x, h),
        call="forward_difference",
        method="forward",
        h=h,
        x=x,
        bounds=bounds,
    )
    assert not verdict.ok
    # the truncation bound alone (h/2 |f''|) would have hidden the mistake
    loose = fd_tolerance("forward", h=h, x=x, bounds=bounds, same_formula=False)
    assert abs(central(np.sin, x, h) - forward(np.sin, x, h)) < loose


def test_second_difference_and_arrays() -> None:
    x, h = 0.5, 1e-4
    bounds = smoothness(sympy.exp(X), X, x, h)
    got = second(np.exp, x, h)
    assert check_fd(
        got, math.exp(x), call="s", method="second", h=h, x=x, bounds=bounds, same_formula=False
    ).ok
    grid = np.array([0.1, 0.2])
    answer = central(np.exp, grid, 1e-5)
    array_verdict = check_fd(
        answer,
        np.exp(grid),
        call="g",
        method="central",
        h=1e-5,
        x=grid,
        bounds=smoothness(sympy.exp(X), X, 0.2, 1e-5),
        same_formula=False,
    )
    assert array_verdict.ok
    halved = check_fd(
        answer / 2,
        np.exp(grid),
        call="g",
        method="central",
        h=1e-5,
        x=grid,
        bounds=bounds,
        same_formula=False,
    )
    assert not halved.ok and "at index 1" in halved.message


def test_geometric_steps() -> None:
    steps = geometric_steps()
    assert steps.shape == (7,)
    assert steps[0] == pytest.approx(0.1) and steps[-1] == pytest.approx(1e-4)
    assert np.allclose(steps[1:] / steps[:-1], 10**-0.5)


@pytest.mark.parametrize(("f", "df"), [(np.exp, np.exp), (np.sin, np.cos)])
def test_orders_one_and_two_on_smooth_functions(f, df) -> None:
    x, hs = 0.7, geometric_steps()
    forward_errors = [abs(forward(f, x, h) - df(x)) for h in hs]
    central_errors = [abs(central(f, x, h) - df(x)) for h in hs]
    assert convergence_order(hs, forward_errors) == pytest.approx(1.0, abs=0.05)
    assert convergence_order(hs, central_errors) == pytest.approx(2.0, abs=0.05)
    assert check_convergence_order(hs, central_errors, 2, call="central_difference").ok
    verdict = check_convergence_order(hs, forward_errors, 2, call="central_difference(f, 0.7, h)")
    assert verdict.message == (
        "central_difference(f, 0.7, h): the error shrinks like h^1.00 as h goes from 0.1 to "
        "0.0001, expected about h^2."
    )


def test_second_difference_is_second_order_on_its_own_step_range() -> None:
    hs = geometric_steps(1e-1, 1e-2, 5)
    errors = [abs(second(np.exp, 0.3, h) - math.exp(0.3)) for h in hs]
    assert convergence_order(hs, errors) == pytest.approx(2.0, abs=0.05)


def test_errors_that_do_not_shrink_or_cannot_be_measured() -> None:
    hs = geometric_steps(count=4)
    flat = check_convergence_order(hs, [0.3, 0.3, 0.3, 0.3], 1, call="forward_difference")
    assert not flat.ok and "does not shrink" in flat.message and "(order 0.00)" in flat.message
    exact = check_convergence_order(hs, [0.1, 0.0, 0.1, 0.1], 1, call="forward_difference")
    assert "error of exactly 0 at h = 0.01" in exact.message
    nan = check_convergence_order(hs, [0.1, math.nan, 0.1, 0.1], 1, call="forward_difference")
    assert "gave nan at h = 0.01" in nan.message
    with pytest.raises(ValueError, match="positive, finite errors"):
        convergence_order(hs, [1.0, -1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="distinct steps"):
        convergence_order([0.1, 0.1], [1.0, 2.0])


# --- the forms a real number takes (issue "Grading validity, round two") -----------------------


def test_check_fd_reads_any_real_scalar_form() -> None:
    h, x = 0.1, 1.0
    expected = forward(math.sin, x, h)
    for got in (np.float64(expected), np.array(expected), np.asarray(expected), np.longdouble(
            expected)):  # fmt: skip
        verdict = check_fd(got, expected, call="fd", method="forward", h=h, x=x, bounds=SINE)
        assert verdict.ok, (repr(got), verdict.message)
    wrong = check_fd(np.array(expected + 1e-3), expected, call="fd", method="forward", h=h, x=x,
                     bounds=SINE)  # fmt: skip
    assert not wrong.ok and "returned" in wrong.message


def test_convergence_order_of_0d_errors() -> None:
    steps = geometric_steps(1e-1, 1e-3, 4)
    errors = [np.array(forward(math.sin, 0.7, h) - math.cos(0.7)) for h in steps]
    assert check_convergence_order(steps, errors, 1, call="fd").ok
    assert not check_convergence_order(steps, errors, 2, call="fd").ok
