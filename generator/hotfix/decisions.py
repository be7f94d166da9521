"""What the automation decided to do with an event: plain, frozen, printable."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ignore:
    reason: str
    action: str = field(default="ignore", init=False)

    def as_dict(self) -> dict:
        return {"action": self.action, "reason": self.reason}


@dataclass(frozen=True)
class Provision:
    reason: str
    repository: str
    branch: str
    commit: str
    provisioned_product_name: str
    product: str  # config name
    product_display_name: str  # the name in Service Catalog
    portfolio: str
    portfolio_display_name: str
    version: str
    parameters: tuple[tuple[str, str], ...]
    idempotency_token: str
    tags: tuple[tuple[str, str], ...]
    action: str = field(default="provision", init=False)

    def as_dict(self) -> dict:
        return {"action": self.action, "reason": self.reason, "repository": self.repository, "branch": self.branch,
                "commit": self.commit, "provisioned_product_name": self.provisioned_product_name,
                "product": self.product, "portfolio": self.portfolio, "version": self.version,
                "parameters": dict(self.parameters), "idempotency_token": self.idempotency_token,
                "tags": dict(self.tags)}


@dataclass(frozen=True)
class Terminate:
    reason: str
    repository: str
    branch: str
    provisioned_product_name: str
    product: str
    portfolio: str
    idempotency_token: str
    # Terminate only a product carrying exactly these tags (the toolkit's, for
    # this repository and branch), so that no name can reach another's product.
    required_tags: tuple[tuple[str, str], ...] = ()
    action: str = field(default="terminate", init=False)

    def as_dict(self) -> dict:
        out = {"action": self.action, "reason": self.reason, "repository": self.repository, "branch": self.branch,
               "provisioned_product_name": self.provisioned_product_name, "product": self.product,
               "portfolio": self.portfolio, "idempotency_token": self.idempotency_token}
        if self.required_tags:
            out["required_tags"] = dict(self.required_tags)
        return out


@dataclass(frozen=True)
class Target:
    destination: str
    idempotency_token: str


@dataclass(frozen=True)
class OpenPullRequests:
    reason: str
    job_id: str
    repository: str
    source_branch: str
    commit: str
    pipeline: str  # the only pipeline whose job may open these pull requests
    targets: tuple[Target, ...]
    action: str = field(default="open_pull_requests", init=False)

    def as_dict(self) -> dict:
        return {"action": self.action, "reason": self.reason, "job_id": self.job_id, "repository": self.repository,
                "source_branch": self.source_branch, "commit": self.commit, "pipeline": self.pipeline,
                "targets": [{"destination": t.destination, "idempotency_token": t.idempotency_token} for t in self.targets]}


@dataclass(frozen=True)
class FailJob:
    reason: str
    job_id: str
    failure_type: str = "ConfigurationError"
    action: str = field(default="fail_job", init=False)

    def as_dict(self) -> dict:
        return {"action": self.action, "reason": self.reason, "job_id": self.job_id, "failure_type": self.failure_type}


@dataclass(frozen=True)
class Reconcile:
    """The scheduled repair: what it would do given the live branches and products it was shown."""

    reason: str
    repositories: tuple[str, ...]
    provision: tuple[Provision, ...] = ()
    terminate: tuple[Terminate, ...] = ()
    needs_live_data: bool = False
    action: str = field(default="reconcile", init=False)

    def as_dict(self) -> dict:
        return {"action": self.action, "reason": self.reason, "repositories": list(self.repositories),
                "needs_live_data": self.needs_live_data,
                "provision": [p.as_dict() for p in self.provision], "terminate": [t.as_dict() for t in self.terminate]}


Decision = Ignore | Provision | Terminate | OpenPullRequests | FailJob | Reconcile
