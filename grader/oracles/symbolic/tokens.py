"""Splitting a student's expression string into tokens, character by character.

Only ASCII digits, letters, underscores, whitespace and the characters ``+ - * / ^ ( ) , .`` can
form a token; anything else stops reading with a sentence that says where and, for the usual
suspects (quotes, brackets, semicolons, attribute dots), why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

MAX_LENGTH = 2000
MAX_NUMBER_CHARS = 100
MAX_DECIMAL_EXPONENT = 300

DIGITS = frozenset("0123456789")
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
SPACES = frozenset(" \t\r\n")
SINGLE = frozenset("+-*/(),")

HINTS = {
    "'": "quotes are not allowed, write the expression itself (such as x**2)",
    '"': "quotes are not allowed, write the expression itself (such as x**2)",
    "[": "square brackets are not allowed; use parentheses",
    "]": "square brackets are not allowed; use parentheses",
    "{": "braces are not allowed; use parentheses",
    "}": "braces are not allowed; use parentheses",
    ";": "write a single expression, nothing after it",
    ".": "a '.' may only appear inside a number such as 0.5",
    "=": "write only the expression, without '='",
    ":": "write only the expression",
    "\\": "write only the expression",
}


class SymbolicParseError(ValueError):
    """A student's expression that cannot be read; `str()` is the sentence the student reads."""

    def __init__(self, reason: str, position: int | None = None, hint: str = "") -> None:
        self.reason = reason
        self.position = position
        where = "" if position is None else f"at position {position + 1}, "
        advice = f"; {hint}" if hint else ""
        super().__init__(f"could not read your expression: {where}{reason}{advice}.")


@dataclass(frozen=True)
class Token:
    """One token: its kind ("number", "name", "op", "end"), its text, its 0-based position."""

    kind: str
    text: str
    position: int


def check_length(text: str) -> None:
    """Refuse overlong input before reading any of it."""
    if len(text) > MAX_LENGTH:
        raise SymbolicParseError(
            f"it is {len(text)} characters long, more than the {MAX_LENGTH} allowed"
        )


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of `text`, ending with an "end" token; `^` is read as `**`.

    Tokens are produced as the parser asks for them, so the first error met from the left is the
    one reported (an unknown name before a quote that follows it).
    """
    check_length(text)
    index = 0
    while index < len(text):
        char = text[index]
        if char in SPACES:
            index += 1
        elif char in DIGITS or (char == "." and _digit_at(text, index + 1)):
            end = _number_end(text, index)
            yield Token("number", text[index:end], index)
            index = end
        elif char in LETTERS:
            end = index
            while end < len(text) and (text[end] in LETTERS or text[end] in DIGITS):
                end += 1
            yield Token("name", text[index:end], index)
            index = end
        elif text.startswith("**", index):
            yield Token("op", "**", index)
            index += 2
        elif char == "^":
            yield Token("op", "**", index)
            index += 1
        elif char in SINGLE:
            yield Token("op", char, index)
            index += 1
        else:
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            raise SymbolicParseError(f"unexpected character {shown}", index, HINTS.get(char, ""))
    yield Token("end", "", len(text))


def number_value(token: Token) -> Fraction:
    """The exact value of a number token: 0.1 means one tenth, not the nearest double."""
    if len(token.text) > MAX_NUMBER_CHARS:
        raise SymbolicParseError(
            f"a number longer than {MAX_NUMBER_CHARS} characters", token.position
        )
    mantissa, _, exponent = token.text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT:
        raise SymbolicParseError(
            f"the number {token.text} is too large or too small", token.position
        )
    whole, _, fraction = mantissa.partition(".")
    digits = int((whole + fraction) or "0")
    power = (int(exponent) if exponent else 0) - len(fraction)
    return Fraction(digits * 10**power) if power >= 0 else Fraction(digits, 10**-power)


def _digit_at(text: str, index: int) -> bool:
    return index < len(text) and text[index] in DIGITS


def _number_end(text: str, index: int) -> int:
    """Where the number starting at `index` ends: digits, an optional fraction, an optional e+-N."""
    end = index
    while end < len(text) and text[end] in DIGITS:
        end += 1
    if end < len(text) and text[end] == ".":
        end += 1
        while end < len(text) and text[end] in DIGITS:
            end += 1
    if end < len(text) and text[end] in "eE":
        sign = 1 if end + 1 < len(text) and text[end + 1] in "+-" else 0
        # `2e` followed by no digits is 2 times a name e, reported by the parser
        if _digit_at(text, end + 1 + sign):
            end += 1 + sign
            while end < len(text) and text[end] in DIGITS:
                end += 1
    return end
