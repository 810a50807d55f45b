"""Hidden checks of assignment `derivatives`: run by the grader only."""

import numpy as np

from grader.checking import check
from grader.checks.helpers import same_array, same_expression, same_label, same_number
from grader.specs import scalar_function

SIGNS = ("increasing", "decreasing", "stationary")


@check("derivative", weight=2)
def test_derivative_random_points(student, reference, rng):
    """2x at random points, and elementwise on an array."""
    for x in rng.uniform(-10, 10, size=3):
        same_number(student, reference, "derivative", float(x))
    same_array(student, reference, "derivative", rng.uniform(-5, 5, size=4))


@check("tangent_estimate", weight=2)
def test_tangent_estimate_random(student, reference, rng):
    """The tangent-line estimate of sin(x) + x**2 at a random point."""
    f = scalar_function("sin(x) + x**2")
    df = scalar_function("cos(x) + 2*x", label="df(x) = cos(x) + 2*x")
    same_number(student, reference, "tangent_estimate", f, df, float(rng.uniform(-2, 2)), 0.3)


@check("forward_difference", weight=2)
def test_forward_difference_default_step(student, reference, rng):
    """Forward difference of exp(x) with the default step, and with h = 0.1."""
    f = scalar_function("exp(x)")
    x = float(rng.uniform(-1, 1))
    same_number(student, reference, "forward_difference", f, x, rtol=1e-6, atol=1e-8)
    same_number(student, reference, "forward_difference", f, x, h=0.1)


@check("central_difference", weight=2)
def test_central_difference_default_step(student, reference, rng):
    """Central difference of sin(x) with the default step, and with h = 0.1."""
    f = scalar_function("sin(x)")
    x = float(rng.uniform(-3, 3))
    same_number(student, reference, "central_difference", f, x, rtol=1e-6, atol=1e-8)
    same_number(student, reference, "central_difference", f, x, h=0.1)


@check("second_derivative", weight=2)
def test_second_derivative_of_sine(student, reference, rng):
    """Second difference of sin(x) at a random point with h = 0.1."""
    same_number(student, reference, "second_derivative", scalar_function("sin(x)"),
                float(rng.uniform(-3, 3)), h=0.1)  # fmt: skip


@check("interpret_sign", weight=2)
def test_interpret_sign_tolerance(student, reference):
    """Values within tol of zero are stationary, just outside are not."""
    for d, tol in ((1e-9, 1e-8), (-1e-9, 1e-8), (1e-8, 1e-8), (0.5, 0.1), (-0.05, 0.1)):
        same_label(student, reference, "interpret_sign", d, tol, vocabulary=SIGNS)


@check("derivative")
def test_derivative_keeps_array_shape(student, reference):
    """An array of shape (2, 2) gives an array of shape (2, 2)."""
    same_array(student, reference, "derivative", np.array([[1.0, -2.0], [0.5, 3.0]]))


@check("symbolic_derivative", weight=2)
def test_symbolic_derivative_chain_and_quotient(student, reference):
    """The chain and quotient rules, in any equivalent form."""
    for expression in ("exp(3*x)*cos(x**2)", "log(x)/(1 + x**2)"):
        same_expression(student, reference, expression, seed=2)


@check("symbolic_derivative")
def test_symbolic_derivative_other_variable(student, reference):
    """With respect to t, not x."""
    same_expression(student, reference, "t**3 - 4*t", "t", seed=3)
