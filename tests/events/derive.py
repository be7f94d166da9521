"""Write the event fixtures derived from the AWS sample events copied from ../shared/events.

    python tests/events/derive.py          # exit 1 if a derived fixture is missing or stale
    python tests/events/derive.py --write  # rewrite them

The three samples (codecommit-reference-created.json, codecommit-reference-deleted.json,
codepipeline-invoke-job.json) are kept as AWS documents them; every other
file here is made from them by this script.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = "hotfixpoc-repository"
ARN = f"arn:aws:codecommit:us-east-1:111111111111:{REPO}"
COMMIT = "3b2c4f1e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
OLD_COMMIT = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"


def load(name: str) -> dict:
    return json.loads((HERE / name).read_text())


def branch_event(sample: str, name: str, *, repo: str = REPO, kind: str = "branch", event: str | None = None) -> dict:
    e = copy.deepcopy(load(sample))
    d = e["detail"]
    d.update(repositoryName=repo, referenceName=name, referenceType=kind,
             referenceFullName=("refs/heads/" if kind == "branch" else "refs/tags/") + name)
    e["resources"] = [f"arn:aws:codecommit:us-east-1:111111111111:{repo}"]
    e["region"] = "us-east-1"
    e["account"] = "111111111111"
    if "commitId" in d:
        d["commitId"] = COMMIT
    if "oldCommitId" in d:
        d["oldCommitId"] = OLD_COMMIT
    if event:
        d["event"] = event
        d["commitId"], d["oldCommitId"] = COMMIT, OLD_COMMIT
    return e


def job(user_parameters) -> dict:
    e = copy.deepcopy(load("codepipeline-invoke-job.json"))
    config = e["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]
    if user_parameters is None:
        del config["UserParameters"]
    else:
        config["UserParameters"] = user_parameters if isinstance(user_parameters, str) else json.dumps(user_parameters)
    return e


CREATED, DELETED = "codecommit-reference-created.json", "codecommit-reference-deleted.json"
LONG = "hotfix-" + "x" * 249

DERIVED = {
    "hotfix-branch-created.json": branch_event(CREATED, "hotfix-login-timeout"),
    "hotfix-branch-deleted.json": branch_event(DELETED, "hotfix-login-timeout"),
    "hotfix-branch-updated.json": branch_event(CREATED, "hotfix-login-timeout", event="referenceUpdated"),
    "hotfix-branch-with-slash-created.json": branch_event(CREATED, "hotfix-team/login"),
    "hotfix-branch-with-dash-created.json": branch_event(CREATED, "hotfix-team-login"),
    "hotfix-branch-unicode-created.json": branch_event(CREATED, "hotfix-café-ünïcode"),
    "hotfix-branch-256-created.json": branch_event(CREATED, LONG),
    "hotfix-branch-256-deleted.json": branch_event(DELETED, LONG),
    "hotfix-tag-created.json": branch_event(CREATED, "hotfix-1.0.1", kind="tag"),
    "other-repository-created.json": branch_event(CREATED, "hotfix-login-timeout", repo="another-repository"),
    "feature-branch-created.json": branch_event(CREATED, "feature/hotfix-login"),
    "capitalised-prefix-created.json": branch_event(CREATED, "Hotfix-login"),
    "bare-prefix-created.json": branch_event(CREATED, "hotfix-"),
    "scheduled-event.json": {
        "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
        "source": "aws.events", "account": "111111111111", "time": "2026-11-26T12:00:00Z", "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:111111111111:rule/sc-reconcile"], "detail": {}},
    "pull-request-job.json": job({"repository": REPO, "source_branch": "hotfix-login-timeout", "commit": COMMIT}),
    "pull-request-job-outside-prefix.json": job({"repository": REPO, "source_branch": "feature/login", "commit": COMMIT}),
    "pull-request-job-unknown-repository.json": job({"repository": "another-repository", "source_branch": "hotfix-x",
                                                      "commit": COMMIT}),
    "pull-request-job-not-json.json": job("{repository: hotfixpoc-repository"),
    "pull-request-job-not-object.json": job(["hotfixpoc-repository", "hotfix-x"]),
    "pull-request-job-missing-key.json": job({"repository": REPO, "commit": COMMIT}),
    "pull-request-job-no-commit.json": job({"repository": REPO, "source_branch": "hotfix-login-timeout"}),
    "pull-request-job-unresolved-commit.json": job({"repository": REPO, "source_branch": "hotfix-login-timeout",
                                                    "commit": "#{SourceVariables.CommitId}"}),
    "pull-request-job-deeply-nested.json": job("[" * 5000 + "]" * 5000),
    "pull-request-job-no-parameters.json": job(None),
    "hotfix-branch-with-quote-created.json": branch_event(CREATED, 'hotfix-say-"hi"'),
    "reconcile-terminate-request.json": {
        "source": "service-catalog-toolkit.reconciler", "detail-type": "Hotfix Reconcile Request",
        "detail": {"operation": "terminate", "repository": REPO, "branch": "hotfix-gone", "commit": "",
                   "provisioned_product_name": "sc-hotfixpoc-repository-hotfix-gone-0123456789abcdef",
                   "delivery": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa"}},
}

MALFORMED = {
    "malformed-no-detail.json": {"source": "aws.codecommit", "detail-type": "CodeCommit Repository State Change"},
    "malformed-detail-not-object.json": {**load(CREATED), "detail": "referenceCreated"},
    "malformed-name-not-string.json": {**load(CREATED), "detail": {**load(CREATED)["detail"], "referenceName": 42}},
    "malformed-not-an-object.json": ["not", "an", "event"],
    "malformed-job-without-id.json": {"CodePipeline.job": {"data": {}}},
}


def expected() -> dict[str, bytes]:
    return {name: (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode() for name, body in {**DERIVED, **MALFORMED}.items()}


def main() -> int:
    write = "--write" in sys.argv[1:]
    stale = 0
    for name, body in expected().items():
        path = HERE / name
        if write:
            path.write_bytes(body)
        elif not path.exists() or path.read_bytes() != body:
            print(f"stale: tests/events/{name}")
            stale += 1
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
