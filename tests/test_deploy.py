"""`deploy` against moto: a catalogue from a fresh build into moto accounts, and back again.

The AWS pattern's catalogue (tests/configs/valid/gitflow.yaml) holds every kind of stack; the team's own
(config/portfolios.yaml) is held to what must hold for any catalogue: it deploys, and a second run changes nothing.

moto implements S3, STS (assumed roles land in the role's account), IAM and
CloudFormation change sets; tests/deploy_support.py patches the ways
its change sets differ from the real service (each with its source). Resource
types moto does not know (Service Catalog's) are skipped with a warning. moto
keeps no object checksum, so every "already there" here is judged by the
object's bytes.
"""

from __future__ import annotations

import json

import pytest
from moto import mock_aws

from generator.config_loader import load_config
from generator.deploy import accounts

from . import deploy_support
from .conftest import CONFIG
from .deploy_support import BUCKET, Recorder, build, config_with_deploy, faithful_change_sets, prepare_accounts
from .gitflow import GITFLOW

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")


@pytest.fixture(scope="module")
def pattern(tmp_path_factory):
    """The AWS pattern's catalogue with test deploy settings, built once into a temporary output/."""
    return deploy_support.built(tmp_path_factory.mktemp("pattern"))


@pytest.fixture
def aws():
    with mock_aws(), faithful_change_sets():
        yield


def deploy(config, output, *extra, cli, factory=None, monkeypatch=None):
    """The CLI in-process; ``factory`` records (and may interrupt) every session the run makes."""
    if factory is not None:
        monkeypatch.setattr(accounts, "make_session", factory)
    return cli("deploy", "--config", str(config), "--output", str(output), *extra)


def manifest(output):
    return json.loads((output / "manifest.json").read_text())


def deployed(sessions, entry):
    """The stack's description in its moto account, or None."""
    stacks = sessions[entry["account"]].client("cloudformation", region_name=entry["region"]).describe_stacks()["Stacks"]
    return next((s for s in stacks if s["StackName"] == entry["name"] and s["StackStatus"] != "DELETE_COMPLETE"), None)


@pytest.mark.parametrize("source", [CONFIG, GITFLOW], ids=["the team's catalogue", "the pattern's"])
def test_a_catalogue_deploys_in_manifest_order_and_a_second_run_changes_nothing(source, aws, cli, monkeypatch, tmp_path):
    config, output = deploy_support.built(tmp_path, source)
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    recorder = Recorder()
    code, out, err = deploy(config, output, cli=cli, factory=recorder, monkeypatch=monkeypatch)
    assert code == 0, out + err
    entries = manifest(output)["stacks"]
    # One change set per stack, created in manifest order (the same name may go to several accounts).
    assert recorder.names("CreateChangeSet") == [e["name"] for e in entries]
    assert all(params.get("TemplateURL") and "TemplateBody" not in params
               for op, params in recorder.calls if op == "CreateChangeSet")
    for entry in entries:
        assert deployed(sessions, entry)["StackStatus"] == "CREATE_COMPLETE", entry["id"]
    # Cross-stack references resolved: every export the templates declare exists in the tools account.
    exports = {e["Name"] for e in sessions["tools"].client("cloudformation").list_exports()["Exports"]}
    assert exports and all(name.startswith(cat.stack_prefix + ":") for name in exports)
    objects = sessions["tools"].client("s3").list_objects_v2(Bucket=BUCKET)["KeyCount"]

    again = Recorder()
    code, out, err = deploy(config, output, cli=cli, factory=again, monkeypatch=monkeypatch)
    assert code == 0, out + err
    assert again.names("ExecuteChangeSet") == []
    assert "0 uploaded" in out and f"done: {len(entries)} unchanged" in out
    assert sessions["tools"].client("s3").list_objects_v2(Bucket=BUCKET)["KeyCount"] == objects
    # An empty change set is deleted: reruns leave nothing behind.
    for entry in entries:
        cfn = sessions[entry["account"]].client("cloudformation")
        left = [s for s in cfn.list_change_sets(StackName=entry["name"])["Summaries"] if s["ExecutionStatus"] != "EXECUTE_COMPLETE"]
        assert left == [], entry["id"]


def _first_stack_with_a_named_role(output):
    """The first tools-account stack (manifest order) that creates an IAM role by name, and that name."""
    for entry in manifest(output)["stacks"]:
        template = json.loads((output / entry["template"]).read_text())
        for resource in template["Resources"].values():
            name = resource.get("Properties", {}).get("RoleName")
            if resource["Type"] == "AWS::IAM::Role" and isinstance(name, str):
                return entry, name
    raise AssertionError("the build has no named role")


def test_a_failing_stack_stops_the_run_with_its_reason_and_a_rerun_resumes(pattern, aws, cli, monkeypatch):
    config, output = pattern
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    failing, role = _first_stack_with_a_named_role(output)
    # Made to fail on purpose, as it would in AWS: a role of that name already exists.
    sessions[failing["account"]].client("iam").create_role(RoleName=role, AssumeRolePolicyDocument="{}")
    code, _out, err = deploy(config, output, cli=cli)
    assert code == 1
    assert f"stack {failing['name']} ended ROLLBACK_COMPLETE" in err and role in err and "already exists" in err
    entries = manifest(output)["stacks"]
    later = [e for e in entries if e["order"] > failing["order"]]
    assert all(deployed(sessions, e) is None for e in later), "a stack after the failed one was touched"
    assert all(deployed(sessions, e)["StackStatus"] == "CREATE_COMPLETE" for e in entries if e["order"] < failing["order"])
    assert "not attempted: " + ", ".join(e["name"] for e in later) in err

    # A rerun reports the rolled-back stack with the command that clears it, and deletes nothing.
    code, _out, err = deploy(config, output, cli=cli)
    assert code == 1 and "ROLLBACK_COMPLETE" in err and f"aws cloudformation delete-stack --stack-name {failing['name']}" in err
    assert deployed(sessions, failing)["StackStatus"] == "ROLLBACK_COMPLETE"

    # The person fixes the cause and deletes the stack; the next run picks up where the stacks are.
    sessions[failing["account"]].client("iam").delete_role(RoleName=role)
    sessions[failing["account"]].client("cloudformation").delete_stack(StackName=failing["name"])
    code, _out, err = deploy(config, output, cli=cli)
    assert code == 0, err
    assert all(deployed(sessions, e)["StackStatus"] == "CREATE_COMPLETE" for e in entries)


def test_an_interrupted_run_resumes_with_the_change_set_it_left(pattern, aws, cli, monkeypatch):
    config, output = pattern
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    entries = manifest(output)["stacks"]
    victim = entries[len(entries) // 2]
    # Ctrl-C just before the middle stack's change set is executed.
    seen = []

    def interrupt(operation, params):
        seen.append(operation)
        return operation == "ExecuteChangeSet" and seen.count("ExecuteChangeSet") == victim["order"]

    code, out, err = deploy(config, output, cli=cli, factory=Recorder(interrupt), monkeypatch=monkeypatch)
    assert code == 130
    assert deployed(sessions, victim)["StackStatus"] == "REVIEW_IN_PROGRESS"
    resumed = Recorder()
    code, out, err = deploy(config, output, cli=cli, factory=resumed, monkeypatch=monkeypatch)
    assert code == 0, err
    assert "the change set an earlier run left for review" in out
    # Every stack gets a change set again (empty for those already done) except the one left for review.
    same_name = sum(e["name"] == victim["name"] for e in entries)
    assert len(resumed.names("CreateChangeSet")) == len(entries) - 1
    assert resumed.names("CreateChangeSet").count(victim["name"]) == same_name - 1
    assert all(deployed(sessions, e)["StackStatus"] == "CREATE_COMPLETE" for e in entries)
    assert len([1 for e in entries if deployed(sessions, e)]) == len(entries)  # no second stack of the same name


def _two_free_stacks(output):
    return [e for e in manifest(output)["stacks"] if not e["depends_on"]][:2]


def _operations_of_a_run(config, output, ids, cli, monkeypatch) -> dict[str, int]:
    """Each CloudFormation operation a clean run makes, and how many times."""
    with mock_aws(), faithful_change_sets():
        prepare_accounts(load_config(config).catalogue)
        recorder = Recorder()
        assert deploy(config, output, *ids, cli=cli, factory=recorder, monkeypatch=monkeypatch)[0] == 0
    counts: dict[str, int] = {}
    for op, _params in recorder.calls:
        counts[op] = counts.get(op, 0) + 1
    return counts


def test_a_ctrl_c_before_any_cloudformation_call_leaves_what_a_rerun_finishes(pattern, cli, monkeypatch):
    """Every CloudFormation operation a run makes, interrupted just before its last call is sent: the rerun picks up
    where the stacks are, one stack per name, nothing left behind."""
    config, output = pattern
    pair = _two_free_stacks(output)
    ids = [a for e in pair for a in ("--stack", e["id"])]
    operations = _operations_of_a_run(config, output, ids, cli, monkeypatch)
    assert {"CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DescribeStacks"} <= set(operations)
    for operation, last in sorted(operations.items()):
        with mock_aws(), faithful_change_sets():
            sessions = prepare_accounts(load_config(config).catalogue)
            seen = []

            def interrupt(op, params, operation=operation, last=last, seen=seen):
                seen.append(op)
                return op == operation and seen.count(op) == last

            code, _out, err = deploy(config, output, *ids, cli=cli, factory=Recorder(interrupt), monkeypatch=monkeypatch)
            assert code == 130, (operation, err)
            code, _out, err = deploy(config, output, *ids, cli=cli, factory=Recorder(), monkeypatch=monkeypatch)
            assert code == 0, (operation, err)
            for entry in pair:
                cfn = sessions[entry["account"]].client("cloudformation")
                live = [s for s in cfn.describe_stacks()["Stacks"] if s["StackName"] == entry["name"]]
                assert [s["StackStatus"] for s in live] == ["CREATE_COMPLETE"], (operation, entry["id"])
                left = [c for c in cfn.list_change_sets(StackName=entry["name"])["Summaries"]
                        if c["ExecutionStatus"] != "EXECUTE_COMPLETE"]
                assert left == [], (operation, entry["id"])


def test_no_execute_shows_change_sets_and_holds_what_depends_on_them(pattern, aws, cli, monkeypatch):
    config, output = pattern
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    code, out, err = deploy(config, output, "--no-execute", cli=cli)
    assert code == 0, err
    entries = manifest(output)["stacks"]
    held = [e for e in entries if e["depends_on"]]
    free = [e for e in entries if not e["depends_on"]]
    assert held and free
    assert all(deployed(sessions, e)["StackStatus"] == "REVIEW_IN_PROGRESS" for e in free)
    assert all(deployed(sessions, e) is None for e in held)
    assert out.count("held: waits for") == len(held) and out.count("left for review") == len(free)
    # The reviewed change sets are what the next run executes.
    recorder = Recorder()
    code, out, err = deploy(config, output, cli=cli, factory=recorder, monkeypatch=monkeypatch)
    assert code == 0, err
    assert out.count("the change set an earlier run left for review") == len(free)
    assert all(deployed(sessions, e)["StackStatus"] == "CREATE_COMPLETE" for e in entries)


def test_a_template_over_the_inline_limit_deploys_from_s3(aws, cli, tmp_path, monkeypatch):
    from .conftest import CONFIGS

    config = config_with_deploy(tmp_path / "config", source=CONFIGS / "valid" / "sharded.yaml")
    output = build(config, tmp_path / "output")
    largest = max(manifest(output)["stacks"], key=lambda e: (output / e["template"]).stat().st_size)
    # CloudFormation takes at most 51,200 bytes inline (TemplateBody; CreateChangeSet, API reference).
    assert (output / largest["template"]).stat().st_size > 51_200
    sessions = prepare_accounts(load_config(config).catalogue)
    recorder = Recorder()
    code, _out, err = deploy(config, output, cli=cli, factory=recorder, monkeypatch=monkeypatch)
    assert code == 0, err
    assert deployed(sessions, largest)["StackStatus"] == "CREATE_COMPLETE"
    assert all("TemplateBody" not in params for _, params in recorder.calls)


def test_a_tampered_or_stale_output_is_refused_before_anything_is_uploaded(pattern, aws, cli, tmp_path):
    import shutil

    config, output = pattern
    sessions = prepare_accounts(load_config(config).catalogue)
    copy = tmp_path / "output"
    shutil.copytree(output, copy)
    entry = manifest(copy)["stacks"][0]
    (copy / entry["template"]).write_text((copy / entry["template"]).read_text().replace("Role", "R0le", 1))
    code, _out, err = deploy(config, copy, cli=cli)
    assert code == 1 and entry["template"] in err and "sha256" in err
    assert sessions["tools"].client("s3").list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0

    shutil.rmtree(copy)
    shutil.copytree(output, copy)
    (copy / "notes.txt").write_text("mine")
    code, _out, err = deploy(config, copy, cli=cli)
    assert code == 1 and "notes.txt: the build did not write it" in err

    stale = config.parent / "stale.yaml"
    stale.write_text(config.read_text().replace("Platform team", "Platform guild"))
    code, _out, err = cli("deploy", "--config", str(stale), "--output", str(output))
    assert code == 1 and "is stale" in err
    assert sessions["tools"].client("s3").list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_dry_run_prints_the_plan_and_makes_no_session(pattern, cli, monkeypatch):
    config, output = pattern

    def no_aws(**kwargs):
        raise AssertionError("--dry-run made a session")

    code, out, err = deploy(config, output, "--dry-run", cli=cli, factory=no_aws, monkeypatch=monkeypatch)
    assert code == 0, err
    entries = manifest(output)["stacks"]
    positions = [out.index(f"[{e['order']}/{len(entries)}] {e['name']} ({e['account']}") for e in entries]
    assert positions == sorted(positions)
    assert "role arn:aws:iam::" in out and "ProductTemplateBaseUrl=https://" in out


def test_dry_run_checks_what_a_real_run_checks_and_says_what_no_execute_does(pattern, cli):
    config, output = pattern
    code, out, err = cli("deploy", "--config", str(config), "--output", str(output), "--dry-run", "--profile", "nosuch=x")
    assert code == 1 and "--profile names account role(s) nosuch" in err and not out
    code, out, err = cli("deploy", "--config", str(config), "--output", str(output), "--dry-run", "--no-execute",
                         "--profile", "tools=acme-tools")
    assert code == 0 and "none executed" in out and "executed before the next" not in out
    assert "role arn:aws:iam::" in out and "assumed with profile acme-tools" in out


def test_an_assumed_role_is_assumed_again_before_its_credentials_expire(pattern, aws, cli, monkeypatch):
    """AssumeRole credentials last an hour by default and at most an hour under role chaining (STS API reference,
    AssumeRole DurationSeconds), shorter than a long run; botocore renews RefreshableCredentials in their last 15
    minutes (botocore/credentials.py). Here moto hands out credentials that expire in a minute."""
    from moto.sts import models as sts_models

    config, output = pattern
    sessions = prepare_accounts(load_config(config).catalogue)
    real = sts_models.STSBackend.assume_role
    monkeypatch.setattr(sts_models.STSBackend, "assume_role", lambda self, *args, **kwargs: real(self, *args, **{
        **kwargs, "duration": 60}))
    assumed, make = [], accounts.make_session

    def factory(**kwargs):
        session = make(**kwargs)
        session.events.register("provide-client-params.sts.AssumeRole", lambda params, **kw: assumed.append(params["RoleArn"]))
        return session

    entry = manifest(output)["stacks"][0]
    code, _out, err = deploy(config, output, "--stack", entry["id"], cli=cli, factory=factory, monkeypatch=monkeypatch)
    assert code == 0, err
    assert deployed(sessions, entry)["StackStatus"] == "CREATE_COMPLETE"
    arn = f"arn:aws:iam::{entry['account_id']}:role/{deploy_support.DEPLOY_ROLE}"
    assert assumed.count(arn) > 1, assumed


def test_a_role_that_cannot_be_assumed_stops_the_run_naming_it(pattern, aws, cli, monkeypatch):
    """AssumeRole answers AccessDenied when the role's trust policy does not name the caller (STS API reference)."""
    from moto.core.exceptions import AccessDeniedError
    from moto.sts import models as sts_models

    config, output = pattern
    sessions = prepare_accounts(load_config(config).catalogue)

    def refuse(self, *args, **kwargs):
        raise AccessDeniedError("arn:aws:iam::123456789012:user/ci", "sts:AssumeRole")

    monkeypatch.setattr(sts_models.STSBackend, "assume_role", refuse)
    code, _out, err = deploy(config, output, cli=cli)
    tools = load_config(config).catalogue.account("tools").id
    assert code == 1 and f"cannot reach account 'tools' ({tools}) with role arn:aws:iam::{tools}:role/" in err
    assert "AccessDenied" in err
    assert all(deployed(sessions, e) is None for e in manifest(output)["stacks"])


def test_credentials_of_another_account_stop_the_run(aws, cli, tmp_path):
    # No deploy role: the environment's (moto's default, 123456789012) credentials belong to another account.
    config = config_with_deploy(tmp_path / "config", source=GITFLOW, deploy_role=None)
    output = build(config, tmp_path / "output")
    code, _out, err = deploy(config, output, cli=cli)
    assert code == 1 and "the config's account 'tools' is" in err and "--profile tools=NAME" in err


# Another tool's upload: no checksum stored (moto keeps none either), maybe metadata that claims anything.
@pytest.mark.parametrize("metadata", [{}, {"sha256": "0" * 64}, "the output's own"])
def test_a_product_template_already_published_differently_is_refused(pattern, aws, cli, metadata):
    config, output = pattern
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    upload = next(u for u in manifest(output)["uploads"] if "product" in u)
    key = f"{cat.stack_prefix}/{upload['path']}"
    metadata = {"sha256": upload["sha256"]} if metadata == "the output's own" else metadata
    sessions["tools"].client("s3").put_object(Bucket=BUCKET, Key=key, Body=b"{}", Metadata=metadata)
    code, _out, err = deploy(config, output, cli=cli)
    assert code == 1 and key in err and "new version" in err
    assert all(deployed(sessions, e) is None for e in manifest(output)["stacks"])
    assert sessions["tools"].client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"{}"


def test_objects_another_tool_uploaded_are_judged_by_their_bytes(pattern, aws, cli):
    """The same bytes without a stored checksum are already there; other bytes under a bundle's key are replaced."""
    config, output = pattern
    cat = load_config(config).catalogue
    s3 = prepare_accounts(cat)["tools"].client("s3")
    uploads = manifest(output)["uploads"]
    product = next(u for u in uploads if "product" in u)
    bundle = next(u for u in uploads if "function" in u)
    s3.put_object(Bucket=BUCKET, Key=f"{cat.stack_prefix}/{product['path']}", Body=(output / product["path"]).read_bytes())
    s3.put_object(Bucket=BUCKET, Key=f"{cat.stack_prefix}/{bundle['path']}", Body=b"truncated", Metadata={"sha256": bundle["sha256"]})
    code, out, err = deploy(config, output, "--stack", product["stack"], "--stack", bundle["stack"], "--no-execute", cli=cli)
    assert code == 0, err
    assert ", 1 already there" in out
    assert s3.get_object(Bucket=BUCKET, Key=f"{cat.stack_prefix}/{bundle['path']}")["Body"].read() == (output / bundle["path"]).read_bytes()


def test_stackset_mode_replaces_the_per_account_workload_stacks_with_one_step_in_their_place(cli, tmp_path):
    config = config_with_deploy(tmp_path / "config", extra={"stack_set": {"organizational_units": ["ou-ab12-cd34ef56"]}})
    output = build(config, tmp_path / "output")
    code, out, err = cli("deploy", "--config", str(config), "--output", str(output), "--stackset", "--dry-run")
    assert code == 0, err
    entries = manifest(output)["stacks"]
    workload = [e for e in entries if e["kind"] == "workload-prerequisites"]
    assert len(workload) > 1
    assert out.count("StackSet across organizational units") == 1
    steps = [line for line in out.splitlines() if line.startswith("  [")]
    assert len(steps) == len(entries) - len(workload) + 1
    stackset_at = next(i for i, line in enumerate(steps) if "StackSet" in line)
    dependents = [i for i, line in enumerate(steps) for e in entries
                  if any(d in {w["id"] for w in workload} for d in e["depends_on"]) and f"] {e['name']} (" in line]
    assert dependents and all(i > stackset_at for i in dependents)
    # Without organizational units to target, --stackset is a usage error before anything runs.
    plain = config_with_deploy(tmp_path / "plain")
    code, out, err = cli("deploy", "--config", str(plain), "--output", str(output), "--stackset", "--dry-run")
    assert code == 2 and "deploy.stack_set.organizational_units" in err


@pytest.mark.parametrize("deploy_section, message", [
    ({"artifacts_bucket": "my.dotted.bucket"}, "artifacts_bucket"),
    ({"artifacts_bucket": "bucket-ok", "artifacts_prefix": "no-trailing-slash"}, "artifacts_prefix"),
    # A URL resolves dot segments away (RFC 3986, 5.2.4 Remove Dot Segments): the key read would not be the one uploaded.
    ({"artifacts_bucket": "bucket-ok", "artifacts_prefix": "../"}, "artifacts_prefix"),
    ({"artifacts_bucket": "bucket-ok", "artifacts_prefix": "sc/./x/"}, "artifacts_prefix"),
    ({"artifacts_bucket": "bucket-ok", "stack_set": {"organizational_units": ["ou-nope"]}}, "organizational_units"),
    ({"artifacts_prefix": "sc/"}, "artifacts_bucket"),
])
def test_deploy_settings_are_validated_with_their_position(cli, tmp_path, deploy_section, message):
    import yaml

    config = config_with_deploy(tmp_path / "config")
    data = yaml.safe_load(config.read_text())
    data["deploy"] = deploy_section
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    code, _out, err = cli("validate", "--config", str(config))
    assert code == 1 and message in err and f"{config}:" in err


def test_deploy_settings_change_no_byte_of_the_output(tmp_path):
    from generator.compiler.build import compile_catalogue

    plain = config_with_deploy(tmp_path / "a", deploy_role=None)
    other = config_with_deploy(tmp_path / "b", bucket="another-bucket", deploy_role="SomeoneElse",
                               extra={"artifacts_prefix": "x/", "stack_set": {"organizational_units": ["r-abcd"]}})
    assert compile_catalogue(load_config(plain)).files == compile_catalogue(load_config(other)).files


def test_a_stack_whose_dependency_is_outside_the_run_and_not_deployed_is_refused(pattern, aws, cli):
    config, output = pattern
    sessions = prepare_accounts(load_config(config).catalogue)
    dependent = next(e for e in manifest(output)["stacks"] if e["depends_on"])
    code, _out, err = deploy(config, output, "--stack", dependent["id"], cli=cli)
    assert code == 1 and f"{dependent['name']} depends on" in err and "not deployed: deploy it first" in err
    assert deployed(sessions, dependent) is None


def test_under_stackset_a_stack_whose_stackset_is_not_deployed_is_refused(aws, cli, tmp_path):
    """The tools stacks name the workload roles; without the StackSet they would be created against roles that do not
    exist (DescribeStackSet answers StackSetNotFoundException, API reference)."""
    config = config_with_deploy(tmp_path / "config", extra={"stack_set": {"organizational_units": ["ou-ab12-cd34ef56"]}})
    output = build(config, tmp_path / "output")
    sessions = prepare_accounts(load_config(config).catalogue)
    workload = {e["id"] for e in manifest(output)["stacks"] if e["kind"] == "workload-prerequisites"}
    dependent = next(e for e in manifest(output)["stacks"] if workload & set(e["depends_on"]))
    code, _out, err = deploy(config, output, "--stackset", "--stack", dependent["id"], cli=cli)
    assert code == 1 and "whose StackSet is not deployed" in err, err
    assert deployed(sessions, dependent) is None


def test_on_a_terminal_progress_is_a_live_bar_and_failures_still_print():
    import io

    from rich.console import Console

    from generator.deploy import progress

    live = progress.Live(io.StringIO())
    screen = io.StringIO()
    live.console = Console(file=screen, force_terminal=True, width=100)
    with live.stack("sc-products", 2) as watch:
        watch.events([{"EventId": "1", "LogicalResourceId": "ProductA", "ResourceStatus": "CREATE_COMPLETE"},
                      {"EventId": "2", "LogicalResourceId": "ProductB", "ResourceStatus": "CREATE_FAILED",
                       "ResourceStatusReason": "Access denied"}])
    assert "ProductB CREATE_FAILED: Access denied" in screen.getvalue() and "\x1b[" in screen.getvalue()
    plain = io.StringIO()
    with progress.Plain(plain).stack("sc-products", 2) as watch:
        watch.events([{"EventId": "2", "LogicalResourceId": "ProductB", "ResourceStatus": "CREATE_FAILED",
                       "ResourceStatusReason": "Access denied"}])
    assert plain.getvalue() == "    ProductB CREATE_FAILED: Access denied\n"


def _in_region(tmp_path, region):
    import yaml

    config = config_with_deploy(tmp_path / "config")
    data = yaml.safe_load(config.read_text())
    data["region"] = region
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    return config, build(config, tmp_path / "output")


def test_outside_us_east_1_every_url_names_the_home_region(aws, cli, tmp_path, monkeypatch):
    """The regional virtual-hosted form https://BUCKET.s3.REGION.amazonaws.com/KEY (S3 user guide, "Virtual hosting of
    buckets"), the bucket's own region: one region in the URL and another in the bucket is a PermanentRedirect."""
    config, output = _in_region(tmp_path, "eu-west-1")
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    products = next(e for e in manifest(output)["stacks"] if "ProductTemplateBaseUrl" in e["parameters"])
    recorder = Recorder()
    code, _out, err = deploy(config, output, "--stack", products["id"], cli=cli, factory=recorder, monkeypatch=monkeypatch)
    assert code == 0, err
    base = f"https://{BUCKET}.s3.eu-west-1.amazonaws.com/{cat.deploy.artifacts_prefix}"
    assert [params["TemplateURL"].startswith(base) for op, params in recorder.calls if op == "CreateChangeSet"] == [True]
    stack = sessions["tools"].client("cloudformation", region_name="eu-west-1").describe_stacks(StackName=products["name"])
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Stacks"][0]["Parameters"]} == {
        "ProductTemplateBaseUrl": base.rstrip("/")}


def test_a_bucket_in_another_region_is_refused_before_anything_is_uploaded(aws, cli, tmp_path):
    """Lambda takes code only from a bucket in the function's region (Lambda API reference, FunctionCode.S3Bucket);
    HeadBucket names the bucket's region (S3 API reference)."""
    config, output = _in_region(tmp_path, "eu-west-1")
    sessions = prepare_accounts(load_config(config).catalogue, bucket_region="us-east-1")
    code, _out, err = deploy(config, output, cli=cli)
    assert code == 1 and f"bucket {BUCKET} is in us-east-1, not in the home region eu-west-1" in err
    assert sessions["tools"].client("s3").list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_a_missing_bucket_is_named_before_any_stack_is_touched(aws, cli, tmp_path):
    config = config_with_deploy(tmp_path / "config", bucket="no-such-bucket")
    output = build(config, tmp_path / "output")
    sessions = prepare_accounts(load_config(config).catalogue, bucket="another-bucket")
    code, _out, err = deploy(config, output, cli=cli)
    assert code == 1 and "bucket no-such-bucket does not exist" in err
    assert all(deployed(sessions, e) is None for e in manifest(output)["stacks"])


def _profiles(tmp_path, monkeypatch, cat) -> dict[str, str]:
    """An AWS config file as a team has one: a base profile and, per account, a profile that assumes a role there
    (AWS CLI User Guide, "Use an IAM role in the AWS CLI": role_arn with source_profile). moto maps the assumed
    credentials to the role's account, as AWS does."""
    lines = ["[profile base]", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key = not-a-secret"]
    for account in cat.accounts:
        lines += [f"[profile team-{account.role}]", f"role_arn = arn:aws:iam::{account.id}:role/admin", "source_profile = base"]
    (tmp_path / "aws-config").write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    return {a.role: f"team-{a.role}" for a in cat.accounts}


def test_named_profiles_carry_the_run_into_each_account(aws, cli, monkeypatch, tmp_path):
    # No deploy role: each account is reached through the profile --profile names for it, read from the config file
    # by botocore itself (the real session, no factory).
    config = config_with_deploy(tmp_path / "config", source=GITFLOW, deploy_role=None)
    output = build(config, tmp_path / "output")
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    profiles = _profiles(tmp_path, monkeypatch, cat)
    args = [arg for role, name in sorted(profiles.items()) for arg in ("--profile", f"{role}={name}")]
    code, out, err = deploy(config, output, *args, cli=cli)
    assert code == 0, out + err
    for entry in manifest(output)["stacks"]:
        assert deployed(sessions, entry)["StackStatus"] == "CREATE_COMPLETE", entry["id"]


@pytest.mark.parametrize("which", ["another account's", "missing"])
def test_a_profile_of_the_wrong_account_or_none_stops_the_run_before_any_change(aws, cli, monkeypatch, tmp_path, which):
    config = config_with_deploy(tmp_path / "config", source=GITFLOW, deploy_role=None)
    output = build(config, tmp_path / "output")
    cat = load_config(config).catalogue
    sessions = prepare_accounts(cat)
    profiles = _profiles(tmp_path, monkeypatch, cat)
    other = next(a for a in cat.accounts if a.role != "tools" and a.id != cat.account("tools").id)
    name = profiles[other.role] if which == "another account's" else "nosuch"
    code, out, err = deploy(config, output, "--profile", f"tools={name}", cli=cli)
    assert code == 1, out + err
    if which == "missing":
        assert f"cannot reach account 'tools' ({cat.account('tools').id}) with profile 'nosuch'" in err
    else:
        assert f"profile '{name}' belong to account {other.id}, but the config's account 'tools' is" in err
    assert all(deployed(sessions, e) is None for e in manifest(output)["stacks"])
