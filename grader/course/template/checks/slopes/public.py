"""Public checks of assignment `slopes`: students get this file and run it with `grader check`.

They are the worked examples of the exercises' docstrings, so a student who reads the docstring
knows what they ask. This file is released as it is: it imports only `grader.authoring` (and
numpy or sympy if needed), never the hidden checks or the wrong formulas in known.py.
"""

from types import ModuleType

from grader.authoring import StudentProxy, check, same_array, same_number, scalar_function

# Checks hand functions to student code as formulas: the sandbox builds the callable from the
# formula's data, so nothing of the grader's side runs there.
SQUARE = scalar_function("x**2")


@check("secant_slope")
def test_secant_slope_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """x**2 from 1 to 3 rises by 8 over a run of 2: slope 4."""
    same_number(student, reference, "secant_slope", SQUARE, 1.0, 3.0)


@check("square_slope")
def test_square_slope_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """The slope of x**2 at 3 is 6, and the list [-1, 0, 2] gives the array [-2, 0, 4]."""
    same_number(student, reference, "square_slope", 3.0)
    same_array(student, reference, "square_slope", [-1, 0, 2])
