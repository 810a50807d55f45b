"""Words shown to people: student text made harmless for a terminal, points, sentences, plurals.

Student ids come from file names and messages from what submissions raise or return, so any of
them may hold escape sequences that a terminal would obey (retitle the window, clear the screen,
move the cursor, rewrite a line with a carriage return) or that reorder what is shown (Unicode's
bidirectional controls). `printable` is the one function every report, table, message and CSV
cell passes student text through before it is displayed.

This module imports nothing of gradkit's: the student release ships it with `grader check`.
"""

from __future__ import annotations

import re

# C0 (including tab, newline and carriage return), DEL and C1: what unicodedata calls "Cc".
# Then the line and paragraph separators, and the bidirectional marks, embeddings, overrides and
# isolates, which make text display in another order than it is read ("Trojan source").
# Last, lone surrogates: the bytes of a file name that is not UTF-8, shown as those bytes.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SENTENCE_ENDS = (".", "!", "?", "…")


def printable(text: object) -> str:
    """`text` with every character a terminal would interpret shown as its escape (`\\x1b`).

    Nothing else changes, so ordinary text, accents and symbols print as they are.
    """
    return _UNPRINTABLE.sub(_escape, str(text))


def sentence(text: str) -> str:
    """`text` ending with exactly one full stop, unless it ends with its own (".", "?", "…")."""
    text = text.rstrip()
    return text if text.endswith(_SENTENCE_ENDS) else text + "."


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 submission`, `2 submissions`; `many` for words that do not just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def format_points(points: float) -> str:
    """Points as shown everywhere people read them (tables, CSV, messages): at most two
    decimals, never float noise (`1`, `0.5`, `0.97`, not `0.969697`); grades.json keeps them
    exact."""
    text = f"{points:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points(value: float) -> str:
    """`1 point`, `8.5 points`, `0 points`: an amount of points in a sentence."""
    shown = format_points(value)
    return f"{shown} {'point' if shown == '1' else 'points'}"


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
