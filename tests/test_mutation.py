"""The mutation score's own parts (`grader.course.mutants`, `grader.course.mutation`): each
operator's source change, where a mutant is said to fall, what is never mutated, and the
killed/survived rule on one small real grading run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.course import mutants, mutation
from grader.course.config import load_course

REPO = Path(__file__).resolve().parent.parent


def changes(body: str) -> set[tuple[str, str, str]]:
    """(operator, statement before, statement after) of every mutant of `def f(...)` + body."""
    source = "def f(a, b, c, n, i, j):\n" + "".join(f"    {line}\n" for line in body.splitlines())
    found = mutants.mutate_source(source).mutants
    return {(mutant.operator, mutant.original, mutant.mutated) for mutant in found}


def mutated(body: str, operator: str) -> set[str]:
    """The statements the given operator turned `body` (one statement) into."""
    return {after for name, _, after in changes(body) if name == operator}


@pytest.mark.parametrize(
    ("body", "operator", "expected"),
    [
        ("return a + b", "arithmetic", {"return a - b"}),
        ("return a - b", "arithmetic", {"return a + b"}),
        ("return a * b", "arithmetic", {"return a / b"}),
        ("return a / b", "arithmetic", {"return a * b"}),
        ("return a ** n", "power", {"return a ** (n + 1)", "return a ** (n - 1)"}),
        ("return a ** 2.0", "power", {"return a ** 3.0", "return a ** 1.0"}),
        ("return a < b", "comparison", {"return a <= b"}),
        ("return a <= b", "comparison", {"return a < b"}),
        ("return a > b", "comparison", {"return a >= b"}),
        ("return a >= b", "comparison", {"return a > b"}),
        ("return a == b", "comparison", {"return a != b"}),
        ("return a != b", "comparison", {"return a == b"}),
        ("return a < b <= c", "comparison", {"return a <= b <= c", "return a < b < c"}),
        ("return a * 0.5", "constant", {"return a * 1.5", "return a * 1.0"}),
        ("return 2 * a", "constant", {"return 3 * a", "return 1 * a"}),
        ("return a + 1", "constant", {"return a + 2", "return a + 0"}),
        ("return a * 7", "constant", {"return a * 8"}),
        ("return -a", "minus-removed", {"return a"}),
        ("return a - b", "minus-added", {"return -a - b", "return -(a - b)"}),
        ("return (a, b)", "minus-added", {"return (-a, b)", "return (a, -b)"}),
        ("return g(a, b)", "swapped-arguments", {"return g(b, a)"}),
        (
            "return g(a, b, c)",
            "swapped-arguments",
            {"return g(b, a, c)", "return g(c, b, a)", "return g(a, c, b)"},
        ),
        ("for k in range(n):", "range-bound", {"for k in range(n + 1):", "for k in range(n - 1):"}),
        (
            "for k in range(1, n, 2):",
            "range-bound",
            {
                "for k in range(2, n, 2):",
                "for k in range(0, n, 2):",
                "for k in range(1, n + 1, 2):",
                "for k in range(1, n - 1, 2):",
            },
        ),
        (
            "return a[i:j]",
            "slice-bound",
            {f"return a[{s}]" for s in ("i + 1:j", "i - 1:j", "i:j + 1", "i:j - 1")},
        ),
        ("return np.sum(a, axis=0)", "axis", {"return np.sum(a, axis=1)"}),
        ("return np.mean(a, axis=1)", "axis", {"return np.mean(a, axis=0)"}),
        (
            "return np.linalg.eigvalsh(a)[-1]",
            "eigenvalue-pick",
            {"return np.linalg.eigvalsh(a)[0]"},
        ),
        (
            "return np.linalg.eigvalsh(a)[0]",
            "eigenvalue-pick",
            {"return np.linalg.eigvalsh(a)[-1]"},
        ),
        ("return max(a, b)", "extreme", {"return min(a, b)"}),
        ("return np.argmin(a)", "extreme", {"return np.argmax(a)"}),
        ("return a.max()", "extreme", {"return a.min()"}),
        ("return np.all(a > 0)", "quantifier", {"return np.any(a > 0)"}),
    ],
)
def test_each_operator_makes_its_change(body: str, operator: str, expected: set[str]) -> None:
    for_loop = body.startswith("for")
    assert mutated(body + ("\n    pass" if for_loop else ""), operator) == expected


def test_no_mutants_where_they_would_be_equivalent_or_change_only_text() -> None:
    found = changes(
        '"""A docstring with 2 in it."""\n'
        "if a > 0:\n"
        "    raise ValueError(f'a is {a + 1}, at most 0 please')\n"
        "x: 'annotated' = max(a, b)\n"
        "return g(a, a)\n"
    )
    after = {statement for _, _, statement in found}
    assert not any("raise" in statement or "docstring" in statement for statement in after)
    assert "x = max(b, a)" not in after and "x: 'annotated' = max(b, a)" not in after
    assert "return g(a, a)" not in after  # swapping equal arguments changes nothing
    assert ("comparison", "if a > 0:", "if a >= 0:") in found


def test_each_mutant_changes_one_statement_and_is_attributed_to_its_function() -> None:
    source = (
        "import numpy as np\n\n\n"
        "def _helper(v):\n    return v * 2\n\n\n"
        "def given(v):\n    return v + 1\n\n\n"
        "def exercise(v, h=0.5):\n    w = _helper(v)\n    return w - h\n"
    )
    mutation_ = mutants.mutate_source(source, skip_functions=["given"])
    by_function = {(m.function, m.line, m.mutated) for m in mutation_.mutants}
    assert ("_helper", 5, "return v / 2") in by_function
    assert ("exercise", 12, "def exercise(v, h=1.5):") in by_function
    assert ("exercise", 14, "return w + h") in by_function
    assert not any(m.function == "given" for m in mutation_.mutants)
    original = ast.unparse(ast.parse(source)).splitlines()
    for mutant in mutation_.mutants:
        lines = mutant.source.splitlines()
        assert len(lines) == len(original)
        differing = [k for k, (a, b) in enumerate(zip(original, lines, strict=True)) if a != b]
        assert len(differing) == 1, mutant
        assert lines[differing[0]].strip() == mutant.mutated


def test_the_reference_solutions_give_distinct_compiling_mutants() -> None:
    for assignment in ("derivatives", "gradients", "descent", "backprop"):
        source = (REPO / "solutions" / f"{assignment}.py").read_text()
        found = mutants.mutate_source(source).mutants
        assert len(found) > 40, assignment
        texts = [mutant.source for mutant in found]
        assert len(set(texts)) == len(texts)
        assert ast.unparse(ast.parse(source)) + "\n" not in texts
        for text in texts:
            compile(text, assignment, "exec")


def test_limit_spreads_the_mutants_over_the_module() -> None:
    assignment = load_course(REPO / "course.toml").assignment("descent")
    everything, _ = mutation.assignment_mutants(assignment)
    chosen, _ = mutation.assignment_mutants(assignment, limit=5)
    assert len(chosen) == 5
    assert chosen[0] == everything[0]
    assert len({mutant.function for mutant in chosen}) >= 4


def test_killed_means_its_own_exercise_lost_points() -> None:
    course = load_course(REPO / "course.toml")
    assignment = course.assignment("derivatives")
    source = assignment.solution.read_text()
    found = mutants.mutate_source(source, skip_functions=assignment.given).mutants
    doubled = next(m for m in found if m.function == "derivative" and "3.0 * np" in m.mutated)
    helper = next(
        m for m in found if m.function == "_number_or_array" and m.operator == "comparison"
    )
    central = "(2.0 * h)"
    broken_elsewhere = mutants.Mutant(
        "derivative", 1, "hand-made", central, "(h)", source.replace(central, "(h)")
    )
    harmless = mutants.Mutant(
        "derivative", 1, "hand-made", "2.0 * np", "np", source.replace("2.0 * np", "2 * np")
    )
    outcomes, reference_losses = mutation.grade_mutants(
        course, assignment, [doubled, helper, broken_elsewhere, harmless], jobs=2
    )
    assert reference_losses == ()
    by_name = dict(zip(("doubled", "helper", "elsewhere", "harmless"), outcomes, strict=True))
    assert by_name["doubled"].killed and "derivative" in by_name["doubled"].lost
    assert by_name["helper"].killed and by_name["helper"].lost
    assert not by_name["elsewhere"].killed
    assert by_name["elsewhere"].lost == ("central_difference",)
    assert not by_name["harmless"].killed and by_name["harmless"].lost == ()
