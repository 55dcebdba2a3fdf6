"""The evaluator is what the explanations of one test read through `Explainer`."""

import datetime as dt
import inspect

from tests.support.strategies import steps_policy

from gatecheck.evaluation.explainer import Explainer
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.language.evidence import Evidence
from gatecheck.loading.parsing import load_bytes


def _members(protocol: type) -> set[str]:
    methods = {name for name, value in vars(protocol).items() if inspect.isfunction(value)}
    return {name for name in methods if not name.startswith("_")} | set(protocol.__annotations__)


def test_an_evaluator_has_every_member_the_explanations_read() -> None:
    document = load_bytes(b"subject: s\n", "e.yaml")
    evidence = Evidence("s", steps_policy([], {}), None, {}, {}, (), (), (), None, document)
    evaluator = Evaluator(evidence, dt.date(2026, 1, 15))
    assert _members(Explainer) == {"evidence", "observation", "truth", "check", "read"}
    for name in _members(Explainer):
        assert hasattr(evaluator, name), name
    for name in ("check", "read"):
        wanted = list(inspect.signature(getattr(Explainer, name)).parameters)[1:]
        assert list(inspect.signature(getattr(evaluator, name)).parameters) == wanted
