"""The typed configuration model: the one shape every other part reads.

Standard library only: the Lambdas build it at runtime from the compiled
JSON form, the generator from YAML after validation. Every entity keeps the
JSON path it came from (``path``) so that checks can point back at a line
without carrying raw dicts around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path = tuple  # a JSON path: ("portfolios", 0, "name")

DEFAULT_BRANCH_PREFIX = "hotfix-"
DEFAULT_MERGE_TARGETS = ("main", "develop")
DEFAULT_RECONCILE_SCHEDULE = "rate(15 minutes)"
DEFAULT_BUILD_IMAGE = "aws/codebuild/standard:7.0"
DEFAULT_STACK_PREFIX = "sc"
ACCOUNT_ROLES = ("tools", "stage", "prod", "qa")


def _pos() -> Any:
    return field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Account:
    """An account of the catalogue by its role (tools, stage, prod, qa): where stacks and pipelines go."""

    role: str
    id: str
    region: str
    path: Path = _pos()
    # How `deploy` reaches the account, not what the catalogue is: left out of
    # equality, as it is left out of the compiled config the Lambdas read.
    deploy_role: str = field(default="", compare=False)


@dataclass(frozen=True)
class StackSetTargets:
    """The organizational units `deploy --stackset` deploys the workload prerequisites to."""

    organizational_units: tuple[str, ...]
    call_as: str = "DELEGATED_ADMIN"


@dataclass(frozen=True)
class DeploySettings:
    """Read by `deploy` and `status` only; the compiled config leaves it out."""

    artifacts_bucket: str
    artifacts_prefix: str
    stack_set: StackSetTargets | None = None


@dataclass(frozen=True)
class TagOption:
    """A tag option key with the values end users may pick from."""

    key: str
    values: tuple[str, ...]
    path: Path = _pos()


@dataclass(frozen=True)
class Principal:
    """An IAM principal (or ARN pattern) that portfolios grant access to, by name."""

    name: str
    type: str  # IAM or IAM_PATTERN
    arn: str
    path: Path = _pos()


@dataclass(frozen=True)
class TemplateSource:
    """Where a version's template comes from: a built-in template, a file next to the config, or a URL."""

    kind: str  # builtin, file or url
    value: str
    path: Path = _pos()


@dataclass(frozen=True)
class Version:
    """A provisioning artifact of a product; an inactive one stays for what was provisioned from it."""

    name: str
    description: str
    active: bool
    template: TemplateSource
    path: Path = _pos()


@dataclass(frozen=True)
class Support:
    """A product's support contact, shown to end users."""

    email: str = ""
    url: str = ""
    description: str = ""


@dataclass(frozen=True)
class Product:
    """A product, defined once and held by any number of portfolios."""

    name: str
    display_name: str
    owner: str
    description: str
    distributor: str
    support: Support
    tags: tuple[tuple[str, str], ...]
    tag_options: tuple[str, ...]
    versions: tuple[Version, ...]
    path: Path = _pos()

    def active_versions(self) -> tuple[Version, ...]:
        return tuple(v for v in self.versions if v.active)


@dataclass(frozen=True)
class StackSet:
    """A StackSet constraint's payload: where the product's stacks may be deployed, and with which roles."""

    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    admin_role: str
    execution_role: str
    instance_control: str = "allowed"


@dataclass(frozen=True)
class Constraint:
    """One constraint; ``kind`` says which of the payload fields is set."""

    kind: str  # launch, template, tag_update, notifications, stack_set
    product: str
    description: str
    launch_role_arn: str = ""
    launch_local_role_name: str = ""
    rules: Any = None  # template rules, already in CloudFormation key casing
    tag_update: str = ""
    notifications: tuple[str, ...] = ()
    stack_set: StackSet | None = None
    path: Path = _pos()


@dataclass(frozen=True)
class Share:
    """The accounts and organizational units a portfolio is shared with."""

    accounts: tuple[str, ...] = ()
    organizational_units: tuple[str, ...] = ()
    share_tag_options: bool = False
    path: Path = _pos()


@dataclass(frozen=True)
class Portfolio:
    """A portfolio: its principals, tag options, shares, products and their constraints."""

    name: str
    display_name: str
    provider: str
    description: str
    tags: tuple[tuple[str, str], ...]
    tag_options: tuple[str, ...]
    principals: tuple[str, ...]
    products: tuple[str, ...]
    share: Share
    constraints: tuple[Constraint, ...]
    path: Path = _pos()


@dataclass(frozen=True)
class Container:
    """The container a hotfix pipeline runs its application in (port, CPU units, memory, tasks)."""

    port: int = 80
    cpu: int = 256
    memory: int = 512
    desired_count: int = 1


@dataclass(frozen=True)
class HotfixParameters:
    """The launch parameters a hotfix pipeline takes from its repository's configuration."""

    application_name: str
    ecr_repository: str
    build_image: str
    container: Container

    def as_dict(self) -> dict[str, Any]:
        return {
            "application_name": self.application_name,
            "ecr_repository": self.ecr_repository,
            "build_image": self.build_image,
            "container_port": self.container.port,
            "container_cpu": self.container.cpu,
            "container_memory": self.container.memory,
            "desired_count": self.container.desired_count,
        }


@dataclass(frozen=True)
class HotfixRepository:
    """A repository whose hotfix branches get pipelines: which product, through which portfolio."""

    name: str
    create: bool
    branch_prefix: str
    product: str
    portfolio: str
    merge_into: tuple[str, ...]
    approvers: tuple[str, ...]
    approval_notifications: tuple[str, ...]
    parameters: HotfixParameters
    provider: str = "codecommit"  # codecommit, github, gitlab or bitbucket
    full_repository_id: str = ""  # the provider's id: owner/name, group/subgroup/project, workspace/repo-slug
    connection_arn: str = ""  # an existing CodeConnections (or CodeStar Connections) connection
    create_connection: bool = False  # the tools stack creates the connection; a person completes it in the console
    webhook_secret: str = ""  # Secrets Manager secret NAME of the webhook secret, never the value
    api_token: str = ""  # Secrets Manager secret NAME of the provider API token, never the value
    api_url: str = ""  # GitHub Enterprise Server or self-managed GitLab API; empty: the public API
    path: Path = _pos()

    def matches(self, branch: str) -> bool:
        """Case-sensitive, anchored at the start, and more than the bare prefix."""
        return branch.startswith(self.branch_prefix) and len(branch) > len(self.branch_prefix)


@dataclass(frozen=True)
class Hotfix:
    """The hotfix section: who develops, which repositories, how often the reconciler runs."""

    reconcile_schedule: str
    developers: tuple[str, ...]
    repositories: tuple[HotfixRepository, ...]
    path: Path = _pos()
    reserved_concurrency: bool = False  # Lambda reserved concurrency for the automation (off: see the schema)


@dataclass(frozen=True)
class Catalogue:
    """The whole configuration, with look-ups by name."""

    version: int
    stack_prefix: str
    region: str
    accounts: tuple[Account, ...]
    tags: tuple[tuple[str, str], ...]
    tag_options: tuple[TagOption, ...]
    principals: tuple[Principal, ...]
    portfolios: tuple[Portfolio, ...]
    products: tuple[Product, ...]
    hotfix: Hotfix | None
    path: Path = _pos()
    deploy: DeploySettings | None = field(default=None, compare=False)  # see Account.deploy_role

    # Look-ups by name. Checks guarantee names are unique before the
    # compiler or the Lambdas call these; the first entry wins otherwise.
    def _index(self, attr: str, key: str = "name") -> dict:
        cache = self.__dict__.setdefault("_indexes", {})  # frozen: bypass __setattr__
        if attr not in cache:
            index: dict = {}
            for entry in getattr(self, attr):
                index.setdefault(getattr(entry, key), entry)
            cache[attr] = index
        return cache[attr]

    def account(self, role: str) -> Account | None:
        return self._index("accounts", "role").get(role)

    def product(self, name: str) -> Product | None:
        return self._index("products").get(name)

    def portfolio(self, name: str) -> Portfolio | None:
        return self._index("portfolios").get(name)

    def principal(self, name: str) -> Principal | None:
        return self._index("principals").get(name)

    def repository(self, name: str) -> HotfixRepository | None:
        if self.hotfix is None:
            return None
        return next((r for r in self.hotfix.repositories if r.name == name), None)

    def account_id(self, ref: str) -> str:
        """An account reference is a role name from ``accounts`` or an id."""
        account = self.account(ref)
        return account.id if account else ref
