"""A small evaluator of CloudFormation template-constraint rules, to test what they admit.

Covers the functions the generated rules use: Fn::Equals, Fn::Contains,
Fn::And, Fn::Or, Fn::Not and Ref (to a parameter).
"""

from __future__ import annotations


def value(node, params: dict):
    if isinstance(node, dict):
        (fn, arg), = node.items()
        if fn == "Ref":
            return params[arg]
        if fn == "Fn::Equals":
            return value(arg[0], params) == value(arg[1], params)
        if fn == "Fn::Contains":
            return value(arg[1], params) in [value(x, params) for x in arg[0]]
        if fn == "Fn::And":
            return all(value(x, params) for x in arg)
        if fn == "Fn::Or":
            return any(value(x, params) for x in arg)
        if fn == "Fn::Not":
            return not value(arg[0], params)
        raise ValueError(f"unsupported rule function {fn}")
    if isinstance(node, list):
        return [value(x, params) for x in node]
    return node


def violations(rules: dict, params: dict) -> list[str]:
    """Descriptions of the assertions the parameters break."""
    broken = []
    for name, rule in rules.items():
        if "RuleCondition" in rule and not value(rule["RuleCondition"], params):
            continue
        for assertion in rule["Assertions"]:
            if not value(assertion["Assert"], params):
                broken.append(f"{name}: {assertion.get('AssertDescription', '')}")
    return broken
