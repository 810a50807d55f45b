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

Values are complex throughout: a real function written with I, such as
`(exp(I*x) - exp(-I*x))/(2*I)`, passes through complex intermediates, and its imaginary part at
the end is the rounding of 30 digits, some 1e-40, never an answer's. `complex_value_at` gives that
complex value; `value_at` only a real one. Functions defined on real numbers alone (Heaviside, Max,
Min, atan2) raise, and so skip the point, when given a complex intermediate.
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
    # the reciprocal functions as quotients (a pole raises ZeroDivisionError and skips the
    # point), their inverses through 1/z, as SymPy defines them
    sympy.sec: lambda z: 1 / cmath.cos(z),
    sympy.csc: lambda z: 1 / cmath.sin(z),
    sympy.cot: lambda z: cmath.cos(z) / cmath.sin(z),
    sympy.asec: lambda z: cmath.acos(1 / z),
    sympy.acsc: lambda z: cmath.asin(1 / z),
    sympy.acot: lambda z: cmath.atan(1 / z),
    sympy.sech: lambda z: 1 / cmath.cosh(z),
    sympy.csch: lambda z: 1 / cmath.sinh(z),
    sympy.coth: lambda z: cmath.cosh(z) / cmath.sinh(z),
    sympy.asinh: cmath.asinh,
    sympy.acosh: cmath.acosh,
    sympy.atanh: cmath.atanh,
    sympy.acoth: lambda z: cmath.atanh(1 / z),
    sympy.re: lambda z: complex(z.real),
    sympy.im: lambda z: complex(z.imag),
    sympy.conjugate: lambda z: z.conjugate(),
}


def _real_part(z: complex) -> float:
    """The value of a function argument that must be real; a complex one skips the point."""
    if z.imag != 0:
        raise ValueError("a real function of a complex value")
    return z.real


def _heaviside(z: complex, at_zero: complex) -> complex:
    real = _real_part(z)
    return complex(1.0 if real > 0 else 0.0 if real < 0 else at_zero)


# Functions of more than one argument, or of a real argument only.
_MANY: dict[type, Callable[..., complex]] = {
    sympy.Heaviside: _heaviside,
    sympy.Max: lambda *zs: complex(max(_real_part(z) for z in zs)),
    sympy.Min: lambda *zs: complex(min(_real_part(z) for z in zs)),
    sympy.atan2: lambda y, x: complex(math.atan2(_real_part(y), _real_part(x))),
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
    sympy.sec: _CONTEXT.sec,
    sympy.csc: _CONTEXT.csc,
    sympy.cot: _CONTEXT.cot,
    sympy.asec: lambda v: _CONTEXT.acos(1 / v),
    sympy.acsc: lambda v: _CONTEXT.asin(1 / v),
    sympy.acot: lambda v: _CONTEXT.atan(1 / v),
    sympy.sech: _CONTEXT.sech,
    sympy.csch: _CONTEXT.csch,
    sympy.coth: _CONTEXT.coth,
    sympy.asinh: _CONTEXT.asinh,
    sympy.acosh: _CONTEXT.acosh,
    sympy.atanh: _CONTEXT.atanh,
    sympy.acoth: lambda v: _CONTEXT.atanh(1 / v),
    sympy.re: _CONTEXT.re,
    sympy.im: _CONTEXT.im,
    sympy.conjugate: _CONTEXT.conj,
}


def _mp_real(value: Any) -> Any:
    if isinstance(value, _CONTEXT.mpc):
        if value.imag != 0:
            raise ValueError("a real function of a complex value")
        return value.real
    return value


def _mp_heaviside(value: Any, at_zero: Any) -> Any:
    real = _mp_real(value)
    return _CONTEXT.mpf(1) if real > 0 else _CONTEXT.mpf(0) if real < 0 else at_zero


_MP_MANY: dict[type, Callable[..., Any]] = {
    sympy.Heaviside: _mp_heaviside,
    sympy.Max: lambda *values: max(_mp_real(value) for value in values),
    sympy.Min: lambda *values: min(_mp_real(value) for value in values),
    sympy.atan2: lambda y, x: _CONTEXT.atan2(_mp_real(y), _mp_real(x)),
}


class _Unscreenable(Exception):
    """A node the screen has no double-precision rule for (only in course-written references)."""


def value_at(expression: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> float | None:
    """The expression's value at the point if it is a finite real number, else None.

    Real means an imaginary part within rounding: below 1e-20 of the value (or of 1), where 30
    digits leave some 1e-40.
    """
    number = complex_value_at(expression, point)
    return None if number is None else real_part(number)


def real_part(number: complex) -> float | None:
    """`number` as a float if its imaginary part is rounding only (see `value_at`), else None."""
    if abs(number.imag) > 1e-20 * max(1.0, abs(number.real)):
        return None
    return number.real


def complex_value_at(
    expression: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]
) -> complex | None:
    """The expression's value at the point if it is a finite complex number, else None."""
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
    return _finite(number)


def _finite(number: complex) -> complex | None:
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    return number


def _evalf_value(
    expression: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]
) -> complex | None:
    try:
        number = complex(expression.evalf(DIGITS, subs=point))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    return _finite(number)


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
        if rule is not None and len(node.args) == 1:
            return rule(self.value(node.args[0]))
        many = _MANY.get(type(node))
        if many is None:
            raise _Unscreenable(type(node).__name__)
        return many(*(self.value(arg) for arg in node.args))


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
        if type(node) in _MP_MANY:
            return _MP_MANY[type(node)](*(self.value(arg) for arg in node.args))
        return _MP_UNARY[type(node)](self.value(node.args[0]))
