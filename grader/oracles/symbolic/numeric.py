"""Evaluating an expression at a point: a quick double-precision screen, then 30 sure digits.

Both passes visit each node once, so a point costs time in proportion to the expression's size,
whatever the student wrote. That rules out SymPy's `evalf` for students' expressions: its
precision is adaptive, and an answer of nested exact cancellations such as
`sin(x+1)**2 + cos(x+1)**2 - 1 + x*(...)` makes it raise the precision again at every level, so
that 181 characters cost it 7.5 s per point and 211 characters 70 s.

1. The screen evaluates every node in ordinary complex floating point. If any intermediate value
   overflows (beyond 1e300) or is undefined, the point is skipped: at x = 3,
   exp(exp(exp(exp(exp(exp(x)))))) would otherwise ask for a number of about 10**(10**7) digits.
   The screen also records the largest intermediate magnitude.
2. The expression is evaluated again in mpmath at one fixed precision: 30 digits and guard bits,
   plus the bits of that largest magnitude, which is as much as a cancellation between
   intermediate values can lose. The screen's bound on magnitudes bounds that precision (about
   1160 bits at most). mpmath runs in a private context, so nothing of it is shared with SymPy.

A node the screen has no rule for occurs only in a course's own reference (students' input goes
through the whitelist parser): such an expression is evaluated by `evalf`, as before.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable
from typing import Any

import mpmath
import sympy

DIGITS = 30
HUGE = 1e300
# 30 digits are about 100 bits; the guard covers rounding over a few hundred operations.
PRECISION_BITS = 100 + 64

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

_CONTEXT = mpmath.MPContext()


def _mp_sign(value: Any) -> Any:
    if isinstance(value, _CONTEXT.mpc):
        if value.imag == 0:
            return _CONTEXT.sign(value.real)
        return value / abs(value)
    return _CONTEXT.sign(value)


_MP_UNARY: dict[type, Callable[[Any], Any]] = {
    sympy.sin: _CONTEXT.sin,
    sympy.cos: _CONTEXT.cos,
    sympy.tan: _CONTEXT.tan,
    sympy.exp: _CONTEXT.exp,
    sympy.log: _CONTEXT.log,
    sympy.sinh: _CONTEXT.sinh,
    sympy.cosh: _CONTEXT.cosh,
    sympy.tanh: _CONTEXT.tanh,
    sympy.asin: _CONTEXT.asin,
    sympy.acos: _CONTEXT.acos,
    sympy.atan: _CONTEXT.atan,
    sympy.Abs: abs,
    sympy.sign: _mp_sign,
}


class _Unscreenable(Exception):
    """A node the screen has no double-precision rule for (only in course-written references)."""


def value_at(expression: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> float | None:
    """The expression's value at the point if it is a finite real number, else None."""
    floats = {symbol: complex(float(value)) for symbol, value in point.items()}
    screen = _Screen(floats)
    try:
        screen.value(expression)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    except _Unscreenable:
        return _evalf_value(expression, point)  # a trusted reference with an unusual function
    bits = PRECISION_BITS + math.ceil(math.log2(max(1.0, screen.largest)))
    try:
        number = complex(_Exact(point, bits).value(expression))
    except (ValueError, OverflowError, ZeroDivisionError, TypeError):
        return None
    return _real(number)


def _real(number: complex) -> float | None:
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    if abs(number.imag) > 1e-20 * max(1.0, abs(number.real)):
        return None
    return number.real


def _evalf_value(expression: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> float | None:
    try:
        number = complex(expression.evalf(DIGITS, subs=point))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    return _real(number)


class _Screen:
    """Node values in complex doubles, each node once; `largest` is the largest magnitude seen.

    Raises OverflowError past `HUGE`, ZeroDivisionError for 0 to a negative power, and
    `_Unscreenable` for a node without a rule.
    """

    def __init__(self, point: dict[sympy.Symbol, complex]) -> None:
        self.point = point
        self.largest = 0.0
        self.known: dict[sympy.Basic, complex] = {}

    def value(self, node: sympy.Expr) -> complex:
        """The value of `node`; remembered, since SymPy shares equal subtrees."""
        known = self.known.get(node)
        if known is not None:
            return known
        value = self._evaluate(node)
        if not (cmath.isfinite(value) and abs(value) <= HUGE):
            raise OverflowError("an intermediate value is too large")
        self.largest = max(self.largest, abs(value))
        self.known[node] = value
        return value

    def _evaluate(self, node: sympy.Expr) -> complex:
        if node.is_Symbol:
            return self.point[node]
        if node.is_Number or isinstance(node, sympy.NumberSymbol):
            return complex(float(node))
        if node is sympy.I:
            return 1j
        if node.is_Add:
            return sum((self.value(arg) for arg in node.args), 0j)
        if node.is_Mul:
            return math.prod((self.value(arg) for arg in node.args), start=1 + 0j)
        if node.is_Pow:
            base, exponent = self.value(node.args[0]), self.value(node.args[1])
            if base == 0 and exponent.real < 0:
                raise ZeroDivisionError("0 to a negative power")
            return base**exponent
        rule = _UNARY.get(type(node))
        if rule is None or len(node.args) != 1:
            raise _Unscreenable(type(node).__name__)
        return rule(self.value(node.args[0]))


class _Exact:
    """Node values in mpmath at `bits` of precision, each node once (nodes the screen passed)."""

    def __init__(self, point: dict[sympy.Symbol, sympy.Rational], bits: int) -> None:
        _CONTEXT.prec = bits
        self.point = {symbol: self._rational(value) for symbol, value in point.items()}
        self.known: dict[sympy.Basic, Any] = {}

    @staticmethod
    def _rational(value: sympy.Rational) -> Any:
        return _CONTEXT.mpf(int(value.p)) / int(value.q)

    def value(self, node: sympy.Expr) -> Any:
        """The value of `node` as an mpmath number."""
        if node in self.known:
            return self.known[node]
        value = self._evaluate(node)
        self.known[node] = value
        return value

    def _evaluate(self, node: sympy.Expr) -> Any:
        if node.is_Symbol:
            return self.point[node]
        if node.is_Rational:
            return self._rational(node)
        if node.is_Float:
            return _CONTEXT.make_mpf(node._mpf_)
        if isinstance(node, sympy.NumberSymbol):
            return _CONTEXT.make_mpf(node._as_mpf_val(_CONTEXT.prec))
        if node is sympy.I:
            return _CONTEXT.mpc(0, 1)
        if node.is_Add:
            return _CONTEXT.fsum(self.value(arg) for arg in node.args)
        if node.is_Mul:
            return _CONTEXT.fprod(self.value(arg) for arg in node.args)
        if node.is_Pow:
            exponent = node.args[1]
            base = self.value(node.args[0])
            if exponent.is_Integer:
                return _CONTEXT.power(base, int(exponent))  # exact repeated squaring
            return _CONTEXT.power(base, self.value(exponent))
        return _MP_UNARY[type(node)](self.value(node.args[0]))
