"""Error bounds of assignment `gradients`: how far a correct answer may be from the expected one.

The smoothness of the checks' own functions of several variables (`box_bounds`, from their
partial derivatives up to order 4), and from it the tolerance of each judge: central differences
(`difference_tolerance`, rounding only: they are compared with the same formula at the same step),
Hessians (`hessian_tolerance`, any second-order central scheme against the exact Hessian;
`grid_tolerance`, rounding only, for functions on which every scheme on the step's grid agrees) and
`gradient_check` (`gradient_check_tolerance`). Everything is cached: the checks ask about the
same functions and points for every submission.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import sympy

from grader.authoring import Smoothness, SymbolicFunction, exact_hessian, fd_tolerance

from .known import HESSIAN_H, both_gradients


def point_key(x: Any) -> tuple[float, ...]:
    """x as a tuple of floats: a cache key (checks use the same points for every submission)."""
    return tuple(float(v) for v in np.asarray(x, dtype=float))


# --- smoothness of the checks' own functions -------------------------------------------------


@functools.lru_cache(maxsize=64)
def _derivative_layers(expression: sympy.Expr, symbols: tuple) -> tuple[Callable, ...]:
    """numpy functions giving f, its first partials, and its distinct partials of orders 2 to 4."""
    layers: list[list[sympy.Expr]] = [[expression], [sympy.diff(expression, s) for s in symbols]]
    for _ in range(3):
        # a set: mixed partials commute, so many of the n**k derivatives coincide
        layers.append(sorted({sympy.diff(e, s) for e in layers[-1] for s in symbols}, key=str))
    return tuple(sympy.lambdify(symbols, layer, "numpy") for layer in layers)


@functools.lru_cache(maxsize=256)
def _box_bounds(
    expression: sympy.Expr, symbols: tuple, x: tuple, radius: float, axis: int | None
) -> Smoothness:
    corners = np.array(list(itertools.product((-1.0, 0.0, 1.0), repeat=len(x))))
    points = (np.array(x) + radius * corners).T
    sizes = []
    for layer in _derivative_layers(expression, symbols):
        values = [np.broadcast_to(np.abs(v), points.shape[1:]) for v in layer(*points)]
        sizes.append(np.array(values, dtype=float))
    value, first, *higher = sizes
    # Rounding a point stepped along one axis moves f by eps |x_i| |∂f/∂x_i|; stepped along
    # several, by up to the sum of those.
    slope = first[axis].max() if axis is not None else first.sum(axis=0).max()
    return Smoothness(float(value.max()), float(slope), *(float(s.max()) for s in higher))


def box_bounds(f: SymbolicFunction, x: Any, radius: float, axis: int | None = None) -> Smoothness:
    """Bounds of |f| and of its partial derivatives of orders 1 to 4 on the box x +- radius.

    Sampled at the box's 3**n grid points (centre, faces, corners), like the oracle's one-variable
    `smoothness`. `first` bounds |∂f/∂x_axis| for steps along one axis, or the sum of all
    |∂f/∂x_i| when `axis` is None; the others bound the largest partial of their order.
    """
    return _box_bounds(f.expression, f.symbols, point_key(x), float(radius), axis)


def worst_axis(
    f: SymbolicFunction, x: Any, h: float, axes: Iterable[int]
) -> tuple[float, Smoothness]:
    """The coordinate and bounds of the axis whose central difference rounds the most.

    Each axis counts with its own coordinate and slope (rounding x_i + h costs eps |x_i| / h
    times |∂f/∂x_i|), so a point near 1000 in one coordinate does not loosen the others.
    """
    point = np.asarray(x, dtype=float)
    candidates = [(float(point[i]), box_bounds(f, point, h, axis=i)) for i in axes]
    return max(candidates, key=lambda c: fd_tolerance("central", h=h, x=c[0], bounds=c[1]))


def difference_tolerance(f: SymbolicFunction, x: Any, h: float, axes: Iterable[int]) -> float:
    """The rounding tolerance of central differences of f at x with step h along these axes."""
    coordinate, bounds = worst_axis(f, x, h, axes)
    return fd_tolerance("central", h=h, x=coordinate, bounds=bounds)


# --- Hessians --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _exact_hessian(f: SymbolicFunction, x: tuple) -> np.ndarray:
    matrix = exact_hessian(f, x)
    matrix.flags.writeable = False
    return matrix


def exact_hessian_at(f: SymbolicFunction, x: Any) -> np.ndarray:
    """The exact Hessian of f at x (read-only, cached per function object and point)."""
    return _exact_hessian(f, point_key(x))


def hessian_tolerance(f: SymbolicFunction, x: Any, h: float) -> float:
    """How far any second-order central Hessian at step h may be from the exact one.

    The larger of the second difference's and the four-point formula's errors, truncation
    included; the bounds cover 2h, since some schemes step 2h along an axis.
    """
    return _hessian_tolerance(f, point_key(x), float(h), False)


def grid_tolerance(f: SymbolicFunction, x: Any) -> float:
    """How far a Hessian at a step h may be from the reference's at that step, for an f on whose
    grid x + h * integers every central scheme gives the same answer (a quadratic there).

    Rounding alone, but as much of it as the contract's schemes make at the default step 1e-4:
    a scheme may take a finer inner step (the central difference, at step h, of a gradient at
    its own default step 1e-5) and round more than the plain formulas at h do.
    """
    return _hessian_tolerance(f, point_key(x), HESSIAN_H, True)


@functools.lru_cache(maxsize=256)
def _hessian_tolerance(f: SymbolicFunction, x: tuple, h: float, same_formula: bool) -> float:
    point = np.array(x)
    bounds = box_bounds(f, point, 2 * h)
    return max(
        fd_tolerance(method, h=h, x=point, bounds=bounds, same_formula=same_formula)
        for method in ("second", "mixed")
    )


# --- gradient_check --------------------------------------------------------------------------


def gradient_norms(f: Callable, grad_fn: Callable, x: Any, h: float) -> float:
    """norm(ga) + norm(gn), the denominator of `gradient_check` before its floor."""
    ga, gn = both_gradients(f, grad_fn, x, h)
    return float(np.linalg.norm(ga) + np.linalg.norm(gn))


def gradient_check_tolerance(f: SymbolicFunction, grad_fn: Callable, x: Any, h: float) -> float:
    """How far a correct `gradient_check` may be from the reference's value.

    Rounding may move each entry of the numerical gradient gn by `fd_tolerance("central")`, so
    its norm by sqrt(n) times that, delta; that moves norm(ga - gn) / (norm(ga) + norm(gn)) by at
    most 2 delta / (norm(ga) + norm(gn)), since the ratio is at most 1.
    """
    return _check_tolerance(f, grad_fn, point_key(x), float(h))


@functools.lru_cache(maxsize=256)
def _check_tolerance(f: SymbolicFunction, grad_fn: Callable, x: tuple, h: float) -> float:
    point = np.array(x)
    delta = np.sqrt(point.size) * difference_tolerance(f, point, h, range(point.size))
    return float(2 * delta / max(gradient_norms(f, grad_fn, point, h), 1e-12))
