"""Functions for checks: a SymPy expression becomes a `FuncSpec` (sent to the student as data)
that also knows its exact derivatives (for the grader's own expectations).

    f = scalar_function("x**3 - 2*x")          # f(x), elementwise on arrays
    g = vector_function("x0**2 * x1 + sin(x1)", n=2)
    grad = gradient_field(g)                    # the exact gradient, as a callable field

The expressions are written by check authors (trusted); student strings never come here.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from grader.sandbox.funcspec import UNARY, FuncSpec

_FUNCTIONS = {
    sympy.sin: "sin", sympy.cos: "cos", sympy.tan: "tan", sympy.exp: "exp", sympy.log: "log",
    sympy.sinh: "sinh", sympy.cosh: "cosh", sympy.tanh: "tanh", sympy.atan: "atan",
    sympy.Abs: "abs",
}  # fmt: skip


class SymbolicFunction(FuncSpec):
    """A `FuncSpec` that remembers its SymPy expression and variables, for exact derivatives."""

    expression: sympy.Expr
    symbols: tuple[sympy.Symbol, ...]


def scalar_function(expression: str, label: str | None = None) -> SymbolicFunction:
    """f(x) of one variable `x`, elementwise on arrays."""
    x = sympy.Symbol("x", real=True)
    return _make("scalar", [_parse(expression, 1)], (x,), label or f"f(x) = {expression}")


def vector_function(expression: str, n: int, label: str | None = None) -> SymbolicFunction:
    """f(x) for x of shape (n,), written in the variables x0 ... x{n-1}."""
    return _make("vector", [_parse(expression, n)], _symbols(n), label or f"f(x) = {expression}")


def gradient_field(function: SymbolicFunction, label: str | None = None) -> SymbolicFunction:
    """The exact gradient of a vector function, as a field x -> shape (n,)."""
    exprs = [sympy.diff(function.expression, s) for s in function.symbols]
    return _make("field", exprs, function.symbols, label or "grad_fn")


def field_function(expressions: Sequence[str], label: str = "grad_fn") -> SymbolicFunction:
    """A field x -> shape (n,) from one expression per output (for deliberately wrong gradients)."""
    symbols = _symbols(len(expressions))
    exprs = [_parse(text, len(expressions)) for text in expressions]
    return _make("field", exprs, symbols, label)


def exact_derivative(function: SymbolicFunction, x: float, order: int = 1) -> float:
    """The exact derivative of a scalar function at x."""
    return float(_compiled(function.expression, function.symbols, ("slope", order))(x))


def exact_gradient(function: SymbolicFunction, x: Sequence[float]) -> np.ndarray:
    """The exact gradient of a vector function at x."""
    compiled = _compiled(function.expression, function.symbols, ("grad", 1))
    return np.array(compiled(*map(float, x)), dtype=float)


def exact_hessian(function: SymbolicFunction, x: Sequence[float]) -> np.ndarray:
    """The exact Hessian of a vector function at x."""
    compiled = _compiled(function.expression, function.symbols, ("hess", 2))
    return np.array(compiled(*map(float, x)), dtype=float)


@functools.lru_cache(maxsize=512)
def _compiled(expression: sympy.Expr, symbols: tuple, kind: tuple[str, int]) -> Any:
    """The derivative of `kind` worked out once and compiled to float64 NumPy code.

    Hidden inputs are drawn per student, so each point is new: SymPy's substitution and
    `evalf` cost milliseconds a point (a Hessian, some 15 ms), the compiled function
    microseconds, with the same float64 result to rounding.
    """
    name, order = kind
    if name == "slope":
        worked_out = sympy.diff(expression, symbols[0], order)
    elif name == "grad":
        worked_out = [sympy.diff(expression, symbol) for symbol in symbols]
    else:
        worked_out = sympy.hessian(expression, symbols).tolist()
    return sympy.lambdify(symbols, worked_out, "numpy")


@functools.lru_cache(maxsize=1024)
def _parse(expression: str, n: int) -> sympy.Expr:
    """A check author's expression, parsed once per session (checks run once per submission)."""
    names = {"x": sympy.Symbol("x", real=True)} if n == 1 else {}
    names.update({str(symbol): symbol for symbol in _symbols(n)})
    return sympy.sympify(expression, locals=names)


def _symbols(n: int) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.Symbol(f"x{i}", real=True) for i in range(n))


def _make(kind: str, exprs: list, symbols: tuple, label: str) -> SymbolicFunction:
    trees = [_cached_tree(expr, symbols) for expr in exprs]
    spec = SymbolicFunction(kind, trees, len(symbols), label)
    spec.expression = exprs[0] if kind != "field" else sympy.Matrix(exprs)
    spec.symbols = symbols
    return spec


@functools.lru_cache(maxsize=1024)
def _cached_tree(expr: sympy.Expr, symbols: tuple) -> list:
    return _tree(expr, {symbol: i for i, symbol in enumerate(symbols)})


def _tree(expr: sympy.Expr, index: dict) -> list:
    """The expression as the data tree `FuncSpec` compiles (see grader.sandbox.funcspec)."""
    if expr.is_Symbol:
        return ["var", index[expr]]
    if expr.is_Number or expr.is_NumberSymbol:
        return ["num", float(expr)]
    if expr.is_Add:
        return ["add", *(_tree(arg, index) for arg in expr.args)]
    if expr.is_Mul:
        return ["mul", *(_tree(arg, index) for arg in expr.args)]
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent == sympy.Rational(1, 2):
            return ["sqrt", _tree(base, index)]
        return ["pow", _tree(base, index), _tree(exponent, index)]
    name = _FUNCTIONS.get(type(expr))
    if name in UNARY and len(expr.args) == 1:
        return [name, _tree(expr.args[0], index)]
    raise ValueError(
        f"cannot send {expr} to a sandbox (unsupported operation {type(expr).__name__})"
    )
