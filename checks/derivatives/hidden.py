"""Hidden checks of assignment `derivatives`: run by the grader only.

Per exercise: random inputs, int and list input where the contract allows it, no argument changed
in place, exact shapes, the vocabulary and its boundaries (d exactly at tol and just beyond), and
inputs on which the known wrong formulas all give different answers (h = 0.1 for finite
differences, a point where f < 0 < f' for the tangent line, an expression in two variables for
`symbolic_derivative`). Finite differences are judged against the reference's same formula within
the method's rounding error (a correct difference at x = 1000 passes), at the contract's default
step where another step would show, and by their convergence order against the exact
derivative. The wrong formulas are in `known.py`, the judges in `judges.py` and `symbolic.py`; the
input draws are functions here so that tests can replay them.
"""

from types import ModuleType

import numpy as np

from grader.authoring import (
    StudentProxy,
    check,
    geometric_steps,
    same_array,
    same_labels,
    same_number,
    scalar_function,
    unchanged_arguments,
)

from .judges import converges, same_default_step, same_difference
from .known import (
    DERIVATIVE_MISTAKES,
    DIFFERENCE_MISTAKES,
    SIGN_MISTAKES,
    SIGN_TOL,
    SIGNS,
    TANGENT_MISTAKES,
    symbolic_mistakes,
)
from .symbolic import same_derivative_text

# Every derivative positive on [-1, 1], so that at h = 0.1 the forward, backward and central
# differences and each wrong second difference stay at least 0.4% apart.
GROWING = scalar_function("exp(x) + exp(2*x)/4")
# f'', f''' and f'''' bounded away from 0 on [0.5, 1.5]: the truncation errors are those of the
# textbook, so the measured orders are 1, 2 and 2.
SMOOTH = scalar_function("exp(x) + sin(x)")
# Near x = 1000, where rounding x + h costs about eps * 1000 / h: a generic rtol of 1e-9 fails a
# correct central difference here, the method's own tolerance does not.
FAR = scalar_function("sin(x) + x**2/1000")
FAR_POINT = 1000  # an int, which must not truncate x + h
# Near x = 0.1 its truncation error at each contract's default step is far above the rounding
# error at any other usual step, so a different default step gives another answer.
STEEP = scalar_function("exp(8*x)")
# f < 0 < f' on [0.3, 0.9] and at x = -1, so that a dropped f(x), a sign flip and f(x + delta_x)
# all give other answers than the tangent line.
BELOW = scalar_function("x**3 + sin(x) - 2")
BELOW_SLOPE = scalar_function("3*x**2 + cos(x)", label="df(x) = 3*x**2 + cos(x)")
FIRST_STEPS = geometric_steps(1e-1, 1e-4, 3)
# The second difference divides rounding errors by h**2: below about 1e-3 they would blur the
# order of its truncation error.
SECOND_STEPS = geometric_steps(1e-1, 1e-3, 3)
STEPS = {"forward_difference": FIRST_STEPS, "central_difference": FIRST_STEPS,
         "second_derivative": SECOND_STEPS}  # fmt: skip

CHAIN = "exp(3*x)*cos(x**2)"
QUOTIENT = "log(x)/(1 + x**2)"
TWO_VARIABLES = "t**2*sin(x) + exp(x*t)"
SYMBOLIC_CASES = {
    CHAIN: {
        **symbolic_mistakes(CHAIN, "x", ("x",)),
        "the chain rule's inner derivatives (3 and 2*x) left out": (
            "exp(3*x)*cos(x**2) - exp(3*x)*sin(x**2)"
        ),
    },
    QUOTIENT: {
        **symbolic_mistakes(QUOTIENT, "x", ("x",)),
        "the quotient rule with + instead of - in its numerator": (
            "((1 + x**2)/x + 2*x*log(x))/(1 + x**2)**2"
        ),
        "the numerator's derivative over the denominator's": "1/(2*x**2)",
    },
}
OTHER_VARIABLE_MISTAKES = symbolic_mistakes(TWO_VARIABLES, "t", ("t", "x"))


# --- inputs (drawn from the check's own seeded generator) -------------------------------------


def derivative_numbers(rng: np.random.Generator) -> tuple[float, int]:
    """A float and a nonzero int."""
    return float(rng.uniform(-10, 10)), int(rng.choice([-1, 1]) * rng.integers(2, 10))


def int_list(rng: np.random.Generator) -> list[int]:
    """Four nonzero ints as a list."""
    return [int(v) for v in rng.choice([-1, 1], 4) * rng.integers(1, 7, size=4)]


def tangent_points(rng: np.random.Generator) -> list[tuple[float, float]]:
    """(x, delta_x) pairs where f < 0 < f': a step forward and a short step back."""
    return [
        (float(rng.uniform(0.3, 0.9)), float(rng.uniform(0.2, 0.4))),
        (float(rng.uniform(0.3, 0.9)), float(-rng.uniform(0.05, 0.12))),
    ]


def steep_point(rng: np.random.Generator) -> float:
    """Where STEEP tells the default steps apart."""
    return float(rng.uniform(0.05, 0.15))


def sign_tol(rng: np.random.Generator) -> float:
    """A tolerance other than the default."""
    return float(rng.uniform(0.01, 1.0))


def sign_cases(name: str, rng: np.random.Generator) -> list[tuple[tuple, dict]]:
    """The calls of the interpret_sign check `name`, as (positional, keyword) arguments."""
    if name == "far":
        # 2e-8 is beyond the default tol of 1e-8 but would be within any default tol above 2e-8.
        return [((float(rng.uniform(0.5, 5)),), {}), ((-int(rng.integers(2, 10)), 1), {}),
                ((2e-8,), {})]  # fmt: skip
    if name == "zero":
        # The docstring's own stationary point, d = 0 (a float, minus zero and an int), and
        # tol = 0, the smallest tolerance allowed: only d == 0 is stationary then. A tol below
        # the default, given, tells "tol = 0 taken for none" from "tol ignored".
        return [((0.0,), {}), ((-0.0,), {}), ((0,), {}), ((0.0, 0.0), {}),
                ((1e-300,), {"tol": 0.0}), ((-1e-300, 0.0), {}), ((3.0, 0), {}),
                ((5e-9,), {"tol": 1e-9})]  # fmt: skip
    tol = sign_tol(rng)
    # Each case list holds a label other than "stationary" too, so that a function answering
    # "stationary" whatever d is earns nothing here.
    if name == "within":
        return [((0.4 * tol, tol), {}), ((-5e-9,), {}), ((-3 * tol, tol), {}),
                ((-0.4 * tol,), {"tol": tol})]  # fmt: skip
    if name == "at":
        # Exactly at a random tol and at the default one (1e-8 itself, not given).
        return [((tol, tol), {}), ((-tol,), {"tol": tol}), ((2 * tol, tol), {}), ((SIGN_TOL,), {}),
                ((-SIGN_TOL,), {})]  # fmt: skip
    return [((float(np.nextafter(tol, 2)), tol), {}), ((float(np.nextafter(-tol, -2)), tol), {})]


# --- derivative ------------------------------------------------------------------------------


@check("derivative", weight=1.5)
def test_derivative_random_array_keeps_its_shape(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random (2, 3) array gives 2 * x elementwise, as a (2, 3) array."""
    same_array(student, reference, "derivative", rng.uniform(-5, 5, size=(2, 3)),
               wrong=DERIVATIVE_MISTAKES)  # fmt: skip


@check("derivative")
def test_derivative_of_numbers(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random float, an int and 0.0 each give one number."""
    for x in (*derivative_numbers(rng), 0.0):
        same_number(student, reference, "derivative", x, wrong=DERIVATIVE_MISTAKES)


@check("derivative")
def test_derivative_of_int_list(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A list of ints is an array too: 2 * x elementwise, as a numpy array."""
    same_array(student, reference, "derivative", int_list(rng), wrong=DERIVATIVE_MISTAKES)


def real_arrays(rng: np.random.Generator) -> list:
    """Arrays of the other real dtypes and shapes the contract allows: an int array, a float32
    column (3, 1) and a nested list (2, 2) holding a 0."""
    ints = rng.choice([-1, 1], 4) * rng.integers(1, 7, size=4)
    column = (rng.uniform(-3, 3, size=(3, 1)) + 4).astype(np.float32)
    nested = [[int(ints[0]), 0], [float(column[0, 0]), -int(ints[1])]]
    return [ints, column, nested]


@check("derivative")
def test_derivative_of_any_real_dtype_and_shape(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """An int array, a float32 (3, 1) column and a (2, 2) nested list: 2 * x, same shape."""
    for x in real_arrays(rng):
        same_array(student, reference, "derivative", x, wrong=DERIVATIVE_MISTAKES)


@check("derivative")
def test_derivative_leaves_x_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """The array given is the same after the call, and the answer is 2 * x."""
    unchanged_arguments(student, "derivative", rng.uniform(-2, 2, size=5), reference=reference)


# --- tangent_estimate ------------------------------------------------------------------------


@check("tangent_estimate", weight=2)
def test_tangent_estimate_where_f_is_negative(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Random points with f < 0 < f', a step forward and a step back."""
    for x, delta_x in tangent_points(rng):
        same_number(student, reference, "tangent_estimate", BELOW, BELOW_SLOPE, x, delta_x,
                    wrong=TANGENT_MISTAKES)  # fmt: skip


@check("tangent_estimate")
def test_tangent_estimate_int_arguments(student: StudentProxy, reference: ModuleType) -> None:
    """x and delta_x as ints: x = -1, delta_x = -2."""
    same_number(student, reference, "tangent_estimate", BELOW, BELOW_SLOPE, -1, -2,
                wrong=TANGENT_MISTAKES)  # fmt: skip


# --- forward_difference, central_difference, second_derivative -------------------------------
# The same four checks for each: h = 0.1 at a random point, the default step at x = 1000 given
# as an int, the default step where it shows, and the order of accuracy over h from 1e-1 down.


def large_step(student: StudentProxy, reference: ModuleType, function: str,
               rng: np.random.Generator) -> None:  # fmt: skip
    """h = 0.1 at a random point, where every known wrong formula gives another answer."""
    same_difference(student, reference, function, GROWING, float(rng.uniform(-1, 1)), h=0.1,
                    wrong=DIFFERENCE_MISTAKES[function])  # fmt: skip


def near_1000(student: StudentProxy, reference: ModuleType, function: str) -> None:
    """The default step at the int x = 1000."""
    same_difference(student, reference, function, FAR, FAR_POINT,
                    wrong=DIFFERENCE_MISTAKES[function])  # fmt: skip


def default_step(student: StudentProxy, reference: ModuleType, function: str,
                 rng: np.random.Generator) -> None:  # fmt: skip
    """No h given, near x = 0.1: the contract's default step, not another."""
    same_default_step(student, reference, function, STEEP, steep_point(rng),
                      wrong=DIFFERENCE_MISTAKES[function])  # fmt: skip


def order(student: StudentProxy, function: str, rng: np.random.Generator) -> None:
    """The error against the exact derivative shrinks with the method's order."""
    converges(student, function, SMOOTH, float(rng.uniform(0.5, 1.5)), STEPS[function],
              wrong=DIFFERENCE_MISTAKES[function])  # fmt: skip


@check("forward_difference", weight=1.5)
def test_forward_difference_large_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """h = 0.1: forward, backward and central differences differ clearly."""
    large_step(student, reference, "forward_difference", rng)


@check("forward_difference")
def test_forward_difference_near_1000(student: StudentProxy, reference: ModuleType) -> None:
    """The default step at x = 1000 (an int), where rounding x + h is large."""
    near_1000(student, reference, "forward_difference")


@check("forward_difference")
def test_forward_difference_default_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """No h given: the contract's default step, where another one gives another answer."""
    default_step(student, reference, "forward_difference", rng)


@check("forward_difference", weight=1.5)
def test_forward_difference_first_order(student: StudentProxy, rng: np.random.Generator) -> None:
    """The error shrinks like h as h goes from 1e-1 to 1e-4."""
    order(student, "forward_difference", rng)


@check("central_difference", weight=1.5)
def test_central_difference_large_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """h = 0.1: forward, backward and central differences differ clearly."""
    large_step(student, reference, "central_difference", rng)


@check("central_difference")
def test_central_difference_near_1000(student: StudentProxy, reference: ModuleType) -> None:
    """The default step at x = 1000 (an int), where rounding x + h is large."""
    near_1000(student, reference, "central_difference")


@check("central_difference")
def test_central_difference_default_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """No h given: the contract's default step, where another one gives another answer."""
    default_step(student, reference, "central_difference", rng)


@check("central_difference", weight=1.5)
def test_central_difference_second_order(student: StudentProxy, rng: np.random.Generator) -> None:
    """The error shrinks like h**2 as h goes from 1e-1 to 1e-4."""
    order(student, "central_difference", rng)


@check("second_derivative", weight=1.5)
def test_second_derivative_large_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """h = 0.1: each wrong second difference gives another answer."""
    large_step(student, reference, "second_derivative", rng)


@check("second_derivative")
def test_second_derivative_near_1000(student: StudentProxy, reference: ModuleType) -> None:
    """The default step at x = 1000 (an int), where rounding is divided by h**2."""
    near_1000(student, reference, "second_derivative")


@check("second_derivative")
def test_second_derivative_default_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """No h given: the contract's default step, where another one gives another answer."""
    default_step(student, reference, "second_derivative", rng)


@check("second_derivative", weight=1.5)
def test_second_derivative_second_order(student: StudentProxy, rng: np.random.Generator) -> None:
    """The error shrinks like h**2 as h goes from 1e-1 to 1e-3."""
    order(student, "second_derivative", rng)


# --- interpret_sign --------------------------------------------------------------------------


def labels(student: StudentProxy, reference: ModuleType, name: str,
           rng: np.random.Generator) -> None:  # fmt: skip
    """The labels of the cases `name` (see `sign_cases`), a wrong one naming the mistake."""
    same_labels(student, reference, "interpret_sign", sign_cases(name, rng), vocabulary=SIGNS,
                wrong=SIGN_MISTAKES)  # fmt: skip


@check("interpret_sign")
def test_interpret_sign_far_from_zero(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A clearly positive float and 2e-8 with the default tol, a negative int with tol = 1."""
    labels(student, reference, "far", rng)


@check("interpret_sign")
def test_interpret_sign_at_zero(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """d = 0 (as 0.0, -0.0 and 0) is stationary, also with tol = 0, where 1e-300 is not."""
    labels(student, reference, "zero", rng)


@check("interpret_sign", weight=1.5)
def test_interpret_sign_within_tol(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Values between -tol and tol are stationary, on both sides of 0."""
    labels(student, reference, "within", rng)


@check("interpret_sign", weight=1.5)
def test_interpret_sign_exactly_at_tol(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """d == tol and d == -tol are stationary: only values beyond tol count."""
    labels(student, reference, "at", rng)


@check("interpret_sign")
def test_interpret_sign_just_beyond_tol(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """The next floats beyond tol and -tol are increasing and decreasing."""
    labels(student, reference, "beyond", rng)


# --- symbolic_derivative ---------------------------------------------------------------------


@check("symbolic_derivative", weight=2)
def test_symbolic_derivative_chain_and_quotient(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """The chain and quotient rules, in any equivalent form."""
    seed = int(rng.integers(2**31))
    for expression, wrong in SYMBOLIC_CASES.items():
        same_derivative_text(student, reference, expression, seed=seed, wrong=wrong)


@check("symbolic_derivative", weight=2)
def test_symbolic_derivative_other_variable(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """With respect to t, in an expression of t and x: x is a constant here."""
    same_derivative_text(student, reference, TWO_VARIABLES, "t", variables=("t", "x"),
                         seed=int(rng.integers(2**31)), wrong=OTHER_VARIABLE_MISTAKES)  # fmt: skip
