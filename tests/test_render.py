"""Templates rendered by orjson are the bytes json.dumps wrote, with troposphere's checks kept."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from troposphere import Export, Output, Ref, Sub, Tags, Template
from troposphere import servicecatalog as sc

from generator.compiler import build, builtin, stack
from generator.compiler.template import new_template, render
from generator.config_loader import load_config

from .conftest import CONFIGS

FIXTURES = sorted((CONFIGS / "valid").glob("*.yaml"))


def reference(template) -> bytes:
    """What the build wrote before orjson."""
    data = template.to_dict() if isinstance(template, Template) else template
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


@pytest.mark.parametrize("config", FIXTURES, ids=lambda p: p.stem)
def test_every_template_of_a_fixture_build_renders_as_json_dumps_did(config, monkeypatch):
    rendered = []

    def checked(template):
        body = render(template)
        assert body == reference(template)
        rendered.append(body)
        return body

    monkeypatch.setattr(stack, "render", checked)
    monkeypatch.setattr(builtin, "_render", checked)
    result = build.compile_catalogue(load_config(config))
    assert len(rendered) >= len(result.stacks)


# Text: every code point but surrogates (orjson refuses those, as UTF-8 does), with controls and
# line separators, which the two encoders must escape alike.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
KEYS = st.one_of(TEXT, st.sampled_from(["a", "B", "é", "\x00", "\u2028", "10", "9", "Ref", ""]))
PLAIN = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


@given(PLAIN)
def test_plain_data_renders_as_json_dumps_did(data):
    assert render(data) == reference(data)


@given(st.dictionaries(KEYS, st.floats(), max_size=4))
def test_floats_keep_their_value_and_nan_its_old_spelling(data):
    body = render(data)
    if any(math.isnan(v) or math.isinf(v) for v in data.values()):
        assert body == reference(data)  # orjson would write null: json renders it, as before
    else:
        assert json.loads(body) == data  # the spelling of an exponent may differ, on purpose


def test_a_lone_surrogate_fails_as_it_did():
    with pytest.raises(UnicodeEncodeError):
        render({"a": "\ud800"})


def test_troposphere_still_checks_required_properties():
    template = new_template("t")
    template.add_resource(sc.LaunchRoleConstraint("Launch", PortfolioId=Ref("P"), RoleArn="arn"))  # no ProductId
    with pytest.raises(ValueError, match="ProductId required"):
        render(template)


def test_helper_functions_and_tags_render_as_to_dict_does():
    template = new_template("t")
    template.add_resource(sc.Portfolio("P", DisplayName="d", ProviderName="p", Description=Sub("${AWS::Region}")))
    template.add_resource(sc.CloudFormationProduct(
        "Product", Name="n", Owner="o", Tags=Tags(b="2", a="1"),
        ProvisioningArtifactParameters=[sc.ProvisioningArtifactProperties(Info=sc.Info(LoadTemplateFromURL="https://x/y"))]))
    template.add_output(Output("Id", Value=Ref("P"), Export=Export("e")))
    assert render(template) == reference(template)


def _outcome(make):
    try:
        return make()
    except Exception as exc:  # the same refusal, word for word
        return type(exc).__name__, str(exc)


def _classes():
    """Every troposphere class with properties that the compiler's modules import."""
    import importlib
    import inspect
    import pkgutil
    import sys

    from troposphere import BaseAWSObject

    import generator.compiler

    for module in pkgutil.walk_packages(generator.compiler.__path__, "generator.compiler."):
        importlib.import_module(module.name)
    return sorted({cls for name, module in list(sys.modules.items()) if name.startswith("troposphere.")
                   for _, cls in inspect.getmembers(module, inspect.isclass)
                   if issubclass(cls, BaseAWSObject) and cls.__module__ == name and getattr(cls, "props", None)},
                  key=lambda c: (c.__module__, c.__name__))


@pytest.mark.parametrize("validation", [True, False])
def test_every_class_is_checked_as_to_dict_checks_it(validation):
    """Required properties missing (and each class's own validate): the same error or the same bytes."""
    from troposphere import AWSObject

    for cls in _classes():
        obj = cls("Res1" if issubclass(cls, AWSObject) else None)
        if not validation:
            obj.no_validation()
        template = new_template("t")
        if isinstance(obj, AWSObject):
            template.add_resource(obj)
        else:  # a property object, rendered where the template holds plain data
            template.set_metadata({"x": obj})
        assert _outcome(lambda t=template: render(t)) == _outcome(lambda t=template: reference(t)), cls
