"""Hidden checks of assignment `gradients`: run by the grader only.

Per exercise: the misconception-revealing inputs (h = 0.1, a non-symmetric A, off-diagonal
Hessians, unnormalised directions), a correct central difference near x = 1000, int and list
input, no argument changed in place, and the boundaries (a zero gradient, eigenvalues within or
exactly at tol). Finite differences are judged with tolerances from the method's own error; the
wrong formulas and judges are in `known.py`.
"""

from types import ModuleType

import numpy as np

from grader.authoring import (
    StudentProxy,
    check,
    field_function,
    gradient_field,
    same_array,
    same_number,
    unchanged_arguments,
    vector_function,
)

from .known import (
    ASCENT_MISTAKES,
    CHECK_MISTAKES,
    CLASSIFY_MISTAKES,
    DIRECTIONAL_MISTAKES,
    GRADIENT_MISTAKES,
    HESSIAN_MISTAKES,
    PARTIAL_MISTAKES,
    POINTS,
    QUADRATIC_MISTAKES,
    as_floats,
    plain_inputs,
    same_difference,
    same_direction,
    same_gradient_check,
    same_hessian,
    same_labels,
)

# Smooth functions with nonzero second derivatives along every axis and nonzero mixed partials,
# so that forward, backward and central differences, and a Hessian without its off-diagonal
# entries, all give different answers.
WAVY = vector_function("sin(x0)*x1 + exp(0.3*x2)*x0 + x1**2*x2", n=3)
WAVY_GRADIENT = gradient_field(WAVY)
# A hundredth of WAVY and a wrong gradient of it, not parallel to the right one and of another
# length, so that every denominator of the relative error gives another value; both gradients
# are shorter than 1, so a floor of 1 instead of 1e-12 shows too.
SMALL = vector_function("(sin(x0)*x1 + exp(0.3*x2)*x0 + x1**2*x2) / 100", n=3)
SMALL_WRONG_GRADIENT = field_function(
    ["cos(x0)*x1 / 100", "(sin(x0) - 2*x1*x2) / 100", "(x1**2 + x0) / 100"]
)
RIDGE = vector_function("x0*x1 + sin(x2)*x3**2 + exp(0.5*x0) + x1**2*x3", n=4)
# Used at x0 = 1000, where rounding x + h costs about eps * 1000 / h.
FAR = vector_function("sin(x0) + x0*x1**2 + cos(x1)*x2", n=3)
# A cubic plus a small sine: at h = 0.1 central schemes stay within h^2/3 of the fourth partials
# (at most 0.5) of the exact Hessian, while forward ones are off by about h times the third.
NEAR_CUBIC = vector_function(
    "x0**3 + x0**2*x1 - 2*x1*x2*x3 + x2**2*x3 + x3**3 - x0*x3 + 0.5*sin(x0 + x2)", n=4
)
# Stationary at the origin, where both gradients are exactly zero.
BOWL = vector_function("x0**2 + 3*x1**2 + x0**2*x1**2", n=2)
BOWL_GRADIENT = gradient_field(BOWL)

INTEGER_ADVICE = (
    "this looks like integer arrays silently truncating x + h (or a list not converted); "
    "start with x = np.asarray(x, dtype=float)"
)
PLAIN_ADVICE = "convert lists and integer arrays with np.asarray(..., dtype=float) first"


def rotated(rng: np.random.Generator, eigenvalues: tuple[float, ...]) -> np.ndarray:
    """A symmetric matrix with these eigenvalues and random (off-diagonal) eigenvectors."""
    q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    matrix = q @ np.diag(eigenvalues) @ q.T
    return (matrix + matrix.T) / 2


def unrestorable(rng: np.random.Generator, size: int, h: float) -> np.ndarray:
    """A random point in [-1, 1)^size at which stepping any coordinate in place by +h, -2h
    and +h again does not give it back exactly (tried for each coordinate until so).

    Hidden inputs are drawn per student, and whether that round trip is exact depends on the
    binade of the value (for h = 1e-5 it always is in [0.25, 0.5), never in [0.5, 1)): a
    step-and-restore that writes into x would otherwise go unseen for some students.
    """
    x = rng.uniform(-1, 1, size=size)
    for index in range(size):
        for _ in range(1000):  # each draw succeeds with a chance of a third or more
            if ((x[index] + h) - 2 * h) + h != x[index]:
                break
            x[index] = rng.uniform(-1, 1)
    return x


def off_diagonal_cases(rng: np.random.Generator) -> list[tuple]:
    """Hessians with off-diagonal entries: a saddle whose diagonal and determinant are positive,
    a 4x4 saddle with a positive determinant, and a 3x3 maximum with a negative one."""
    return [
        (np.array([[1.0, 2.0, 2.0], [2.0, 1.0, 2.0], [2.0, 2.0, 1.0]]),),  # eigenvalues 5, -1, -1
        (rotated(rng, (3.0, 1.0, -0.5, -2.0)),),
        (rotated(rng, (-1.0, -2.0, -4.0)),),
    ]


def degenerate_cases(rng: np.random.Generator) -> list[tuple]:
    """A tiny negative eigenvalue within tol of 0 beside positive ones (degenerate: neither a
    saddle, as comparing with 0 says, nor a minimum), one exactly at tol and one exactly at -tol
    (degenerate, since only values beyond tol count), and 0 beside a positive and a negative
    eigenvalue (a saddle). Diagonal matrices keep the eigenvalues at +-tol exact."""
    return [
        (rotated(rng, (3.0, -5e-9, 1.0)),),
        ([[2, 0, 0], [0, 0.25, 0], [0, 0, 1]], 0.25),  # a list, as the contract allows
        (np.diag([-1.0, -0.25, -3.0]), 0.25),
        # One eigenvalue exactly at +-tol beside others beyond the other side: still degenerate,
        # not a saddle (a saddle needs one beyond tol on each side).
        (np.diag([0.25, -1.0, -3.0]), 0.25),
        (np.diag([1.0, -0.25, 2.0]), 0.25),
        (rotated(rng, (2.0, 0.0, -1.0)),),
    ]


# --- partial_derivative ----------------------------------------------------------------------


@check("partial_derivative", weight=2)
def test_partial_derivative_large_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """h = 0.1 at a random point: forward, backward and central differences differ clearly."""
    x, i = rng.uniform(-1.5, 1.5, size=3), int(rng.integers(3))
    same_difference(student, reference, "partial_derivative", (WAVY, x, i), h=0.1, f=WAVY, at=x,
                    axes=[i], wrong=PARTIAL_MISTAKES)  # fmt: skip


@check("partial_derivative")
def test_partial_derivative_integer_list_near_1000(
    student: StudentProxy, reference: ModuleType
) -> None:
    """x = [1000, -1, 3], a list of ints, with the default step: x + h must not be truncated,
    and a correct answer passes despite the rounding of 1000 + h."""
    x = [1000, -1, 3]

    def judge(args: tuple) -> None:
        same_difference(student, reference, "partial_derivative", args, f=FAR, at=x, axes=[0],
                        wrong=PARTIAL_MISTAKES)  # fmt: skip

    plain_inputs(judge, (FAR, x, 0), (FAR, *as_floats(x), 0), INTEGER_ADVICE)


@check("partial_derivative")
def test_partial_derivative_leaves_x_alone(student: StudentProxy, rng: np.random.Generator) -> None:
    """x is the same after the call (stepping x[i] and stepping back does not restore it)."""
    x = unrestorable(rng, 3, 1e-5)
    unchanged_arguments(student, "partial_derivative", WAVY, x, 1)


# --- gradient --------------------------------------------------------------------------------


@check("gradient", weight=2)
def test_gradient_large_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Four variables, h = 0.1: shape (4,) and central differences in every coordinate."""
    x = rng.uniform(-1, 1, size=4)
    same_difference(student, reference, "gradient", (RIDGE, x), h=0.1, f=RIDGE, at=x,
                    axes=range(4), wrong=GRADIENT_MISTAKES)  # fmt: skip


@check("gradient")
def test_gradient_integer_list_near_1000(student: StudentProxy, reference: ModuleType) -> None:
    """x = [1000, 2, -1], a list of ints, with the default step: x + h must not be truncated,
    and a correct answer passes despite the rounding of 1000 + h."""
    x = [1000, 2, -1]

    def judge(args: tuple) -> None:
        same_difference(student, reference, "gradient", args, f=FAR, at=x, axes=range(3),
                        wrong=GRADIENT_MISTAKES)  # fmt: skip

    plain_inputs(judge, (FAR, x), (FAR, *as_floats(x)), INTEGER_ADVICE)


@check("gradient")
def test_gradient_leaves_x_alone(student: StudentProxy, rng: np.random.Generator) -> None:
    """x is the same after the call."""
    unchanged_arguments(student, "gradient", WAVY, unrestorable(rng, 3, 1e-5))


# --- quadratic_gradient ----------------------------------------------------------------------


@check("quadratic_gradient", weight=2)
def test_quadratic_gradient_non_symmetric(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random non-symmetric 4x4 A, and x off the null space of A - A.T: A @ x + b and
    A.T @ x + b are both wrong here."""
    A, b, x = rng.normal(size=(4, 4)), rng.normal(size=4), rng.normal(size=4)
    same_array(student, reference, "quadratic_gradient", A, b, x, wrong=QUADRATIC_MISTAKES)


@check("quadratic_gradient", weight=0.5)
def test_quadratic_gradient_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """A, b and x given as lists of ints."""
    A, b, x = [[1, 2, 0], [-1, 3, 4], [2, 0, -2]], [1, 0, -3], [2, -1, 1]

    def judge(args: tuple) -> None:
        same_array(student, reference, "quadratic_gradient", *args, wrong=QUADRATIC_MISTAKES)

    plain_inputs(judge, (A, b, x), as_floats(A, b, x), PLAIN_ADVICE)


@check("quadratic_gradient", weight=0.5)
def test_quadratic_gradient_leaves_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A, b and x are the same after the call (no A += A.T), and the gradient is right."""
    A, b, x = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)
    unchanged_arguments(student, "quadratic_gradient", A, b, x, reference=reference)


# --- hessian ---------------------------------------------------------------------------------


@check("hessian", weight=2)
def test_hessian_mixed_partials(student: StudentProxy, rng: np.random.Generator) -> None:
    """A 3-variable function with nonzero mixed partials, default step, against the exact
    Hessian: off-diagonal entries and symmetry matter."""
    same_hessian(student, WAVY, rng.uniform(-1, 1, size=3), wrong=HESSIAN_MISTAKES)


@check("hessian", weight=2)
def test_hessian_large_step(student: StudentProxy, rng: np.random.Generator) -> None:
    """A near-cubic in 4 variables at h = 0.1, where central and forward schemes differ clearly."""
    same_hessian(student, NEAR_CUBIC, rng.uniform(-1, 1, size=4), h=0.1, wrong=HESSIAN_MISTAKES)


@check("hessian", weight=0.5)
def test_hessian_integer_point(student: StudentProxy) -> None:
    """x = array([1, -1, 2]) of ints: x + h must not be truncated to an integer."""
    x = np.array([1, -1, 2])
    plain_inputs(
        lambda args: same_hessian(student, *args, wrong=HESSIAN_MISTAKES),
        (WAVY, x),
        (WAVY, *as_floats(x)),
        INTEGER_ADVICE,
    )


@check("hessian", weight=0.5)
def test_hessian_leaves_x_alone(student: StudentProxy, rng: np.random.Generator) -> None:
    """x is the same after the call."""
    unchanged_arguments(student, "hessian", WAVY, unrestorable(rng, 3, 1e-4))


# --- directional_derivative ------------------------------------------------------------------


@check("directional_derivative", weight=2)
def test_directional_derivative_unnormalised(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random gradient along a random direction of length about 10, not 1."""
    grad, v = rng.normal(size=4) * 3, rng.normal(size=4) * 5
    same_number(student, reference, "directional_derivative", grad, v, wrong=DIRECTIONAL_MISTAKES)


@check("directional_derivative", weight=0.5)
def test_directional_derivative_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """grad = [3, -1, 2] along v = [0, 1, 0], lists of ints: -1 (a unit v needs no scaling)."""
    grad, v = [3, -1, 2], [0, 1, 0]

    def judge(args: tuple) -> None:
        same_number(student, reference, "directional_derivative", *args,
                    wrong=DIRECTIONAL_MISTAKES)  # fmt: skip

    plain_inputs(judge, (grad, v), as_floats(grad, v), PLAIN_ADVICE)


@check("directional_derivative", weight=0.5)
def test_directional_derivative_leaves_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """grad and v are the same after the call (no v /= norm(v)), and the answer is right."""
    unchanged_arguments(student, "directional_derivative", rng.normal(size=3),
                        rng.normal(size=3) * 4, reference=reference)  # fmt: skip


# --- steepest_ascent_direction ---------------------------------------------------------------


@check("steepest_ascent_direction", weight=2)
def test_steepest_ascent_random(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random gradient of length about 6: a unit vector along it, shape (4,)."""
    same_direction(student, reference, rng.normal(size=4) * 3, wrong=ASCENT_MISTAKES)


@check("steepest_ascent_direction")
def test_steepest_ascent_zero_integer_list(student: StudentProxy, reference: ModuleType) -> None:
    """[0, 0, 0], a zero gradient given as a list of ints: all zeros, no nan."""
    grad = [0, 0, 0]
    plain_inputs(
        lambda args: same_direction(student, reference, *args, wrong=ASCENT_MISTAKES),
        (grad,),
        as_floats(grad),
        PLAIN_ADVICE,
    )


@check("steepest_ascent_direction")
def test_steepest_ascent_leaves_gradient_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """grad is the same after the call (no grad /= norm(grad)), and the direction is right."""
    unchanged_arguments(student, "steepest_ascent_direction", rng.normal(size=3) * 2,
                        reference=reference)  # fmt: skip


# --- classify_stationary_point ---------------------------------------------------------------


@check("classify_stationary_point", weight=2)
def test_classify_off_diagonal(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """3x3 and 4x4 Hessians with off-diagonal entries and mixed eigenvalue signs, where neither
    the diagonal nor the determinant tells the kind of point."""
    cases = off_diagonal_cases(rng)
    same_labels(student, reference, "classify_stationary_point", cases, vocabulary=POINTS,
                wrong=CLASSIFY_MISTAKES)  # fmt: skip


@check("classify_stationary_point", weight=2)
def test_classify_degenerate_and_tolerance(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Eigenvalues within tol of 0, or exactly at tol or -tol (degenerate), and a zero eigenvalue
    beside a positive and a negative one (a saddle)."""
    cases = degenerate_cases(rng)
    same_labels(student, reference, "classify_stationary_point", cases, vocabulary=POINTS,
                wrong=CLASSIFY_MISTAKES)  # fmt: skip


# --- gradient_check --------------------------------------------------------------------------


@check("gradient_check")
def test_gradient_check_exact_gradient_integer_point(
    student: StudentProxy, reference: ModuleType
) -> None:
    """The exact gradient at x = [1, -1, 2], a list of ints: a tiny relative error."""
    x = [1, -1, 2]

    def judge(args: tuple) -> None:
        same_gradient_check(student, reference, *args, wrong=CHECK_MISTAKES)

    plain_inputs(judge, (WAVY, WAVY_GRADIENT, x), (WAVY, WAVY_GRADIENT, *as_floats(x)),
                 INTEGER_ADVICE)  # fmt: skip


@check("gradient_check", weight=3)
def test_gradient_check_wrong_gradient(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A wrong gradient with h = 0.1: a large relative error, with norm(ga) + norm(gn) below."""
    same_gradient_check(student, reference, SMALL, SMALL_WRONG_GRADIENT,
                        rng.uniform(-1, 1, size=3), h=0.1, wrong=CHECK_MISTAKES)  # fmt: skip


@check("gradient_check")
def test_gradient_check_zero_gradient(student: StudentProxy, reference: ModuleType) -> None:
    """At a stationary point both gradients are zero: the answer is 0.0, not nan."""
    same_gradient_check(student, reference, BOWL, BOWL_GRADIENT, np.zeros(2),
                        wrong=CHECK_MISTAKES)  # fmt: skip


@check("gradient_check")
def test_gradient_check_leaves_x_alone(student: StudentProxy, rng: np.random.Generator) -> None:
    """x is the same after the call."""
    unchanged_arguments(student, "gradient_check", WAVY, WAVY_GRADIENT,
                        rng.uniform(-1, 1, size=3))  # fmt: skip
