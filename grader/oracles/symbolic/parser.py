"""A whitelist parser: a student's expression string becomes a SymPy expression, or a clear error.

The string is never given to ``eval``, ``exec``, ``sympify``, ``parse_expr`` or ``S()``: it is
tokenized by hand, parsed by recursive descent over a small grammar, and the SymPy expression is
built from the parse with SymPy's constructors. Only numbers, the caller's variables, ``pi``, ``E``,
the imaginary unit ``I`` and a fixed list of functions are names; anything else is an error naming
it and its position.

The list is what a student may write and what SymPy's printer writes for real expressions: the
derivative of ``sin`` rewritten with ``exp`` prints as ``I*(exp(I*x) + ...)``, that of ``Max(0, x)``
as ``Heaviside(x)``, that of ``tan`` in another form as ``sec(x)**2``, and a symbol made without
``real=True`` brings ``re``, ``im`` and ``conjugate`` along. Every one is a plain SymPy function
class applied to parsed arguments: no attribute, no dunder, no name SymPy would look up itself.

Everything done with the expression afterwards (evaluation at points, simplification) takes time
that grows with its size, in the trusted grader, so the size is bounded here: at most
``MAX_LENGTH`` characters (``tokens``), ``MAX_DEPTH`` levels of nesting, ``MAX_NODES`` nodes in
the tree SymPy built, and exponents and exact numbers small enough to compute.

Grammar (Python's precedence: ``-x**2`` is ``-(x**2)``, ``x**y**z`` is ``x**(y**z)``)::

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := ("+" | "-") unary | power
    power   := atom ("**" unary)?
    atom    := number | constant | variable | function "(" sum ("," sum)* ")" | "(" sum ")"

Most functions take one argument; ``ARITIES`` lists those that take more (``Max``, ``atan2``...).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence

import sympy

from grader.oracles.symbolic.tokens import SymbolicParseError, Token, number_value, tokenize

MAX_DEPTH = 50
# Nodes of the built tree (numbers, names, operations, functions). A derivative in this course
# has a few dozen even unsimplified; 2000 characters can spell well over a thousand.
MAX_NODES = 400
MAX_EXPONENT = 1000
MAX_NUMBER_BITS = 20_000
# How much of an unknown name a message repeats.
MAX_SHOWN_NAME = 30

FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "asin": sympy.asin,
    "acos": sympy.acos,
    "atan": sympy.atan,
    "abs": sympy.Abs,
    "Abs": sympy.Abs,  # how SymPy itself prints abs(x)
    "sign": sympy.sign,  # the derivative of abs(x), as SymPy writes it
    # the reciprocal and inverse functions SymPy prints (d/dx tan(x) may read sec(x)**2)
    "sec": sympy.sec,
    "csc": sympy.csc,
    "cot": sympy.cot,
    "asec": sympy.asec,
    "acsc": sympy.acsc,
    "acot": sympy.acot,
    "sech": sympy.sech,
    "csch": sympy.csch,
    "coth": sympy.coth,
    "asinh": sympy.asinh,
    "acosh": sympy.acosh,
    "atanh": sympy.atanh,
    "acoth": sympy.acoth,
    # the parts of a complex value: a real expression written with I, or with a symbol that
    # SymPy was not told is real, prints them. Built unevaluated: evaluating re((x + I)**1000)
    # expands the power, minutes in the trusted grader; the numeric judge needs no evaluation.
    "re": functools.partial(sympy.re, evaluate=False),
    "im": functools.partial(sympy.im, evaluate=False),
    "conjugate": functools.partial(sympy.conjugate, evaluate=False),
    # d/dx Max(0, x), and steps in general; Heaviside(x, H0) names its value at 0. Unevaluated
    # for the same reason as re: it asks whether a large argument is real, for seconds.
    "Heaviside": functools.partial(sympy.Heaviside, evaluate=False),
    "Max": sympy.Max,
    "Min": sympy.Min,
    "atan2": sympy.atan2,
}
# (fewest, most) arguments of the functions that do not take exactly one.
ARITIES: dict[str, tuple[int, int]] = {
    "log": (1, 2),  # log(x, b) is SymPy's log(x)/log(b)
    "Heaviside": (1, 2),
    "Max": (2, 8),  # SymPy compares every pair of arguments
    "Min": (2, 8),
    "atan2": (2, 2),
}
CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "E": sympy.E, "I": sympy.I}
PUBLIC_FUNCTIONS = (
    "sin, cos, tan, exp, log, sqrt, sinh, cosh, tanh, asin, acos, atan, abs, sign "
    "(and sec, asinh, Heaviside, Max, re, im and the others SymPy prints)"
)
UNDEFINED = (sympy.zoo, sympy.oo, sympy.S.NegativeInfinity, sympy.nan)


def make_symbols(variables: Sequence[str]) -> dict[str, sympy.Symbol]:
    """Real SymPy symbols for the caller's variable names, which must not shadow other names."""
    symbols = {}
    for name in variables:
        if not name.isidentifier() or not name.isascii() or name.startswith("_"):
            raise ValueError(f"{name!r} cannot be a variable name")
        if name in FUNCTIONS or name in CONSTANTS:
            raise ValueError(f"{name!r} is a function or constant, not a variable name")
        symbols[name] = sympy.Symbol(name, real=True)
    return symbols


def parse_expression(text: str, variables: Sequence[str]) -> sympy.Expr:
    """The SymPy expression a student wrote in `text`, over the given variables.

    Raises `SymbolicParseError` ("could not read your expression: ...") for anything outside the
    grammar, an unknown name, a division by zero, or input that is too long, too deep or too big.
    """
    if not isinstance(text, str):
        raise TypeError("parse_expression reads a str")
    symbols = make_symbols(variables)
    return _Parser(tokenize(text), symbols).parse()


class _Parser:
    """Recursive descent over the tokens, building the SymPy expression as it goes."""

    def __init__(self, tokens: Iterator[Token], symbols: dict[str, sympy.Symbol]) -> None:
        self.tokens = tokens
        self.current: Token | None = None
        self.depth = 0
        self.symbols = symbols

    @property
    def token(self) -> Token:
        """The token being looked at, read only when first needed.

        Reading lazily keeps errors in order: in `lambda: 1` the unknown name is reported, not
        the ':' after it.
        """
        if self.current is None:
            self.current = next(self.tokens)
        return self.current

    def advance(self) -> Token:
        """Consume the current token (the end token is never consumed)."""
        token = self.token
        if token.kind != "end":
            self.current = None
        return token

    def at(self, *texts: str) -> bool:
        return self.token.kind == "op" and self.token.text in texts

    def parse(self) -> sympy.Expr:
        if self.token.kind == "end":
            raise SymbolicParseError("the expression is empty")
        expression = self.sum()
        if self.token.kind != "end":
            raise self.leftover()
        if _too_many_nodes(expression):
            raise SymbolicParseError(
                f"it is too long to be judged (more than {MAX_NODES} numbers, names and "
                "operations)",
                hint="write it in a simpler form",
            )
        if expression.has(*UNDEFINED):
            raise SymbolicParseError("it is undefined (a division by zero or an infinity)")
        return expression

    def sum(self) -> sympy.Expr:
        terms = [self.product()]
        while self.at("+", "-"):
            sign = self.advance().text
            term = self.product()
            terms.append(term if sign == "+" else sympy.Mul(sympy.S.NegativeOne, term))
        return terms[0] if len(terms) == 1 else sympy.Add(*terms)

    def product(self) -> sympy.Expr:
        factors = [self.unary()]
        while self.at("*", "/"):
            operator = self.advance()
            factor = self.unary()
            if operator.text == "/":
                if factor == 0:
                    raise SymbolicParseError("division by zero", operator.position)
                factor = sympy.Pow(factor, sympy.S.NegativeOne)
            factors.append(factor)
        return factors[0] if len(factors) == 1 else sympy.Mul(*factors)

    def unary(self) -> sympy.Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SymbolicParseError(
                f"it is nested more than {MAX_DEPTH} levels deep", self.token.position
            )
        if self.at("+", "-"):
            sign = self.advance().text
            operand = self.unary()
            result = operand if sign == "+" else sympy.Mul(sympy.S.NegativeOne, operand)
        else:
            result = self.power()
        self.depth -= 1
        return result

    def power(self) -> sympy.Expr:
        base = self.atom()
        if not self.at("**"):
            return base
        operator = self.advance()
        exponent = self.unary()
        return _checked_power(base, exponent, operator.position)

    def atom(self) -> sympy.Expr:
        token = self.advance()
        if token.kind == "number":
            value = number_value(token)
            return sympy.Rational(value.numerator, value.denominator)
        if token.kind == "name":
            return self.name(token)
        if token.kind == "op" and token.text == "(":
            inner = self.sum()
            self.expect_closing(token)
            return inner
        if token.kind == "end":
            raise SymbolicParseError("the expression ends too early", token.position)
        raise SymbolicParseError(f"unexpected '{token.text}'", token.position)

    def name(self, token: Token) -> sympy.Expr:
        if token.text in self.symbols:
            if self.at("("):
                raise SymbolicParseError(
                    f"{token.text} is a variable, not a function",
                    self.token.position,
                    f"write {token.text}*(...) to multiply",
                )
            return self.symbols[token.text]
        if token.text in CONSTANTS:
            return CONSTANTS[token.text]
        if token.text in FUNCTIONS:
            return self.call(token)
        shown = token.text if len(token.text) <= MAX_SHOWN_NAME else token.text[:27] + "..."
        raise SymbolicParseError(f"unknown name '{shown}'", token.position, self.known(token))

    def call(self, function: Token) -> sympy.Expr:
        if not self.at("("):
            raise SymbolicParseError(
                f"{function.text} must be followed by '('",
                function.position,
                f"write {function.text}(x)",
            )
        opening = self.advance()
        if self.at(")"):
            raise SymbolicParseError(f"{function.text}() needs an argument", opening.position)
        fewest, most = ARITIES.get(function.text, (1, 1))
        arguments = [self.sum()]
        while self.at(","):
            if len(arguments) == most:
                limit = _count(most) if fewest == most else f"at most {_count(most)}"
                raise SymbolicParseError(f"{function.text} takes {limit}", self.token.position)
            self.advance()
            arguments.append(self.sum())
        self.expect_closing(opening)
        if len(arguments) < fewest:
            raise SymbolicParseError(
                f"{function.text} takes at least {_count(fewest)}", function.position
            )
        try:
            return FUNCTIONS[function.text](*arguments)
        except (TypeError, ValueError) as error:  # Max(I, x): SymPy cannot order I
            raise SymbolicParseError(
                f"{function.text} cannot take these arguments", function.position
            ) from error

    def expect_closing(self, opening: Token) -> None:
        if self.at(")"):
            self.advance()
            return
        if self.token.kind == "end":
            raise SymbolicParseError("the '(' here is never closed", opening.position)
        raise self.leftover()

    def leftover(self) -> SymbolicParseError:
        """The error for a token that cannot continue the expression read so far."""
        token = self.token
        if token.kind == "op" and token.text == ")":
            return SymbolicParseError("a ')' without a matching '('", token.position)
        if token.kind in ("number", "name") or (token.kind == "op" and token.text == "("):
            return SymbolicParseError(
                "two terms side by side", token.position, "put an operator such as * between them"
            )
        return SymbolicParseError(f"unexpected '{token.text}'", token.position)

    def known(self, token: Token) -> str:
        """What the student may write instead of an unknown name."""
        if token.text == "e":
            return "write E or exp(...) for Euler's number"
        if token.text in ("i", "j"):
            return "write I for the imaginary unit"
        variables = ", ".join(self.symbols) or "no variables"
        return f"use {variables}, pi, E, I or one of the functions {PUBLIC_FUNCTIONS}"


def _count(arguments: int) -> str:
    """'one argument', 'two arguments', '20 arguments'."""
    words = {1: "one argument", 2: "two arguments", 8: "eight arguments"}
    return words.get(arguments, f"{arguments} arguments")


def _too_many_nodes(expression: sympy.Expr) -> bool:
    """Whether the tree has more than `MAX_NODES` nodes, counted without recursion and stopping
    as soon as the count is passed."""
    pending, count = [expression], 0
    while pending:
        count += 1
        if count > MAX_NODES:
            return True
        pending.extend(pending.pop().args)
    return False


def _checked_power(base: sympy.Expr, exponent: sympy.Expr, position: int) -> sympy.Expr:
    """base**exponent, refusing exponents and exact numbers too large to compute quickly."""
    if exponent.is_Number and abs(exponent) > MAX_EXPONENT:
        raise SymbolicParseError(f"an exponent larger than {MAX_EXPONENT}", position)
    if base.is_Rational and exponent.is_Rational:
        size = int(base.p).bit_length() + int(base.q).bit_length()
        if size * abs(exponent) > MAX_NUMBER_BITS:
            raise SymbolicParseError("a number too large to compute", position)
        if base == 0 and exponent.is_negative:
            raise SymbolicParseError("division by zero", position)
    return sympy.Pow(base, exponent)
