"""troposphere's faster constructor builds the same objects and refuses the same input."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys

import pytest
from troposphere import AWSObject, BaseAWSObject, Ref, Tags, Template

import generator.compiler
from generator.compiler import troposphere_speed

for _module in pkgutil.walk_packages(generator.compiler.__path__, "generator.compiler."):
    importlib.import_module(_module.name)  # and with them every troposphere module the compiler uses

CLASSES = sorted({cls for name, module in list(sys.modules.items()) if name.startswith("troposphere.")
                  for _, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, BaseAWSObject) and cls.__module__ == name and getattr(cls, "props", None)},
                 key=lambda c: (c.__module__, c.__name__))


def _state(obj):
    return {k: v for k, v in vars(obj).items() if k != "template"}


def _outcome(cls, init, title, kwargs, template=None):
    BaseAWSObject.__init__ = init
    try:
        obj = cls(title, template, **kwargs) if template is not None else cls(title, **kwargs)
        return "ok", _state(obj), obj.to_dict(validation=False)
    except Exception as exc:  # the same refusal, word for word
        return type(exc).__name__, str(exc)
    finally:
        BaseAWSObject.__init__ = troposphere_speed.fast_init


def _both(cls, title, kwargs):
    original = _outcome(cls, troposphere_speed.original_init, title, kwargs)
    fast = _outcome(cls, troposphere_speed.fast_init, title, kwargs)
    assert fast == original


def test_installed_on_this_troposphere():
    assert BaseAWSObject.__init__ is troposphere_speed.fast_init
    assert troposphere_speed.original_init is not None


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_same_object_and_same_refusals(cls):
    title = "Res1" if issubclass(cls, AWSObject) else None
    _both(cls, title, {})
    _both(cls, "not alphanumeric!", {})
    for prop in cls.props:  # values of each kind a property may or may not take
        for value in ("text", 12345, True, 1.5, None, Ref("X"), Tags(a="1"), ["a"], [Ref("X")], {"k": "v"}):
            _both(cls, title, {prop: value})
    _both(cls, title, {"NoSuchProperty": "x"})
    _both(cls, title, {"DependsOn": "Other", "Condition": "C", **dict.fromkeys(list(cls.props)[:2], "text")})


def test_added_to_the_template_once():
    for init in (troposphere_speed.original_init, troposphere_speed.fast_init):
        template = Template()
        BaseAWSObject.__init__ = init
        try:
            cls = next(c for c in CLASSES if issubclass(c, AWSObject))
            cls("Res1", template)
            with pytest.raises(ValueError, match="duplicate key"):
                cls("Res1", template)
        finally:
            BaseAWSObject.__init__ = troposphere_speed.fast_init
        assert list(template.resources) == ["Res1"]


def test_cfn_flip_loads_when_first_used():
    template = Template()
    template.set_version("2010-09-09")
    assert template.to_yaml().startswith("AWSTemplateFormatVersion")
