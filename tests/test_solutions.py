"""The reference solutions are right: the grader trusts them, so they are checked independently.

Worked examples reproduce the numbers the stubs teach; numeric answers are compared with SymPy's
exact derivatives within a tolerance derived from each method's own error; finite differences
with the formulas written out here; labels with their definitions, boundaries included; and every
function honours the calling conventions of CURRICULUM.md. The last section checks that the
example submissions are what they claim to be (alice right, bob and dana wrong where they say).
"""

from __future__ import annotations

import doctest
import functools
import importlib.util
import inspect
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations_with_replacement
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ("derivatives", "gradients", "descent", "backprop")
# Given in the stubs, not graded: no probe asks for them.
GIVEN = ("objective", "sigmoid", "mlp_loss")
EPS = np.finfo(float).eps


def load_module(path: Path, name: str) -> ModuleType:
    """Import a file as a module without touching sys.path (solutions/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def reference(assignment: str) -> ModuleType:
    """The reference solution module of an assignment."""
    return load_module(ROOT / "solutions" / f"{assignment}.py", f"test_solutions_{assignment}")


D = reference("derivatives")
G = reference("gradients")
S = reference("descent")


# --- worked examples ------------------------------------------------------------------------


def cube(x: Any) -> Any:
    return x**3


def test_the_derivative_of_x_squared_reads_left_to_right() -> None:
    assert D.derivative(-0.5) == -1.0
    assert D.derivative(0.5) == 1.0
    assert D.derivative(0.0) == 0.0
    assert D.derivative(3) == 6.0
    np.testing.assert_array_equal(D.derivative([-1, 0, 2]), [-2.0, 0.0, 4.0])
    assert [D.interpret_sign(D.derivative(x)) for x in (-0.5, 0.0, 0.5)] == [
        "decreasing",
        "stationary",
        "increasing",
    ]


def test_worked_examples_of_assignment_derivatives() -> None:
    assert D.objective(3.0) == 9.0
    assert D.tangent_estimate(lambda x: x**2, lambda x: 2 * x, 3.0, 0.1) == pytest.approx(9.6)
    assert D.forward_difference(cube, 2.0, h=0.1) == pytest.approx(12.61, abs=1e-9)
    assert D.central_difference(cube, 2.0, h=0.1) == pytest.approx(12.01, abs=1e-9)
    assert D.second_derivative(cube, 2.0, h=0.1) == pytest.approx(12.0, abs=1e-9)
    assert D.interpret_sign(1e-9) == "stationary"
    x, y = sp.symbols("x y")
    product_rule = sp.sympify(D.symbolic_derivative("x**2*sin(x)"))
    assert sp.simplify(product_rule - (2 * x * sp.sin(x) + x**2 * sp.cos(x))) == 0
    assert sp.simplify(sp.sympify(D.symbolic_derivative("x*y**3", "y")) - 3 * x * y**2) == 0


def test_worked_examples_of_assignment_gradients() -> None:
    def f(x: np.ndarray) -> float:
        return x[0] ** 2 + 3 * x[0] * x[1]

    assert G.partial_derivative(f, [1.0, 2.0], 0) == pytest.approx(8.0, abs=1e-8)
    assert G.partial_derivative(f, [1, 2], 1) == pytest.approx(3.0, abs=1e-8)
    np.testing.assert_allclose(G.gradient(f, [1.0, 2.0]), [8.0, 3.0], atol=1e-8)
    np.testing.assert_allclose(G.quadratic_gradient([[2, 1], [0, 4]], [1, -1], [1, 2]), [4, 7.5])
    np.testing.assert_allclose(
        G.hessian(lambda x: x[0] ** 2 * x[1] + x[1] ** 3, [1.0, 2.0]),
        [[4.0, 2.0], [2.0, 12.0]],
        atol=1e-5,
    )
    assert G.directional_derivative([3, 4], [1, 0]) == pytest.approx(3.0)
    assert G.directional_derivative([3, 4], [3, 4]) == pytest.approx(5.0)
    assert G.directional_derivative([3, 4], [4, -3]) == pytest.approx(0.0)
    np.testing.assert_allclose(G.steepest_ascent_direction([3, 4]), [0.6, 0.8])
    np.testing.assert_array_equal(G.steepest_ascent_direction([0, 0]), [0.0, 0.0])
    assert G.classify_stationary_point([[2, 0], [0, 3]]) == "minimum"
    assert G.classify_stationary_point([[2, 0], [0, -2]]) == "saddle"
    assert G.classify_stationary_point([[2, 0], [0, 0]]) == "degenerate"
    assert G.classify_stationary_point([[-2, 0], [0, -2]]) == "maximum"
    assert G.gradient_check(squares, lambda x: 2 * x, [1.0, -2.0]) < 1e-8
    assert G.gradient_check(squares, lambda x: x, [1.0, -2.0]) == pytest.approx(1 / 3, abs=1e-8)


def test_worked_examples_of_assignment_descent() -> None:
    np.testing.assert_allclose(S.descent_step([1.0, 2.0], [0.5, -1.0], 0.1), [0.95, 2.1])
    np.testing.assert_allclose(
        S.gradient_descent(lambda x: 2 * x, [1.0], 0.25, 3), [[1.0], [0.5], [0.25], [0.125]]
    )
    assert S.learning_rate_regime(0.1, 2.0) == "monotone"
    assert S.learning_rate_regime(0.75, 2.0) == "oscillating"
    assert S.learning_rate_regime(1.0, 2.0) == "diverging"
    assert S.max_stable_learning_rate([[4, 0], [0, 1]]) == pytest.approx(0.5)
    X, y = [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]
    np.testing.assert_allclose(S.mse_gradient([1.0, 0.0], X, y), [6.0, 8.0])
    batches = S.minibatches(5, 2, seed=0)
    assert [batch.tolist() for batch in batches] == [[2, 4], [3, 0], [1]]
    np.testing.assert_allclose(S.sgd_epoch([1.0, 0.0], X, y, 0.1, 2, seed=0), [0.4, -0.8])
    x_new, v_new = S.momentum_step([1.0], [0.5], [2.0], 0.1)
    np.testing.assert_allclose(x_new, [0.755])
    np.testing.assert_allclose(v_new, [2.45])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_example_in_the_stub_docstrings_holds_for_the_reference(assignment: str) -> None:
    stub = load_module(ROOT / "exercises" / f"{assignment}.py", f"test_solutions_ex_{assignment}")
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    tests = doctest.DocTestFinder(exclude_empty=True).find(stub)
    for test in tests:
        test.globs = dict(vars(reference(assignment)))
        runner.run(test, out=lambda _: None)
    results = runner.summarize(verbose=False)
    assert results.attempted >= 8
    assert results.failed == 0, f"{results.failed} docstring examples of {assignment} fail"


# --- assignment 1: derivatives ---------------------------------------------------------------

SCALAR_FUNCTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("sin", np.sin),
    ("exp", np.exp),
    ("cubic", lambda x: x**3 - 2 * x),
]


def test_derivative_keeps_the_shape_of_arrays_and_returns_floats_for_numbers() -> None:
    rng = np.random.default_rng(11)
    values = rng.normal(size=(2, 3))
    np.testing.assert_array_equal(D.derivative(values), 2 * values)
    assert D.derivative(values).shape == (2, 3)
    assert type(D.derivative(np.float32(1.5))) is float
    assert type(D.derivative(2)) is float
    assert D.derivative(np.array(1.25)) == 2.5


@pytest.mark.parametrize(("label", "f"), SCALAR_FUNCTIONS)
def test_finite_differences_follow_their_formulas(label: str, f: Callable[[Any], Any]) -> None:
    rng = np.random.default_rng(12)
    for x in rng.uniform(-3, 3, size=5):
        for h in (0.1, 1e-3):
            forward = (f(x + h) - f(x)) / h
            central = (f(x + h) - f(x - h)) / (2 * h)
            second = (f(x + h) - 2 * f(x) + f(x - h)) / h**2
            assert D.forward_difference(f, x, h) == pytest.approx(forward, rel=1e-12)
            assert D.central_difference(f, x, h) == pytest.approx(central, rel=1e-12)
            assert D.second_derivative(f, x, h) == pytest.approx(second, rel=1e-12)
        # The defaults of the contract: 1e-6, 1e-5 and 1e-4.
        assert D.forward_difference(f, x) == pytest.approx((f(x + 1e-6) - f(x)) / 1e-6, rel=1e-12)
        assert D.central_difference(f, x) == pytest.approx(
            (f(x + 1e-5) - f(x - 1e-5)) / 2e-5, rel=1e-12
        )
        assert D.second_derivative(f, x) == pytest.approx(
            (f(x + 1e-4) - 2 * f(x) + f(x - 1e-4)) / 1e-8, rel=1e-12
        )


@pytest.mark.parametrize(
    ("method", "exact", "order"),
    [
        ("forward_difference", np.cos, 1),
        ("central_difference", np.cos, 2),
        ("second_derivative", lambda x: -np.sin(x), 2),
    ],
)
def test_finite_differences_converge_at_their_order(
    method: str, exact: Callable[[float], float], order: int
) -> None:
    # sin has nonzero f'' and f''' at 0.7, so no error term vanishes by accident.
    steps = np.geomspace(1e-1, 1e-3, 5)
    errors = [abs(getattr(D, method)(np.sin, 0.7, h) - exact(0.7)) for h in steps]
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert abs(slope - order) < 0.25, f"{method} converges with slope {slope:.2f}"


def test_tangent_estimate_is_value_plus_slope_times_step() -> None:
    rng = np.random.default_rng(13)
    for x, dx in rng.uniform(-2, 2, size=(5, 2)):
        assert D.tangent_estimate(np.sin, np.cos, x, dx) == pytest.approx(
            np.sin(x) + np.cos(x) * dx, rel=1e-12
        )
    # For x**2 the estimate misses by exactly dx**2, the f'' * dx**2 / 2 of the teaching text.
    true_value = 3.05**2
    assert true_value - D.tangent_estimate(lambda x: x**2, lambda x: 2 * x, 3, 0.05) == (
        pytest.approx(0.05**2, rel=1e-9)
    )


def test_interpret_sign_follows_its_definition_on_random_values() -> None:
    rng = np.random.default_rng(14)
    for d in rng.normal(scale=3e-8, size=200):
        expected = "increasing" if d > 1e-8 else "decreasing" if d < -1e-8 else "stationary"
        assert D.interpret_sign(d) == expected


def test_interpret_sign_counts_the_tolerance_itself_as_stationary() -> None:
    assert D.interpret_sign(1e-8) == "stationary"
    assert D.interpret_sign(-1e-8) == "stationary"
    assert D.interpret_sign(np.nextafter(1e-8, 1.0)) == "increasing"
    assert D.interpret_sign(np.nextafter(-1e-8, -1.0)) == "decreasing"
    assert D.interpret_sign(0.5, tol=0.5) == "stationary"
    assert D.interpret_sign(0.6, tol=0.5) == "increasing"
    assert D.interpret_sign(1e-12, tol=0.0) == "increasing"
    assert D.interpret_sign(0) == "stationary"


def test_symbolic_derivative_matches_numerical_slopes_of_random_expressions() -> None:
    rng = np.random.default_rng(15)
    x = sp.Symbol("x")
    for _ in range(6):
        a, b, c = (int(v) for v in rng.integers(1, 4, size=3))
        expression = f"{a}*x**{b}*sin({c}*x) + exp(x/{c}) - log(x**2 + {a})"
        answer = D.symbolic_derivative(expression)
        assert isinstance(answer, str)
        slope = sp.lambdify(x, sp.sympify(answer), "math")
        f = sp.lambdify(x, sp.sympify(expression), "math")
        for point in rng.uniform(-2, 2, size=3):
            numeric = (f(point + 1e-5) - f(point - 1e-5)) / 2e-5
            assert slope(point) == pytest.approx(numeric, rel=1e-6, abs=1e-6)


def test_symbolic_derivative_differentiates_with_respect_to_the_named_variable() -> None:
    t, k = sp.symbols("t k")
    answer = sp.sympify(D.symbolic_derivative("k*t**2 + cos(k)", variable="t"))
    assert sp.simplify(answer - 2 * k * t) == 0
    assert D.symbolic_derivative("x**2", variable="y") == "0"


# --- assignment 2: gradients against SymPy ---------------------------------------------------

N_VARS = 3
SYMBOLS = sp.symbols(f"x0:{N_VARS}")
SEEDS = (21, 22, 23, 24, 25)


@dataclass(frozen=True)
class SmoothCase:
    """A random smooth function of three variables, a point, and its exact derivatives there."""

    f: Callable[[np.ndarray], float]
    point: np.ndarray
    gradient: np.ndarray
    hessian: np.ndarray
    gradient_tolerance: np.ndarray
    hessian_tolerance: float


@functools.cache
def smooth_case(seed: int) -> SmoothCase:
    """Build the function with SymPy; derive exact values and the methods' error bounds."""
    rng = np.random.default_rng(seed)
    x = SYMBOLS
    terms = []
    for _ in range(4):
        i, j = (int(k) for k in rng.integers(0, N_VARS, size=2))
        a, b = (sp.Float(round(float(v), 3)) for v in rng.uniform(-1.5, 1.5, size=2))
        choices = [
            a * sp.sin(b * x[i] + x[j]),
            a * x[j] * sp.exp(b * x[i]),
            a * x[i] ** 2 * x[j] + b * x[j] ** 3,
            a * sp.cos(x[i] * x[j]),
        ]
        terms.append(choices[int(rng.integers(0, len(choices)))])
    expression = sp.Add(*terms)
    point = rng.uniform(-1, 1, size=N_VARS)

    def values(expressions: list[sp.Expr]) -> np.ndarray:
        return np.array(sp.lambdify(x, expressions, "numpy")(*point), dtype=float)

    gradient = values([sp.diff(expression, s) for s in x])
    hessian = values([sp.diff(expression, s, t) for s in x for t in x]).reshape(N_VARS, N_VARS)
    third = values([sp.diff(expression, s, 3) for s in x])
    fourth = values([sp.diff(expression, *combo) for combo in combinations_with_replacement(x, 4)])
    # Rounding: f is known to a few eps times the size of its terms (and of the rounding of the
    # shifted point); differences of such values, divided by h or h**2, magnify that error.
    scale = float(np.sum(np.abs(values(terms)))) + np.max(np.abs(point)) * np.sum(np.abs(gradient))
    h1, h2 = 1e-5, 1e-4
    gradient_tolerance = 2 * h1**2 / 6 * np.abs(third) + 8 * EPS * scale / h1
    hessian_tolerance = 2 * h2**2 / 3 * float(np.max(np.abs(fourth))) + 16 * EPS * scale / h2**2
    # A first-order method errs by about h * f'' (1e-5 for the gradient): the bounds must reject it.
    assert np.all(gradient_tolerance < 1e-8) and hessian_tolerance < 1e-5
    lam = sp.lambdify(x, expression, "numpy")
    return SmoothCase(
        f=lambda v: float(lam(*v)),
        point=point,
        gradient=gradient,
        hessian=hessian,
        gradient_tolerance=gradient_tolerance,
        hessian_tolerance=hessian_tolerance,
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_partial_derivative_matches_sympy_within_the_central_difference_error(seed: int) -> None:
    case = smooth_case(seed)
    for i in range(N_VARS):
        got = G.partial_derivative(case.f, case.point, i)
        assert abs(got - case.gradient[i]) <= case.gradient_tolerance[i]


@pytest.mark.parametrize("seed", SEEDS)
def test_gradient_matches_sympy_within_the_central_difference_error(seed: int) -> None:
    case = smooth_case(seed)
    got = G.gradient(case.f, case.point)
    assert got.shape == (N_VARS,)
    assert np.all(np.abs(got - case.gradient) <= case.gradient_tolerance)


@pytest.mark.parametrize("seed", SEEDS)
def test_hessian_matches_sympy_and_is_exactly_symmetric(seed: int) -> None:
    case = smooth_case(seed)
    got = G.hessian(case.f, case.point)
    assert got.shape == (N_VARS, N_VARS)
    np.testing.assert_array_equal(got, got.T)
    assert np.max(np.abs(got - case.hessian)) <= case.hessian_tolerance


def test_partial_derivative_uses_the_central_formula_with_large_steps() -> None:
    f = smooth_case(SEEDS[0]).f
    point = np.array([0.3, -0.2, 0.5])
    for i in range(N_VARS):
        step = np.zeros(N_VARS)
        step[i] = 0.1
        central = (f(point + step) - f(point - step)) / 0.2
        assert G.partial_derivative(f, point, i, h=0.1) == pytest.approx(central, rel=1e-12)
        assert G.gradient(f, point, h=0.1)[i] == pytest.approx(central, rel=1e-12)


@pytest.mark.parametrize("seed", (31, 32, 33))
def test_quadratic_gradient_matches_sympy_for_non_symmetric_matrices(seed: int) -> None:
    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, size=(N_VARS, N_VARS))
    assert not np.array_equal(A, A.T)
    b = rng.integers(-5, 6, size=N_VARS)
    point = rng.integers(-3, 4, size=N_VARS)
    x = sp.Matrix(SYMBOLS)
    f = (x.T * sp.Matrix(A) * x)[0] / 2 + (sp.Matrix(b).T * x)[0]
    at = dict(zip(SYMBOLS, (int(v) for v in point), strict=True))
    exact = np.array([float(sp.diff(f, s).subs(at)) for s in SYMBOLS])
    # Integer lists in, floats out: nothing may be truncated on the way.
    got = G.quadratic_gradient(A.tolist(), b.tolist(), point.tolist())
    np.testing.assert_allclose(got, exact, rtol=1e-12, atol=1e-12)
    assert got.dtype == np.float64


def test_directional_derivative_is_the_slope_along_the_unit_direction() -> None:
    rng = np.random.default_rng(41)
    for _ in range(10):
        grad, v = rng.normal(size=(2, 4))
        expected = float(np.dot(grad, v) / math.sqrt(np.dot(v, v)))
        assert G.directional_derivative(grad, v) == pytest.approx(expected, rel=1e-12)
        assert G.directional_derivative(grad, 2.5 * v) == pytest.approx(expected, rel=1e-12)
        assert abs(expected) <= math.sqrt(np.dot(grad, grad)) + 1e-12


def test_directional_derivative_rejects_the_zero_direction_clearly() -> None:
    with pytest.raises(ValueError, match="directional_derivative"):
        G.directional_derivative([1.0, 2.0], [0, 0])


def test_steepest_ascent_direction_is_the_unit_gradient_and_beats_every_direction() -> None:
    rng = np.random.default_rng(42)
    for _ in range(10):
        grad = rng.normal(size=3)
        direction = G.steepest_ascent_direction(grad)
        assert math.isclose(float(np.dot(direction, direction)), 1.0, rel_tol=1e-12)
        np.testing.assert_allclose(direction * math.sqrt(np.dot(grad, grad)), grad, rtol=1e-12)
        best = G.directional_derivative(grad, direction)
        for other in rng.normal(size=(20, 3)):
            assert G.directional_derivative(grad, other) <= best + 1e-12
    zero = G.steepest_ascent_direction(np.zeros(3))
    assert zero.shape == (3,) and zero.dtype == np.float64 and not zero.any()


def expected_label(eigenvalues: np.ndarray, tol: float) -> str:
    """The classification of CURRICULUM.md, written out from chosen eigenvalues."""
    if all(e > tol for e in eigenvalues):
        return "minimum"
    if all(e < -tol for e in eigenvalues):
        return "maximum"
    if any(e > tol for e in eigenvalues) and any(e < -tol for e in eigenvalues):
        return "saddle"
    return "degenerate"


def test_classify_stationary_point_follows_its_definition_on_rotated_matrices() -> None:
    rng = np.random.default_rng(43)
    seen = set()
    for _ in range(40):
        eigenvalues = rng.choice([-2.0, -0.5, 0.0, 0.5, 2.0], size=3)
        rotation, _ = np.linalg.qr(rng.normal(size=(3, 3)))
        H = rotation @ np.diag(eigenvalues) @ rotation.T
        H = (H + H.T) / 2
        label = expected_label(eigenvalues, 1e-8)
        assert G.classify_stationary_point(H) == label, eigenvalues
        seen.add(label)
    assert seen == {"minimum", "maximum", "saddle", "degenerate"}


def test_classify_stationary_point_counts_an_eigenvalue_equal_to_tol_as_zero() -> None:
    above = np.nextafter(1e-8, 1.0)
    assert G.classify_stationary_point(np.diag([1e-8, 1.0])) == "degenerate"
    assert G.classify_stationary_point(np.diag([above, 1.0])) == "minimum"
    assert G.classify_stationary_point(np.diag([-1e-8, -1.0])) == "degenerate"
    assert G.classify_stationary_point(np.diag([-above, -1.0])) == "maximum"
    assert G.classify_stationary_point(np.diag([1.0, -1e-8])) == "degenerate"
    assert G.classify_stationary_point(np.diag([1.0, -above])) == "saddle"
    assert G.classify_stationary_point(np.diag([0.5, 2.0]), tol=0.5) == "degenerate"
    assert G.classify_stationary_point(np.zeros((2, 2))) == "degenerate"
    assert G.classify_stationary_point([[-3]]) == "maximum"


def central_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float) -> np.ndarray:
    """The central-difference gradient, written out independently of the reference."""
    identity = np.eye(len(x))
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in identity])


def test_gradient_check_follows_its_formula() -> None:
    case = smooth_case(SEEDS[1])
    rng = np.random.default_rng(44)
    for grad_fn in (lambda v: case.gradient, lambda v: 2 * case.gradient, lambda v: -v):
        ga = grad_fn(case.point)
        gn = central_gradient(case.f, case.point, 1e-5)
        norm = np.linalg.norm
        expected = norm(ga - gn) / max(norm(ga) + norm(gn), 1e-12)
        assert G.gradient_check(case.f, grad_fn, case.point) == pytest.approx(expected, rel=1e-9)
    # The right gradient passes the check, a forgotten factor 2 gives 1/3, a vanishing one 0.
    for point in rng.normal(size=(5, 3)):
        assert G.gradient_check(lambda v: v @ v, lambda v: 2 * v, point) < 1e-8
        assert G.gradient_check(lambda v: v @ v, lambda v: v, point) == pytest.approx(1 / 3)
    assert G.gradient_check(lambda v: 1.0, lambda v: np.zeros(3), np.ones(3)) == 0.0


# --- assignment 3: descent --------------------------------------------------------------------


def test_descent_step_and_gradient_descent_follow_the_update_rule() -> None:
    rng = np.random.default_rng(51)
    B = rng.normal(size=(3, 3))
    A = B @ B.T + np.eye(3)
    b = rng.normal(size=3)
    x0 = rng.normal(size=3)

    def grad_fn(x: np.ndarray) -> np.ndarray:
        return A @ x + b

    trajectory = S.gradient_descent(grad_fn, x0, 0.05, 6)
    assert trajectory.shape == (7, 3)
    np.testing.assert_array_equal(trajectory[0], x0)
    x = x0.copy()
    for k in range(1, 7):
        x = x - 0.05 * (A @ x + b)
        np.testing.assert_allclose(trajectory[k], x, rtol=1e-12)
    np.testing.assert_array_equal(S.descent_step(x0, b, 0.3), x0 - 0.3 * b)
    assert S.gradient_descent(grad_fn, x0, 0.05, 0).shape == (1, 3)
    # Every row is its own point: an aliased trajectory would repeat the last one.
    assert len({tuple(row) for row in trajectory}) == 7


def simulate(lr: float, curvature: float, steps: int = 30) -> np.ndarray:
    """Gradient descent on curvature * x**2 / 2 from x = 1, written out."""
    xs = [1.0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * curvature * xs[-1])
    return np.array(xs)


def test_learning_rate_regime_follows_its_definition_and_the_actual_descent() -> None:
    rng = np.random.default_rng(52)
    seen = set()
    for lr, curvature in np.exp(rng.uniform(-2, 1.5, size=(60, 2))):
        r = lr * curvature
        expected = "monotone" if r <= 1 else "oscillating" if r < 2 else "diverging"
        assert S.learning_rate_regime(lr, curvature) == expected
        seen.add(expected)
        if min(abs(r - 1), abs(r - 2)) < 0.05:
            continue
        path = simulate(lr, curvature)
        sizes = np.abs(path)
        if expected == "monotone":
            assert np.all(path >= 0) and np.all(np.diff(sizes) <= 0)
        elif expected == "oscillating":
            assert np.all(path[:-1] * path[1:] < 0) and np.all(np.diff(sizes) < 0)
        else:
            assert np.all(np.diff(sizes) >= 0)
    assert seen == {"monotone", "oscillating", "diverging"}


def test_learning_rate_regime_boundaries_are_exact() -> None:
    assert S.learning_rate_regime(0.5, 2.0) == "monotone"  # r == 1
    assert S.learning_rate_regime(np.nextafter(0.5, 1.0), 2.0) == "oscillating"
    assert S.learning_rate_regime(np.nextafter(1.0, 0.0), 2.0) == "oscillating"
    assert S.learning_rate_regime(1.0, 2.0) == "diverging"  # r == 2
    assert S.learning_rate_regime(1, 1) == "monotone"
    assert S.learning_rate_regime(2, 1) == "diverging"
    with pytest.raises(ValueError, match="learning_rate_regime"):
        S.learning_rate_regime(0.0, 2.0)


def test_max_stable_learning_rate_separates_convergence_from_divergence() -> None:
    rng = np.random.default_rng(53)
    for _ in range(5):
        eigenvalues = rng.uniform(0.2, 5.0, size=3)
        rotation, _ = np.linalg.qr(rng.normal(size=(3, 3)))
        H = rotation @ np.diag(eigenvalues) @ rotation.T
        H = (H + H.T) / 2
        lr_max = S.max_stable_learning_rate(H)
        assert lr_max == pytest.approx(2 / eigenvalues.max(), rel=1e-10)
        x0 = rng.normal(size=3)
        for factor, converges in ((0.98, True), (1.02, False)):
            x = x0.copy()
            for _ in range(300):
                x = x - factor * lr_max * (H @ x)
            assert bool(np.linalg.norm(x) < np.linalg.norm(x0)) is converges


def test_mse_gradient_matches_sympy() -> None:
    rng = np.random.default_rng(54)
    X, y, w = rng.normal(size=(6, 3)), rng.normal(size=6), rng.normal(size=3)
    weights = sp.symbols("w0:3")
    predictions = sp.Matrix(X) * sp.Matrix(weights)
    loss = sum((predictions[k] - y[k]) ** 2 for k in range(6)) / 6
    at = dict(zip(weights, w, strict=True))
    exact = np.array([float(sp.diff(loss, s).subs(at)) for s in weights])
    got = S.mse_gradient(w, X, y)
    assert got.shape == (3,)
    np.testing.assert_allclose(got, exact, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("n_samples", "batch_size", "seed"), [(10, 3, 1), (8, 4, 2), (5, 9, 3)])
def test_minibatches_cut_the_seeded_permutation(n_samples: int, batch_size: int, seed: int) -> None:
    batches = S.minibatches(n_samples, batch_size, seed)
    assert type(batches) is list
    for batch in batches:
        assert isinstance(batch, np.ndarray) and batch.ndim == 1
        assert np.issubdtype(batch.dtype, np.integer)
    permutation = np.random.default_rng(seed).permutation(n_samples)
    np.testing.assert_array_equal(np.concatenate(batches), permutation)
    sizes = [len(batch) for batch in batches]
    assert sizes[:-1] == [batch_size] * (len(sizes) - 1)
    assert 1 <= sizes[-1] <= batch_size


def test_minibatches_edge_cases() -> None:
    assert S.minibatches(0, 4, 0) == []
    with pytest.raises(ValueError, match="batch_size"):
        S.minibatches(5, 0, 0)


def hand_epoch(
    w: np.ndarray, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, seed: int
) -> np.ndarray:
    """One epoch of mini-batch descent on the MSE, written out independently of the reference."""
    order = np.random.default_rng(seed).permutation(len(y))
    for start in range(0, len(y), batch_size):
        batch = order[start : start + batch_size]
        Xb, yb = X[batch], y[batch]
        w = w - lr * (2 / len(batch)) * Xb.T @ (Xb @ w - yb)
    return w


@pytest.mark.parametrize("batch_size", [1, 3, 7])
def test_sgd_epoch_matches_a_hand_written_loop(batch_size: int) -> None:
    rng = np.random.default_rng(55)
    X, y, w = rng.normal(size=(7, 2)), rng.normal(size=7), rng.normal(size=2)
    got = S.sgd_epoch(w, X, y, 0.05, batch_size, seed=9)
    np.testing.assert_allclose(got, hand_epoch(w, X, y, 0.05, batch_size, 9), rtol=1e-12)
    if batch_size == len(y):  # one batch: plain batch gradient descent
        full_step = w - 0.05 * (2 / 7) * X.T @ (X @ w - y)
        np.testing.assert_allclose(got, full_step, rtol=1e-12)


def test_momentum_step_follows_its_formula() -> None:
    rng = np.random.default_rng(56)
    x, velocity, grad = rng.normal(size=(3, 4))
    result = S.momentum_step(x, velocity, grad, 0.1, beta=0.5)
    assert type(result) is tuple and len(result) == 2
    x_new, v_new = result
    np.testing.assert_allclose(v_new, 0.5 * velocity + grad, rtol=1e-12)
    np.testing.assert_allclose(x_new, x - 0.1 * (0.5 * velocity + grad), rtol=1e-12)
    _, default_v = S.momentum_step(x, velocity, grad, 0.1)
    np.testing.assert_allclose(default_v, 0.9 * velocity + grad, rtol=1e-12)
    # beta = 0 forgets the past: plain gradient descent.
    plain, _ = S.momentum_step(x, velocity, grad, 0.1, beta=0.0)
    np.testing.assert_allclose(plain, x - 0.1 * grad, rtol=1e-12)


# --- the calling conventions, for every function ---------------------------------------------


def wave(x: np.ndarray) -> float:
    return float(np.sin(x[0]) * x[1] + np.cos(x[1] * x[2]) + x[0] ** 2)


def wave_gradient(x: np.ndarray) -> np.ndarray:
    bend = np.sin(x[1] * x[2])
    return np.array([np.cos(x[0]) * x[1] + 2 * x[0], np.sin(x[0]) - x[2] * bend, -x[1] * bend])


def double(x: np.ndarray) -> np.ndarray:
    return 2.0 * x


INTEGRAL_X = np.array([1.0, 2.0, -1.0])
INTEGRAL_MATRIX = np.array([[3.0, 1.0, 0.0], [2.0, 4.0, 1.0], [0.0, -1.0, 5.0]])
DATA_X = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, -1.0], [2.0, 2.0]])
DATA_Y = np.array([1.0, 0.0, 2.0, -1.0])
TWO = np.array([1.0, -2.0])

# (module, function, arguments with integer-valued arrays, expected kind of result)
CONVENTION_CASES: list[tuple[ModuleType, str, tuple[Any, ...], Any]] = [
    (D, "derivative", (np.array([-1.0, 0.0, 2.0]),), (3,)),
    (D, "tangent_estimate", (cube, lambda x: 3 * x**2, 2, 1), float),
    (D, "forward_difference", (cube, 2), float),
    (D, "central_difference", (cube, 2), float),
    (D, "second_derivative", (cube, 2), float),
    (D, "interpret_sign", (-1,), ("increasing", "decreasing", "stationary")),
    (D, "symbolic_derivative", ("x**3",), str),
    (G, "partial_derivative", (wave, INTEGRAL_X, 1), float),
    (G, "gradient", (wave, INTEGRAL_X), (3,)),
    (G, "quadratic_gradient", (INTEGRAL_MATRIX, INTEGRAL_X, INTEGRAL_X), (3,)),
    (G, "hessian", (wave, INTEGRAL_X), (3, 3)),
    (G, "directional_derivative", (INTEGRAL_X, INTEGRAL_X[::-1].copy()), float),
    (G, "steepest_ascent_direction", (INTEGRAL_X,), (3,)),
    (G, "classify_stationary_point", (np.diag([2.0, -1.0, 3.0]),), ("saddle",)),
    (G, "gradient_check", (wave, wave_gradient, INTEGRAL_X), float),
    (S, "descent_step", (TWO, TWO[::-1].copy(), 0.1), (2,)),
    (S, "gradient_descent", (double, TWO, 0.25, 4), (5, 2)),
    (S, "learning_rate_regime", (0.5, 2), ("monotone",)),
    (S, "max_stable_learning_rate", (np.array([[4.0, 1.0], [1.0, 3.0]]),), float),
    (S, "mse_gradient", (TWO, DATA_X, DATA_Y), (2,)),
    (S, "minibatches", (7, 3, 1), list),
    (S, "sgd_epoch", (TWO, DATA_X, DATA_Y, 0.05, 2, 3), (2,)),
    (S, "momentum_step", (TWO, TWO[::-1].copy(), TWO, 0.1), tuple),
]
CONVENTION_IDS = [name for _, name, _, _ in CONVENTION_CASES]


def with_arrays(args: tuple[Any, ...], convert: Callable[[np.ndarray], Any]) -> tuple[Any, ...]:
    """The same arguments with every array argument passed through convert."""
    return tuple(convert(a) if isinstance(a, np.ndarray) else a for a in args)


def read_only(array: np.ndarray) -> np.ndarray:
    """A copy that raises on any write, so that an in-place update cannot go unnoticed."""
    copy = array.copy()
    copy.setflags(write=False)
    return copy


def assert_same_result(got: Any, expected: Any) -> None:
    """Equal results up to rounding, container by container."""
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected)
        for g, e in zip(got, expected, strict=True):
            assert_same_result(g, e)
    elif isinstance(expected, str):
        assert got == expected
    else:
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("module", "name", "args", "kind"), CONVENTION_CASES, ids=CONVENTION_IDS)
def test_results_have_the_stated_type_and_shape(
    module: ModuleType, name: str, args: tuple[Any, ...], kind: Any
) -> None:
    result = getattr(module, name)(*args)
    if kind is float:
        assert type(result) is float
    elif kind is str:
        assert type(result) is str and sp.sympify(result) == 3 * sp.Symbol("x") ** 2
    elif kind is list:
        assert type(result) is list
        assert all(isinstance(b, np.ndarray) and b.dtype.kind == "i" for b in result)
    elif kind is tuple:
        assert type(result) is tuple and len(result) == 2
        assert all(type(part) is np.ndarray and part.shape == (2,) for part in result)
    elif isinstance(kind[0], str):
        assert type(result) is str and result in kind
    else:
        assert type(result) is np.ndarray and result.dtype == np.float64
        assert result.shape == kind
    arrays_in = [a for a in args if isinstance(a, np.ndarray)]
    outputs = result if isinstance(result, (tuple, list)) else [result]
    for out in outputs:
        if isinstance(out, np.ndarray):
            assert not any(np.shares_memory(out, a) for a in arrays_in), "returned an argument"


@pytest.mark.parametrize(("module", "name", "args", "kind"), CONVENTION_CASES, ids=CONVENTION_IDS)
def test_arguments_are_never_modified(
    module: ModuleType, name: str, args: tuple[Any, ...], kind: Any
) -> None:
    originals = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    frozen = with_arrays(args, read_only)
    getattr(module, name)(*frozen)
    for before, after in zip(originals, frozen, strict=True):
        if isinstance(before, np.ndarray):
            np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize(("module", "name", "args", "kind"), CONVENTION_CASES, ids=CONVENTION_IDS)
def test_integer_arrays_and_lists_give_the_same_results_as_floats(
    module: ModuleType, name: str, args: tuple[Any, ...], kind: Any
) -> None:
    function = getattr(module, name)
    expected = function(*args)
    as_integers = with_arrays(args, lambda a: a.astype(np.int64))
    as_lists = with_arrays(args, lambda a: a.astype(np.int64).tolist())
    assert_same_result(function(*as_integers), expected)
    assert_same_result(function(*as_lists), expected)


# --- the example submissions are what they claim to be ---------------------------------------

SUBMISSIONS = ROOT / "examples" / "submissions"


def sine(x: Any) -> Any:
    return np.sin(x)


def cubic_field(x: np.ndarray) -> float:
    return float(x[0] ** 3 + x[0] * x[1] ** 2 - 2 * x[1] + x[0] * x[2])


def identity(x: np.ndarray) -> np.ndarray:
    return np.array(x, dtype=float)


def squares(x: np.ndarray) -> float:
    return float(x @ x)


ASYMMETRIC = [[2.0, 1.0], [0.0, 4.0]]
# W1 (d = 2, k = 3), b1, W2, b2: a small network whose hidden units are far from saturated.
NETWORK = ([[0.5, -0.3, 0.8], [0.2, 0.7, -0.4]], [0.1, -0.2, 0.05], [1.0, -0.5, 0.7], 0.3)
# Calls chosen so that every known wrong formula gives a different answer: large steps for the
# finite differences, a non-symmetric A, integer points, labels at and around their boundaries.
PROBES: dict[str, list[tuple[Any, ...]]] = {
    "derivative": [(-0.5,), ([-1.0, 0.0, 2.0],)],
    "tangent_estimate": [(cube, lambda x: 3 * x**2, 2.0, 0.1)],
    "forward_difference": [(sine, 0.7, 0.1)],
    "central_difference": [(sine, 0.7, 0.1)],
    "second_derivative": [(sine, 0.7, 0.1)],
    "interpret_sign": [(-1.0,), (1.0,), (1e-8,), (0.0,)],
    "symbolic_derivative": [("x**2*sin(x)",), ("x*y**3", "y")],
    "partial_derivative": [(cubic_field, [1, 2, -1], 1), (cubic_field, [0.5, 1.5, 2.0], 0)],
    "gradient": [(cubic_field, [0.5, 1.5, 2.0], 0.1)],
    "quadratic_gradient": [(ASYMMETRIC, [1.0, -1.0], [1.0, 2.0])],
    "hessian": [(cubic_field, [0.5, 1.5, 2.0])],
    "directional_derivative": [([3.0, 4.0], [1.0, 2.0])],
    "steepest_ascent_direction": [([3.0, 4.0],), ([0.0, 0.0],)],
    "classify_stationary_point": [(np.diag(d),) for d in ([2, 3], [2, -2], [2, 0], [-1, -2])],
    "gradient_check": [(squares, double, [1.0, -2.0], 0.1), (squares, identity, [1.0, -2.0])],
    "descent_step": [([1.0, 2.0], [0.5, -1.0], 0.1)],
    "gradient_descent": [(double, np.array([1.0, -2.0]), 0.25, 3)],
    "learning_rate_regime": [(0.1, 2.0), (0.5, 2.0), (0.75, 2.0), (1.0, 2.0)],
    "max_stable_learning_rate": [([[4.0, 1.0], [1.0, 3.0]],)],
    "mse_gradient": [([1.0, 0.5], DATA_X.tolist(), DATA_Y.tolist())],
    "minibatches": [(7, 3, 1)],
    "sgd_epoch": [([1.0, 0.5], DATA_X.tolist(), DATA_Y.tolist(), 0.05, 2, 3)],
    "momentum_step": [([1.0, 2.0], [0.5, 0.0], [2.0, -1.0], 0.1)],
    "chain_rule_derivative": [(np.cos, sine, np.cos, 1.5)],
    "sigmoid_derivative": [(0.0,), ([-2.0, 0.0, 3.0],), (-1000.0,)],
    "relu_derivative": [([-1.5, 0.0, 2.0],)],
    "mlp_gradients": [(*NETWORK, DATA_X.tolist(), [0.5, -1.0, 2.0, 0.0])],
    "clip_by_norm": [([3.0, 4.0], 1.0), ([3.0, 4.0], 10.0), ([0.0, 0.0], 1.0)],
    "adagrad_step": [([1.0, 2.0], [0.5, 1.0], [3.0, -1.0], 0.1)],
    "rmsprop_step": [([1.0, 2.0], [0.5, 1.0], [3.0, -1.0], 0.01)],
    "adam_step": [
        ([1.0, 2.0], [0.0, 0.0], [0.0, 0.0], [3.0, -1.0], 1, 0.1),
        ([1.0, 2.0], [0.1, -0.2], [0.5, 1.0], [3.0, -1.0], 2, 0.01),
    ],
    "newton_step": [([1.0, 2.0], [2.0, 4.0], [[3.0, 1.0], [1.0, 2.0]])],
}

# Which functions each example gets wrong (bob's and dana's mistakes are listed in their files).
WRONG: dict[str, dict[str, set[str]]] = {
    "derivatives": {
        "alice": set(),
        "bob": {"derivative", "central_difference", "interpret_sign"},
        "dana": {"tangent_estimate"},
    },
    "gradients": {
        "alice": set(),
        "bob": {
            "partial_derivative",
            "gradient",
            "quadratic_gradient",
            "steepest_ascent_direction",
            "gradient_check",
        },
        "dana": {"classify_stationary_point"},
    },
    "descent": {
        "alice": set(),
        "bob": {"gradient_descent", "mse_gradient", "sgd_epoch", "momentum_step"},
        "dana": {"minibatches"},
    },
    "backprop": {
        "alice": set(),
        "bob": {"chain_rule_derivative", "mlp_gradients", "clip_by_norm", "adam_step"},
        "dana": {"rmsprop_step"},
    },
}


def agrees(name: str, got: Any, expected: Any) -> bool:
    """Whether a submitted answer matches the reference's, as loosely as the contract allows."""
    if name == "symbolic_derivative":
        return isinstance(got, str) and sp.simplify(sp.sympify(got) - sp.sympify(expected)) == 0
    if isinstance(expected, (tuple, list)):
        return (
            isinstance(got, (tuple, list))
            and len(got) == len(expected)
            and all(agrees(name, g, e) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(expected, str):
        return got == expected
    try:
        close = np.allclose(np.asarray(got, dtype=float), expected, rtol=1e-6, atol=1e-6)
    except (TypeError, ValueError):
        return False
    return np.shape(got) == np.shape(expected) and bool(close)


def fresh(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Copies of the probe's arrays and lists, since a wrong submission may write into them."""
    return tuple(a.copy() if isinstance(a, (np.ndarray, list)) else a for a in args)


def wrong_functions(namespace: dict[str, Any], assignment: str) -> set[str]:
    """The contract functions of the assignment whose answers differ from the reference's."""
    solution = reference(assignment)
    wrong = set()
    for name, value in vars(solution).items():
        if name.startswith("_") or not inspect.isfunction(value) or name in GIVEN:
            continue
        for args in PROBES[name]:
            expected = value(*fresh(args))
            try:
                got = namespace[name](*fresh(args))
            except Exception:
                got = None
            if not agrees(name, got, expected):
                wrong.add(name)
                break
    return wrong


def notebook_namespace(path: Path) -> tuple[dict[str, Any], int]:
    """Run the notebook's code cells in order (magics dropped); count the cells that raise."""
    import matplotlib
    import nbformat

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    notebook = nbformat.read(path, as_version=4)
    namespace: dict[str, Any] = {"__name__": path.stem}
    failures = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith("%")]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Agg warns that plt.show() shows nothing
            try:
                exec(compile("\n".join(lines), str(path), "exec"), namespace)
            except Exception:
                failures += 1
    plt.close("all")
    return namespace, failures


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("student", ["alice", "bob"])
def test_python_examples_are_wrong_exactly_where_they_say(assignment: str, student: str) -> None:
    path = SUBMISSIONS / assignment / f"{student}.py"
    module = load_module(path, f"example_{assignment}_{student}")
    assert wrong_functions(vars(module), assignment) == WRONG[assignment][student]
    for name in WRONG[assignment][student]:
        assert name in (module.__doc__ or ""), f"{path.name} does not list its mistake in {name}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_dana_notebook_is_wrong_once_and_fails_in_one_cell(assignment: str) -> None:
    import nbformat  # slow to import (jsonschema's format checkers), so only where needed

    path = SUBMISSIONS / assignment / "dana.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.cells[0].cell_type == "markdown"
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert any(source.startswith("%matplotlib inline") for source in sources)
    assert any("plt.show()" in source for source in sources)
    namespace, failures = notebook_namespace(path)
    assert failures == 1
    assert wrong_functions(namespace, assignment) == WRONG[assignment]["dana"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_carol_gets_everything_wrong(assignment: str) -> None:
    module = load_module(SUBMISSIONS / assignment / "carol.py", f"example_{assignment}_carol")
    expected = {name for name in PROBES if hasattr(reference(assignment), name)}
    assert wrong_functions(vars(module), assignment) == expected
