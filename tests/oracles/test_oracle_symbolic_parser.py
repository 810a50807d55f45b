"""The whitelist parser: what it reads, what it refuses and how it says so; nothing runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from grader.oracles.symbolic import SymbolicParseError, check_symbolic, parse_expression

x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)


def reads(text: str, variables: tuple[str, ...] = ("x", "y")) -> sympy.Expr:
    return parse_expression(text, variables)


def refusal(text: str, variables: tuple[str, ...] = ("x", "y")) -> str:
    with pytest.raises(SymbolicParseError) as caught:
        parse_expression(text, variables)
    message = str(caught.value)
    assert message.startswith("could not read your expression: ")
    assert message.endswith(".")
    return message


def test_reads_the_curriculum_examples() -> None:
    assert reads("x**2*sin(x)") == x**2 * sympy.sin(x)
    assert reads("2*x*sin(x) + x^2*cos(x)") == 2 * x * sympy.sin(x) + x**2 * sympy.cos(x)
    assert reads("-3*y**2") == -3 * y**2


def test_python_precedence_and_exact_numbers() -> None:
    assert reads("-x**2") == -(x**2)
    assert reads("2**-x") == 2 ** (-x)
    assert reads("x**y**2") == x ** (y**2)
    assert reads("x/2/y") == x / (2 * y)
    assert reads("0.1*x") == sympy.Rational(1, 10) * x
    assert reads("1.5e2 + .5 + 2.") == sympy.Rational(305, 2)
    assert reads("ln(x) + Abs(y) + abs(x) + E + pi") == (
        sympy.log(x) + sympy.Abs(y) + sympy.Abs(x) + sympy.E + sympy.pi
    )
    assert reads("sqrt(x)*asin(x)*acos(y)*atan(x)*tanh(y)") == (
        sympy.sqrt(x) * sympy.asin(x) * sympy.acos(y) * sympy.atan(x) * sympy.tanh(y)
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("__import__('os').system('ls')", "at position 1, unknown name '__import__'; use x, y, pi"),
        ("x.__class__", "at position 2, unexpected character '.'"),
        ("lambda: 1", "at position 1, unknown name 'lambda'"),
        ("exec('1')", "at position 1, unknown name 'exec'"),
        ("'x'", 'at position 1, unexpected character "\'"; quotes are not allowed'),
        ("x; import os", "at position 2, unexpected character ';'; write a single expression"),
        ("x[0]", "at position 2, unexpected character '['; square brackets are not allowed"),
        ("2x", "at position 2, two terms side by side; put an operator such as * between them"),
        ("sin x", "at position 1, sin must be followed by '('; write sin(x)"),
        ("x(2)", "at position 2, x is a variable, not a function; write x*(...) to multiply"),
        ("z + 1", "at position 1, unknown name 'z'"),
        ("e**x", "unknown name 'e'; write E or exp(...) for Euler's number"),
        ("", "the expression is empty"),
        ("x +", "at position 4, the expression ends too early"),
        ("(x + 1", "at position 1, the '(' here is never closed"),
        ("x)", "at position 2, a ')' without a matching '('"),
        ("sin(x, y)", "at position 6, sin takes one argument"),
        ("sin()", "sin() needs an argument"),
        ("x // 2", "at position 4, unexpected '/'"),
        ("1/0", "at position 2, division by zero"),
        ("x/(x - x)", "division by zero"),
        ("10**10**10", "an exponent larger than 1000"),
        ("(10**300)**500", "a number too large to compute"),
        ("1e999", "the number 1e999 is too large or too small"),
        ("9" * 101, "a number longer than 100 characters"),
        ("x²", "at position 2, unexpected character '²'"),
        ("x\x00", "unexpected character U+0000"),
    ],
)
def test_refuses_with_a_sentence_naming_what_and_where(text: str, words: str) -> None:
    assert words in refusal(text)


def test_deep_nesting_and_overlong_input_are_refused() -> None:
    assert "nested more than 50 levels deep" in refusal("(" * 60 + "x" + ")" * 60)
    assert "nested more than 50 levels deep" in refusal("-" * 80 + "x")
    assert "nested more than 50 levels deep" in refusal("x**" * 60 + "x")
    assert reads("(" * 40 + "x" + ")" * 40) == x
    overlong = refusal("x+" * 1000 + "x")
    assert "it is 2001 characters long, more than the 2000 allowed" in overlong


def test_payloads_do_not_run(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    payloads = [
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w')",
        f"exec(\"open('{target}', 'w')\")",
        f"x; open('{target}', 'w')",
        f"Symbol('x').__class__.__init__.__globals__['os'].system('touch {target}')",
    ]
    for payload in payloads:
        refusal(payload)
        verdict = check_symbolic(payload, "x", ["x"], call="symbolic_derivative('x')", seed=0)
        assert not verdict.ok
        assert "could not read your expression" in verdict.message
    assert not target.exists()


def test_variables_are_checked_and_real() -> None:
    assert reads("sqrt(x**2)") == sympy.Abs(x)
    with pytest.raises(ValueError, match="function or constant"):
        parse_expression("x", ["sin"])
    with pytest.raises(ValueError, match="cannot be a variable name"):
        parse_expression("x", ["__class__"])
    assert "use no variables, pi, E" in refusal("x", ())


LEAVES = st.sampled_from(
    [x, y, sympy.Integer(2), sympy.Integer(7), sympy.Rational(3, 4), sympy.pi, sympy.E]
)
FUNCTIONS = [sympy.sin, sympy.cos, sympy.exp, sympy.log, sympy.sqrt, sympy.Abs, sympy.atan]


def _combine(children: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
    return st.one_of(
        st.builds(lambda f, a: f(a), st.sampled_from(FUNCTIONS), children),
        st.builds(lambda a, b: a + b, children, children),
        st.builds(lambda a, b: a * b, children, children),
        st.builds(lambda a, b: a - b, children, children),
        st.builds(lambda a, b: a / b, children, children),
        st.builds(
            lambda a, n: a**n, children, st.sampled_from([-2, -1, 2, 3, sympy.Rational(1, 3)])
        ),
        st.builds(lambda a: -a, children),
    )


@settings(max_examples=60, deadline=None)
@given(st.recursive(LEAVES, _combine, max_leaves=6))
def test_reads_back_what_sympy_prints(expression: sympy.Expr) -> None:
    assume(not expression.has(sympy.I, sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))
    parsed = reads(str(expression))
    # the constructors evaluate as they build (4*(x + y) becomes 4*x + 4*y), so the same
    # expression may come back in another form: equal as an expression, if not as a tree
    assert parsed == expression or sympy.simplify(parsed - expression) == 0


# --- what SymPy prints for real expressions (issue "Grading validity, round two") -------------

IMAGINARY = sympy.I


def test_reads_the_imaginary_unit_and_the_functions_sympy_prints() -> None:
    assert reads("I*exp(I*x)") == IMAGINARY * sympy.exp(IMAGINARY * x)
    assert reads("(exp(I*x) - exp(-I*x))/(2*I)") == (
        sympy.exp(IMAGINARY * x) - sympy.exp(-IMAGINARY * x)
    ) / (2 * IMAGINARY)
    for name in ("sec", "csc", "cot", "asec", "acsc", "acot", "sech", "csch", "coth", "asinh",
                 "acosh", "atanh", "acoth"):  # fmt: skip
        assert reads(f"{name}(x + 2*y)") == getattr(sympy, name)(x + 2 * y)
    assert reads("Max(0, x)") == sympy.Max(0, x)
    assert reads("Min(x, y, 1)") == sympy.Min(x, y, 1)
    assert reads("atan2(y, x)") == sympy.atan2(y, x)
    assert reads("log(x, 2)") == sympy.log(x) / sympy.log(2)
    assert reads("Heaviside(x)").args == (x, sympy.S.Half)
    assert reads("Heaviside(x, 1)").args == (x, 1)
    assert reads("re(x*I)").func is sympy.re and reads("im(y)").func is sympy.im
    assert reads("conjugate(x)").func is sympy.conjugate


def test_functions_that_would_work_at_length_are_built_unevaluated() -> None:
    """re((x + I)**1000) evaluated expands the power, minutes in the trusted grader; built as
    it is written, it is judged by value like anything else."""
    for text in ("re((x + I)**1000)", "im(exp(I*x)*(x + I)**300)", "Heaviside((x + I)**1000)",
                 "conjugate((x + I)**1000)"):  # fmt: skip
        expression = reads(text)
        assert expression.args[0] == parse_expression(text[text.index("(") + 1 : -1], ("x", "y"))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Max(x)", "at position 1, Max takes at least two arguments"),
        ("atan2(x, y, 1)", "at position 11, atan2 takes two arguments"),
        ("Heaviside(x, 1, 2)", "at position 15, Heaviside takes at most two arguments"),
        ("Max(x, x, x, x, x, x, x, x, x)", "Max takes at most eight arguments"),
        ("Max(I, x)", "at position 1, Max cannot take these arguments"),
        ("log(x, y, 2)", "log takes at most two arguments"),
        ("i*x", "unknown name 'i'; write I for the imaginary unit"),
        ("x*j", "unknown name 'j'; write I for the imaginary unit"),
        ("Derivative(x, x)", "unknown name 'Derivative'"),
        ("I.real", "unexpected character '.'"),
        ("re.__class__", "unexpected character '.'"),
        ("Piecewise((1, x > 0))", "unknown name 'Piecewise'"),
        ("x > 0", "unexpected character '>'"),
        ("sympify(x)", "unknown name 'sympify'"),
    ],
)
def test_new_names_keep_the_whitelist_closed(text: str, words: str) -> None:
    assert words in refusal(text)


def test_the_imaginary_unit_cannot_be_a_variable() -> None:
    with pytest.raises(ValueError, match="function or constant"):
        parse_expression("x", ["I"])
    assert "use x, y, pi, E, I or one of the functions" in refusal("q")


COMPLEX_LEAVES = st.sampled_from(
    [x, y, sympy.Integer(2), sympy.Rational(3, 4), sympy.pi, IMAGINARY]
)


def _positive_part(argument: sympy.Expr) -> sympy.Expr:
    """Max(argument, 0), or nan (assumed away) where SymPy cannot order the argument."""
    try:
        return sympy.Max(argument, 0)
    except (TypeError, ValueError):
        return sympy.nan


PRINTED_FUNCTIONS = [sympy.exp, sympy.sin, sympy.sec, sympy.cot, sympy.asinh, sympy.atanh,
                     sympy.sqrt, sympy.Abs, sympy.sign, _positive_part]  # fmt: skip


def _combine_complex(children: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
    return st.one_of(
        st.builds(lambda f, a: f(a), st.sampled_from(PRINTED_FUNCTIONS), children),
        st.builds(lambda a, b: a + b, children, children),
        st.builds(lambda a, b: a * b, children, children),
        st.builds(lambda a, b: a / b, children, children),
        st.builds(lambda a, n: a**n, children, st.sampled_from([-1, 2, sympy.Rational(1, 2)])),
    )


@settings(max_examples=60, deadline=None)
@given(st.recursive(COMPLEX_LEAVES, _combine_complex, max_leaves=6))
def test_reads_back_what_sympy_prints_with_i_and_the_new_functions(expression) -> None:
    """Read back from its printed form, an expression has the same (complex) value."""
    from grader.oracles.symbolic.numeric import complex_value_at

    assume(not expression.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))
    parsed = reads(str(expression))
    point = {x: sympy.Rational(7, 10), y: sympy.Rational(-13, 10)}
    mine, theirs = complex_value_at(parsed, point), complex_value_at(expression, point)
    assert (mine is None) == (theirs is None)
    if mine is not None:
        assert abs(mine - theirs) <= 1e-12 * max(1.0, abs(theirs))
