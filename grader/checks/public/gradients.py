"""Public checks of assignment `gradients`: students run these themselves with `grader check`."""

import numpy as np

from grader.checking import check
from grader.checks.helpers import same_array, same_label, same_number
from grader.specs import gradient_field, vector_function

POINTS = ("minimum", "maximum", "saddle", "degenerate")


def bowl():
    """f(x) = x0**2 + 3*x1**2 + x0*x1, a tilted bowl."""
    return vector_function("x0**2 + 3*x1**2 + x0*x1", n=2)


@check("partial_derivative")
def test_partial_derivative_of_bowl(student, reference):
    """Both partials of the bowl at (1, 2)."""
    for i in (0, 1):
        same_number(student, reference, "partial_derivative", bowl(), np.array([1.0, 2.0]), i,
                    rtol=1e-6, atol=1e-8)  # fmt: skip


@check("gradient")
def test_gradient_of_bowl(student, reference):
    """The gradient of the bowl at (1, 2) is (4, 13)."""
    same_array(student, reference, "gradient", bowl(), np.array([1.0, 2.0]), rtol=1e-6, atol=1e-8)


@check("quadratic_gradient")
def test_quadratic_gradient_symmetric(student, reference):
    """A symmetric A: the gradient is A @ x + b."""
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    same_array(student, reference, "quadratic_gradient", A, np.array([1.0, -1.0]),
               np.array([0.5, 2.0]))  # fmt: skip


@check("hessian")
def test_hessian_of_bowl(student, reference):
    """The Hessian of the bowl is [[2, 1], [1, 6]] everywhere."""
    same_array(student, reference, "hessian", bowl(), np.array([1.0, 2.0]), rtol=1e-4, atol=1e-5)


@check("directional_derivative")
def test_directional_derivative_axis(student, reference):
    """Along (3, 0) the rate of change is the first partial."""
    same_number(student, reference, "directional_derivative", np.array([4.0, 13.0]),
                np.array([3.0, 0.0]))  # fmt: skip


@check("steepest_ascent_direction")
def test_steepest_ascent_unit(student, reference):
    """(3, 4) becomes (0.6, 0.8)."""
    same_array(student, reference, "steepest_ascent_direction", np.array([3.0, 4.0]))


@check("classify_stationary_point")
def test_classify_diagonal(student, reference):
    """Diagonal Hessians of each kind."""
    for diagonal in ((2.0, 3.0), (-2.0, -3.0), (2.0, -3.0), (2.0, 0.0)):
        same_label(student, reference, "classify_stationary_point", np.diag(diagonal),
                   vocabulary=POINTS)  # fmt: skip


@check("gradient_check")
def test_gradient_check_exact_gradient(student, reference):
    """With the exact gradient, the relative error is tiny."""
    f = bowl()
    same_number(student, reference, "gradient_check", f, gradient_field(f), np.array([1.0, 2.0]),
                rtol=1e-3, atol=1e-9)  # fmt: skip
