"""Hidden checks of assignment `gradients`: run by the grader only.

Per exercise: the misconception-revealing inputs (h = 0.1, a non-symmetric A, off-diagonal
Hessians, unnormalised directions), non-default steps and tolerances where ignoring them shows,
a correct central difference near x = 1000, int and list input, no argument changed in place
(with a right answer: leaving the input alone by never reading it earns nothing), and the
boundaries the contract names (a zero or tiny gradient, the ends of the rate's range,
eigenvalues exactly at tol, both gradients zero or below the floor 1e-12). The inputs are in
`inputs.py`, the wrong formulas in `known.py`, the judges in `judges.py`.
"""

from types import ModuleType

import numpy as np

from grader.authoring import StudentProxy, Verdict, check, unchanged_arguments

from .inputs import (
    BOWL,
    BOWL_GRADIENT,
    FAR,
    GRID_H,
    NEAR_CUBIC,
    NO_GRADIENT,
    RIDGE,
    SMALL,
    SMALL_WRONG_GRADIENT,
    STEPPED,
    TINY,
    TINY_WRONG_GRADIENT,
    WAVY,
    WAVY_GRADIENT,
    WAVY_OPPOSITE_GRADIENT,
    WAVY_WRONG_GRADIENT,
    degenerate_cases,
    off_diagonal_cases,
    rate_cases,
    tiny_gradients,
    unrestorable,
)
from .judges import (
    as_floats,
    difference_verdict,
    gradient_check_verdict,
    hessian_verdict,
    plain_inputs,
    same_closed_form,
    same_difference,
    same_direction,
    same_gradient_check,
    same_grid_hessian,
    same_hessian,
    same_labels,
    zero_rate_hint,
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
)

INTEGER_ADVICE = (
    "this looks like integer arrays silently truncating x + h (or a list not converted); "
    "start with x = np.asarray(x, dtype=float)"
)
PLAIN_ADVICE = "convert lists and integer arrays with np.asarray(..., dtype=float) first"


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
def test_partial_derivative_leaves_x_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x is the same after the call (stepping x[i] and stepping back does not restore it), and
    the answer is right."""
    x = unrestorable(rng, 3, 1e-5)
    expected = reference.partial_derivative(WAVY, x, 1)

    def judge(got: object, call: str) -> Verdict:
        return difference_verdict(got, expected, call, f=WAVY, at=x, axes=[1])

    unchanged_arguments(student, "partial_derivative", WAVY, x, 1, judge=judge)


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
def test_gradient_leaves_x_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x is the same after the call, and the gradient is right."""
    x = unrestorable(rng, 3, 1e-5)
    expected = reference.gradient(WAVY, x)

    def judge(got: object, call: str) -> Verdict:
        return difference_verdict(got, expected, call, f=WAVY, at=x, axes=range(3))

    unchanged_arguments(student, "gradient", WAVY, x, judge=judge)


# --- quadratic_gradient ----------------------------------------------------------------------


@check("quadratic_gradient", weight=2)
def test_quadratic_gradient_non_symmetric(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random non-symmetric 4x4 A, and x off the null space of A - A.T: A @ x + b and
    A.T @ x + b are both wrong here."""
    A, b, x = rng.normal(size=(4, 4)), rng.normal(size=4), rng.normal(size=4)
    same_closed_form(student, reference, "quadratic_gradient", A, b, x, wrong=QUADRATIC_MISTAKES)


@check("quadratic_gradient", weight=0.5)
def test_quadratic_gradient_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """A, b and x given as lists of ints."""
    A, b, x = [[1, 2, 0], [-1, 3, 4], [2, 0, -2]], [1, 0, -3], [2, -1, 1]

    def judge(args: tuple) -> None:
        same_closed_form(student, reference, "quadratic_gradient", *args,
                         wrong=QUADRATIC_MISTAKES)  # fmt: skip

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


@check("hessian", weight=2)
def test_hessian_uses_its_step(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """h = 0.1 on a quadratic with ripples of period 0.1: every scheme with step 0.1 sees the
    quadratic alone, while the exact Hessian (and one at another step) sees the ripples too."""
    x = rng.uniform(-1, 1, size=3)
    same_grid_hessian(student, reference, STEPPED, x, GRID_H, wrong=HESSIAN_MISTAKES)


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
    """x is the same after the call, and the Hessian is right."""
    x = unrestorable(rng, 3, 1e-4)

    def judge(got: object, call: str) -> Verdict:
        return hessian_verdict(got, call, WAVY, x, wrong=HESSIAN_MISTAKES)

    unchanged_arguments(student, "hessian", WAVY, x, judge=judge)


# --- directional_derivative ------------------------------------------------------------------


@check("directional_derivative", weight=2)
def test_directional_derivative_unnormalised(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random gradient along a random direction of length about 10, not 1."""
    grad, v = rng.normal(size=4) * 3, rng.normal(size=4) * 5
    same_closed_form(student, reference, "directional_derivative", grad, v,
                     wrong=DIRECTIONAL_MISTAKES)  # fmt: skip


@check("directional_derivative")
def test_directional_derivative_ends_of_the_range(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Along the gradient the rate is norm(grad), against it -norm(grad), perpendicular to it 0;
    for a zero gradient it is 0 (not the nan of a cosine formula); along e_1 it is grad[1]."""
    for grad, v in rate_cases(rng):
        same_closed_form(student, reference, "directional_derivative", grad, v,
                         wrong=DIRECTIONAL_MISTAKES, hint=zero_rate_hint)  # fmt: skip


@check("directional_derivative", weight=0.5)
def test_directional_derivative_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """grad = [3, -1, 2] along v = [0, 2, 0], lists of ints: -1."""
    grad, v = [3, -1, 2], [0, 2, 0]

    def judge(args: tuple) -> None:
        same_closed_form(student, reference, "directional_derivative", *args,
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
def test_steepest_ascent_zero_and_tiny_gradients(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Gradients about 1e-10 and 1e-150 long (after one about 1 long): a unit vector, not
    zeros; [0, 0, 0], a zero
    gradient given as a list of ints: all zeros, no nan; and about 1e-200 long, where norm(grad)
    underflows to 0: a unit vector or zeros, no nan or inf."""
    # The direction of an ordinary gradient first: zeros for a tiny one are then a mistake.
    *tiny, ordinary = tiny_gradients(rng)
    same_direction(student, reference, ordinary, wrong=ASCENT_MISTAKES)
    for grad in tiny:
        same_direction(student, reference, grad, wrong=ASCENT_MISTAKES, zero_too=True)
    zero = [0, 0, 0]
    plain_inputs(
        lambda args: same_direction(student, reference, *args, wrong=ASCENT_MISTAKES),
        (zero,),
        as_floats(zero),
        PLAIN_ADVICE,
    )
    same_direction(student, reference, rng.normal(size=3) * 1e-200, or_zeros=True)


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
    """The exact gradient at x = [1, -1, 2], a list of ints, with h = 0.1: the relative error of
    gn's truncation at that step, about 1e-4 (a step ignored gives about 1e-11)."""
    x = [1, -1, 2]

    def judge(args: tuple) -> None:
        same_gradient_check(student, reference, *args, h=0.1, wrong=CHECK_MISTAKES)

    plain_inputs(judge, (WAVY, WAVY_GRADIENT, x), (WAVY, WAVY_GRADIENT, *as_floats(x)),
                 INTEGER_ADVICE)  # fmt: skip


@check("gradient_check", weight=3)
def test_gradient_check_wrong_gradient(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A wrong gradient with h = 0.1: a large relative error, with norm(ga) + norm(gn) below."""
    same_gradient_check(student, reference, SMALL, SMALL_WRONG_GRADIENT,
                        rng.uniform(-1, 1, size=3), h=0.1, wrong=CHECK_MISTAKES)  # fmt: skip


@check("gradient_check", weight=0.5)
def test_gradient_check_top_of_its_range(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """The opposite of the right gradient, and a gradient of zeros: a relative error of 1."""
    x = rng.uniform(-1, 1, size=3)
    for wrong_gradient in (WAVY_OPPOSITE_GRADIENT, NO_GRADIENT):
        same_gradient_check(student, reference, WAVY, wrong_gradient, x, wrong=CHECK_MISTAKES)


@check("gradient_check")
def test_gradient_check_zero_and_tiny_gradients(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Gradients about 1e-13 long have norm(ga) + norm(gn) below the floor: the answer is
    norm(ga - gn) / 1e-12. At a stationary point both gradients are zero: 0.0, not nan."""
    same_gradient_check(student, reference, TINY, TINY_WRONG_GRADIENT,
                        rng.uniform(-1, 1, size=2), wrong=CHECK_MISTAKES)  # fmt: skip
    same_gradient_check(student, reference, BOWL, BOWL_GRADIENT, np.zeros(2),
                        wrong=CHECK_MISTAKES)  # fmt: skip


@check("gradient_check")
def test_gradient_check_leaves_x_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x is the same after the call, and the relative error (of a wrong gradient) is right."""
    x = unrestorable(rng, 3, 1e-5)
    expected = reference.gradient_check(WAVY, WAVY_WRONG_GRADIENT, x)

    def judge(got: object, call: str) -> Verdict:
        return gradient_check_verdict(got, expected, call, WAVY, WAVY_WRONG_GRADIENT, x)

    unchanged_arguments(student, "gradient_check", WAVY, WAVY_WRONG_GRADIENT, x, judge=judge)
