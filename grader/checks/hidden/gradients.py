"""Hidden checks of assignment `gradients`: run by the grader only."""

import numpy as np

from grader.checking import check
from grader.checks.helpers import same_array, same_label, same_number
from grader.specs import field_function, vector_function

POINTS = ("minimum", "maximum", "saddle", "degenerate")


def wavy():
    """A smooth function of three variables with mixed partials."""
    return vector_function("sin(x0)*x1 + exp(0.3*x2)*x0 + x1**2*x2", n=3)


@check("partial_derivative", weight=2)
def test_partial_derivative_random(student, reference, rng):
    """Each partial of a 3-variable function at a random point, and with h = 0.1."""
    x = rng.uniform(-1, 1, size=3)
    for i in range(3):
        same_number(student, reference, "partial_derivative", wavy(), x, i, rtol=1e-6, atol=1e-8)
    same_number(student, reference, "partial_derivative", wavy(), x, 2, h=0.1)


@check("gradient", weight=2)
def test_gradient_random(student, reference, rng):
    """The gradient of a 3-variable function at a random point, with h = 0.1."""
    same_array(student, reference, "gradient", wavy(), rng.uniform(-1, 1, size=3), h=0.1)


@check("quadratic_gradient", weight=2)
def test_quadratic_gradient_non_symmetric(student, reference, rng):
    """A non-symmetric A: the gradient is 0.5 * (A + A.T) @ x + b, not A @ x + b."""
    A = rng.normal(size=(3, 3))
    same_array(student, reference, "quadratic_gradient", A, rng.normal(size=3), rng.normal(size=3))


@check("hessian", weight=2)
def test_hessian_random(student, reference, rng):
    """The Hessian of a 3-variable function at a random point: shape (3, 3), symmetric."""
    same_array(student, reference, "hessian", wavy(), rng.uniform(-1, 1, size=3),
               rtol=1e-4, atol=1e-5)  # fmt: skip


@check("directional_derivative", weight=2)
def test_directional_derivative_random(student, reference, rng):
    """A random gradient along a random, unnormalised direction."""
    same_number(student, reference, "directional_derivative", rng.normal(size=4),
                rng.normal(size=4) * 5)  # fmt: skip


@check("steepest_ascent_direction", weight=2)
def test_steepest_ascent_zero_and_random(student, reference, rng):
    """A zero gradient gives zeros; a random one a unit vector."""
    same_array(student, reference, "steepest_ascent_direction", np.zeros(3))
    same_array(student, reference, "steepest_ascent_direction", rng.normal(size=3))


@check("classify_stationary_point", weight=2)
def test_classify_mixed_3x3(student, reference):
    """A 3x3 Hessian with off-diagonal entries and mixed eigenvalue signs is a saddle."""
    H = np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 0.5], [0.0, 0.5, 3.0]])
    same_label(student, reference, "classify_stationary_point", H, vocabulary=POINTS)


@check("gradient_check", weight=2)
def test_gradient_check_wrong_gradient(student, reference):
    """A gradient with a wrong sign gives a large relative error."""
    f = vector_function("x0**2 + 3*x1**2", n=2)
    wrong = field_function(["2*x0", "-6*x1"], label="grad_fn")
    same_number(student, reference, "gradient_check", f, wrong, np.array([1.0, 2.0]),
                rtol=1e-6, atol=1e-9)  # fmt: skip
