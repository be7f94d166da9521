"""Helpers for the deploy and status tests: a built output with deploy settings, and a moto that behaves.

moto 5.2 implements CloudFormation change sets, but in ways that differ
from the real service in what `deploy` relies on; ``faithful_change_sets``
patches exactly those, each with the documented real behaviour:

1. A CREATE change set for a stack in REVIEW_IN_PROGRESS: the real service
   creates it for that same stack (the stack "will be in the
   REVIEW_IN_PROGRESS state until you execute the change set": CreateChangeSet,
   CloudFormation API reference; `aws cloudformation deploy` relies on it,
   awscli/customizations/cloudformation/deployer.py); moto adds a second
   stack of the same name.
2. Executing a change set: the real stack resolves Fn::ImportValue against the
   region's exports and publishes its own outputs and exports
   (Fn::ImportValue, CloudFormation user guide); moto's change-set path does
   neither, so no cross-stack reference would resolve.
3. A resource that fails: the real ExecuteChangeSet call succeeds ("After
   the call successfully completes, CloudFormation starts updating the stack.
   Use the DescribeStacks action to view the status": ExecuteChangeSet, API
   reference), the resource ends CREATE_FAILED (or UPDATE_FAILED) with its
   reason, and the stack rolls back to ROLLBACK_COMPLETE (or
   UPDATE_ROLLBACK_COMPLETE; StackStatus, API reference); moto raises from
   ExecuteChangeSet itself.
4. (Speed only: moto reads every template with PyYAML's pure-Python loader;
   a JSON template is read as JSON first, the same document.)
5. A resource type moto does not implement (Service Catalog's): moto skips
   it, so a Ref to it is empty and an export of it cannot be imported; the
   real service gives every resource a physical id (StackResource
   PhysicalResourceId, API reference; each type's Ref return value, resource
   type reference). Here a skipped resource
   gets a stand-in id (its logical id and its stack's), so the catalogue's
   cross-stack references between products and portfolios resolve.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import yaml
from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing as cfn_parsing

from generator.compiler.build import compile_catalogue
from generator.config_loader import load_config
from generator.deploy.accounts import make_session
from generator.output_writer import write

from .gitflow import GITFLOW

BUCKET = "catalogue-artifacts"
DEPLOY_ROLE = "CatalogueDeployer"


def config_with_deploy(folder: Path, source: Path = GITFLOW, bucket: str = BUCKET, deploy_role: str | None = DEPLOY_ROLE,
                       extra: dict | None = None) -> Path:
    """A copy of a config (and the files beside it) with test deploy settings; returns its path."""
    shutil.copytree(source.parent, folder, dirs_exist_ok=True)
    data = yaml.safe_load(source.read_text())
    data["deploy"] = {"artifacts_bucket": bucket, **(extra or {})}
    for account in data["accounts"].values():
        if deploy_role:
            account["deploy_role"] = deploy_role
        else:
            account.pop("deploy_role", None)
    target = folder / source.name
    target.write_text(yaml.safe_dump(data, sort_keys=False))
    return target


def build(config: Path, output: Path) -> Path:
    write(output, compile_catalogue(load_config(config)).files)
    return output


def built(folder: Path, source: Path = GITFLOW) -> tuple[Path, Path]:
    """A config (the AWS pattern's unless told) with test deploy settings, and its build: (config, output/)."""
    config = config_with_deploy(folder / "config", source)
    return config, build(config, folder / "output")


class StandIn:
    """A resource moto skipped, with a physical id as the real service would give it."""

    def __init__(self, logical_id: str, resource_type: str, stack_id: str) -> None:
        self.logical_resource_id = logical_id
        self.cf_resource_type = resource_type
        self.physical_resource_id = f"{logical_id}-{hashlib.sha256(stack_id.encode()).hexdigest()[:8]}"

    def is_created(self) -> bool:
        return True

    def delete(self, account_id: str, region_name: str) -> None:
        return None


@contextmanager
def faithful_change_sets():
    original_create = cfn_models.CloudFormationBackend.create_change_set
    original_execute = cfn_models.CloudFormationBackend.execute_change_set
    original_parse = cfn_parsing.parse_and_create_resource
    original_update = cfn_parsing.parse_and_update_resource
    failures: list[tuple[str, str, Exception]] = []

    def recording(real):
        def parse(logical_id, resource_json, resources_map, *args, **kwargs):
            try:
                made = real(logical_id, resource_json, resources_map, *args, **kwargs)
            except Exception as exc:
                failures.append((logical_id, resource_json.get("Type", ""), exc))
                raise
            if made is None and resource_json.get("Type") not in cfn_parsing.get_model_map() \
                    and not resource_json.get("Type", "").startswith("Custom::"):
                made = StandIn(logical_id, resource_json["Type"], resources_map.stack_id)  # real behaviour 5
            return made
        return parse

    def create_change_set(self, stack_name, change_set_name, template, parameters, description, change_set_type, **kwargs):
        review = next((s for s in self.stacks.values() if s.name == stack_name and s.status == "REVIEW_IN_PROGRESS"), None)
        if change_set_type != "CREATE" or review is None:
            return original_create(self, stack_name, change_set_name, template, parameters, description, change_set_type, **kwargs)
        # Real behaviour 1: the change set belongs to the stack under review.
        with mock.patch.object(cfn_models, "Stack", lambda **kw: review):
            return original_create(self, stack_name, change_set_name, template, parameters, description, change_set_type, **kwargs)

    def execute_change_set(self, change_set_name, stack_name=None):
        change_set = self.change_sets.get(change_set_name) or next(
            cs for cs in self.change_sets.values() if cs.change_set_name == change_set_name)
        stack = self.stacks[change_set.stack_id]
        stack.resource_map.cross_stack_resources = self.exports  # real behaviour 2: imports resolve
        failures.clear()
        try:
            original_execute(self, change_set_name, stack_name)
        except Exception as exc:
            # Real behaviour 3: the call succeeds, the stack fails and rolls back.
            logical_id, rtype, cause = failures[0] if failures else (stack.name, "AWS::CloudFormation::Stack", exc)
            kind = change_set.change_set_type
            reason = getattr(cause, "message", None) or str(cause)
            event = cfn_models.Event(stack_id=stack.stack_id, stack_name=stack.name, logical_resource_id=logical_id,
                                     physical_resource_id="", resource_type=rtype, resource_status=f"{kind}_FAILED",
                                     resource_status_reason=reason, resource_properties=None)
            stack.events.append(event)
            rollback = "ROLLBACK" if kind == "CREATE" else "UPDATE_ROLLBACK"
            stack._add_stack_event(f"{rollback}_IN_PROGRESS", resource_status_reason="The following resource(s) failed: " + logical_id)
            stack._add_stack_event(f"{rollback}_COMPLETE")
            stack.status = f"{rollback}_COMPLETE"
            change_set.execution_status = "EXECUTE_FAILED"
            return
        stack._parse_template()  # real behaviour 2: outputs and exports published
        stack.output_map = stack._create_output_map()
        for export in stack.exports:
            self.exports[export.name] = export

    original_parse_template = cfn_models.Stack.parse_template

    def parse_template(template):
        try:
            return json.loads(template)
        except (TypeError, ValueError):
            return original_parse_template(template)

    def change_set_template(self):
        self.template_dict = parse_template(self.template)

    with mock.patch.object(cfn_models.CloudFormationBackend, "create_change_set", create_change_set), \
            mock.patch.object(cfn_models.Stack, "parse_template", staticmethod(parse_template)), \
            mock.patch.object(cfn_models.ChangeSet, "_parse_template", change_set_template), \
            mock.patch.object(cfn_models.CloudFormationBackend, "execute_change_set", execute_change_set), \
            mock.patch.object(cfn_parsing, "parse_and_create_resource", recording(original_parse)), \
            mock.patch.object(cfn_parsing, "parse_and_update_resource", recording(original_update)):
        yield


class Recorder:
    """A boto3 session factory that records every CloudFormation call and can interrupt one.

    ``interrupt(operation, params)`` returning True raises KeyboardInterrupt
    just before that call is sent, as a Ctrl-C at that moment would.
    """

    def __init__(self, interrupt=None) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.interrupt = interrupt

    def __call__(self, **kwargs):
        session = make_session(**kwargs)
        session.events.register("provide-client-params.cloudformation", self._seen)
        return session

    def _seen(self, params, model, **kwargs):
        self.calls.append((model.name, dict(params)))
        if self.interrupt and self.interrupt(model.name, params):
            self.interrupt = None
            raise KeyboardInterrupt

    def names(self, operation: str) -> list[str]:
        return [params.get("StackName", "") for op, params in self.calls if op == operation]


def session_in(account_id: str, role: str = DEPLOY_ROLE, region: str = "us-east-1"):
    """A boto3 session in a moto account, through the deploy role (moto maps assumed credentials to the role's account);
    its clients are in ``region`` unless told otherwise."""
    creds = make_session(region_name=region).client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{role}", RoleSessionName="test-setup")["Credentials"]
    return make_session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"], region_name=region)


def prepare_accounts(cat, bucket: str = BUCKET, bucket_region: str | None = None) -> dict:
    """What a customer has before the first deploy: the artifacts bucket (in the home region unless told), and the IAM
    principals the config names."""
    sessions = {a.role: session_in(a.id, region=a.region) for a in cat.accounts}  # each where its stacks are
    region = bucket_region or cat.region
    where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    sessions["tools"].client("s3", region_name=region).create_bucket(Bucket=bucket, **where)
    for principal in cat.principals:
        account_id, name = principal.arn.split(":")[4], principal.arn.rsplit("/", 1)[-1]
        role = next((a.role for a in cat.accounts if a.id == account_id), None)
        if principal.type == "IAM" and ":role/" in principal.arn and role:
            sessions[role].client("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    return sessions
