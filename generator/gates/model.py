"""A build as the gates see it: every template instantiated where it deploys, and every role with its policies.

Input is the build's files (a fresh compile, or an output folder read
back) plus the templates the build does not contain but its roles deploy
(the example application's ``infra/service.yaml``). Everything is taken
from the templates themselves: which role launches which product (launch
constraints), which role deploys which application template (pipeline
deploy actions), so the gates check what was generated, not what the
compiler meant to generate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .access import Principal
from .intrinsics import Env, Unresolved, resolve, try_resolve
from .policy import statements_of
from .resources import populate, resource_arn
from .templates import parse, resource_lines
from .witness import digest, parameter_value

DEPLOY_TIME = {
    # Witnesses for the parameters the operator passes at deploy time (README, "Deploying the output").
    "ProductTemplateBaseUrl": "https://catalogue-artifacts.s3.amazonaws.com/catalogue",
    "LambdaCodeBucket": "catalogue-artifacts",
    "LambdaCodePrefix": "catalogue/",
}


@dataclass
class Stack:
    """One template deployed in one place (a template deployed to two accounts is two stacks)."""

    path: str  # file the findings name
    body: dict
    env: Env
    kind: str  # manifest kind, "product" or "application"
    label: str
    lines: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)  # stack-level tags, which CloudFormation puts on every resource
    unresolved: list = field(default_factory=list)
    _props: dict = field(default_factory=dict)

    @property
    def resources(self) -> dict:
        return self.body.get("Resources", {}) or {}

    def line(self, lid: str) -> int:
        return self.lines.get(lid, 1)

    def props(self, lid: str) -> dict | None:
        """The resource's properties, resolved; None when something in them cannot be known."""
        if lid not in self._props:
            try:
                self._props[lid] = resolve(self.resources[lid].get("Properties", {}) or {}, self.env)
            except Unresolved as exc:
                self.unresolved.append((lid, str(exc)))
                self._props[lid] = None
        return self._props[lid]

    def of_type(self, *types: str) -> list[str]:
        return sorted(lid for lid, r in self.resources.items() if r.get("Type") in types)

    def arn(self, lid: str) -> str:
        res = self.resources[lid]
        return resource_arn(res.get("Type", ""), self.env.refs.get(lid, ""), {
            k[1]: v for k, v in self.env.attrs.items() if k[0] == lid})


@dataclass(frozen=True)
class Role:
    principal: Principal
    stack: Stack
    lid: str
    service: tuple  # services its trust policy admits


@dataclass
class Deployment:
    """A role that CloudFormation acts through, and the stack it deploys with it."""

    role_arn: str
    stack: Stack
    via: str  # "Service Catalog launch constraint" or "CodePipeline CloudFormation action"
    caller_arn: str = ""  # who starts the stack operations (the pipeline's action role), if not the role itself


@dataclass
class Model:
    stacks: list[Stack]
    roles: dict[str, Role]
    deployments: list[Deployment]
    catalogue: object | None
    problems: list[tuple[str, str]]  # (file, message) for what the gates could not read

    def role(self, arn: str) -> Role | None:
        return self.roles.get(arn)


def _parameters(body: dict, given: dict, env: Env) -> dict:
    """Each parameter's value: the given one (an intrinsic, such as the import of an ARN the build exports, resolved
    where the stack deploys), a deploy-time witness, or a witness of its pattern."""
    out = {}
    for name, spec in (body.get("Parameters") or {}).items():
        value = given[name] if name in given else DEPLOY_TIME.get(name) or parameter_value(name, spec or {})
        out[name] = try_resolve(value, env, "") if isinstance(value, dict) else value
    return out


def _stack(path: str, raw: bytes, env: Env, kind: str, label: str, given: dict) -> Stack:
    body = parse(raw, path)
    env.parameters = _parameters(body, given, env)
    stack = Stack(path, body, env, kind, label, resource_lines(raw))
    return stack


def _exports(stacks: list[Stack]) -> None:
    """Resolve resources and exports until nothing more resolves (stacks import each other's exports)."""
    for _ in range(4):
        exports: dict[tuple, dict] = {}
        for s in stacks:
            populate(s.resources, s.env)
            for output in (s.body.get("Outputs") or {}).values():
                if "Export" in output:
                    name = try_resolve(output["Export"].get("Name"), s.env)
                    value = try_resolve(output.get("Value"), s.env)
                    if name is not None and value is not None:
                        exports.setdefault((s.env.account, s.env.region), {})[name] = value
        changed = False
        for s in stacks:
            new = exports.get((s.env.account, s.env.region), {})
            if new != s.env.imports:
                s.env.imports = dict(new)
                changed = True
        if not changed:
            return


def _attached(stack: Stack) -> dict[str, list[dict]]:
    """Role name -> statements of AWS::IAM::Policy and ManagedPolicy resources that list it in Roles."""
    out: dict[str, list[dict]] = {}
    for lid in stack.of_type("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        props = stack.props(lid) or {}
        for name in props.get("Roles", []) or []:
            out.setdefault(str(name), []).extend(statements_of(props.get("PolicyDocument")))
    return out


def _roles(stacks: list[Stack]) -> dict[str, Role]:
    managed = {}
    for s in stacks:
        for lid in s.of_type("AWS::IAM::ManagedPolicy"):
            props = s.props(lid)
            if props is not None:
                managed[s.env.refs.get(lid)] = statements_of(props.get("PolicyDocument"))
    roles = {}
    for s in stacks:
        attached = _attached(s)
        for lid in s.of_type("AWS::IAM::Role"):
            props = s.props(lid)
            if props is None:
                continue
            statements = [st for p in props.get("Policies", []) or [] for st in statements_of(p.get("PolicyDocument"))]
            for arn in props.get("ManagedPolicyArns", []) or []:
                statements += managed.get(arn, [])
            statements += attached.get(str(s.env.refs.get(lid)), [])
            boundary = props.get("PermissionsBoundary")
            trust = statements_of(props.get("AssumeRolePolicyDocument"))
            services = tuple(sorted({svc for st in trust for svc in _listify((st.get("Principal") or {}).get("Service"))
                                     if isinstance(st.get("Principal"), dict)}))
            arn = s.arn(lid)
            principal = Principal(arn, f"{s.path}:{lid}", tuple(statements),
                                  tuple(managed.get(boundary, ())) if boundary else None, tuple(trust))
            roles.setdefault(arn, Role(principal, s, lid, services))
    return roles


def _listify(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _product_files(stacks: list[Stack]) -> dict[str, list[str]]:
    """Product id (witness) -> template files of its versions (by the LoadTemplateFromURL path)."""
    out: dict[str, list[str]] = {}
    base = DEPLOY_TIME["ProductTemplateBaseUrl"] + "/"
    for s in stacks:
        for lid in s.of_type("AWS::ServiceCatalog::CloudFormationProduct"):
            props = s.props(lid) or {}
            for artifact in props.get("ProvisioningArtifactParameters", []) or []:
                url = str((artifact.get("Info") or {}).get("LoadTemplateFromURL", ""))
                if url.startswith(base):
                    out.setdefault(s.env.refs[lid], []).append(url[len(base):])
    return out


def _launches(stacks: list[Stack]) -> list[tuple[str, str, str]]:
    """(role ARN, product id, account) for every launch constraint."""
    out = []
    for s in stacks:
        for lid in s.of_type("AWS::ServiceCatalog::LaunchRoleConstraint"):
            props = s.props(lid) or {}
            if props.get("LocalRoleName"):
                role = f"arn:{s.env.partition}:iam::{s.env.account}:role/{props['LocalRoleName']}"
            else:
                role = str(props.get("RoleArn", ""))
            out.append((role, str(props.get("ProductId", "")), s.env.account))
    return out


def load(files: dict[str, bytes], extra: dict[str, bytes] | None = None, product_parameters=None) -> Model:
    """``files``: the build (path -> bytes). ``extra``: templates its pipelines deploy, by artifact path
    (``infra/service.yaml``, ``infra/stage.json``). ``product_parameters(path)``: parameter sets for a product
    template (the values the automation passes), or None for witnesses."""
    extra = extra or {}
    problems: list[tuple[str, str]] = []
    manifest = json.loads(files["manifest.json"])
    catalogue = None
    if "config.json" in files:
        from ..core.parse import load_compiled

        catalogue = load_compiled(files["config.json"])
    stacks: list[Stack] = []
    for entry in manifest.get("stacks", []):
        env = Env(entry["account_id"], entry["region"], entry["name"])
        stacks.append(_stack(entry["template"], files[entry["template"]], env, entry.get("kind", ""),
                             f"{entry['name']} ({entry.get('account', '')})", {}))
    _exports(stacks)
    products = _product_files(stacks)
    deployments: list[Deployment] = []
    product_stacks: list[Stack] = []
    for role, product, account in sorted(set(_launches(stacks))):
        for path in products.get(product, []):
            if path not in files:
                continue
            sets = (product_parameters(path) if product_parameters else None) or [{}]
            for i, given in enumerate(sets):
                name = f"SC-{account}-pp-{digest(path, str(i), length=13)}"
                region = manifest.get("region", "us-east-1")
                imports = next((o.env.imports for o in stacks if o.env.account == account), {})
                try:
                    stack = _stack(path, files[path], Env(account, region, name, imports=dict(imports)), "product",
                                   f"{path} (launched)", given)
                except (ValueError, yaml_errors()) as exc:
                    problems.append((path, f"cannot read the template: {exc}"))
                    break
                product_stacks.append(stack)
                deployments.append(Deployment(role, stack, "Service Catalog launch constraint"))
    for s in product_stacks:
        populate(s.resources, s.env)
        s.env.imports = next((o.env.imports for o in stacks if o.env.account == s.env.account), {})
    app_stacks = _applications(stacks + product_stacks, extra, deployments, problems)
    every = stacks + product_stacks + app_stacks
    roles = _roles(every)
    return Model(every, roles, deployments, catalogue, problems)


def yaml_errors():
    import yaml

    return yaml.YAMLError


def _built_image(stack: Stack) -> str:
    """The image the pipeline's build pushes: its project's ECR_REPOSITORY_URI, tagged with a commit."""
    for lid in stack.of_type("AWS::CodeBuild::Project"):
        for var in ((stack.props(lid) or {}).get("Environment") or {}).get("EnvironmentVariables", []) or []:
            if var.get("Name") == "ECR_REPOSITORY_URI":
                return f"{var.get('Value')}:3b2c4f1e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
    return ""


def _applications(pipeline_stacks: list[Stack], extra: dict[str, bytes], deployments: list[Deployment],
                  problems: list) -> list[Stack]:
    """Application stacks the pipelines deploy with CloudFormation actions (template from ``extra``)."""
    out: list[Stack] = []
    seen = set()
    for s in pipeline_stacks:
        for lid in s.of_type("AWS::CodePipeline::Pipeline"):
            props = s.props(lid) or {}
            for stage in props.get("Stages", []) or []:
                for action in stage.get("Actions", []) or []:
                    type_id = action.get("ActionTypeId", {})
                    config = action.get("Configuration", {}) or {}
                    if type_id.get("Provider") != "CloudFormation" or not config.get("RoleArn"):
                        continue
                    template_path = str(config.get("TemplatePath", "")).split("::", 1)[-1]
                    exec_role = str(config["RoleArn"])
                    key = (exec_role, template_path)
                    if key in seen or not template_path:
                        continue
                    seen.add(key)
                    if template_path not in extra:
                        problems.append((s.path, f"the pipeline deploys {template_path}, which was not given to the gates"))
                        continue
                    given = {}
                    overrides = config.get("ParameterOverrides")
                    if isinstance(overrides, str):
                        given.update({k: v for k, v in json.loads(overrides).items() if isinstance(v, str)})
                    image = _built_image(s)
                    if image and "ImageUri" in str(overrides):
                        given["ImageUri"] = image  # what the build action hands over in image.json
                    conf_path = str(config.get("TemplateConfiguration", "")).split("::", 1)[-1]
                    if conf_path in extra:
                        given.update({k: str(v) for k, v in json.loads(extra[conf_path]).get("Parameters", {}).items()})
                    account = exec_role.split(":")[4]
                    region = action.get("Region") or s.env.region
                    env = Env(account, region, str(config.get("StackName", "application")))
                    stack = _stack(template_path, extra[template_path], env, "application",
                                   f"{template_path} ({account})", given)
                    if conf_path in extra:
                        stack.tags = {str(k): str(v) for k, v in json.loads(extra[conf_path]).get("Tags", {}).items()}
                    populate(stack.resources, stack.env)
                    out.append(stack)
                    deployments.append(Deployment(exec_role, stack, "CodePipeline CloudFormation action",
                                                  caller_arn=str(action.get("RoleArn", ""))))
    return out
