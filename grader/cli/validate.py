"""`grader validate`: a course's own test suite, run before releasing."""

from __future__ import annotations

import argparse


def add_validate_command(commands: argparse._SubParsersAction) -> None:
    """`validate`: check course.toml, the stubs, the solutions and the checks against each other."""
