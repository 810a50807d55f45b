"""Property tests: the reference solutions pass the oracles the checks use, for random inputs.

Functions come from a small grammar (sums and products of sin, cos and exp of affine terms and
low powers), written as the expressions checks give `grader.authoring.functions`; points and steps
are random. The reference's finite differences must pass `check_fd` against the exact derivatives
with the oracle's own tolerance (truncation plus rounding, from sampled smoothness bounds), list and
int inputs must give what float arrays give, the symbolic oracle must accept the reference's
derivative strings, and the labels must follow their definitions. A failure here is either a
reference that is wrong or an oracle that would fail a correct student.

Examples are derandomised, so a run is reproducible; the whole file runs in well under a minute.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.authoring.functions import (
    SymbolicFunction,
    exact_derivative,
    exact_gradient,
    exact_hessian,
    scalar_function,
    vector_function,
)
from grader.oracles.compare import check_array, check_number
from grader.oracles.finite_difference import Smoothness, check_fd, smoothness
from grader.oracles.symbolic import check_symbolic, parse_expression

ROOT = Path(__file__).resolve().parent.parent


def load_reference(assignment: str) -> ModuleType:
    """The reference solution of an assignment, imported from its file (not a package)."""
    path = ROOT / "solutions" / f"{assignment}.py"
    spec = importlib.util.spec_from_file_location(f"properties_reference_{assignment}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


D = load_reference("derivatives")
G = load_reference("gradients")
S = load_reference("descent")


def checked(max_examples: int) -> Callable:
    """Hypothesis settings for this file: no deadline (SymPy is slow once), reproducible runs."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None)


# --- the grammar -----------------------------------------------------------------------------

COEFFICIENTS = st.sampled_from(["-2", "-1", "-0.5", "0.5", "1", "2", "3"])
SLOPES = st.sampled_from(["-1.5", "-1", "-0.5", "0.5", "1", "2"])
OFFSETS = st.sampled_from(["-1", "0", "0.5", "1", "2"])


@st.composite
def affine(draw: st.DrawFn, variables: tuple[str, ...]) -> str:
    """(a0*v0 + a1*v1 + ... + b) over the given variable names."""
    terms = [f"{draw(SLOPES)}*{name}" for name in variables]
    return f"({' + '.join(terms)} + {draw(OFFSETS)})"


@st.composite
def term(draw: st.DrawFn, variables: tuple[str, ...], with_exp: bool = True) -> str:
    """c * g(affine) for g in sin, cos (and exp), or c * affine**k, or a product of variables."""
    functions = ["sin", "cos", "exp"] if with_exp else ["sin", "cos"]
    inner = draw(affine(variables))
    kind = draw(st.sampled_from([*functions, "power", "monomial"]))
    if kind == "power":
        body = f"{inner}**{draw(st.sampled_from([2, 3]))}"
    elif kind == "monomial":
        body = "*".join(draw(st.lists(st.sampled_from(variables), min_size=1, max_size=3)))
    else:
        body = f"{kind}{inner}"
    return f"{draw(COEFFICIENTS)}*{body}"


@st.composite
def expressions(draw: st.DrawFn, variables: tuple[str, ...], with_exp: bool = True) -> str:
    """A sum of one to three terms, the first possibly a product of two terms."""
    parts = draw(st.lists(term(variables, with_exp), min_size=1, max_size=3))
    if draw(st.booleans()):
        parts[0] = f"{parts[0]}*{draw(term(variables, with_exp))}"
    return " + ".join(parts)


STEPS = st.floats(-5, -1).map(lambda exponent: 10.0**exponent)
POINTS = st.floats(-2.5, 2.5)


def vector_point(n: int) -> st.SearchStrategy[np.ndarray]:
    """A point of shape (n,) with coordinates in POINTS."""
    return st.lists(POINTS, min_size=n, max_size=n).map(np.array)


# --- smoothness bounds for functions of several variables -------------------------------------


def restricted(function: SymbolicFunction, x: np.ndarray, keep: tuple[int, ...]) -> sympy.Expr:
    """The function with every variable but those in `keep` fixed at x."""
    fixed = {s: float(x[k]) for k, s in enumerate(function.symbols) if k not in keep}
    return function.expression.subs(fixed)


def line_bounds(function: SymbolicFunction, x: np.ndarray, i: int, h: float) -> Smoothness:
    """Bounds of t -> f(x + t e_i) near t = x_i: what a difference along coordinate i sees."""
    return smoothness(restricted(function, x, (i,)), function.symbols[i], float(x[i]), h)


def square_bounds(
    function: SymbolicFunction, x: np.ndarray, i: int, j: int, h: float
) -> Smoothness:
    """Bounds on the square x_i +- h, x_j +- h for the four-point mixed difference.

    Its error is h^2/6 (f_iiij + f_ijjj), so `fourth` bounds those two partials; `value`, `first`
    and `second` bound f, its first partials and its second partials, for the rounding error.
    """
    si, sj = function.symbols[i], function.symbols[j]
    expression = restricted(function, x, (i, j))
    grid = np.meshgrid(np.linspace(x[i] - h, x[i] + h, 5), np.linspace(x[j] - h, x[j] + h, 5))

    def largest(*derivatives: sympy.Expr) -> float:
        values = [sympy.lambdify((si, sj), d, "numpy")(*grid) for d in derivatives]
        return max(float(np.max(np.abs(np.broadcast_to(v, grid[0].shape)))) for v in values)

    return Smoothness(
        value=largest(expression),
        first=largest(expression.diff(si), expression.diff(sj)),
        second=largest(expression.diff(si, 2), expression.diff(si, sj), expression.diff(sj, 2)),
        fourth=largest(expression.diff(si, 3, sj), expression.diff(si, sj, 3)),
    )


# --- finite differences against exact derivatives --------------------------------------------


def assert_fd(got: Any, exact: float, method: str, h: float, x: Any, bounds: Smoothness) -> None:
    """`got` must pass check_fd against the exact value, truncation error included."""
    verdict = check_fd(
        got, exact, call=method, method=method, h=h, x=x, bounds=bounds, same_formula=False
    )
    assert verdict.ok, verdict.message


@checked(40)
@given(expression=expressions(("x",)), x=POINTS, h=STEPS)
def test_reference_differences_pass_against_the_exact_derivatives(
    expression: str, x: float, h: float
) -> None:
    f = scalar_function(expression)
    bounds = smoothness(f.expression, f.symbols[0], x, h)
    first, second = exact_derivative(f, x), exact_derivative(f, x, 2)
    assert_fd(D.forward_difference(f, x, h), first, "forward", h, x, bounds)
    assert_fd(D.central_difference(f, x, h), first, "central", h, x, bounds)
    assert_fd(D.second_derivative(f, x, h), second, "second", h, x, bounds)


@checked(20)
@given(
    expression=expressions(("x",), with_exp=False),
    x=st.floats(-1000, 1000),
    h=st.floats(-5, -2).map(lambda exponent: 10.0**exponent),
)
def test_reference_central_difference_passes_far_from_zero(
    expression: str, x: float, h: float
) -> None:
    f = scalar_function(expression)
    bounds = smoothness(f.expression, f.symbols[0], x, h)
    assert_fd(D.central_difference(f, x, h), exact_derivative(f, x), "central", h, x, bounds)


@checked(25)
@given(
    n=st.integers(2, 3),
    data=st.data(),
    h=st.floats(-5, -1.5).map(lambda exponent: 10.0**exponent),
)
def test_reference_gradient_and_partials_pass_against_the_exact_gradient(
    n: int, data: st.DataObject, h: float
) -> None:
    names = tuple(f"x{k}" for k in range(n))
    f = vector_function(data.draw(expressions(names)), n)
    x = data.draw(vector_point(n))
    exact = exact_gradient(f, x)
    got = G.gradient(f, x, h)
    assert got.shape == (n,)
    for i in range(n):
        bounds = line_bounds(f, x, i, h)
        assert_fd(got[i], exact[i], "central", h, x, bounds)
        assert_fd(G.partial_derivative(f, x, i, h), exact[i], "central", h, x, bounds)


@checked(15)
@given(
    n=st.integers(2, 3),
    data=st.data(),
    h=st.floats(-4, -1.5).map(lambda exponent: 10.0**exponent),
)
def test_reference_hessian_passes_against_the_exact_hessian(
    n: int, data: st.DataObject, h: float
) -> None:
    names = tuple(f"x{k}" for k in range(n))
    f = vector_function(data.draw(expressions(names)), n)
    x = data.draw(vector_point(n))
    exact = exact_hessian(f, x)
    got = G.hessian(f, x, h)
    assert got.shape == (n, n)
    assert np.array_equal(got, got.T)
    for i in range(n):
        assert_fd(got[i, i], exact[i, i], "second", h, x, line_bounds(f, x, i, h))
        for j in range(i + 1, n):
            assert_fd(got[i, j], exact[i, j], "mixed", h, x, square_bounds(f, x, i, j, h))


@checked(25)
@given(
    A=st.lists(st.lists(st.integers(-5, 5), min_size=3, max_size=3), min_size=3, max_size=3),
    b=st.lists(st.integers(-5, 5), min_size=3, max_size=3),
    x=vector_point(3),
)
def test_reference_quadratic_gradient_is_the_exact_gradient(
    A: list[list[int]], b: list[int], x: np.ndarray
) -> None:
    terms = [f"0.5*({A[r][c]})*x{r}*x{c}" for r in range(3) for c in range(3)]
    terms += [f"({b[r]})*x{r}" for r in range(3)]
    f = vector_function(" + ".join(terms), 3)
    verdict = check_array(G.quadratic_gradient(A, b, x), exact_gradient(f, x), call="q")
    assert verdict.ok, verdict.message


# --- int and list inputs give what float arrays give -------------------------------------------

SMALL_INTS = st.integers(-6, 6)


def ints(*shape: int) -> st.SearchStrategy[list]:
    """A nested list of small ints of the given shape."""
    strategy: st.SearchStrategy = SMALL_INTS
    for size in reversed(shape):
        strategy = st.lists(strategy, min_size=size, max_size=size)
    return strategy


def same_as_floats(function: Callable[..., Any], *args: Any, whole: tuple[int, ...] = ()) -> None:
    """function(ints and lists) must pass the oracle against function(float arrays).

    Arguments at the positions in `whole` (an index, a batch size, a seed) stay ints.
    """
    as_floats = [
        a
        if k in whole
        else np.array(a, dtype=float)
        if isinstance(a, list)
        else float(a)
        if isinstance(a, int)
        else a
        for k, a in enumerate(args)
    ]
    got, expected = function(*args), function(*as_floats)
    call = f"{function.__name__} on int and list inputs"
    if isinstance(expected, tuple):
        for part, want in zip(got, expected, strict=True):
            verdict = check_array(part, want, call=call)
            assert verdict.ok, verdict.message
        return
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        verdict = check_array(got, expected, call=call)
    else:
        verdict = check_number(got, expected, call=call)
    assert verdict.ok, verdict.message


@checked(25)
@given(
    x=ints(3),
    v=ints(3).filter(any),
    A=ints(3, 3),
    X=ints(5, 3),
    y=ints(5),
    lr=st.integers(1, 3),
    number=SMALL_INTS,
)
def test_reference_treats_ints_and_lists_as_floats(
    x: list[int],
    v: list[int],
    A: list[list[int]],
    X: list[list[int]],
    y: list[int],
    lr: int,
    number: int,
) -> None:
    f = scalar_function("sin(x) + x**3")
    g = vector_function("sin(x0)*x1 + x2**3", 3)
    same_as_floats(D.derivative, number)
    same_as_floats(D.derivative, x)
    same_as_floats(D.forward_difference, f, number, 1)
    same_as_floats(D.central_difference, f, number, 1)
    same_as_floats(D.second_derivative, f, number, 1)
    same_as_floats(G.partial_derivative, g, x, 1, whole=(2,))
    same_as_floats(G.gradient, g, x)
    same_as_floats(G.hessian, g, x)
    same_as_floats(G.quadratic_gradient, A, v, x)
    same_as_floats(G.directional_derivative, x, v)
    same_as_floats(G.steepest_ascent_direction, x)
    same_as_floats(S.descent_step, x, v, lr)
    same_as_floats(S.mse_gradient, x, X, y)
    same_as_floats(S.sgd_epoch, x, X, y, lr, 2, number + 6, whole=(4, 5))
    same_as_floats(S.momentum_step, x, v, A[0], lr)
    spd = (np.array(A) @ np.array(A).T + np.eye(3, dtype=int)).tolist()
    same_as_floats(S.max_stable_learning_rate, spd)


# --- the symbolic oracle accepts the reference's derivatives ----------------------------------


@checked(25)
@given(variable=st.sampled_from(["x", "t", "u"]), data=st.data())
def test_symbolic_oracle_accepts_the_reference_derivative(
    variable: str, data: st.DataObject
) -> None:
    expression = data.draw(expressions((variable,)))
    if data.draw(st.booleans()):
        expression = f"({expression})/(1 + {variable}**2)"
    symbol = sympy.Symbol(variable, real=True)
    expected = sympy.diff(parse_expression(expression, [variable]), symbol)
    answer = D.symbolic_derivative(expression, variable)
    verdict = check_symbolic(answer, expected, [variable], call="symbolic_derivative", seed=4)
    assert verdict.ok, verdict.message


# --- labels follow their definitions -----------------------------------------------------------


@checked(60)
@given(
    tol=st.floats(1e-10, 0.5),
    d=st.one_of(st.floats(-1, 1), st.sampled_from(["tol", "-tol", "zero"])),
)
def test_interpret_sign_follows_its_definition(tol: float, d: float | str) -> None:
    value = {"tol": tol, "-tol": -tol, "zero": 0.0}.get(d, d) if isinstance(d, str) else d
    expected = "increasing" if value > tol else "decreasing" if value < -tol else "stationary"
    assert D.interpret_sign(value, tol) == expected


EIGENVALUES = st.sampled_from([-3.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 3.0])


@functools.cache
def rotation(n: int, seed: int) -> np.ndarray:
    """A random orthogonal matrix, so H = Q diag(eigenvalues) Q.T has off-diagonal entries."""
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return q


@checked(60)
@given(eigenvalues=st.lists(EIGENVALUES, min_size=2, max_size=4), seed=st.integers(0, 50))
def test_classify_stationary_point_follows_its_definition(
    eigenvalues: list[float], seed: int
) -> None:
    q = rotation(len(eigenvalues), seed)
    H = q @ np.diag(eigenvalues) @ q.T
    H = (H + H.T) / 2
    tol = 1e-8
    values = np.array(eigenvalues)
    if np.all(values > tol):
        expected = "minimum"
    elif np.all(values < -tol):
        expected = "maximum"
    elif np.any(values > tol) and np.any(values < -tol):
        expected = "saddle"
    else:
        expected = "degenerate"
    assert G.classify_stationary_point(H, tol) == expected


@checked(60)
@given(
    pair=st.one_of(
        st.tuples(st.floats(1e-3, 10), st.floats(1e-3, 10)),
        st.sampled_from([(0.5, 2.0), (1, 1), (0.25, 8), (1, 2), (2, 1), (0.125, 16.0)]),
    )
)
def test_learning_rate_regime_follows_its_definition(pair: tuple[float, float]) -> None:
    lr, curvature = pair
    r = lr * curvature
    expected = "monotone" if r <= 1 else "oscillating" if r < 2 else "diverging"
    assert S.learning_rate_regime(lr, curvature) == expected
