"""What a platform team does to the shipped config on its first day, as a function of whatever that config holds.

Issue 12, item 1: the suite is about the toolkit, so it must stay green on
a catalogue that is not the shipped one. `edit` applies the issue's edit to
a copy of a config: a product whose template is a file next to the config
(with the findings a first template has, which are the team's to see in
`check`, not failures of the toolkit's tests), a portfolio with a launch and
a template constraint on it, a second hotfix repository; then every shipped
portfolio and product renamed, the main pipeline's portfolio removed, another
stack prefix, and the values the shipped file marks REPLACE replaced (account
ids, and the ARNs that hold them, the home region, the artifacts bucket,
e-mail addresses). It reads the config it edits, so it still applies after
the team's own edits: nothing here names what the shipped file happens to
contain.
"""

from __future__ import annotations

from pathlib import Path

import yaml

PREFIX = "acme"
REGION = "eu-west-1"
BUCKET = "acme-service-catalogue-artifacts"
RENAMED = "acme-"  # every shipped portfolio and product: acme-<name>
PRODUCT = "team-bucket"
PORTFOLIO = "team-resources"
TEMPLATE = "templates/team-bucket.yaml"
ROLE = "TeamBucketLaunchRole"
# 123456789012: the AWS documentation's example account, which moto also answers as by default.
ACCOUNT_IDS = {"tools": "123456789012", "stage": "210987654321", "prod": "555555555555", "qa": "666666666666"}

# A first product template as teams write them: it deploys, and it has what cfn-lint (W2001, an unused
# parameter) and checkov (a bucket without access logging or versioning) report about such templates.
BUCKET_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: A team's bucket, the first product of a platform team's own.
Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, prod]
  RetentionDays:
    Type: Number
    Default: 30
  Owner:
    Type: String
    Default: nobody
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Status: Enabled
            ExpirationInDays: !Ref RetentionDays
      Tags:
        - Key: environment
          Value: !Ref Environment
Outputs:
  BucketName:
    Value: !Ref Bucket
"""


def edit(config: Path) -> None:
    """Apply the day-one edit to the config file `config` (its folder receives the template file)."""
    data = yaml.safe_load(config.read_text())
    _add_own_product(data, config.parent)
    _add_second_repository(data)
    _rename_shipped(data)
    _remove_main_pipeline_portfolio(data)
    data["stack_prefix"] = PREFIX
    _replace_placeholders(data)
    text = yaml.safe_dump(data, sort_keys=False)
    for role, account in sorted(data["accounts"].items()):  # ids appear in ARNs too: replace them everywhere
        if role in ACCOUNT_IDS:
            text = text.replace(str(account["id"]), ACCOUNT_IDS[role])
    config.write_text("# yaml-language-server: $schema=portfolios.schema.json\n" + text)


def _replace_placeholders(data: dict) -> None:
    data["region"] = REGION
    for account in data["accounts"].values():
        account.pop("region", None)  # workload accounts follow the home region
    if "deploy" in data:
        data["deploy"]["artifacts_bucket"] = BUCKET
    for product in data.get("products", []):
        if product.get("support", {}).get("email"):
            product["support"]["email"] = "platform@acme.example"
    for repository in (data.get("hotfix") or {}).get("repositories", []):
        if repository.get("approval_notifications"):
            repository["approval_notifications"] = ["releases@acme.example"]


def _add_own_product(data: dict, folder: Path) -> None:
    (folder / TEMPLATE).parent.mkdir(parents=True, exist_ok=True)
    (folder / TEMPLATE).write_text(BUCKET_TEMPLATE)
    tools = data["accounts"]["tools"]["id"]
    data.setdefault("principals", []).append({"name": "data-engineers", "type": "IAM", "arn": f"arn:aws:iam::{tools}:role/DataEngineers"})
    data.setdefault("products", []).append({
        "name": PRODUCT, "owner": "Data team", "description": "A bucket for a team's data.", "distributor": "Platform team",
        "support": {"email": "data-team@example.com"},
        "versions": [{"name": "2024-06", "description": "First release.", "template": {"file": TEMPLATE}}],
    })
    data.setdefault("portfolios", []).append({
        "name": PORTFOLIO, "display_name": "Team resources", "provider": "Platform team",
        "description": "What teams launch for themselves.", "principals": ["data-engineers"], "products": [PRODUCT],
        "constraints": [
            {"product": PRODUCT, "launch": {"local_role_name": ROLE}},
            {"product": PRODUCT, "template": {"rules": {"ShortRetentionInDev": {
                "condition": {"Fn::Equals": [{"Ref": "Environment"}, "dev"]},
                "assertions": [{"assert": {"Fn::Contains": [["1", "7", "30"], {"Ref": "RetentionDays"}]},
                                "description": "dev buckets keep objects at most 30 days"}]}}}},
        ],
    })


def _add_second_repository(data: dict) -> None:
    repositories = (data.get("hotfix") or {}).get("repositories") or []
    if not repositories:
        return  # a catalogue without the hotfix flow gets no repository to copy
    second = yaml.safe_load(yaml.safe_dump(repositories[0]))
    second["name"] = "payments-service"
    second["create"] = False
    second["branch_prefix"] = "fix/"
    second["merge_into"] = ["main"]
    second.setdefault("parameters", {}).update({"application_name": "payments", "ecr_repository": "payments"})
    repositories.append(second)


def _rename_shipped(data: dict) -> None:
    new = {p["name"]: RENAMED + p["name"] for p in data.get("portfolios", []) if p["name"] != PORTFOLIO}
    new_product = {p["name"]: RENAMED + p["name"] for p in data.get("products", []) if p["name"] != PRODUCT}
    for portfolio in data.get("portfolios", []):
        portfolio["name"] = new.get(portfolio["name"], portfolio["name"])
        portfolio["products"] = [new_product.get(n, n) for n in portfolio.get("products", [])]
        for constraint in portfolio.get("constraints", []):
            constraint["product"] = new_product.get(constraint["product"], constraint["product"])
    for product in data.get("products", []):
        product["name"] = new_product.get(product["name"], product["name"])
    for repository in (data.get("hotfix") or {}).get("repositories", []):
        repository["product"] = new_product.get(repository["product"], repository["product"])
        repository["portfolio"] = new.get(repository["portfolio"], repository["portfolio"])


def _remove_main_pipeline_portfolio(data: dict) -> None:
    """Drop the portfolios that offer the built-in main pipeline; its product stays defined, in no portfolio."""
    main = {p["name"] for p in data.get("products", [])
            if any(v.get("template", {}).get("builtin") == "main-pipeline" for v in p.get("versions", []))}
    data["portfolios"] = [p for p in data.get("portfolios", []) if not main & set(p.get("products", []))]
