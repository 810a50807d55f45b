"""The student stubs and the reference solutions offer the same contract.

The stubs in exercises/ are what students complete and the solutions in solutions/ are what the
grader trusts; a name, parameter or default that differs between them, or from CURRICULUM.md,
would grade every student against the wrong function. The stubs must also teach (a docstring
with a worked example everywhere) and fail clearly until completed.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ("derivatives", "gradients", "descent", "backprop")
GIVEN = ("objective", "sigmoid", "mlp_loss")  # given in the stubs, not graded

# CURRICULUM.md's tables, in their order: name and parameters with their defaults.
CONTRACT: dict[str, list[tuple[str, str]]] = {
    "derivatives": [
        ("objective", "x"),
        ("derivative", "x"),
        ("tangent_estimate", "f, df, x, delta_x"),
        ("forward_difference", "f, x, h=1e-6"),
        ("central_difference", "f, x, h=1e-5"),
        ("second_derivative", "f, x, h=1e-4"),
        ("interpret_sign", "d, tol=1e-8"),
        ("symbolic_derivative", "expression, variable='x'"),
    ],
    "gradients": [
        ("partial_derivative", "f, x, i, h=1e-5"),
        ("gradient", "f, x, h=1e-5"),
        ("quadratic_gradient", "A, b, x"),
        ("hessian", "f, x, h=1e-4"),
        ("directional_derivative", "grad, v"),
        ("steepest_ascent_direction", "grad"),
        ("classify_stationary_point", "H, tol=1e-8"),
        ("gradient_check", "f, grad_fn, x, h=1e-5"),
    ],
    "descent": [
        ("descent_step", "x, grad, lr"),
        ("gradient_descent", "grad_fn, x0, lr, n_steps"),
        ("learning_rate_regime", "lr, curvature"),
        ("max_stable_learning_rate", "H"),
        ("mse_gradient", "w, X, y"),
        ("minibatches", "n_samples, batch_size, seed"),
        ("sgd_epoch", "w, X, y, lr, batch_size, seed"),
        ("momentum_step", "x, velocity, grad, lr, beta=0.9"),
    ],
    "backprop": [
        ("sigmoid", "z"),
        ("mlp_loss", "W1, b1, W2, b2, X, y"),
        ("chain_rule_derivative", "df, g, dg, x"),
        ("sigmoid_derivative", "z"),
        ("relu_derivative", "z"),
        ("mlp_gradients", "W1, b1, W2, b2, X, y"),
        ("clip_by_norm", "grad, max_norm"),
        ("adagrad_step", "x, accum, grad, lr=0.01, eps=1e-8"),
        ("rmsprop_step", "x, sq_avg, grad, lr=0.001, rho=0.9, eps=1e-8"),
        ("adam_step", "x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8"),
        ("newton_step", "x, grad, H"),
    ],
}


def _square(x: Any) -> Any:
    return x**2


def _sum_of_squares(x: np.ndarray) -> float:
    return float(x @ x)


def _double(x: np.ndarray) -> np.ndarray:
    return 2.0 * x


# One plausible call per stub: arguments a student's finished function would accept.
PLAUSIBLE_ARGS: dict[str, tuple[Any, ...]] = {
    "derivative": (0.5,),
    "tangent_estimate": (_square, lambda x: 2 * x, 3.0, 0.1),
    "forward_difference": (_square, 1.0),
    "central_difference": (_square, 1.0),
    "second_derivative": (_square, 1.0),
    "interpret_sign": (-1.0,),
    "symbolic_derivative": ("x**2*sin(x)",),
    "partial_derivative": (_sum_of_squares, np.array([1.0, 2.0]), 0),
    "gradient": (_sum_of_squares, np.array([1.0, 2.0])),
    "quadratic_gradient": (np.array([[2.0, 1.0], [0.0, 4.0]]), np.ones(2), np.ones(2)),
    "hessian": (_sum_of_squares, np.array([1.0, 2.0])),
    "directional_derivative": (np.array([3.0, 4.0]), np.array([1.0, 0.0])),
    "steepest_ascent_direction": (np.array([3.0, 4.0]),),
    "classify_stationary_point": (np.eye(2),),
    "gradient_check": (_sum_of_squares, _double, np.array([1.0, 2.0])),
    "descent_step": (np.ones(2), np.ones(2), 0.1),
    "gradient_descent": (_double, np.ones(2), 0.1, 3),
    "learning_rate_regime": (0.1, 2.0),
    "max_stable_learning_rate": (np.diag([4.0, 1.0]),),
    "mse_gradient": (np.zeros(2), np.eye(2), np.ones(2)),
    "minibatches": (5, 2, 0),
    "sgd_epoch": (np.zeros(2), np.eye(2), np.ones(2), 0.1, 1, 0),
    "momentum_step": (np.ones(2), np.zeros(2), np.ones(2), 0.1),
    "chain_rule_derivative": (np.cos, _square, lambda x: 2 * x, 1.5),
    "sigmoid_derivative": (0.0,),
    "relu_derivative": (np.array([-1.0, 0.0, 2.0]),),
    "mlp_gradients": (np.zeros((2, 3)), np.zeros(3), np.ones(3), 0.0, np.ones((4, 2)), np.zeros(4)),
    "clip_by_norm": (np.array([3.0, 4.0]), 1.0),
    "adagrad_step": (np.ones(2), np.zeros(2), np.ones(2)),
    "rmsprop_step": (np.ones(2), np.zeros(2), np.ones(2)),
    "adam_step": (np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), 1),
    "newton_step": (np.ones(2), np.ones(2), np.eye(2)),
}


def load_module(path: Path, name: str) -> ModuleType:
    """Import a file as a module without touching sys.path (exercises/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def public_functions(module: ModuleType) -> dict[str, Any]:
    """The public functions defined in the module itself, in definition order."""
    return {
        name: value
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
    }


@functools.cache
def stub(assignment: str) -> ModuleType:
    """The exercise module of an assignment."""
    return load_module(ROOT / "exercises" / f"{assignment}.py", f"stub_parity_ex_{assignment}")


@functools.cache
def reference(assignment: str) -> ModuleType:
    """The reference solution module of an assignment."""
    return load_module(ROOT / "solutions" / f"{assignment}.py", f"stub_parity_sol_{assignment}")


def contract_parameters(spec: str) -> list[tuple[str, Any]]:
    """Parse "f, x, h=1e-6" into [("f", empty), ("x", empty), ("h", 1e-6)]."""
    parameters = []
    for item in spec.split(", "):
        name, _, default = item.partition("=")
        value = ast.literal_eval(default) if default else inspect.Parameter.empty
        parameters.append((name, value))
    return parameters


STUB_CASES = [(assignment, name) for assignment in ASSIGNMENTS for name, _ in CONTRACT[assignment]]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stubs_define_the_curriculum_functions_in_order(assignment: str) -> None:
    expected = [name for name, _ in CONTRACT[assignment]]
    assert list(public_functions(stub(assignment))) == expected


@pytest.mark.parametrize(("assignment", "name"), STUB_CASES)
def test_stub_parameters_and_defaults_follow_the_curriculum(assignment: str, name: str) -> None:
    spec = dict(CONTRACT[assignment])[name]
    signature = inspect.signature(getattr(stub(assignment), name))
    found = [(p.name, p.default) for p in signature.parameters.values()]
    assert found == contract_parameters(spec)
    kinds = {p.kind for p in signature.parameters.values()}
    assert kinds == {inspect.Parameter.POSITIONAL_OR_KEYWORD}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_define_the_same_functions_as_the_stubs(assignment: str) -> None:
    stubs = set(public_functions(stub(assignment))) - set(GIVEN)
    solutions = set(public_functions(reference(assignment))) - set(GIVEN)
    assert stubs == solutions


@pytest.mark.parametrize(("assignment", "name"), STUB_CASES)
def test_solution_signature_equals_the_stub_signature(assignment: str, name: str) -> None:
    solution = getattr(reference(assignment), name, None)
    if solution is None and name in GIVEN:
        pytest.skip("the given objective need not be redefined by the solutions")
    assert inspect.signature(solution) == inspect.signature(getattr(stub(assignment), name))


@pytest.mark.parametrize(
    ("assignment", "name"), [case for case in STUB_CASES if case[1] not in GIVEN]
)
def test_every_stub_raises_not_implemented_with_a_sentence(assignment: str, name: str) -> None:
    with pytest.raises(NotImplementedError) as raised:
        getattr(stub(assignment), name)(*PLAUSIBLE_ARGS[name])
    message = str(raised.value)
    assert re.fullmatch(r"[A-Z].*\.", message, flags=re.DOTALL), message
    assert len(message.split()) >= 5, message


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_stub_body_is_a_docstring_and_one_raise(assignment: str) -> None:
    tree = ast.parse((ROOT / "exercises" / f"{assignment}.py").read_text(encoding="utf-8"))
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert functions, "no functions found"
    for function in functions:
        if function.name in GIVEN:
            continue
        docstring, *rest = function.body
        assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
        assert len(rest) == 1, f"{function.name} has more than one statement after its docstring"
        (statement,) = rest
        assert isinstance(statement, ast.Raise), function.name
        call = statement.exc
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
        assert call.func.id == "NotImplementedError", function.name


def test_the_given_objective_is_implemented_in_the_stub() -> None:
    objective = stub("derivatives").objective
    assert objective(3.0) == 9.0
    assert objective(-0.5) == objective(0.5) == 0.25
    np.testing.assert_array_equal(objective(np.array([-2.0, 0.0, 1.5])), [4.0, 0.0, 2.25])


def test_the_given_backprop_functions_are_the_references_in_the_stub() -> None:
    """A student's sigmoid and mlp_loss are the reference's: same values, same types."""
    given, trusted = stub("backprop"), reference("backprop")
    rng = np.random.default_rng(4)
    for z in (
        0.0,
        -1000.0,
        1000.0,
        3,
        np.float32(-2.5),
        [-40.0, 0.0, 40.0],
        rng.normal(size=(2, 3)),
    ):
        got, expected = given.sigmoid(z), trusted.sigmoid(z)
        assert type(got) is type(expected)
        np.testing.assert_array_equal(got, expected)
    assert given.sigmoid(0.0) == 0.5 and given.sigmoid(-1000.0) == 0.0
    for m, d, k in ((1, 1, 1), (5, 3, 2), (4, 2, 1)):
        network = (rng.normal(size=(d, k)), rng.normal(size=k), rng.normal(size=k), 0.3)
        data = (rng.normal(size=(m, d)), rng.normal(size=m))
        got = given.mlp_loss(*network, *data)
        assert type(got) is float
        assert got == trusted.mlp_loss(*network, *data)
        as_lists = [a.tolist() if isinstance(a, np.ndarray) else a for a in (*network, *data)]
        assert given.mlp_loss(*as_lists) == got
    assert given.mlp_loss([[0.0]], [0.0], [1.0], 0.5, [[1.0]], [0.0]) == 0.25


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_module_docstrings_teach_in_several_paragraphs_with_numbers(assignment: str) -> None:
    text = inspect.getdoc(stub(assignment)) or ""
    paragraphs = [block for block in text.split("\n\n") if block.strip()]
    assert len(paragraphs) >= 8, f"only {len(paragraphs)} paragraphs"
    assert text.count("## ") >= 3, "expected Markdown sections"
    assert re.search(r"\d+\.\d+|\d", text)


@pytest.mark.parametrize(("assignment", "name"), STUB_CASES)
def test_every_stub_docstring_states_a_contract_and_a_worked_example(
    assignment: str, name: str
) -> None:
    text = inspect.getdoc(getattr(stub(assignment), name)) or ""
    _, heading, example = text.partition("Worked example:")
    assert heading, f"{name} has no worked example"
    assert re.search(r"\d", example), f"the worked example of {name} has no number"
    assert ">>> " in example, f"the worked example of {name} shows no call"
    if name != "objective":  # the one given function simple enough to need no argument list
        assert "Returns:" in text and "Arguments:" in text


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_carol_is_the_untouched_stub(assignment: str) -> None:
    carol = ROOT / "examples" / "submissions" / assignment / "carol.py"
    assert carol.read_bytes() == (ROOT / "exercises" / f"{assignment}.py").read_bytes()
