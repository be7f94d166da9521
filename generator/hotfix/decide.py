"""decide(event, catalogue) -> Decision: pure, the same for the Lambdas and the CLI."""

from __future__ import annotations

import json
import re

from ..core.model import Catalogue, HotfixRepository, Product
from ..core.naming import idempotency_token, pipeline_slug, provisioned_product_name
from . import branches
from .decisions import Decision, FailJob, Ignore, OpenPullRequests, Provision, Reconcile, Target, Terminate
from .events import JobEvent, OtherEvent, ReconcileRequest, ReferenceEvent, ScheduledEvent, parse

MANAGED_BY = "service-catalog-toolkit"
_TAG_UNSAFE = re.compile(r"[^\w .:/=+\-@]")
_COMMIT = re.compile(r"[0-9A-Za-z]{1,64}")


def decide(payload, cat: Catalogue) -> Decision:
    """Raises EventError for payloads that are not events at all."""
    event = parse(payload)
    if isinstance(event, ReferenceEvent):
        return _reference(event, cat)
    if isinstance(event, JobEvent):
        return _job(event, cat)
    if isinstance(event, ScheduledEvent):
        return plan(cat, None, None)
    if isinstance(event, ReconcileRequest):
        return _reconcile_request(event, cat)
    assert isinstance(event, OtherEvent)
    return Ignore(f"events from {event.source or 'an unknown source'} ({event.detail_type or 'no detail-type'}) are not for this automation")


def newest_active_version(product: Product) -> str | None:
    """The active version with the highest name in natural order (v10 after v9), whatever the YAML order."""
    def key(name: str):
        return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name)]
    active = sorted((v.name for v in product.active_versions()), key=key)
    return active[-1] if active else None


def tag_value(text: str) -> str:
    """Service Catalog tag values allow letters, digits, spaces and _.:/=+-@, 1 to 256 of them."""
    return (_TAG_UNSAFE.sub("_", text) or "_")[:256]


def _provision(cat: Catalogue, repo: HotfixRepository, branch: str, commit: str, reason: str) -> Provision | Ignore:
    product = cat.product(repo.product)
    portfolio = cat.portfolio(repo.portfolio)
    version = newest_active_version(product)
    if version is None:
        return Ignore(f"product '{product.name}' has no active version to launch")
    p = repo.parameters
    parameters = {
        "PipelineSlug": pipeline_slug(cat.stack_prefix, repo.name, branch),
        "RepositoryName": repo.name, "BranchName": branch, "CommitId": commit,
        "ApplicationName": p.application_name, "EcrRepositoryName": p.ecr_repository, "BuildImage": p.build_image,
        "ContainerPort": str(p.container.port), "ContainerCpu": str(p.container.cpu),
        "ContainerMemory": str(p.container.memory), "DesiredCount": str(p.container.desired_count),
    }
    tags = {"managed-by": MANAGED_BY, "catalogue": cat.stack_prefix, "repository": tag_value(repo.name),
            "branch": tag_value(branch), "commit": tag_value(commit)}
    return Provision(
        reason=reason, repository=repo.name, branch=branch, commit=commit,
        provisioned_product_name=provisioned_product_name(cat.stack_prefix, repo.name, branch),
        product=product.name, product_display_name=product.display_name,
        portfolio=portfolio.name, portfolio_display_name=portfolio.display_name, version=version,
        parameters=tuple(sorted(parameters.items())),
        idempotency_token=idempotency_token("provision", repo.name, branch, commit),
        tags=tuple(sorted(tags.items())))


def _terminate(cat: Catalogue, repo: HotfixRepository, branch: str, commit: str, reason: str) -> Terminate:
    return Terminate(
        reason=reason, repository=repo.name, branch=branch,
        provisioned_product_name=provisioned_product_name(cat.stack_prefix, repo.name, branch),
        product=repo.product, portfolio=repo.portfolio,
        idempotency_token=idempotency_token("terminate", repo.name, branch, commit))


def _outside_prefix(repo: HotfixRepository, branch: str) -> str:
    if branch == repo.branch_prefix:
        return f"branch '{branch}' is only the hotfix prefix of '{repo.name}'; a hotfix branch has a name after it"
    return f"branch '{branch}' does not start with the hotfix prefix '{repo.branch_prefix}' of '{repo.name}'"


def _reference(event: ReferenceEvent, cat: Catalogue) -> Decision:
    where = f"'{event.reference_name}' in '{event.repository}'"
    if event.reference_type != "branch":
        return Ignore(f"{where} is a {event.reference_type or 'reference'}, not a branch")
    repo = cat.repository(event.repository)
    if repo is None:
        return Ignore(f"repository '{event.repository}' has no hotfix pipelines configured")
    if not repo.matches(event.reference_name):
        return Ignore(_outside_prefix(repo, event.reference_name))
    problem = branches.invalid_reason(event.reference_name)
    if problem:
        return Ignore(f"branch {where} is not a valid branch name: {problem}")
    if event.event == "referenceCreated":
        if not _COMMIT.fullmatch(event.commit_id):
            return Ignore(f"branch {where} was created without a valid commit id")
        return _provision(cat, repo, event.reference_name, event.commit_id, f"hotfix branch {where} was created")
    if event.event == "referenceDeleted":
        return _terminate(cat, repo, event.reference_name, event.commit_id, f"hotfix branch {where} was deleted")
    return Ignore(f"{event.event or 'an unnamed change'} of {where} needs no action: its pipeline follows the branch")


def _reconcile_request(event: ReconcileRequest, cat: Catalogue) -> Decision:
    repo = cat.repository(event.repository)
    if repo is None:
        return Ignore(f"reconcile request for repository '{event.repository}', which has no hotfix pipelines configured")
    if event.operation == "provision":
        if not repo.matches(event.branch) or branches.invalid_reason(event.branch) or not _COMMIT.fullmatch(event.commit):
            return Ignore(f"reconcile request to provision '{event.branch}' of '{repo.name}', which is not a valid hotfix branch")
        return _provision(cat, repo, event.branch, event.commit, f"reconciler: branch '{event.branch}' of '{repo.name}' has no pipeline")
    if event.operation == "terminate":
        return Terminate(
            reason=f"reconciler: provisioned product '{event.provisioned_product_name}' outlived its branch",
            repository=repo.name, branch=event.branch, provisioned_product_name=event.provisioned_product_name,
            product=repo.product, portfolio=repo.portfolio,
            idempotency_token=idempotency_token("terminate", repo.name, event.provisioned_product_name, "reconcile"),
            required_tags=(("catalogue", cat.stack_prefix), ("managed-by", MANAGED_BY), ("repository", tag_value(repo.name))))
    return Ignore(f"reconcile request with unknown operation '{event.operation}'")


def _job(event: JobEvent, cat: Catalogue) -> Decision:
    def fail(reason: str) -> FailJob:
        return FailJob(reason=reason, job_id=event.job_id)

    if event.user_parameters is None:
        return fail("the action has no UserParameters; expected {\"repository\": ..., \"source_branch\": ...}")
    try:
        params = json.loads(event.user_parameters)
    except ValueError as exc:
        return fail(f"UserParameters is not JSON: {exc}")
    if not isinstance(params, dict):
        return fail(f"UserParameters must be a JSON object, not {type(params).__name__}")
    missing = [k for k in ("repository", "source_branch") if not isinstance(params.get(k), str) or not params.get(k)]
    if missing:
        return fail(f"UserParameters needs the string keys repository and source_branch; missing or not a string: {', '.join(missing)}")
    repository, source = params["repository"], params["source_branch"]
    repo = cat.repository(repository)
    if repo is None:
        return fail(f"repository '{repository}' has no hotfix pipelines configured")
    if not repo.matches(source):
        return fail(_outside_prefix(repo, source))
    problem = branches.invalid_reason(source)
    if problem:
        return fail(f"branch '{source}' is not a valid branch name: {problem}")
    targets = tuple(Target(d, idempotency_token("pull-request", repository, source, d)) for d in repo.merge_into)
    return OpenPullRequests(reason=f"hotfix branch '{source}' passed stage: open pull requests into {', '.join(repo.merge_into)}",
                            job_id=event.job_id, repository=repository, source_branch=source, targets=targets)


def plan(cat: Catalogue, live_branches: dict[str, dict[str, str]] | None, provisioned: list[dict] | None) -> Reconcile:
    """The reconciler's plan: launch what is missing, terminate orphans.

    ``live_branches``: repository -> {branch: commit}; ``provisioned``: the
    provisioned products tagged as managed by this catalogue, each
    ``{"name", "status", "tags": {...}}``. Without them it says so.
    """
    repos = tuple(sorted(r.name for r in cat.hotfix.repositories)) if cat.hotfix else ()
    if live_branches is None or provisioned is None:
        return Reconcile(reason="a scheduled run lists the repositories' branches and the provisioned products in AWS; "
                                "without that live data there is nothing to compare, so this plan is empty",
                         repositories=repos, needs_live_data=True)
    existing = {p["name"] for p in provisioned}
    to_provision, expected = [], set()
    for name in repos:
        repo = cat.repository(name)
        for branch, commit in sorted(live_branches.get(name, {}).items()):
            if not repo.matches(branch) or branches.invalid_reason(branch):
                continue
            decision = _provision(cat, repo, branch, commit, f"branch '{branch}' of '{name}' has no pipeline (a missed event?)")
            if isinstance(decision, Provision):
                expected.add(decision.provisioned_product_name)
                if decision.provisioned_product_name not in existing:
                    to_provision.append(decision)
    to_terminate = []
    for p in sorted(provisioned, key=lambda p: p["name"]):
        tags = p.get("tags", {})
        repo = cat.repository(tags.get("repository", ""))
        if repo is None or tags.get("catalogue") != cat.stack_prefix or p["name"] in expected:
            continue
        branch = tags.get("branch", "")
        to_terminate.append(Terminate(
            reason=f"provisioned product '{p['name']}' outlived its branch '{branch}' (a missed deletion?)",
            repository=repo.name, branch=branch, provisioned_product_name=p["name"], product=repo.product,
            portfolio=repo.portfolio, idempotency_token=idempotency_token("terminate", repo.name, p["name"], "reconcile"),
            required_tags=(("catalogue", cat.stack_prefix), ("managed-by", MANAGED_BY), ("repository", tag_value(repo.name)))))
    return Reconcile(reason=f"{len(to_provision)} to provision, {len(to_terminate)} to terminate across {len(repos)} repositories",
                     repositories=repos, provision=tuple(to_provision), terminate=tuple(to_terminate))
