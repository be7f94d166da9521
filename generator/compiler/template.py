"""Rendering templates: sorted keys, two-space indent, a trailing newline.

The bytes are those of ``json.dumps(template.to_dict(), indent=2,
sort_keys=True, ensure_ascii=False) + "\\n"``, encoded as UTF-8; orjson
writes them about twenty times faster. It is handed the troposphere objects
themselves and asks ``_plain`` for one level at a time, so the nested plain
copy that ``to_dict`` builds is never made; each object is still validated
as ``to_dict`` validates it.

One difference is kept on purpose: a float whose shortest form has an
exponent is spelled as orjson spells it (``1e-05`` becomes ``0.00001``,
``1e+16`` becomes ``1e16``): the same number, and no template has a float
today (the schema's numbers are integers, and they stay in config.json).
Where orjson would lose or refuse something (NaN and infinity, which it
writes as null; integers beyond 64 bits and lone surrogates, which it
refuses) the json module renders the template, as before.
"""

from __future__ import annotations

import json

from troposphere import AWSHelperFn, BaseAWSObject, Template

from ..core.exceptions import BuildError
from . import limits

try:  # a speed-up only: without orjson the json module writes the same bytes
    import orjson
except ImportError:  # pragma: no cover - orjson ships wheels for the platforms we support
    orjson = None

# A null token in orjson's indented output, as an object member or a list item:
# NaN or infinity, unless the template holds a None (then json writes the same).
# A string holding such text escapes its quotes and at worst costs a fallback.
_NULLS = (b": null", b" null,\n", b" null\n")


def new_template(description: str) -> Template:
    template = Template(Description=description)
    template.set_version("2010-09-09")
    return template


def render(template: Template | dict) -> bytes:
    if orjson is not None:
        try:
            body = orjson.dumps(template, default=_plain, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            body = None
        if body is not None and not any(null in body for null in _NULLS):
            return body + b"\n"
    data = template.to_dict() if isinstance(template, Template) else template
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _plain(obj):
    """One level of a troposphere object as plain data, validated as its ``to_dict`` would be."""
    cls = type(obj)
    checks = _checks.get(cls)
    if checks is None:
        checks = _checks[cls] = _checks_of(cls)
    if checks is not _OTHER:
        if obj.do_validation:
            required, validate = checks
            properties = obj.properties
            for name in required:
                if name not in properties:
                    obj._validate_props()  # troposphere's own refusal, word for word
            if validate:
                obj.validate()
        if obj.properties:
            return obj.resource
        if hasattr(obj, "resource_type"):
            return {k: v for k, v in obj.resource.items() if k != "Properties"}
        return {}
    if isinstance(obj, AWSHelperFn) and cls.to_dict is AWSHelperFn.to_dict:
        return obj.data  # Ref, Sub, ImportValue...: to_dict would encode exactly this
    if isinstance(obj, Template):
        return _template_sections(obj)
    if hasattr(obj, "to_dict"):  # Tags and other classes with their own to_dict
        return obj.to_dict()
    if hasattr(obj, "JSONrepr"):
        return obj.JSONrepr()
    raise TypeError(f"cannot render {type(obj).__name__}")


# Per class, what BaseAWSObject.to_dict checks before it encodes: the required
# properties (what _validate_props looks for, found once rather than by a walk
# over every declared property of every object) and whether the class has a
# validate of its own (the base one does nothing). _OTHER: not such an object.
_OTHER = object()
_checks: dict[type, object] = {}


def _checks_of(cls: type):
    if not (issubclass(cls, BaseAWSObject) and cls.to_dict is BaseAWSObject.to_dict):
        return _OTHER
    required = tuple(name for name, (_, needed) in cls.props.items() if needed)
    return required, cls.validate is not BaseAWSObject.validate


def _template_sections(t: Template) -> dict:
    """The sections ``Template.to_dict`` writes, before it encodes them."""
    sections = {
        "Description": t.description, "Metadata": t.metadata, "Conditions": t.conditions, "Mappings": t.mappings,
        "Outputs": t.outputs, "Parameters": t.parameters, "AWSTemplateFormatVersion": t.version,
        "Transform": t.transform, "Rules": t.rules, "Globals": t.globals,
    }
    return {**{k: v for k, v in sections.items() if v}, "Resources": t.resources}


def counts(template: Template) -> dict[str, int]:
    return {"resources": len(template.resources), "parameters": len(template.parameters), "outputs": len(template.outputs)}


def check_limits(name: str, body: bytes, counted: dict[str, int]) -> None:
    """A last guard: sharding should make these unreachable. ``counted`` comes from ``counts``."""
    bounds = {
        "resources": (counted["resources"], limits.MAX_RESOURCES),
        "parameters": (counted["parameters"], limits.MAX_PARAMETERS),
        "outputs": (counted["outputs"], limits.MAX_OUTPUTS),
        "bytes": (len(body), limits.MAX_BODY_BYTES),
    }
    for what, (count, limit) in bounds.items():
        if count > limit:
            raise BuildError(f"stack {name} has {count} {what}; CloudFormation allows {limit}")
