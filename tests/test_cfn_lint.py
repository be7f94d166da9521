"""Zero cfn-lint errors and warnings on every template the build writes."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import checks
from generator.compiler import limits
from generator.core.parse import catalogue_from_dict

from .buildutil import build_data, templates, users_own
from .conftest import ROOT
from .lint import lint

FOLDERS = [ROOT / "output", *sorted(p for p in (ROOT / "tests" / "golden").iterdir() if p.is_dir())]


TEMPLATES = sorted(p for f in FOLDERS for p in f.rglob("*") if p.suffix in (".json", ".yaml")
                   and p.name not in ("manifest.json", "config.json") and p not in users_own(f))


def test_templates_were_found():
    assert len(TEMPLATES) >= 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_template_is_lint_clean(path):
    assert lint(path.read_bytes()) == []


def test_the_linter_does_report_problems():
    # The gate is only worth something if a broken template fails it.
    bad = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Bogus": 1}}}, "Parameters": {"P": {"Type": "String"}}}'
    found = lint(bad)
    assert any(f.startswith("E3002") for f in found) and any(f.startswith("W2001") for f in found)


names = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)


@st.composite
def catalogues(draw):
    products = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    principals = draw(st.lists(names, max_size=3, unique=True))
    keys = draw(st.lists(names, max_size=3, unique=True))
    data = {
        "version": 1, "region": "us-east-1", "stack_prefix": draw(st.sampled_from(["sc", "cat", "x1"])),
        "accounts": {"tools": {"id": "111111111111"}, "stage": {"id": "222222222222"}, "prod": {"id": "333333333333"}},
        "tags": draw(st.dictionaries(names, names, max_size=3)),
        "tag_options": [{"key": k, "values": draw(st.lists(names, min_size=1, max_size=3, unique=True))} for k in keys],
        "principals": [{"name": p, "type": "IAM", "arn": f"arn:aws:iam::111111111111:role/{p}"} for p in principals],
        "products": [{"name": p, "owner": "o", "tag_options": draw(st.lists(st.sampled_from(keys), unique=True)) if keys else [],
                      "versions": [{"name": f"v{i}", "template": {"url": f"https://e.com/{p}/{i}.yaml"}}
                                   for i in range(draw(st.integers(1, 3)))]} for p in products],
        "portfolios": [],
    }
    for i in range(draw(st.integers(1, 3))):
        members = draw(st.lists(st.sampled_from(products), min_size=1, unique=True))
        constraints = []
        for product in members:
            kinds = draw(st.lists(st.sampled_from(["launch", "template", "tag_update", "notifications", "stack_set"]), unique=True))
            if "launch" in kinds and "stack_set" in kinds:
                kinds.remove("stack_set")
            for kind in kinds:
                body = {
                    "launch": {"local_role_name": "Launch"},
                    "template": {"rules": {"R": {"assertions": [{"assert": {"Fn::Equals": ["a", "a"]}, "description": "d"}]}}},
                    "tag_update": "allowed",
                    "notifications": ["arn:aws:sns:us-east-1:111111111111:t"],
                    "stack_set": {"accounts": ["stage"], "regions": ["us-east-1"],
                                  "admin_role": "arn:aws:iam::111111111111:role/A", "execution_role": "E"},
                }[kind]
                constraints.append({"product": product, kind: body})
        data["portfolios"].append({
            "name": f"p{i}", "display_name": f"P {i}", "provider": "x", "products": members, "constraints": constraints,
            "principals": draw(st.lists(st.sampled_from(principals), unique=True)) if principals else [],
            "tag_options": draw(st.lists(st.sampled_from(keys), unique=True)) if keys else [],
            "share": {"accounts": draw(st.lists(st.sampled_from(["stage", "prod"]), unique=True))},
        })
    return data


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues())
def test_random_catalogues_lint_clean_and_stay_within_limits(data):
    assume(not list(checks.findings(catalogue_from_dict(data))))
    for name, t in templates(build_data(data)).items():
        assert len(t["Resources"]) <= limits.MAX_RESOURCES
        import json

        assert lint(json.dumps(t)) == [], name
