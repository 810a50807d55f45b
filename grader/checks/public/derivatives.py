"""Public checks of assignment `derivatives`: students run these themselves with `grader check`."""

from grader.checking import check
from grader.checks.helpers import same_expression, same_label, same_number
from grader.specs import scalar_function

SIGNS = ("increasing", "decreasing", "stationary")


@check("derivative")
def test_derivative_worked_example(student, reference):
    """f(x) = x**2: f'(-0.5) = -1, f'(0) = 0, f'(0.5) = 1."""
    for x in (-0.5, 0.0, 0.5):
        same_number(student, reference, "derivative", x)


@check("tangent_estimate")
def test_tangent_estimate_of_square(student, reference):
    """The tangent line of x**2 at 1 predicts f(1.1) ~ 1.2."""
    f, df = scalar_function("x**2"), scalar_function("2*x", label="df(x) = 2*x")
    same_number(student, reference, "tangent_estimate", f, df, 1.0, 0.1)


@check("forward_difference")
def test_forward_difference_of_cube(student, reference):
    """Forward difference of x**3 at 1 with h = 0.1."""
    same_number(student, reference, "forward_difference", scalar_function("x**3"), 1.0, h=0.1)


@check("central_difference")
def test_central_difference_of_cube(student, reference):
    """Central difference of x**3 at 1 with h = 0.1."""
    same_number(student, reference, "central_difference", scalar_function("x**3"), 1.0, h=0.1)


@check("second_derivative")
def test_second_derivative_of_cube(student, reference):
    """Second difference of x**3 at 1 with h = 0.1."""
    same_number(student, reference, "second_derivative", scalar_function("x**3"), 1.0, h=0.1)


@check("interpret_sign")
def test_interpret_sign_basic(student, reference):
    """A positive, a negative and a zero derivative."""
    for d in (2.0, -3.0, 0.0):
        same_label(student, reference, "interpret_sign", d, vocabulary=SIGNS)


@check("symbolic_derivative")
def test_symbolic_derivative_product_rule(student, reference):
    """d/dx of x**2*sin(x), in any equivalent form."""
    same_expression(student, reference, "x**2*sin(x)", seed=1)
