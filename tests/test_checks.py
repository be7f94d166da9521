"""Each semantic rule on its own, on a catalogue built in memory."""

from __future__ import annotations

import copy

import pytest

from generator import checks
from generator.core.parse import catalogue_from_dict

BASE = {
    "version": 1,
    "region": "us-east-1",
    "accounts": {"tools": {"id": "111111111111"}, "stage": {"id": "222222222222"}, "prod": {"id": "333333333333"}},
    "principals": [{"name": "devs", "type": "IAM", "arn": "arn:aws:iam::111111111111:role/Devs"}],
    "tag_options": [{"key": "env", "values": ["dev"]}],
    "portfolios": [
        {"name": "apps", "display_name": "Apps", "provider": "P", "principals": ["devs"], "tag_options": ["env"],
         "products": ["app"], "constraints": [{"product": "app", "launch": {"local_role_name": "L"}}]},
        {"name": "hotfix", "display_name": "Hotfix", "provider": "P", "products": ["hotfix-pipeline"],
         "constraints": [{"product": "hotfix-pipeline", "launch": {"local_role_name": "HotfixLaunch"}}]},
    ],
    "products": [
        {"name": "app", "owner": "P", "versions": [{"name": "v1", "template": {"url": "https://example.com/a.yaml"}}]},
        {"name": "hotfix-pipeline", "owner": "P", "versions": [{"name": "v1", "template": {"builtin": "hotfix-pipeline"}}]},
    ],
    "hotfix": {"developers": ["devs"], "repositories": [
        {"name": "repo", "product": "hotfix-pipeline", "portfolio": "hotfix", "approvers": ["devs"],
         "parameters": {"application_name": "app"}}]},
}


def findings(data):
    return [(code, f.message) for code, f in checks.findings(catalogue_from_dict(data))]


def only(data, code):
    found = findings(data)
    assert found, "expected a finding"
    assert {c for c, _ in found} == {code}, found
    return [m for _, m in found]


@pytest.fixture
def data():
    return copy.deepcopy(BASE)


def test_base_is_clean(data):
    assert findings(data) == []


def test_duplicate_names_are_reported_once_per_extra(data):
    data["products"].append(copy.deepcopy(data["products"][0]))
    data["products"][-1]["display_name"] = "Other"
    assert only(data, "semantic/duplicate-name") == ["product 'app' is defined twice: first at line 1, again at line 1"]


def test_duplicate_versions_within_one_product(data):
    data["products"][0]["versions"].append({"name": "v1", "template": {"url": "https://example.com/b.yaml"}})
    assert "version 'v1' is defined twice" in only(data, "semantic/duplicate-name")[0]


@pytest.mark.parametrize("mutate, fragment", [
    (lambda d: d["portfolios"][0]["products"].append("ghost"), "lists product 'ghost', which is not defined"),
    (lambda d: d["portfolios"][0]["principals"].append("ops"), "grants principal 'ops', which is not defined"),
    (lambda d: d["portfolios"][0]["tag_options"].append("team"), "uses tag option 'team', which is not defined"),
    (lambda d: d["portfolios"][0].update(share={"accounts": ["qa"]}), "is shared with account 'qa', which is not defined"),
    (lambda d: d["products"][0].update(tag_options=["size"]), "product 'app' (line 1) uses tag option 'size'"),
    (lambda d: d["hotfix"]["repositories"][0].update(product="nope"), "provisions product 'nope', which is not defined"),
    (lambda d: d["hotfix"]["repositories"][0].update(portfolio="nope"), "uses portfolio 'nope', which is not defined"),
    (lambda d: d["hotfix"]["repositories"][0].update(approvers=["x"]), "names approver 'x', which is not defined"),
    (lambda d: d["hotfix"].update(developers=["x"]), "names developer principal 'x', which is not defined"),
    (lambda d: d["portfolios"][0]["constraints"].append({"product": "hotfix-pipeline", "tag_update": "allowed"}),
     "which does not list that product"),
])
def test_unresolved_references(data, mutate, fragment):
    mutate(data)
    messages = only(data, "semantic/unresolved-reference")
    assert any(fragment in m for m in messages), messages


def test_stack_set_account_roles_resolve(data):
    data["portfolios"][0]["constraints"] = [{"product": "app", "stack_set": {
        "accounts": ["qa", "444444444444"], "regions": ["us-east-1"],
        "admin_role": "arn:aws:iam::111111111111:role/A", "execution_role": "E"}}]
    assert only(data, "semantic/unresolved-reference") == [
        "stack set constraint on 'app' (line 1) targets account 'qa', which is not defined"]


def test_reused_account_id(data):
    data["accounts"]["prod"]["id"] = "222222222222"
    assert "same id 222222222222 as account 'stage'" in only(data, "semantic/account-reused")[0]


def test_principal_type_must_match_arn(data):
    data["principals"].append({"name": "pattern", "type": "IAM_PATTERN", "arn": "arn:aws:iam::111111111111:role/X*"})
    data["principals"].append({"name": "wild", "type": "IAM", "arn": "arn:aws:iam:::role/X*"})
    messages = only(data, "semantic/principal-arn")
    assert len(messages) == 2
    assert "must leave the account empty" in messages[0] and "use type IAM_PATTERN" in messages[1]


@pytest.mark.parametrize("extra, fragment", [
    ({"launch": {"role_arn": "arn:aws:iam::111111111111:role/R"}}, "second launch constraint"),
    ({"stack_set": {"accounts": ["stage"], "regions": ["us-east-1"], "admin_role": "arn:aws:iam::111111111111:role/A",
                    "execution_role": "E"}}, "both a launch and a stack_set constraint"),
])
def test_constraint_conflicts(data, extra, fragment):
    data["portfolios"][0]["constraints"].append({"product": "app", **extra})
    assert fragment in only(data, "semantic/constraint-conflict")[0]


def test_two_template_constraints_are_allowed(data):
    rule = {"assertions": [{"assert": {"Fn::Equals": ["a", "a"]}}]}
    data["portfolios"][0]["constraints"] += [{"product": "app", "template": {"rules": {"R": rule}}},
                                             {"product": "app", "template": {"rules": {"S": rule}}}]
    assert findings(data) == []


def test_two_template_constraints_with_the_same_rule_names_are_refused(data):
    # They would be one resource twice (the id comes from the rule names): the build crashed with exit 70.
    rule = {"assertions": [{"assert": {"Fn::Equals": ["a", "a"]}}]}
    other = {"assertions": [{"assert": {"Fn::Equals": ["b", "b"]}}]}
    data["portfolios"][0]["constraints"] += [{"product": "app", "template": {"rules": {"R": rule, "S": rule}}},
                                             {"product": "app", "template": {"rules": {"S": other, "R": rule}}}]
    assert "same rule names (R, S)" in only(data, "semantic/constraint-conflict")[0]


def test_a_portfolio_named_like_a_part_of_another_is_refused(data):
    """Part stacks are {prefix}-portfolio-{name}-partN, N without leading zeros (compiler/sharding.named_shards)."""
    first = data["portfolios"][0]
    for name in ("-part7", "-part0", "-part12"):
        clash = copy.deepcopy(data)
        clash["portfolios"].append({**copy.deepcopy(first), "name": first["name"] + name, "display_name": "Other"})
        assert f"would share the stack name sc-portfolio-{first['name']}{name}" in only(clash, "semantic/stack-name")[0]
    for name in ("-part01", "-part", "-parts1", "-part-1"):
        fine = copy.deepcopy(data)
        fine["portfolios"].append({**copy.deepcopy(first), "name": first["name"] + name, "display_name": "Other"})
        assert findings(fine) == [], name


def test_merge_target_with_hotfix_prefix(data):
    data["hotfix"]["repositories"][0]["merge_into"] = ["main", "hotfix-release"]
    assert "starts with the hotfix prefix 'hotfix-'" in only(data, "semantic/merge-target")[0]


def test_merge_target_respects_custom_prefix(data):
    data["hotfix"]["repositories"][0].update(branch_prefix="fix/", merge_into=["main", "hotfix-release"])
    assert findings(data) == []


def test_hotfix_portfolio_must_not_grant_principals(data):
    data["portfolios"][1]["principals"] = ["devs"]
    assert "must list no principals" in only(data, "semantic/hotfix-access")[0]


def test_hotfix_product_in_another_portfolio_with_principals(data):
    data["portfolios"][0]["products"].append("hotfix-pipeline")
    assert "lists hotfix product 'hotfix-pipeline', which belongs only in portfolio 'hotfix'" in \
        only(data, "semantic/hotfix-reach")[0]


def test_hotfix_product_needs_active_version(data):
    data["products"][1]["versions"][0]["active"] = False
    assert "has no active version" in only(data, "semantic/no-active-version")[0]


def test_tag_limit_counts_shared_tags(data):
    data["tags"] = {f"k{i}": "v" for i in range(15)}
    data["products"][0]["tags"] = {f"p{i}": "v" for i in range(6)}
    assert "has 21 tags with the top-level ones" in only(data, "semantic/tag-limit")[0]


def test_tag_override_does_not_count_twice(data):
    data["tags"] = {f"k{i}": "v" for i in range(20)}
    data["products"][0]["tags"] = {"k0": "other"}
    assert findings(data) == []


def test_organizational_unit_share_is_refused_with_reason(data):
    data["portfolios"][0]["share"] = {"organizational_units": ["ou-ab12-cd34ef56"]}
    assert "CloudFormation cannot create organization shares" in only(data, "semantic/unsupported-share")[0]


def test_template_file_must_exist(data, tmp_path):
    (tmp_path / "t.yaml").write_text("Resources: {}\n")
    data["products"][0]["versions"] = [{"name": "v1", "template": {"file": "t.yaml"}},
                                       {"name": "v2", "template": {"file": "gone.yaml"}}]
    cat = catalogue_from_dict(data)
    found = [(c, f.message) for c, f in checks.findings(cat, base_dir=tmp_path)]
    assert len(found) == 1 and found[0][0] == "semantic/template-missing" and "'gone.yaml'" in found[0][1]


def test_every_rule_has_a_code_and_a_test():
    codes = {rule.CODE for rule in checks.RULES}
    assert len(codes) == len(checks.RULES)
    tested = open(__file__, encoding="utf-8").read()
    assert all(code in tested for code in codes), sorted(c for c in codes if c not in tested)


def test_hotfix_developers_and_approvers_are_tools_account_iam_principals(data):
    data["principals"].append({"name": "others", "type": "IAM", "arn": "arn:aws:iam::999999999999:role/Others"})
    data["principals"].append({"name": "pattern", "type": "IAM_PATTERN", "arn": "arn:aws:iam:::role/Dev*"})
    data["hotfix"]["developers"] = ["others"]
    data["hotfix"]["repositories"][0]["approvers"] = ["pattern"]
    messages = only(data, "semantic/hotfix-principal")
    assert len(messages) == 2
    assert "developer 'others'" in messages[0] and "approver 'pattern'" in messages[1]


def test_pipelines_deploy_in_the_home_region(data):
    data["accounts"]["prod"]["region"] = "eu-west-1"
    assert "is in region eu-west-1" in only(data, "semantic/pipeline-region")[0]


def test_other_regions_are_fine_without_pipelines(data):
    del data["hotfix"]
    data["portfolios"][1]["principals"] = ["devs"]
    data["products"][1]["versions"][0]["template"] = {"url": "https://example.com/p.yaml"}
    data["accounts"]["prod"]["region"] = "eu-west-1"
    assert findings(data) == []


def test_built_in_pipelines_deploy_in_the_home_region_without_a_hotfix_section_too(data):
    del data["hotfix"]
    data["portfolios"][1]["principals"] = ["devs"]
    data["products"][1]["versions"][0]["template"] = {"builtin": "main-pipeline"}
    data["accounts"]["prod"]["region"] = "eu-west-1"
    assert "is in region eu-west-1" in only(data, "semantic/pipeline-region")[0]


def test_hotfix_product_must_use_the_builtin_template(data):
    data["products"][1]["versions"].append({"name": "v2", "template": {"url": "https://example.com/custom.yaml"}})
    assert "must use 'builtin: hotfix-pipeline'" in only(data, "semantic/hotfix-template")[0]
    data["products"][1]["versions"][1]["active"] = False
    assert findings(data) == []


def test_hotfix_product_needs_a_launch_constraint(data):
    data["portfolios"][1]["constraints"] = []
    assert "has no launch constraint on product 'hotfix-pipeline'" in only(data, "semantic/hotfix-launch-role")[0]


def test_an_ecr_repository_belongs_to_one_application(data):
    repo = data["hotfix"]["repositories"][0]
    repo["parameters"]["ecr_repository"] = "shared"
    data["hotfix"]["repositories"].append({**repo, "name": "other", "parameters": {"application_name": "other", "ecr_repository": "shared"}})
    assert "give each application its own ECR repository" in only(data, "semantic/ecr-repository-shared")[0]


def test_sharing_with_the_tools_account_itself(data):
    data["portfolios"][0]["share"] = {"accounts": ["stage", "111111111111"]}
    assert "the tools account 111111111111 that holds it" in only(data, "semantic/share-to-self")[0]


def test_boolean_tag_keys_are_refused(data):
    # Found by the random-catalogue lint test: cfn-lint (E3024) compares a tag
    # key "false" equal to every other key, so such a build was never lint clean.
    data["tags"] = {"false": "x", "owner": "y"}
    messages = only(data, "semantic/tag-limit")
    assert len(messages) == 4 and all("reads as a boolean" in m for m in messages)


# Issue 11, "the hotfix product reached another way": every path to the hotfix
# product or its template other than the lifecycle Lambda is refused.
SECOND = {"name": "more", "display_name": "More", "provider": "P", "products": ["hotfix-pipeline"]}


@pytest.mark.parametrize("mutate, code, fragment", [
    (lambda d: d["portfolios"][1].update(share={"accounts": ["stage"]}), "semantic/hotfix-reach",
     "holds the hotfix pipeline product and is shared with other accounts"),
    (lambda d: d["portfolios"].append(dict(SECOND)), "semantic/hotfix-reach",
     "lists hotfix product 'hotfix-pipeline', which belongs only in portfolio 'hotfix'"),
    (lambda d: d["portfolios"].append({**SECOND, "share": {"accounts": ["stage"]}}), "semantic/hotfix-reach",
     "in a second portfolio its principals, shares and constraints would be another way"),
    (lambda d: d["portfolios"].append({**SECOND, "constraints": [
        {"product": "hotfix-pipeline", "launch": {"local_role_name": "HotfixLaunch"}},
        {"product": "hotfix-pipeline", "template": {"rules": {"R": {"assertions": [{"assert": {"Fn::Equals": ["a", "a"]}}]}}}}]}),
     "semantic/hotfix-reach", "which belongs only in portfolio 'hotfix'"),
    (lambda d: (d["products"].append({"name": "pipes", "owner": "P", "versions": [
        {"name": "v1", "template": {"builtin": "hotfix-pipeline"}}]}), d["portfolios"][0]["products"].append("pipes")),
     "semantic/hotfix-reach", "uses the built-in hotfix pipeline, but no hotfix repository provisions product 'pipes'"),
    (lambda d: d["portfolios"][1].update(principals=["devs"]), "semantic/hotfix-access", "must list no principals"),
    # The hotfix product's power is its generated launch role (pipeline roles that may assume the production
    # deploy roles): any other template launched with it reaches production without approvers.
    (lambda d: d["portfolios"][0]["constraints"][0]["launch"].update(local_role_name="HotfixLaunch"),
     "semantic/launch-role-reach", "product 'app' in portfolio 'apps' launches with role 'HotfixLaunch'"),
    (lambda d: d["portfolios"][0]["constraints"][0].update(launch={"role_arn": "arn:aws:iam::111111111111:role/HotfixLaunch"}),
     "semantic/launch-role-reach", "product 'app' in portfolio 'apps' launches with role 'HotfixLaunch'"),
    (lambda d: (d["products"][0]["versions"].append({"name": "v2", "template": {"builtin": "main-pipeline"}}),
                d["portfolios"][0]["constraints"][0]["launch"].update(local_role_name="HotfixLaunch")),
     "semantic/launch-role-reach", "launches with role 'HotfixLaunch'"),
], ids=["shared-portfolio", "second-portfolio", "second-portfolio-shared", "second-portfolio-with-constraints",
        "builtin-template-elsewhere", "principals", "hotfix-launch-role-on-another-product",
        "hotfix-launch-role-arn-on-another-product", "hotfix-launch-role-on-a-product-with-one-builtin-version"])
def test_every_other_way_to_the_hotfix_product_is_refused(data, mutate, code, fragment):
    mutate(data)
    assert any(fragment in m for m in only(data, code))


def test_a_hotfix_portfolio_shared_only_with_organizational_units_is_refused_too(data):
    data["portfolios"][1]["share"] = {"organizational_units": ["ou-ab12-cd34ef56"]}
    assert any(c == "semantic/hotfix-reach" for c, _ in findings(data))


@pytest.mark.parametrize("mutate", [
    lambda d: d["portfolios"][0]["constraints"].append({"product": "app", "launch": {"local_role_name": "l"}}),
    lambda d: d["portfolios"][0]["constraints"][0]["launch"].update(local_role_name="SC-Automation-Lifecycle"),
    lambda d: d["principals"].append({"name": "devs2", "type": "IAM", "arn": "arn:aws:iam::111111111111:role/devs"}),
    lambda d: d["portfolios"][1]["constraints"][0]["launch"].update(local_role_name="hotfixlaunch") or
        d["portfolios"][0]["constraints"].append({"product": "app", "launch": {"role_arn": "arn:aws:iam::111111111111:role/HOTFIXLAUNCH"}}),
], ids=["two-launch-roles", "automation-role", "principals", "launch-role-arn"])
def test_role_names_that_differ_only_in_case_are_refused(data, mutate):
    mutate(data)
    messages = [m for c, m in findings(data) if c == "semantic/role-name-case"]
    assert messages and "IAM role names are case-insensitive" in messages[0]


def test_one_launch_role_shared_by_two_products_is_fine(data):
    data["portfolios"][1]["constraints"][0]["launch"]["local_role_name"] = "L"
    assert [c for c, _ in findings(data) if c == "semantic/role-name-case"] == []


def test_a_generated_launch_role_shared_by_built_in_products_is_fine(data):
    data["products"].append({"name": "main", "owner": "P", "versions": [{"name": "v1", "template": {"builtin": "main-pipeline"}}]})
    data["portfolios"][0]["products"].append("main")
    data["portfolios"][0]["constraints"].append({"product": "main", "launch": {"local_role_name": "HotfixLaunch"}})
    assert [c for c, _ in findings(data) if c == "semantic/launch-role-reach"] == []


# Values AWS refuses at deploy time, partitions and accounts: one rule each.
def _launch_arn(d, arn):
    d["portfolios"][0]["constraints"] = [{"product": "app", "launch": {"role_arn": arn}}]


def _stack_set(d, admin="arn:aws:iam::111111111111:role/A", regions=("us-east-1",)):
    d["portfolios"][0]["constraints"] = [{"product": "app", "stack_set": {
        "accounts": ["stage"], "regions": list(regions), "admin_role": admin, "execution_role": "E"}}]


def _topic(d, arn):
    d["portfolios"][0]["constraints"].append({"product": "app", "notifications": [arn]})


@pytest.mark.parametrize("mutate, code, fragment", [
    # botocore's partitions: regions of other partitions and names AWS does not list (checks/regions.py)
    (lambda d: d.update(region="cn-north-1"), "semantic/region", "region of the 'aws-cn' partition"),
    (lambda d: d.update(region="us-gov-west-1"), "semantic/region", "region of the 'aws-us-gov' partition"),
    (lambda d: d.update(region="us-east-7"), "semantic/region", "is not a region AWS lists"),
    (lambda d: _stack_set(d, regions=("us-east-1", "eu-west-9")), "semantic/region", "is 'eu-west-9', which is not a region"),
    # the partition of every ARN (checks/arn_partitions.py)
    (lambda d: d["principals"][0].update(arn="arn:aws-us-gov:iam::111111111111:role/Devs"), "semantic/partition",
     "in partition 'aws-us-gov'"),
    (lambda d: _launch_arn(d, "arn:aws-cn:iam::111111111111:role/L"), "semantic/partition", "in partition 'aws-cn'"),
    # the account of ARNs CloudFormation's handlers read in the tools account (checks/arn_accounts.py)
    (lambda d: _launch_arn(d, "arn:aws:iam::222222222222:role/L"), "semantic/arn-account", "or local_role_name"),
    (lambda d: _stack_set(d, admin="arn:aws:iam::333333333333:role/A"), "semantic/arn-account", "of account 333333333333"),
    (lambda d: _topic(d, "arn:aws:sns:eu-west-1:111111111111:t"), "semantic/arn-account", "SNS calls are regional"),
    (lambda d: _topic(d, "arn:aws:sns:us-east-1:999999999999:t"), "semantic/arn-account", "none of this catalogue's accounts"),
    # EventBridge schedule expressions (checks/schedules.py)
    (lambda d: d["hotfix"].update(reconcile_schedule="rate(1 minutes)"), "semantic/schedule", "the unit is 'minute'"),
    (lambda d: d["hotfix"].update(reconcile_schedule="cron(* * * * * *)"), "semantic/schedule", "must be '?'"),
    (lambda d: d["hotfix"].update(reconcile_schedule="cron(0 25 ? * * *)"), "semantic/schedule", "'25' is not a value of hours"),
    # CodeCommit names (checks/repository_names.py, checks/branch_names.py)
    (lambda d: d["hotfix"]["repositories"][0].update(name="x.git"), "semantic/repository-name", "ends in .git"),
    (lambda d: d["hotfix"]["repositories"][0].update(name=".."), "semantic/repository-name", "periods only"),
    (lambda d: d["hotfix"]["repositories"][0].update(branch_prefix="refs/heads/hotfix-"), "semantic/branch-name", "write 'hotfix-'"),
    (lambda d: d["hotfix"]["repositories"][0].update(branch_prefix="fix.lock/"), "semantic/branch-name", "ends with '.lock'"),
    (lambda d: d["hotfix"]["repositories"][0].update(merge_into=["refs/heads/main"]), "semantic/branch-name", "write 'main'"),
    (lambda d: d["hotfix"]["repositories"][0].update(merge_into=["0123456789abcdef0123456789abcdef01234567"]),
     "semantic/branch-name", "40 hexadecimal"),
    # Fargate task sizes (checks/fargate_sizes.py)
    (lambda d: d["hotfix"]["repositories"][0]["parameters"].update(container={"cpu": 4096, "memory": 4096}),
     "semantic/fargate-size", "memory is 8192 to 30720 in steps of 1024"),
    # Service Catalog tag characters (checks/tag_characters.py)
    (lambda d: d.update(tags={"team": "a✓"}), "semantic/tag-characters", "holds '✓'"),
    (lambda d: d["tag_options"][0].update(values=["dev", "prod—eu"]), "semantic/tag-characters", "tag option value 'prod—eu'"),
])
def test_values_aws_refuses_at_deploy_time(data, mutate, code, fragment):
    mutate(data)
    messages = [m for c, m in findings(data) if c == code]
    assert any(fragment in m for m in messages), findings(data)


def test_more_than_ten_pattern_principals(data):
    data["principals"] += [{"name": f"p{i}", "type": "IAM_PATTERN", "arn": f"arn:aws:iam:::role/T{i}*"} for i in range(11)]
    data["portfolios"][0]["principals"] += [f"p{i}" for i in range(11)]
    assert "grants 11 IAM_PATTERN principals" in only(data, "semantic/pattern-principals")[0]
    data["portfolios"][0]["principals"].pop()
    assert findings(data) == []


def test_values_aws_accepts_are_not_reported(data):
    data["region"] = "ap-southeast-2"
    data["accounts"] = {role: {**a, "region": "ap-southeast-2"} for role, a in data["accounts"].items()}
    data["hotfix"]["reconcile_schedule"] = "cron(0/15 8-18 ? * MON-FRI *)"
    data["hotfix"]["repositories"][0].update(name="My.Repo_1", branch_prefix="fix/", merge_into=["main", "release/2024"])
    data["hotfix"]["repositories"][0]["parameters"]["container"] = {"cpu": 2048, "memory": 16384}
    data["tags"] = {"équipe": "café 1", "日本": "東京"}
    assert findings(data) == []


def test_template_rules_name_parameters_the_template_declares(data, tmp_path):
    (tmp_path / "t.yaml").write_text("Parameters:\n  Size: {Type: String}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"
                                     "    Properties: {QueueName: !Sub '${Size}'}\n")
    (tmp_path / "t.json").write_text('{"Parameters": {"Size": {"Type": "String"}, "Zone": {"Type": "String"}}}')
    data["products"][0]["versions"] = [{"name": "v1", "template": {"file": "t.yaml"}},
                                       {"name": "v2", "template": {"file": "t.json"}},
                                       {"name": "v3", "template": {"url": "https://example.com/t.yaml"}}]
    data["portfolios"][0]["constraints"].append({"product": "app", "template": {"rules": {"R": {
        "condition": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
        "assertions": [{"assert": {"Fn::Contains": [["a"], {"Ref": "Size"}]}},
                       {"assert": {"Fn::Equals": [{"Fn::ValueOf": ["Zone", "VpcId"]}, "x"]}}]}}}})
    found = [(c, f.message) for c, f in checks.findings(catalogue_from_dict(data), base_dir=tmp_path)]
    assert [c for c, _ in found] == ["semantic/template-parameter"]
    assert "parameter 'Zone', which version 'v1' (file t.yaml) does not declare (it declares Size)" in found[0][1]


# The semantic stage's work grows with the catalogue, not with its square: a portfolio listing 60,000
# products with 40,000 constraints (a 2.3 MB file) took validate 98 s, each constraint scanning the list.
# Work is counted as the comparisons of names the checks make, at two sizes.
class _Counted(str):
    comparisons = 0

    def __eq__(self, other):
        _Counted.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def _comparisons(n: int) -> int:
    data = copy.deepcopy(BASE)
    names = [_Counted(f"p{i}") for i in range(n)]
    url = {"url": "https://example.com/a.yaml"}
    data["products"] += [{"name": name, "owner": "P", "versions": [{"name": "v1", "template": url}]} for name in names]
    data["principals"] += [{"name": _Counted(f"r{i}"), "type": "IAM", "arn": f"arn:aws:iam::111111111111:role/R{i}"}
                           for i in range(n)]
    data["tag_options"] += [{"key": _Counted(f"k{i}"), "values": ["v"]} for i in range(n)]
    apps = data["portfolios"][0]
    apps["products"] += names
    apps["principals"] += [p["name"] for p in data["principals"][-n:]]
    apps["constraints"] += [{"product": name, "tag_update": "allowed"} for name in names]
    data["portfolios"] += [{"name": _Counted(f"f{i}"), "display_name": f"F{i}", "provider": "P", "products": [names[i]]}
                           for i in range(n)]
    catalogue = catalogue_from_dict(data)
    _Counted.comparisons = 0
    list(checks.findings(catalogue))
    return _Counted.comparisons


def test_the_checks_compare_names_a_linear_number_of_times():
    small, large = _comparisons(300), _comparisons(600)
    assert large <= 2.5 * small + 100, f"300 of each: {small:,} comparisons; 600 of each: {large:,}"


def test_a_repository_of_another_provider_needs_its_connection(data):
    # More of this rule, provider by provider: tests/test_repository_providers.py.
    data["hotfix"]["repositories"][0].update(provider="github", full_repository_id="acme/repo", webhook_secret="w",
                                             api_token="t", create=False)
    data["products"][1]["versions"][0]["template"] = {"builtin": "hotfix-pipeline-codeconnections"}
    assert any("needs a connection" in m for m in only(data, "semantic/repository-provider"))
