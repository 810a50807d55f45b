"""Functions sent as data: the `f`, `df` and `grad_fn` that checks hand to student code.

A check describes a function as a small expression tree (built from a SymPy expression on the grader
side). The tree crosses the boundary as data and is turned into a plain numpy closure on each side:
in the worker for the student's code, in the grader for the reference solution. No code object ever
crosses, and building a closure costs microseconds, so every submission gets fresh callables.

Three kinds of function follow the curriculum's conventions:
- ``scalar``: f(x) for a float x, also elementwise on arrays (assignment 1);
- ``vector``: f(x) for x of shape (n,), returning a float (assignments 2 and 3);
- ``field``: grad_fn(x) for x of shape (n,), returning shape (n,).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

KINDS = ("scalar", "vector", "field")
MAX_TREE_DEPTH = 64
MAX_TREE_NODES = 5_000

UNARY: dict[str, Callable[[Any], Any]] = {
    "neg": np.negative,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
    "atan": np.arctan,
    "abs": np.abs,
}
NARY: dict[str, Callable[[Any, Any], Any]] = {"add": operator.add, "mul": operator.mul}

# ["num", 2.0] | ["var", 0] | ["add", t, t, ...] | ["mul", ...] | ["pow", t, t] | [unary, t]
Tree = list
Evaluator = Callable[[Sequence[Any]], Any]


class FuncSpecError(ValueError):
    """A malformed expression tree."""


def compile_tree(
    tree: Any, n_vars: int, depth: int = 0, budget: list[int] | None = None
) -> Evaluator:
    """Validate an expression tree and turn it into a closure over a sequence of variable values."""
    budget = [0] if budget is None else budget
    budget[0] += 1
    if depth > MAX_TREE_DEPTH or budget[0] > MAX_TREE_NODES:
        raise FuncSpecError("the expression tree is too large")
    if type(tree) is not list or not tree or type(tree[0]) is not str:
        raise FuncSpecError("malformed expression tree")
    op, args = tree[0], tree[1:]
    if op == "num" and len(args) == 1 and type(args[0]) in (int, float):
        constant = float(args[0])
        return lambda values: constant
    if op == "var" and len(args) == 1 and type(args[0]) is int and 0 <= args[0] < n_vars:
        index = args[0]
        return lambda values: values[index]
    children = [compile_tree(arg, n_vars, depth + 1, budget) for arg in args]
    if op in NARY and len(children) >= 2:
        combine = NARY[op]
        return lambda values: functools.reduce(combine, (child(values) for child in children))
    if op == "pow" and len(children) == 2:
        base, exponent = children
        return lambda values: np.power(base(values), exponent(values))
    if op in UNARY and len(children) == 1:
        function, (child,) = UNARY[op], children
        return lambda values: function(child(values))
    raise FuncSpecError(f"unknown operation {op[:20]!r} in expression tree")


class FuncSpec:
    """A function described by expression trees; callable like the function it describes.

    `trees` holds one tree (scalar and vector kinds) or n trees (field kind, one per output).
    `label` is how messages name the function, e.g. ``f(x) = x**3 - 2*x``.
    """

    def __init__(self, kind: str, trees: Sequence[Tree], n_vars: int, label: str = "f") -> None:
        if kind not in KINDS:
            raise FuncSpecError(f"unknown function kind {kind[:20]!r}")
        if kind != "field" and len(trees) != 1:
            raise FuncSpecError("scalar and vector functions have exactly one expression")
        if kind == "scalar" and n_vars != 1:
            raise FuncSpecError("scalar functions have exactly one variable")
        self.kind = kind
        self.trees = [list(tree) for tree in trees]
        self.n_vars = n_vars
        self.label = label
        self.evaluations = 0
        self._evaluators = [compile_tree(tree, n_vars) for tree in self.trees]

    def __call__(self, x: Any) -> Any:
        self.evaluations += 1
        if self.kind == "scalar":
            return _as_result(self._evaluators[0]((x,)), x)
        point = np.asarray(x, dtype=float)
        if point.shape != (self.n_vars,):
            raise ValueError(
                f"{self.label} expects an array of shape ({self.n_vars},), got shape {point.shape}"
            )
        values = tuple(point)
        if self.kind == "vector":
            return float(self._evaluators[0](values))
        return np.array([float(evaluate(values)) for evaluate in self._evaluators])

    def __repr__(self) -> str:
        return self.label

    def wire_tag(self) -> dict:
        """The spec as data for the wire format (see `from_wire`)."""
        return {"$func": self.kind, "trees": self.trees, "n_vars": self.n_vars, "label": self.label}

    @classmethod
    def from_wire(cls, tagged: dict) -> FuncSpec:
        """Rebuild a spec from its wire form, validating it."""
        trees, n_vars, label = tagged.get("trees"), tagged.get("n_vars"), tagged.get("label", "f")
        if type(trees) is not list or type(n_vars) is not int or type(label) is not str:
            raise FuncSpecError("malformed function spec")
        return cls(str(tagged["$func"]), trees, n_vars, label[:200])


def _as_result(value: Any, x: Any) -> Any:
    """Scalar in, Python float out; array in, array out (as the curriculum promises for `f`)."""
    if np.ndim(x) == 0:
        return float(value)
    # A constant expression ignores x; broadcasting keeps the elementwise promise.
    return np.broadcast_to(np.asarray(value, dtype=float), np.shape(x)).copy()
