"""A template constraint's rules name only parameters the product's templates declare.

CloudFormation rules refer to parameters with Ref and Fn::ValueOf
(CloudFormation user guide, "Rules syntax"; Service Catalog admin guide,
"Template Constraint Rules"); a rule that names a parameter the template
lacks fails every launch of the product. Every version whose template the
build can read is checked: file: templates (JSON, or YAML with short-form
tags) and the built-ins. url: templates are not fetched, so they are not
checked. Pseudo parameters (AWS::Region and the like) are the template's
own and always exist.
"""

from __future__ import annotations

from ..loader.files import Refused, read_template
from ..loader.template_parameters import Unreadable, parameter_names
from .finding import Finding

CODE = "semantic/template-parameter"


def _referenced(node, out: set[str]) -> set[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("Ref")
            if isinstance(ref, str) and not ref.startswith("AWS::"):
                out.add(ref)
            value_of = item.get("Fn::ValueOf")
            if isinstance(value_of, list) and value_of and isinstance(value_of[0], str):
                out.add(value_of[0])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _builtin_parameters(name: str, cat) -> set[str] | None:
    """The built-in template's parameters, rendered only when a rule needs them (troposphere is slow to import)."""
    import json

    from ..compiler import builtin

    try:
        return set(json.loads(builtin.render(name, cat)).get("Parameters", {}))
    except Exception:  # a catalogue other rules refuse may not render; they report it, and build renders loudly
        return None


def _declared(version, cat, base_dir, cache: dict) -> set[str] | None:
    source = version.template
    key = (source.kind, source.value)
    if key not in cache:
        if source.kind == "builtin":
            cache[key] = _builtin_parameters(source.value, cat)
        elif source.kind == "file":
            try:
                cache[key] = parameter_names(read_template(base_dir, source.value))
            except (Refused, Unreadable):  # template_files.py reports a file it cannot read
                cache[key] = None
        else:
            cache[key] = None
    return cache[key]


def check(cat, ctx):
    cache: dict = {}
    for pf in cat.portfolios:
        for c in pf.constraints:
            product = cat.product(c.product) if c.kind == "template" else None
            if product is None:
                continue
            readable = [(v, d) for v in product.versions if (d := _declared(v, cat, ctx.base_dir, cache)) is not None]
            if not readable:  # only url: templates: nothing to compare with
                continue
            for rule_name, rule in sorted((c.rules or {}).items()):
                wanted = _referenced(rule, set())
                for version, declared in readable:
                    for missing in sorted(wanted - declared):
                        source = version.template
                        yield Finding(c.path + ("template", "rules", rule_name),
                            f"template constraint on product '{product.name}' in portfolio '{pf.name}' (line {ctx.line(c.path)}): "
                            f"rule '{rule_name}' names parameter '{missing}', which version '{version.name}' "
                            f"({source.kind} {source.value}) does not declare"
                            + (f" (it declares {', '.join(sorted(declared))})" if declared else " (it declares none)"),
                            at_key=True)
