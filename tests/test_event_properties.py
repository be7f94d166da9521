"""Random and truncated mutations of the sample events: a clean decision or a clean error, never a crash."""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.config_loader import load_config
from generator.core.exceptions import EventError
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix import runner
from generator.hotfix.clients import Clients
from generator.hotfix.decide import decide

from .buildutil import paths
from .gitflow import GITFLOW

EVENTS = Path(__file__).resolve().parent / "events"
SAMPLES = {p.name: json.loads(p.read_text()) for p in sorted(EVENTS.glob("*.json")) if not p.name.startswith("malformed-")}
CAT = catalogue_from_dict(canonical(load_config(GITFLOW).data))  # the catalogue the sample events are about
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)


@st.composite
def mutated(draw):
    event = copy.deepcopy(SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))])
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(list(paths(event))))
        if not where:
            event = draw(JSON)
            continue
        parent = event
        try:
            for key in where[:-1]:
                parent = parent[key]
            if draw(st.booleans()) and isinstance(parent, dict):
                del parent[where[-1]]
            else:
                parent[where[-1]] = draw(JSON)
        except (KeyError, IndexError, TypeError):
            pass
    return event


@given(mutated())
def test_decide_answers_or_raises_event_error(event):
    try:
        decision = decide(event, CAT)
    except EventError as exc:
        assert str(exc)
    else:
        assert decision.as_dict()["action"] in {"provision", "terminate", "ignore", "open_pull_requests", "fail_job", "reconcile"}
        json.dumps(decision.as_dict())


@given(mutated())
def test_lifecycle_handler_drops_or_decides_without_calling_aws(event):
    # No clients at all: an event that would need AWS must be a decision to
    # provision or terminate; everything else is answered without a call.
    decision = None
    try:
        decision = decide(event, CAT)
    except EventError:
        pass
    if decision is not None and decision.action in ("provision", "terminate"):
        return
    out = sys.stdout
    sys.stdout = io.StringIO()
    try:
        result = runner.branch_lifecycle(event, SimpleNamespace(aws_request_id="r"), CAT, Clients(servicecatalog=None))
    finally:
        sys.stdout = out
    assert result["action"] in {"drop", "ignore", "open_pull_requests", "fail_job", "reconcile"}


@settings(max_examples=200)
@given(st.sampled_from(sorted(SAMPLES)), st.data())
def test_truncated_event_files_exit_cleanly(tmp_path_factory, name, data):
    text = json.dumps(SAMPLES[name])
    cut = data.draw(st.integers(0, len(text)))
    path = tmp_path_factory.mktemp("e") / "event.json"
    path.write_text(text[:cut])
    err = io.StringIO()
    out = io.StringIO()
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(["event", str(path)])
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    assert code in (0, 1), err.getvalue()
    if code == 0:
        assert json.loads(out.getvalue())["action"]
    else:
        assert err.getvalue().startswith("error: ") and err.getvalue().count("\n") == 1
