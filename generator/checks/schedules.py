"""The reconcile schedule is an expression EventBridge accepts.

EventBridge user guide, "Using cron and rate expressions to schedule rules"
(eb-scheduled-rule-pattern): rate(value unit) with a positive value, the
unit singular for 1 and plural otherwise; cron(fields) with six fields
(minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
day-of-week 1-7 or SUN-SAT, year 1970-2199), their wildcards, and '?' in
exactly one of day-of-month and day-of-week. CloudFormation takes the
expression as it is and EventBridge refuses it at deploy time otherwise.
"""

from __future__ import annotations

import re

from .finding import Finding

CODE = "semantic/schedule"

_RATE = re.compile(r"^rate\((?P<value>[0-9]+) (?P<unit>minutes?|hours?|days?)\)$")
_MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
_DAYS = "SUN MON TUE WED THU FRI SAT".split()
# name, lowest, highest, names for the values, wildcards beyond , - * and numbers
_FIELDS = (
    ("minutes", 0, 59, (), "/"),
    ("hours", 0, 23, (), "/"),
    ("day-of-month", 1, 31, (), "/?LW"),
    ("month", 1, 12, _MONTHS, "/"),
    ("day-of-week", 1, 7, _DAYS, "?L#"),
    ("year", 1970, 2199, (), "/"),
)


def _value(text: str, low: int, high: int, names: tuple) -> bool:
    if text.upper() in names:
        return True
    return text.isdigit() and low <= int(text) <= high


def _item(item: str, field: tuple) -> str:
    """Why one comma-separated item of a cron field is refused, or ''."""
    name, low, high, names, extra = field
    if item == "*":
        return ""
    if item == "?":
        return "" if "?" in extra else f"'?' is only for day-of-month and day-of-week, not {name}"
    if "/" in item:
        if "/" not in extra:
            return f"'/' is not a wildcard of {name}"
        start, _, step = item.partition("/")
        if not step.isdigit() or int(step) < 1:
            return f"'{item}' needs a positive increment after '/'"
        return "" if start == "*" or _range(start, field) == "" else f"'{item}' starts at a value outside {low}-{high}"
    if name == "day-of-month" and item in ("L", "LW"):
        return ""
    if name == "day-of-month" and item.endswith("W"):
        return "" if _value(item[:-1], low, high, names) else f"'{item}' is not a day of the month followed by W"
    if name == "day-of-week" and item.endswith("L") and item != "L":
        return "" if _value(item[:-1], low, high, names) else f"'{item}' is not a day of the week followed by L"
    if item == "L":
        return "" if "L" in extra else f"'L' is not a wildcard of {name}"
    if "#" in item:
        day, _, nth = item.partition("#")
        ok = "#" in extra and _value(day, low, high, names) and nth.isdigit() and 1 <= int(nth) <= 5
        return "" if ok else f"'{item}' is not a day of the week, '#' and an occurrence from 1 to 5"
    return _range(item, field)


def _range(item: str, field: tuple) -> str:
    name, low, high, names, _ = field
    parts = item.split("-")
    if len(parts) > 2 or not all(_value(p, low, high, names) for p in parts):
        allowed = f"{low}-{high}" + (f" or {names[0]}-{names[-1]}" if names else "")
        return f"'{item}' is not a value of {name} ({allowed})"
    return ""


def problems(expression: str) -> list[str]:
    """Why EventBridge would refuse ``expression``; empty when it accepts it."""
    rate = _RATE.match(expression)
    if expression.startswith("rate("):
        if not rate:
            return ["a rate is rate(VALUE UNIT) with a whole number and minute(s), hour(s) or day(s)"]
        value, unit = int(rate["value"]), rate["unit"]
        if value < 1:
            return ["the rate's value must be 1 or more"]
        if (value == 1) != (not unit.endswith("s")):
            right = unit.rstrip("s") if value == 1 else unit + "s"
            return [f"with a value of {value} the unit is '{right}', not '{unit}'"]
        return []
    body = expression[len("cron("):-1] if expression.startswith("cron(") and expression.endswith(")") else None
    if body is None:
        return ["a schedule is rate(...) or cron(...)"]
    fields = body.split()
    if len(fields) != 6:
        return [f"a cron expression has six fields (minutes hours day-of-month month day-of-week year), not {len(fields)}"]
    found = []
    for text, field in zip(fields, _FIELDS, strict=True):
        items = text.split(",")
        if "#" in text and len(items) > 1:
            found.append(f"a day-of-week with '#' takes one expression, not '{text}'")
        found += [why for why in (_item(item, field) for item in items) if why]
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        found.append("exactly one of day-of-month and day-of-week must be '?' (EventBridge cannot use both, or neither)")
    return found


def check(cat, ctx):
    if not cat.hotfix:
        return
    expression = cat.hotfix.reconcile_schedule
    for why in problems(expression):
        yield Finding(("hotfix", "reconcile_schedule"),
                      f"reconcile_schedule '{expression}' is not an expression EventBridge accepts: {why}")
