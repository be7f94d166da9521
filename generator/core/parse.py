"""Plain data (from YAML or from the compiled JSON form) to the typed model.

The YAML path validates against the JSON Schema first; the JSON path is
written by the generator itself. Either way a malformed input raises
``ConfigError`` with one message, never a KeyError from deep inside.
"""

from __future__ import annotations

import json
from typing import Any

from . import model as m
from .canonical import by_constraint, by_name, canonical, names, ordered
from .exceptions import ConfigError

COMPILED_FORMAT = "service-catalog-toolkit/compiled-config"
COMPILED_FORMAT_VERSION = 1


def _tags(data: dict | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((data or {}).items()))


def _rule_function(value: Any) -> Any:
    return value  # already in CloudFormation casing (Fn::Equals, Ref)


def _rules(rules: dict) -> dict:
    out = {}
    for name, rule in rules.items():
        body: dict[str, Any] = {}
        if "condition" in rule:
            body["RuleCondition"] = _rule_function(rule["condition"])
        body["Assertions"] = [
            {"Assert": _rule_function(a["assert"]), **({"AssertDescription": a["description"]} if "description" in a else {})}
            for a in rule["assertions"]
        ]
        out[name] = body
    return out


def _constraint(data: dict, path: tuple) -> m.Constraint:
    common = {"product": data["product"], "description": data.get("description", ""), "path": path}
    if "launch" in data:
        launch = data["launch"]
        return m.Constraint(
            kind="launch",
            launch_role_arn=launch.get("role_arn", ""),
            launch_local_role_name=launch.get("local_role_name", ""),
            **common,
        )
    if "template" in data:
        return m.Constraint(kind="template", rules=_rules(data["template"]["rules"]), **common)
    if "tag_update" in data:
        return m.Constraint(kind="tag_update", tag_update=data["tag_update"], **common)
    if "notifications" in data:
        return m.Constraint(kind="notifications", notifications=names(data["notifications"]), **common)
    if "stack_set" in data:
        s = data["stack_set"]
        stack_set = m.StackSet(names(s["accounts"]), names(s["regions"]), s["admin_role"], s["execution_role"],
                               s.get("instance_control", "allowed"))
        return m.Constraint(kind="stack_set", stack_set=stack_set, **common)
    raise ConfigError(f"constraint at {_fmt(path)} has no kind")


def _portfolio(data: dict, path: tuple) -> m.Portfolio:
    share = data.get("share", {})
    return m.Portfolio(
        name=data["name"],
        display_name=data["display_name"],
        provider=data["provider"],
        description=data.get("description", ""),
        tags=_tags(data.get("tags")),
        tag_options=names(data.get("tag_options", ())),
        principals=names(data.get("principals", ())),
        products=names(data.get("products", ())),
        share=m.Share(
            accounts=names(share.get("accounts", ())),
            organizational_units=names(share.get("organizational_units", ())),
            share_tag_options=bool(share.get("share_tag_options", False)),
            path=path + ("share",),
        ),
        constraints=tuple(_constraint(c, path + ("constraints", i)) for i, c in by_constraint(data.get("constraints", ()))),
        path=path,
    )


def _product(data: dict, path: tuple) -> m.Product:
    support = data.get("support", {})
    versions = []
    for i, v in ordered(data["versions"], by_name()):
        vpath = path + ("versions", i)
        (kind, value), = v["template"].items()
        versions.append(m.Version(
            name=v["name"],
            description=v.get("description", ""),
            active=bool(v.get("active", True)),
            template=m.TemplateSource(kind, value, vpath + ("template",)),
            path=vpath,
        ))
    return m.Product(
        name=data["name"],
        display_name=data.get("display_name", data["name"]),
        owner=data["owner"],
        description=data.get("description", ""),
        distributor=data.get("distributor", ""),
        support=m.Support(support.get("email", ""), support.get("url", ""), support.get("description", "")),
        tags=_tags(data.get("tags")),
        tag_options=names(data.get("tag_options", ())),
        versions=tuple(versions),
        path=path,
    )


def _repository(data: dict, path: tuple) -> m.HotfixRepository:
    p = data["parameters"]
    c = p.get("container", {})
    provider = data.get("provider", "codecommit")
    return m.HotfixRepository(
        name=data["name"],
        # The toolkit creates CodeCommit repositories only: another provider's is never created.
        create=bool(data.get("create", provider == "codecommit")),
        branch_prefix=data.get("branch_prefix", m.DEFAULT_BRANCH_PREFIX),
        product=data["product"],
        portfolio=data["portfolio"],
        merge_into=names(data.get("merge_into", m.DEFAULT_MERGE_TARGETS)),
        approvers=names(data.get("approvers", ())),
        approval_notifications=names(data.get("approval_notifications", ())),
        parameters=m.HotfixParameters(
            application_name=p["application_name"],
            ecr_repository=p.get("ecr_repository", p["application_name"]),
            build_image=p.get("build_image", m.DEFAULT_BUILD_IMAGE),
            container=m.Container(
                port=c.get("port", 80), cpu=c.get("cpu", 256),
                memory=c.get("memory", 512), desired_count=c.get("desired_count", 1),
            ),
        ),
        provider=provider,
        full_repository_id=data.get("full_repository_id", ""),
        connection_arn=data.get("connection_arn", ""),
        create_connection=bool(data.get("create_connection", False)),
        webhook_secret=data.get("webhook_secret", ""),
        api_token=data.get("api_token", ""),
        api_url=data.get("api_url", ""),
        path=path,
    )


def _deploy(data: dict | None, stack_prefix: str) -> m.DeploySettings | None:
    if data is None:
        return None
    targets = data.get("stack_set")
    return m.DeploySettings(
        artifacts_bucket=data["artifacts_bucket"],
        artifacts_prefix=data.get("artifacts_prefix", f"{stack_prefix}/"),
        stack_set=m.StackSetTargets(tuple(sorted(targets["organizational_units"])), targets.get("call_as", "DELEGATED_ADMIN"))
        if targets else None,
    )


def catalogue_from_dict(data: dict) -> m.Catalogue:
    """Build the model from plain data that has passed the JSON Schema.

    Every list whose order means nothing is in canonical order (core/canonical.py),
    so the compiler sees the same model however the YAML is ordered; each
    entry's path still points at its place in the file.
    """
    try:
        region = data["region"]
        accounts = tuple(
            m.Account(role, a["id"], a.get("region", region), ("accounts", role), a.get("deploy_role", ""))
            for role in m.ACCOUNT_ROLES if (a := data["accounts"].get(role)) is not None
        )
        hotfix = None
        if "hotfix" in data:
            h = data["hotfix"]
            hotfix = m.Hotfix(
                reconcile_schedule=h.get("reconcile_schedule", m.DEFAULT_RECONCILE_SCHEDULE),
                reserved_concurrency=h.get("reserved_concurrency", False),
                developers=names(h.get("developers", ())),
                repositories=tuple(_repository(r, ("hotfix", "repositories", i)) for i, r in ordered(h["repositories"], by_name())),
                path=("hotfix",),
            )
        return m.Catalogue(
            version=data["version"],
            stack_prefix=data.get("stack_prefix", m.DEFAULT_STACK_PREFIX),
            region=region,
            accounts=accounts,
            tags=_tags(data.get("tags")),
            tag_options=tuple(m.TagOption(t["key"], names(t["values"]), ("tag_options", i))
                              for i, t in ordered(data.get("tag_options", ()), by_name("key"))),
            principals=tuple(m.Principal(p["name"], p["type"], p["arn"], ("principals", i))
                             for i, p in ordered(data.get("principals", ()), by_name())),
            portfolios=tuple(_portfolio(p, ("portfolios", i)) for i, p in ordered(data["portfolios"], by_name())),
            products=tuple(_product(p, ("products", i)) for i, p in ordered(data["products"], by_name())),
            hotfix=hotfix,
            deploy=_deploy(data.get("deploy"), data.get("stack_prefix", m.DEFAULT_STACK_PREFIX)),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigError(f"configuration is malformed: {type(exc).__name__}: {exc}") from exc


def compiled_json(data: dict) -> str:
    """The compiled form the Lambdas load: the validated data in canonical order, plus a header."""
    doc = {"format": COMPILED_FORMAT, "format_version": COMPILED_FORMAT_VERSION, "config": _without_deploy_settings(canonical(data))}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def _without_deploy_settings(data: dict) -> dict:
    """The Lambdas never deploy: a deploy setting must not change their bundles (nor make output/ stale)."""
    data.pop("deploy", None)
    for account in data.get("accounts", {}).values():
        account.pop("deploy_role", None)
    return data


def load_compiled(text: str | bytes) -> m.Catalogue:
    """Load the compiled JSON form with the standard library alone."""
    try:
        doc = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"compiled config is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != COMPILED_FORMAT:
        raise ConfigError(f"compiled config does not declare format {COMPILED_FORMAT!r}")
    if doc.get("format_version") != COMPILED_FORMAT_VERSION:
        raise ConfigError(f"compiled config has format_version {doc.get('format_version')!r}, expected {COMPILED_FORMAT_VERSION}")
    if not isinstance(doc.get("config"), dict):
        raise ConfigError("compiled config has no 'config' object")
    return catalogue_from_dict(doc["config"])


def _fmt(path: tuple) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
