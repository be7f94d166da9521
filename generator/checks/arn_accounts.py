"""ARNs in the account (and region) where AWS looks for them.

The portfolios, their constraints and the stacks that create them live in
the tools account, and CloudFormation's handlers read what the ARNs name
with the tools account's credentials (cfn-lint's bundled registry schemas,
handlers.create.permissions):

- AWS::ServiceCatalog::PortfolioPrincipalAssociation calls iam:GetRole,
  iam:GetUser or iam:GetGroup, which take a name and read the caller's own
  account: an IAM principal must be of the tools account. A principal of
  another account gets access through a share and an IAM_PATTERN principal
  name (Service Catalog admin guide, "Granting Access to Users").
- AWS::ServiceCatalog::LaunchRoleConstraint calls iam:GetRole and
  iam:PassRole, and StackSetConstraint iam:GetRole: the launch role and the
  StackSet administration role must be of the tools account (for shared
  portfolios, local_role_name names a role in each account).
- AWS::ServiceCatalog::LaunchNotificationConstraint calls
  sns:GetTopicAttributes, a regional call: the topic must be in the tools
  account's region. Its account may differ (with a topic policy), but one
  that is none of this catalogue's accounts is reported as a likely typo.
"""

from __future__ import annotations

from .arns import arns
from .finding import Finding

CODE = "semantic/arn-account"

_TOOLS_ONLY = {"principal", "launch-role", "stack-set-role"}


def check(cat, ctx):
    tools = cat.account("tools")
    if tools is None:
        return
    ours = {a.id for a in cat.accounts}
    for arn in arns(cat):
        if arn.kind in _TOOLS_ONLY and not arn.names_no_account and arn.account and arn.account != tools.id:
            yield Finding(arn.path, f"{arn.what} is {arn.text}, of account {arn.account}, but Service Catalog reads it in the "
                                    f"tools account {tools.id}, where the portfolios live; "
                                    + ("use a role of the tools account, or local_role_name for a role in every account"
                                       if arn.kind != "principal" else
                                       "share the portfolio with that account and grant an IAM_PATTERN principal name instead"))
        if arn.kind == "notification":
            if arn.region != tools.region:
                yield Finding(arn.path, f"{arn.what} is {arn.text}, in region {arn.region}, but the constraint is created in the "
                                        f"tools account's region {tools.region} and SNS calls are regional")
            if arn.account not in ours:
                yield Finding(arn.path, f"{arn.what} is {arn.text}, of account {arn.account}, which is none of this catalogue's "
                                        f"accounts ({', '.join(sorted(ours))}); a typo?")
