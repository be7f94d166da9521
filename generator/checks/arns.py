"""Every ARN a catalogue names, with what names it: the input of the partition and account rules."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.canonical import indexed


@dataclass(frozen=True)
class Arn:
    """An ARN the configuration names, with where it stands and what it is for, as messages say."""

    path: tuple
    text: str
    what: str  # "principal 'devs'", "the launch role of 'vpc' in portfolio 'infra'", ...
    kind: str  # principal, launch-role, notification, stack-set-role
    names_no_account: bool = False  # an IAM_PATTERN principal, valid in every account

    @property
    def parts(self) -> list[str]:
        """partition, service, region, account, resource (arn:partition:service:region:account:resource)."""
        return (self.text.split(":", 5) + [""] * 6)[1:6]

    @property
    def partition(self) -> str:
        return self.parts[0]

    @property
    def region(self) -> str:
        return self.parts[2]

    @property
    def account(self) -> str:
        return self.parts[3]


def arns(cat):
    granted = {name for pf in cat.portfolios for name in pf.principals}
    for p in cat.principals:
        # Only portfolios' principals become associations; developers and approvers are hotfix_principals.py's.
        if p.name in granted:
            yield Arn(p.path + ("arn",), p.arn, f"principal '{p.name}'", "principal", names_no_account=p.type == "IAM_PATTERN")
    for pf in cat.portfolios:
        for c in pf.constraints:
            where = f"'{c.product}' in portfolio '{pf.name}'"
            if c.launch_role_arn:
                yield Arn(c.path + ("launch", "role_arn"), c.launch_role_arn, f"the launch role of {where}", "launch-role")
            for i, topic in indexed(c.notifications):
                yield Arn(c.path + ("notifications", i), topic, f"a notification topic of {where}", "notification")
            if c.stack_set:
                yield Arn(c.path + ("stack_set", "admin_role"), c.stack_set.admin_role,
                          f"the StackSet administration role of {where}", "stack-set-role")
