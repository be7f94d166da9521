"""troposphere with its checks, at a third of its start-up and construction cost.

Two costs dominate a large build once validation and rendering are fast
(profile of 10,000 products: 61,000 objects, 680,000 ``__setattr__`` calls):

- ``BaseAWSObject.__init__`` stores its eight bookkeeping attributes through
  the class's own ``__setattr__``, looks ``dictname`` and ``resource_type``
  up through ``__getattr__`` (an exception when absent) and scans every
  declared property for a class default. ``fast_init`` does the same with
  the bookkeeping written straight into ``__dict__`` and the per-class facts
  looked up once per class. Every property still goes through
  ``__setattr__``, so each value is type-checked as before, and ``to_dict``
  (called by ``render``) still checks required properties.
- ``import troposphere`` imports cfn_flip (18 ms) for ``to_yaml``, which the
  toolkit never calls: ``lazy_cfn_flip`` defers it to its first use. It also
  imports ``troposphere.serverless`` (and with it the s3, awslambda,
  dynamodb, events, apigateway and stepfunctions modules: 10 ms, 30 under
  load) for one name, ``Template.Globals``, the type of a SAM template's
  Globals section, which the toolkit never writes: ``import_without_serverless``
  imports troposphere with that name standing in, and the real module stays
  importable for whoever asks for it.

``install`` replaces the constructor only on the troposphere it was written
against (the names its code uses are compared); tests/test_troposphere_speed.py
builds every class of the modules the compiler uses both ways and compares.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

# The names troposphere 4.x's BaseAWSObject.__init__ uses; another body means
# another constructor, which fast_init would not reproduce, so it is left alone.
_EXPECTED_NAMES = ('title', 'template', 'do_validation', 'set', 'props', 'keys', 'propnames', 'attributes',
                   'validate_title', 'properties', 'getattr', 'resource', 'hasattr', 'resource_type',
                   '_BaseAWSObject__initialized', 'items', 'type', '__setattr__', 'add_to_template')

_ATTRIBUTES = ("Condition", "CreationPolicy", "DeletionPolicy", "DependsOn", "Metadata", "UpdatePolicy", "UpdateReplacePolicy")

_ATTRIBUTE_SET = frozenset(_ATTRIBUTES)
_SPECIAL = (types.FunctionType, list)  # validator functions and lists: __setattr__ checks those itself
_tropo_setattr = _HelperFn = _Tags = None  # troposphere's, bound by install

_classes: dict[type, tuple] = {}  # class -> (dictname, resource_type, class defaults, property names)
# One list for every object: troposphere only reads an object's attributes and propnames (``in``), never changes them.
_ATTRIBUTE_LIST = list(_ATTRIBUTES)
original_init = None  # troposphere's own constructor, once install has replaced it


def _class_facts(cls: type) -> tuple:
    facts = _classes.get(cls)
    if facts is None:
        defaults = tuple((k, getattr(cls, k)) for k in cls.props if getattr(cls, k, None) is not None)
        facts = _classes[cls] = (getattr(cls, "dictname", None), getattr(cls, "resource_type", None), defaults, set(cls.props))
    return facts


def fast_init(self, title, template=None, validation=True, **kwargs) -> None:
    """``BaseAWSObject.__init__``, with the same attributes, checks and errors."""
    d = self.__dict__
    dictname, resource_type, defaults, propnames = _class_facts(type(self))
    d["title"] = title
    d["template"] = template
    d["do_validation"] = validation
    d["propnames"] = propnames
    d["attributes"] = _ATTRIBUTE_LIST
    if title:
        self.validate_title()
    properties = d["properties"] = {}
    dictname = d.get("dictname", dictname)
    resource = d["resource"] = {dictname: properties} if dictname else properties
    resource_type = d.get("resource_type", resource_type)
    if resource_type is not None:
        resource["Type"] = resource_type
    d["_BaseAWSObject__initialized"] = True
    setattr_ = self.__setattr__
    for k, v in defaults:
        if k not in kwargs:
            setattr_(k, v)
    if type(self).__setattr__ is not _tropo_setattr:
        for k, v in kwargs.items():
            setattr_(k, v)
    else:
        props = self.props
        for k, v in kwargs.items():
            # __setattr__'s own first branches, for a declared property whose value is a
            # helper function or of the declared type; anything else takes the full path.
            if k in propnames and k not in d and k not in _ATTRIBUTE_SET:
                expected = props[k][0]
                if isinstance(v, _HelperFn):
                    if not isinstance(v, _Tags):
                        properties[k] = v
                        continue
                elif not isinstance(expected, _SPECIAL) and isinstance(v, expected):
                    properties[k] = v
                    continue
            setattr_(k, v)
    self.add_to_template()


def install() -> bool:
    """Use ``fast_init`` for every troposphere object; False where troposphere differs from 4.x."""
    global original_init, _tropo_setattr, _HelperFn, _Tags
    from troposphere import AWSHelperFn, BaseAWSObject, Tags

    if BaseAWSObject.__init__ is fast_init:
        return True
    if BaseAWSObject.__init__.__code__.co_names != _EXPECTED_NAMES:
        return False
    original_init = BaseAWSObject.__init__
    _tropo_setattr, _HelperFn, _Tags = BaseAWSObject.__setattr__, AWSHelperFn, Tags
    BaseAWSObject.__init__ = fast_init
    return True


class SamGlobalsNotLoaded:
    """``Template.Globals`` when troposphere was imported without ``troposphere.serverless``."""


def import_without_serverless() -> None:
    """``import troposphere``, skipping the ``troposphere.serverless`` import of its ``Template`` class body.

    That line (``from troposphere.serverless import Globals``) only binds
    ``Template.Globals`` and the type in ``Template.props["Globals"]``, which
    no troposphere code checks; ``Template.set_globals`` and ``to_dict``
    work as before. Nothing changes when troposphere is already imported.
    """
    name = "troposphere.serverless"
    if "troposphere" in sys.modules or name in sys.modules:
        return
    stand_in = types.ModuleType(name)
    stand_in.Globals = SamGlobalsNotLoaded
    sys.modules[name] = stand_in
    try:
        import troposphere  # noqa: F401
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]  # a later import of troposphere.serverless gets the real module


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is asked for, then imports it."""

    def __getattr__(self, name):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def lazy_cfn_flip() -> None:
    """Let ``import cfn_flip`` (inside ``import troposphere``) load it on first use only."""
    if "cfn_flip" not in sys.modules and importlib.util.find_spec("cfn_flip") is not None:
        sys.modules["cfn_flip"] = _Deferred("cfn_flip")
