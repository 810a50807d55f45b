"""Hidden checks of assignment `slopes`: run by `grader grade` only, never released.

They ask what the public checks do not: random inputs (drawn from the `rng` fixture, seeded by
the course seed, the check and the student, so each student gets inputs of their own and a
regrade asks the same again), points in either order, ints, arrays of another shape, and the
argument left unchanged. `wrong=` names a known mistake from known.py: when an answer fails,
each wrong formula is worked out on the same arguments, and `diagnose` names the one the answer
matches, so the student reads "This looks like ...".
"""

from types import ModuleType

import numpy as np

from grader.authoring import (
    StudentProxy,
    check,
    same_array,
    same_number,
    scalar_function,
    unchanged_arguments,
)

from .known import SECANT_MISTAKES

# Every secant slope of x**3 + x is a**2 + a*b + b**2 + 1 >= 1.25 on the intervals drawn below,
# never 1 or -1: there the rise over the run and the run over the rise are always told apart.
CUBIC = scalar_function("x**3 + x")


# --- secant_slope ----------------------------------------------------------------------------


@check("secant_slope", weight=2)
def test_secant_slope_random_interval(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random interval of the cubic, left to right."""
    a = float(rng.uniform(-2.0, -0.5))
    b = float(rng.uniform(0.5, 2.0))
    same_number(student, reference, "secant_slope", CUBIC, a, b, wrong=SECANT_MISTAKES)


@check("secant_slope")
def test_secant_slope_right_to_left_with_ints(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """The points as ints, the larger first: the slope is the same either way."""
    a = int(rng.integers(2, 6))
    b = -int(rng.integers(1, 4))
    same_number(student, reference, "secant_slope", CUBIC, a, b, wrong=SECANT_MISTAKES)


# --- square_slope ----------------------------------------------------------------------------


@check("square_slope")
def test_square_slope_of_numbers(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random float and a nonzero int each give one float."""
    number = float(rng.uniform(-10.0, 10.0))
    whole = int(rng.choice([-1, 1]) * rng.integers(1, 10))
    for x in (number, whole):
        same_number(student, reference, "square_slope", x)


@check("square_slope", weight=2)
def test_square_slope_keeps_the_shape(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random (2, 3) array gives 2 * x elementwise, as a (2, 3) float array."""
    same_array(student, reference, "square_slope", rng.uniform(-5.0, 5.0, size=(2, 3)))


@check("square_slope")
def test_square_slope_leaves_x_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """The array given is the same after the call, and the answer is 2 * x."""
    x = rng.uniform(-2.0, 2.0, size=4)
    unchanged_arguments(student, "square_slope", x, reference=reference)
