"""decide(event, catalogue) -> Decision: pure, the same for the Lambdas and the CLI."""

from __future__ import annotations

import json
import re

from ..core.model import Catalogue, HotfixRepository, Product
from ..core.naming import SOURCE_NAMESPACE, idempotency_token, pipeline_slug, provisioned_product_name
from ..core.pipeline_accounts import account_parameters
from . import branches
from .decisions import Decision, FailJob, Ignore, OpenPullRequests, Provision, Reconcile, Target, Terminate
from .events import JobEvent, OtherEvent, ReconcileRequest, ReferenceEvent, ScheduledEvent, parse

MANAGED_BY = "service-catalog-toolkit"
JOB_KEYS = ("repository", "source_branch", "commit")  # the pull-request step's UserParameters
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


def pipeline_parameters(repo: HotfixRepository, branch: str, slug: str) -> dict[str, str]:
    """The parameters both pipeline templates take (the hotfix one adds CommitId; a connection's templates
    ConnectionArn and FullRepositoryId)."""
    p = repo.parameters
    source = {"ConnectionArn": repo.connection_arn, "FullRepositoryId": repo.full_repository_id} \
        if repo.provider != "codecommit" else {}
    return {
        "PipelineSlug": slug, "RepositoryName": repo.name, "BranchName": branch,
        "ApplicationName": p.application_name, "EcrRepositoryName": p.ecr_repository, "BuildImage": p.build_image,
        "ContainerPort": str(p.container.port), "ContainerCpu": str(p.container.cpu),
        "ContainerMemory": str(p.container.memory), "DesiredCount": str(p.container.desired_count), **source,
    }


def owner_tags(cat: Catalogue, repository: str, branch: str) -> tuple[tuple[str, str], ...]:
    """The tags that mark a provisioned product as this catalogue's pipeline of exactly this repository and branch.

    Tag values are cleaned (``tag_value``), so two branches may share their
    tags; never their product name, which is checked with them.
    """
    return tuple(sorted({"managed-by": MANAGED_BY, "catalogue": cat.stack_prefix, "repository": tag_value(repository),
                         "branch": tag_value(branch)}.items()))


def _provision(cat: Catalogue, repo: HotfixRepository, branch: str, commit: str, delivery: str, reason: str) -> Provision | Ignore:
    """``delivery`` names the request (an event id, a reconcile run): its retries share a token, a new one gets another.

    A token from the branch and commit alone would repeat for a branch deleted
    and pushed again at the same commit, and Service Catalog answers a
    repeated ProvisionToken with the original request, whose product is gone.
    The provisioned product's name, unique in the account (ProvisionProduct,
    ProvisionedProductName), is what keeps two requests from launching twice.
    """
    product = cat.product(repo.product)
    portfolio = cat.portfolio(repo.portfolio)
    version = newest_active_version(product)
    if version is None:
        return Ignore(f"product '{product.name}' has no active version to launch")
    slug = pipeline_slug(cat.stack_prefix, repo.name, branch)
    parameters = {**pipeline_parameters(repo, branch, slug), "CommitId": commit,
                  **account_parameters(cat, "hotfix-pipeline")}
    tags = {**dict(owner_tags(cat, repo.name, branch)), "commit": tag_value(commit), "pipeline": slug}
    return Provision(
        reason=reason, repository=repo.name, branch=branch, commit=commit,
        provisioned_product_name=provisioned_product_name(cat.stack_prefix, repo.name, branch),
        product=product.name, product_display_name=product.display_name,
        portfolio=portfolio.name, portfolio_display_name=portfolio.display_name, version=version,
        parameters=tuple(sorted(parameters.items())),
        idempotency_token=idempotency_token("provision", repo.name, branch, commit, delivery),
        tags=tuple(sorted(tags.items())))


def _terminate(cat: Catalogue, repo: HotfixRepository, branch: str, name: str, token_parts: tuple[str, ...], reason: str) -> Terminate:
    """``branch`` is the one whose product ``name`` is: the lifecycle Lambda terminates only if it is gone."""
    return Terminate(
        reason=reason, repository=repo.name, branch=branch, provisioned_product_name=name,
        product=repo.product, portfolio=repo.portfolio,
        idempotency_token=idempotency_token("terminate", repo.name, *token_parts),
        required_tags=owner_tags(cat, repo.name, branch))


def _unusable(branch: str) -> str | None:
    return branches.invalid_reason(branch) or branches.unsupported_reason(branch)


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
    problem = _unusable(event.reference_name)
    if problem:
        return Ignore(f"branch {where} is not a valid branch name: {problem}")
    if event.event == "referenceCreated":
        if not _COMMIT.fullmatch(event.commit_id):
            return Ignore(f"branch {where} was created without a valid commit id")
        return _provision(cat, repo, event.reference_name, event.commit_id, event.event_id, f"hotfix branch {where} was created")
    if event.event == "referenceDeleted":
        name = provisioned_product_name(cat.stack_prefix, repo.name, event.reference_name)
        return _terminate(cat, repo, event.reference_name, name, (event.reference_name, event.commit_id),
                          f"hotfix branch {where} was deleted")
    return Ignore(f"{event.event or 'an unnamed change'} of {where} needs no action: its pipeline follows the branch")


def _reconcile_request(event: ReconcileRequest, cat: Catalogue) -> Decision:
    repo = cat.repository(event.repository)
    if repo is None:
        return Ignore(f"reconcile request for repository '{event.repository}', which has no hotfix pipelines configured")
    if event.operation == "provision":
        if not repo.matches(event.branch) or _unusable(event.branch) or not _COMMIT.fullmatch(event.commit):
            return Ignore(f"reconcile request to provision '{event.branch}' of '{repo.name}', which is not a valid hotfix branch")
        return _provision(cat, repo, event.branch, event.commit, event.delivery,
                          f"reconciler: branch '{event.branch}' of '{repo.name}' has no pipeline")
    if event.operation == "terminate":
        # event.branch is the product's branch tag: the lifecycle Lambda checks
        # that no live branch owns the product before it terminates it.
        return _terminate(cat, repo, event.branch, event.provisioned_product_name,
                          (event.provisioned_product_name, "reconcile"),
                          f"reconciler: provisioned product '{event.provisioned_product_name}' outlived its branch")
    return Ignore(f"reconcile request with unknown operation '{event.operation}'")


def _job(event: JobEvent, cat: Catalogue) -> Decision:
    def fail(reason: str) -> FailJob:
        return FailJob(reason=reason, job_id=event.job_id)

    if event.user_parameters is None:
        return fail(f"the action has no UserParameters; expected a JSON object with {', '.join(JOB_KEYS)}")
    try:
        params = json.loads(event.user_parameters)
    except ValueError as exc:
        return fail(f"UserParameters is not JSON: {exc}")
    except RecursionError:
        return fail("UserParameters nests too deeply to be the pull-request step's parameters")
    if not isinstance(params, dict):
        return fail(f"UserParameters must be a JSON object, not {type(params).__name__}")
    missing = [k for k in JOB_KEYS if not isinstance(params.get(k), str) or not params.get(k)]
    if missing:
        return fail(f"UserParameters needs the string keys {', '.join(JOB_KEYS)}; missing or not a string: {', '.join(missing)}")
    repository, source, commit = params["repository"], params["source_branch"], params["commit"]
    repo = cat.repository(repository)
    if repo is None:
        return fail(f"repository '{repository}' has no hotfix pipelines configured")
    if not repo.matches(source):
        return fail(_outside_prefix(repo, source))
    problem = _unusable(source)
    if problem:
        return fail(f"branch '{source}' is not a valid branch name: {problem}")
    if not _COMMIT.fullmatch(commit):
        return fail(f"commit {commit[:80]!r} is not a commit id: is the Source action's namespace {SOURCE_NAMESPACE}?")
    # The token changes with the commit: once a pull request is merged or
    # closed, a new commit gets a new one, while a retry of the same run
    # (same commit) is answered with the request it already made (CodeCommit
    # API reference, CreatePullRequest, clientRequestToken).
    targets = tuple(Target(d, idempotency_token("pull-request", repository, source, d, commit)) for d in repo.merge_into)
    return OpenPullRequests(reason=f"hotfix branch '{source}' passed stage: open pull requests into {', '.join(repo.merge_into)}",
                            job_id=event.job_id, repository=repository, source_branch=source, commit=commit,
                            pipeline=pipeline_slug(cat.stack_prefix, repository, source), targets=targets)


# A provisioned product in these states is being launched or terminated.
IN_FLIGHT = frozenset({"UNDER_CHANGE", "PLAN_IN_PROGRESS"})


def plan(cat: Catalogue, live_branches: dict[str, dict[str, str]] | None, provisioned: list[dict] | None,
         delivery: str = "") -> Reconcile:
    """The reconciler's plan: launch what is missing, terminate orphans.

    ``live_branches``: repository -> {branch: commit}; ``provisioned``: the
    provisioned products tagged as managed by this catalogue, each
    ``{"name", "status", "tags": {...}}``; ``delivery``: the run's event id.
    Without the live data it says so.
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
            if not repo.matches(branch) or _unusable(branch):
                continue
            decision = _provision(cat, repo, branch, commit, delivery,
                                  f"branch '{branch}' of '{name}' has no pipeline (a missed event?)")
            if isinstance(decision, Provision):
                expected.add(decision.provisioned_product_name)
                if decision.provisioned_product_name not in existing:
                    to_provision.append(decision)
    to_terminate = []
    by_tag = {tag_value(r): r for r in repos}
    for p in sorted(provisioned, key=lambda p: p["name"]):
        tags = p.get("tags", {})
        repo = cat.repository(by_tag.get(tags.get("repository", ""), ""))
        if repo is None or tags.get("catalogue") != cat.stack_prefix or p["name"] in expected:
            continue
        if p.get("status") in IN_FLIGHT:
            continue  # still being launched or terminated: the next run sees how it ended
        branch = tags.get("branch", "")
        to_terminate.append(_terminate(cat, repo, branch, p["name"], (p["name"], "reconcile"),
                                       f"provisioned product '{p['name']}' outlived its branch '{branch}' (a missed deletion?)"))
    return Reconcile(reason=f"{len(to_provision)} to provision, {len(to_terminate)} to terminate across {len(repos)} repositories",
                     repositories=repos, provision=tuple(to_provision), terminate=tuple(to_terminate))
