"""The judges the hidden checks of assignment `descent` use: call the student, compare, explain.

A wrong answer is told the misconception it shows only when that is certain: the wrong formula
reproduces the answer, and on this call its value is apart from the right answer, from zero and
from every other candidate (`nameable`). Where two candidates coincide (a square X, where dividing
by d is dividing by m; m twice the batch size, where the 1 / m of the batch equals the factor 2
forgotten) the message names neither, rather than a mistake that was not made.

- `same_number`, `same_array`: `grader.authoring`'s, with that rule for naming;
- `same_trajectory`: a 2-D array, related flat to the reference when no mistake fits;
- `same_labels`: several labels, naming the mistake that reproduces all of the student's answers;
- `same_minibatches`: a list of integer arrays, naming the shuffle or cut used instead;
- `same_named_pair`: a tuple of two arrays, naming the formula that gives both;
- `answered_twice`: one call asked twice, failing when the answers differ (an unseeded shuffle),
  and `same_answer`, the comparison it makes;
- `leaves_arguments_alone`: no array argument changed in place, and the answer right;
- `plain_inputs`: a call on int or list input that, when it fails, is retried on float arrays;
- `naming_shape_errors`: a call that raised a matmul shape error, named as a misconception.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import numpy as np

from grader.authoring import (
    CheckFailure,
    StudentCallFailed,
    StudentProxy,
    Verdict,
    Wrong,
    check_array,
    check_number,
    check_tuple,
    describe_relation,
    diagnose,
    fail,
    real_array,
    require,
    same_value,
    wrong_values,
)
from grader.authoring import (
    same_labels as labels,
)

REGIMES = ("monotone", "oscillating", "diverging")
FLOAT_ADVICE = "convert lists and integer arrays with np.asarray(..., dtype=float) first"
X_NOT_TRANSPOSED = "X @ (X @ w - y) instead of X.T @ (X @ w - y)"
# Two values closer than this (relative to the larger) cannot tell their formulas apart: a float32
# answer (7 digits) near both must not be said to be either.
APART = 1e-4
# Answers of one call asked twice agree to this relative precision even when a right solution sums
# the same batch in another order.
REPEATABLE = 1e-10
UNREPEATABLE = (
    "its answers changed between calls with the same arguments, so they depend on something else, "
    "such as an unseeded shuffle: draw the permutation from "
    "numpy.random.default_rng(seed), never np.random.permutation, default_rng() without the seed "
    "or random.shuffle."
)


def floats(*values: Any) -> tuple[np.ndarray, ...]:
    """The arguments as float arrays, as a correct solution sees them after converting."""
    return tuple(np.asarray(value, dtype=float) for value in values)


# --- naming only what is certain -------------------------------------------------------------


def _flat(value: Any) -> np.ndarray | None:
    """A number, an array or a tuple of arrays as one flat float array, or None."""
    if isinstance(value, tuple):
        parts = [real_array(part) for part in value]
        if any(part is None for part in parts):
            return None
        return np.concatenate([part.ravel() for part in parts]) if parts else np.zeros(0)
    array = real_array(value)
    return None if array is None else array.ravel()


def apart(a: Any, b: Any) -> bool:
    """Whether two values are clearly different: another shape, or far more than rounding."""
    x, y = _flat(a), _flat(b)
    if x is None or y is None or x.shape != y.shape:
        return True
    scale = max(float(np.max(np.abs(x), initial=0.0)), float(np.max(np.abs(y), initial=0.0)))
    return float(np.max(np.abs(x - y), initial=0.0)) > APART * scale + 1e-12


def nameable(values: Mapping[str, Any], expected: Any) -> dict[str, Any]:
    """The candidates that, on this call, are apart from the right answer, from zero and from
    every other candidate: only those can be named with certainty when an answer matches."""
    right = _flat(expected)
    zero = None if right is None else np.zeros_like(right)
    kept = {
        name: value
        for name, value in values.items()
        if _flat(value) is not None
        and apart(value, expected)
        and (zero is None or apart(value, zero))
    }
    clashing: set[str] = set()
    for (name, value), (other, second) in itertools.combinations(kept.items(), 2):
        if not apart(value, second):
            clashing |= {name, other}
    return {name: value for name, value in kept.items() if name not in clashing}


def explained(verdict: Verdict, got: Any, expected: Any, candidates: Mapping[str, Any]) -> Verdict:
    """A failing verdict with the certain mistake, else a plain relation, appended."""
    if verdict.ok:
        return verdict
    phrase = diagnose(got, nameable(candidates, expected)) or _relation(got, expected)
    if phrase is None:
        return verdict
    return Verdict(False, f"{verdict.message} This looks like {phrase}.")


def _relation(got: Any, expected: Any) -> str | None:
    """`describe_relation`, comparing non-square matrices of the expected shape flat.

    Its transpose test broadcasts a (k, n) answer against an (n, k) reference, which fails for
    k != n; flat, the factor, sign and order relations still read right.
    """
    answer, reference = real_array(got), np.asarray(expected, dtype=float)
    flat = reference.ndim == 2 and reference.shape[0] != reference.shape[1]
    if flat and answer is not None and answer.shape == reference.shape:
        return describe_relation(answer.ravel(), reference.ravel())
    return describe_relation(got, expected)


# --- numbers and arrays ----------------------------------------------------------------------


def same_number(student: StudentProxy, reference: ModuleType, function: str, *args: Any,
                wrong: Wrong | None = None, **kwargs: Any) -> Any:  # fmt: skip
    """A real number within 1e-8 of the reference's, naming only a certain mistake."""
    got = getattr(student, function)(*args, **kwargs)
    expected = getattr(reference, function)(*args, **kwargs)
    verdict = check_number(got, expected, call=student.last_call)
    require(explained(verdict, got, expected, wrong_values(wrong, args, kwargs)))
    return got


def same_array(student: StudentProxy, reference: ModuleType, function: str, *args: Any,
               wrong: Wrong | None = None, twice: bool = False, **kwargs: Any) -> Any:  # fmt: skip
    """An array of the reference's shape and values, naming only a certain mistake; `twice`
    asks the call twice first (for exercises that shuffle)."""
    if twice:
        got, call = answered_twice(student, function, args, kwargs)
    else:
        got, call = getattr(student, function)(*args, **kwargs), student.last_call
    expected = getattr(reference, function)(*args, **kwargs)
    verdict = check_array(got, expected, call=call)
    require(explained(verdict, got, expected, wrong_values(wrong, args, kwargs)))
    return got


def same_trajectory(student: StudentProxy, reference: ModuleType, args: tuple, *,
                    wrong: Wrong | None = None) -> np.ndarray:  # fmt: skip
    """`gradient_descent`: shape (n_steps + 1, n) and every iterate, naming the mistake."""
    return same_array(student, reference, "gradient_descent", *args, wrong=wrong)


# --- asked twice -----------------------------------------------------------------------------


def same_answer(first: Any, second: Any) -> bool:
    """Whether two answers of one call agree (plain data: no student method runs here)."""
    if isinstance(first, (list, tuple)) and isinstance(second, (list, tuple)):
        return (type(first) is type(second) and len(first) == len(second)
                and all(map(same_answer, first, second)))  # fmt: skip
    a, b = real_array(first), real_array(second)
    if a is not None and b is not None:
        if a.shape != b.shape:
            return False
        finite = np.isfinite(a) & np.isfinite(b)
        # nan and inf are the same answer again when they come back in the same places
        if not np.array_equal(a[~finite], b[~finite], equal_nan=True):
            return False
        scale = max(float(np.max(np.abs(a[finite]), initial=0.0)), 1.0)
        return bool(np.all(np.abs(a[finite] - b[finite]) <= REPEATABLE * scale))
    return type(first) is type(second) and repr(first) == repr(second)


def answered_twice(student: StudentProxy, function: str, args: tuple,
                   kwargs: Mapping[str, Any] | None = None) -> tuple[Any, Any]:  # fmt: skip
    """The student's answer and call, after asking the same call twice: answers that change
    between calls fail here, whatever the first one was, so the verdict does not hang on luck."""
    kwargs = dict(kwargs or {})
    first = getattr(student, function)(*args, **kwargs)
    call = student.last_call
    second = getattr(student, function)(*args, **kwargs)
    if not same_answer(first, second):
        fail(f"{call} was called twice and returned two different answers: {UNREPEATABLE}")
    return first, call


# --- labels, batches, pairs ------------------------------------------------------------------


def same_labels(student: StudentProxy, reference: ModuleType, function: str,
                cases: Sequence[tuple], *, vocabulary: tuple[str, ...] = REGIMES,
                wrong: Wrong | None = None) -> None:  # fmt: skip
    """`grader.authoring.same_labels` for cases of positional arguments only."""
    labels(student, reference, function, [(args, {}) for args in cases], vocabulary=vocabulary,
           wrong=wrong)  # fmt: skip


def _same_batches(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> bool:
    return len(a) == len(b) and all(map(np.array_equal, a, b))


def _batch_format(call: Any, got: Any, wanted: str) -> None:
    """Fail unless `got` is a list of 1-D integer arrays, saying what it is instead."""
    if isinstance(got, np.ndarray):
        fail(f"{call} returned one array of shape {got.shape}, expected {wanted}; "
             "return a list of the batches.")  # fmt: skip
    if not isinstance(got, list):
        fail(f"{call} returned a {type(got).__name__}, expected {wanted}.")
    for position, batch in enumerate(got):
        if isinstance(batch, (list, tuple)):
            fail(f"{call}: batch {position} is a {type(batch).__name__}, expected a numpy array. "
                 "This looks like a list of lists instead of a list of arrays; keep the slices of "
                 "the permutation, which are arrays.")  # fmt: skip
        if not isinstance(batch, np.ndarray) or batch.ndim != 1 or batch.dtype.kind not in "iu":
            fail(f"{call}: batch {position} should be a 1-D numpy array of integers (indices).")


def same_minibatches(student: StudentProxy, reference: ModuleType, n_samples: int,
                     batch_size: int, seed: int, *,
                     wrong: Wrong | None = None) -> None:  # fmt: skip
    """`minibatches`, asked twice: a list of 1-D integer arrays, batch by batch the reference's."""
    args = (n_samples, batch_size, seed)
    got, call = answered_twice(student, "minibatches", args)
    expected = reference.minibatches(*args)
    _batch_format(call, got, f"a list of {len(expected)} 1-D integer numpy arrays")
    if _same_batches(got, expected):
        return
    sizes, want_sizes = [len(b) for b in got], [len(b) for b in expected]
    if sizes != want_sizes:
        message = f"{call} returned batches of sizes {sizes[:8]}, expected {want_sizes[:8]}."
    else:
        position = next(i for i, pair in enumerate(zip(got, expected, strict=True))
                        if not np.array_equal(*pair))  # fmt: skip
        message = (f"{call}: batch {position} is {got[position].tolist()[:10]}, expected "
                   f"{expected[position].tolist()[:10]}.")  # fmt: skip
    candidates = {name: batches for name, batches in wrong_values(wrong, args, {}).items()
                  if not _same_batches(batches, expected)}  # fmt: skip
    for name, batches in candidates.items():
        alike = [other for other, b in candidates.items() if _same_batches(b, batches)]
        if alike == [name] and _same_batches(got, batches):
            fail(f"{message} This looks like {name}.")
    shuffled = np.concatenate(got) if got else np.array([], dtype=int)
    if sizes == want_sizes and np.array_equal(np.sort(shuffled), np.arange(n_samples)):
        fail(f"{message} The batches hold every index once, but in another shuffle: use exactly "
             "np.random.default_rng(seed).permutation(n_samples), with the seed.")  # fmt: skip
    fail(f"{message} Cut np.random.default_rng(seed).permutation(n_samples) in order.")


def _pair_verdicts(got: Any, expected: tuple, call: Any) -> list[Verdict]:
    require(check_tuple(got, 2, call=call))
    return [check_array(part, want, call=f"{call}[{position}]")
            for position, (part, want) in enumerate(zip(got, expected, strict=True))]  # fmt: skip


def same_named_pair(student: StudentProxy, reference: ModuleType, function: str, args: tuple,
                    kwargs: Mapping[str, Any] | None = None, *,
                    wrong: Wrong | None = None) -> tuple:  # fmt: skip
    """A tuple of two arrays, each the reference's; a wrong one names the formula giving both."""
    kwargs = dict(kwargs or {})
    got = getattr(student, function)(*args, **kwargs)
    call = student.last_call
    expected = getattr(reference, function)(*args, **kwargs)
    verdicts = _pair_verdicts(got, expected, call)
    failing = [verdict for verdict in verdicts if not verdict.ok]
    if not failing:
        return got
    candidates = nameable(wrong_values(wrong, args, kwargs), expected)
    name = diagnose(_flat(got), {name: _flat(pair) for name, pair in candidates.items()})
    if name is not None:
        fail(f"{failing[0].message} This looks like {name}.")
    first = verdicts.index(failing[0])
    require(explained(failing[0], got[first], expected[first], {}))
    return got


# --- arguments, input forms, shape errors ----------------------------------------------------


def leaves_arguments_alone(student: StudentProxy, function: str, args: tuple,
                           names: Sequence[str], reference: Any,
                           twice: bool = False) -> None:  # fmt: skip
    """The call must leave every array argument as it was (`names` are the signature's names)
    and return the reference's answer: not touching the input earns nothing on its own.
    `twice` asks the call again and fails if the answer changed (for exercises that shuffle)."""
    result = getattr(student, function).with_args(*args)
    call = student.last_call
    if twice and not same_answer(result.value, getattr(student, function)(*args)):
        fail(f"{call} was called twice and returned two different answers: {UNREPEATABLE}")
    after = result.args_after or ()
    changed = [
        name
        for name, before, now in zip(names, args, after, strict=False)
        if isinstance(before, np.ndarray) and not np.array_equal(before, np.asarray(now))
    ]
    if changed:
        which = " and ".join(changed)
        fail(f"{call} changed {which} in place; an update such as `{changed[0]} -= ...` writes "
             "into the caller's array: compute a new array instead.")  # fmt: skip
    expected = getattr(reference, function)(*args)
    if isinstance(expected, tuple):
        for verdict in _pair_verdicts(result.value, expected, call):
            require(verdict)
    else:
        require(same_value(result.value, expected, call))


def plain_inputs(judge: Callable[[tuple], Any], given: tuple, as_floats: tuple,
                 advice: str = FLOAT_ADVICE) -> None:  # fmt: skip
    """Judge a call on int or list input; if it fails while the same call on float arrays passes,
    say so and give `advice` (one clause, e.g. how to convert the input)."""
    try:
        judge(given)
    except CheckFailure as failure:
        if UNREPEATABLE in str(failure):
            raise
        try:
            judge(as_floats)
        except CheckFailure as second:
            # Answers that change between calls explain the first failure better than it does.
            raise (second if UNREPEATABLE in str(second) else failure) from None
        fail(f"{failure} The same call with float arrays is right: {advice}.")


@contextmanager
def naming_shape_errors(name: str = X_NOT_TRANSPOSED) -> Iterator[None]:
    """Name `name` when the student's call raised numpy's matmul shape mismatch."""
    try:
        yield
    except StudentCallFailed as failure:
        text = str(failure)
        if "matmul" in text or "not aligned" in text:
            fail(f"{text.rstrip('.')}. This looks like {name}, whose shapes do not fit.")
        raise
