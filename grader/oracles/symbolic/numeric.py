"""Evaluating an expression at a point: a quick double-precision screen, then 30 exact digits.

SymPy's arbitrary-precision `evalf` does whatever an expression asks: at x = 3,
exp(exp(exp(exp(exp(exp(x)))))) asks for a number with about 10**(10**7) digits, which never
finishes. So every point is first evaluated in ordinary complex floating point, node by node; if any
intermediate value overflows (beyond 1e300) or is undefined, the point is skipped. Only points that
pass the screen are evaluated by `evalf`, whose work is then bounded by those magnitudes.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable

import sympy

DIGITS = 30
HUGE = 1e300

_UNARY: dict[type, Callable[[complex], complex]] = {
    sympy.sin: cmath.sin,
    sympy.cos: cmath.cos,
    sympy.tan: cmath.tan,
    sympy.exp: cmath.exp,
    sympy.log: cmath.log,
    sympy.sinh: cmath.sinh,
    sympy.cosh: cmath.cosh,
    sympy.tanh: cmath.tanh,
    sympy.asin: cmath.asin,
    sympy.acos: cmath.acos,
    sympy.atan: cmath.atan,
    sympy.Abs: lambda z: complex(abs(z)),
    sympy.sign: lambda z: complex((z.real > 0) - (z.real < 0)) if z.imag == 0 else z / abs(z),
}


class _Unscreenable(Exception):
    """A node the screen has no double-precision rule for (only in course-written references)."""


def value_at(expression: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> float | None:
    """The expression's value at the point if it is a finite real number, else None."""
    floats = {symbol: complex(float(value)) for symbol, value in point.items()}
    try:
        _screen(expression, floats)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    except _Unscreenable:
        pass  # a trusted reference with an unusual function: evalf it directly
    try:
        number = complex(expression.evalf(DIGITS, subs=point))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    if abs(number.imag) > 1e-20 * max(1.0, abs(number.real)):
        return None
    return number.real


def _screen(node: sympy.Expr, point: dict[sympy.Symbol, complex]) -> complex:
    """The node's value in complex doubles; raises OverflowError past `HUGE`."""
    value = _evaluate(node, point)
    if not (cmath.isfinite(value) and abs(value) <= HUGE):
        raise OverflowError("an intermediate value is too large")
    return value


def _evaluate(node: sympy.Expr, point: dict[sympy.Symbol, complex]) -> complex:
    if node.is_Symbol:
        return point[node]
    if node.is_Number or isinstance(node, sympy.NumberSymbol):
        return complex(float(node))
    if node is sympy.I:
        return 1j
    if node.is_Add:
        return sum((_screen(arg, point) for arg in node.args), 0j)
    if node.is_Mul:
        return math.prod((_screen(arg, point) for arg in node.args), start=1 + 0j)
    if node.is_Pow:
        base, exponent = _screen(node.args[0], point), _screen(node.args[1], point)
        if base == 0 and exponent.real < 0:
            raise ZeroDivisionError("0 to a negative power")
        return base**exponent
    rule = _UNARY.get(type(node))
    if rule is None or len(node.args) != 1:
        raise _Unscreenable(type(node).__name__)
    return rule(_screen(node.args[0], point))
