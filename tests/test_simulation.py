"""The hotfix flow under load: a few hundred branch changes across repositories, delivered as AWS delivers.

The code under test is the real runner, decide, provisioning, pull-request
and reconcile code; only AWS is faked (tests/fakeaws.py: every request
checked against botocore's service models). Branch events are delivered at
least once (EventBridge), late and out of order; a Lambda invocation that
raises is retried twice and then dead-lettered (Lambda Developer Guide,
"Asynchronous invocation"); calls are throttled at random, and some take
effect but their answer is lost (the retry repeats a request that already
happened: what idempotency tokens are for); the reconciler runs on its
schedule between them. At the end, with nothing left in
flight:

- every live hotfix branch has exactly one provisioned pipeline, named for it;
- no deleted branch has one;
- no provisioned product was terminated while its branch existed;
- what people launched (a main pipeline) was never touched;
- every pull-request job was answered exactly once, and a job from a pipeline
  other than the branch's own was refused;
- no answer named a closed pull request opened for another commit (a new commit
  gets its own pull request once the last one is merged).

The seed is fixed, so a failure replays; SIM_SEED=n explores another run.
The figures are printed (pytest -s) and are in every assertion message.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from dataclasses import dataclass, field

import pytest
from botocore.exceptions import ReadTimeoutError

from generator.core.exceptions import ProvisioningStateError, RetryableError
from generator.core.naming import SOURCE_NAMESPACE, provisioned_product_name
from generator.hotfix import branches as branch_rules
from generator.hotfix.clients import error_code
from generator.hotfix.launch import main_pipeline

from .fakeaws import Chaos, World
from .hotfix_env import LIFECYCLE, PERSON, PULL_REQUESTS, RECONCILER, builtin_template, catalogue, environment

SEED = int(os.environ.get("SIM_SEED", "20260101"))
OPERATIONS = 320
RECONCILE_EVERY = 12
MAX_DELAY = 6  # ticks an event may wait before delivery
DUPLICATE_RATE = 0.15
THROTTLE_RATE = 0.02
LOST_RATE = 0.01  # calls whose answer is lost after they took effect
# More often for the calls whose retry is answered by an idempotency token or by the job's state:
# ProvisionToken, TerminateToken, clientRequestToken, one result per job.
TOKEN_CALLS = ("ProvisionProduct", "TerminateProvisionedProduct", "CreatePullRequest", "PutJobSuccessResult", "PutJobFailureResult")
LOST_TOKEN_RATE = 0.1
ERROR_RATE = 0.02  # launches that end in ERROR
LAMBDA_ATTEMPTS = 3  # the first try and Lambda's two retries of an asynchronous invocation
ACCOUNT = "111111111111"

# Branch names per repository prefix: ordinary ones, the pair the old naming
# confused, names that tag values clean (so the reconciler's branch tag is
# not the branch), a name only the product pattern refuses, and branches
# outside the prefix.
NAMES = {
    "hotfix-": ["hotfix-login", "hotfix-cart", "hotfix-hotfix-x", "hotfix-x", "hotfix-a#1", "hotfix-a_1", "hotfix-é",
                "hotfix-team/login", "hotfix-team-login", 'hotfix-say-"hi"', "hotfix-" + "y" * 240, "main", "develop",
                "feature/hotfix-1"],
    "fix/": ["fix/a", "fix/a.b", "fix/a-b", "fix/ünï", "fix/x#y", "trunk", "release/1"],
}


def usable(repo, branch: str) -> bool:
    return repo.matches(branch) and not branch_rules.invalid_reason(branch) and not branch_rules.unsupported_reason(branch)


@dataclass(order=True)
class Delivery:
    due: int
    seq: int
    function: str = field(compare=False)
    payload: dict = field(compare=False)
    attempt: int = field(default=1, compare=False)


class Simulation:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.cat = catalogue()
        self.world = World(chaos=Chaos(random.Random(seed + 1), throttle_rate=THROTTLE_RATE, lost_rate=LOST_RATE,
                                       lost_rate_for=dict.fromkeys(TOKEN_CALLS, LOST_TOKEN_RATE)))
        self.env = environment(self.cat, self.world, error_rate=ERROR_RATE)
        self.cc, self.sc, self.cp = self.env.codecommit, self.env.servicecatalog, self.env.codepipeline
        self.repos = {r.name: r for r in self.cat.hotfix.repositories}
        self.queue: list[Delivery] = []
        self.seq = 0
        self.figures: Counter = Counter()
        self.violations: list[str] = []
        self.pipelines: dict[str, tuple[str, str]] = {}  # pipeline name -> (repository, branch)
        self.executions: list[tuple[int, str, str]] = []  # (due, pipeline, commit)
        self.rogue_jobs: set[str] = set()
        self.job = None  # the job being handled
        self.opened_for: dict[str, str] = {}  # pull request -> commit of the job that opened it
        self.last_commit: dict[tuple[str, str], str] = {}
        template = builtin_template(self.cat, self.cat.hotfix.repositories[0].product)
        stage = next(s for s in template["Resources"]["Pipeline"]["Properties"]["Stages"] if s["Name"] == "PullRequests")
        self.user_parameters = stage["Actions"][0]["Configuration"]["UserParameters"]["Fn::Sub"]
        self.sc.on_terminate = self.check_termination
        self.cp.on_result = self.check_answer

    # --- delivery ---------------------------------------------------------------------------------------------------

    def now(self) -> int:
        return self.world.clock.now

    def enqueue(self, function: str, payload: dict, delay: int = 0, attempt: int = 1) -> None:
        self.seq += 1
        self.queue.append(Delivery(self.now() + delay, self.seq, function, payload, attempt))

    def emit(self, function: str, payload: dict) -> None:
        """At least once: sometimes twice, each copy after its own delay."""
        copies = 2 if self.rng.random() < DUPLICATE_RATE else 1
        self.figures["duplicate deliveries"] += copies - 1
        for _ in range(copies):
            self.enqueue(function, payload, self.rng.randint(0, MAX_DELAY))

    def deliver_due(self) -> None:
        due = sorted(d for d in self.queue if d.due <= self.now())
        self.queue = [d for d in self.queue if d.due > self.now()]
        self.rng.shuffle(due)  # what is due arrives in any order
        for d in due:
            self.run(d)

    def run(self, d: Delivery) -> None:
        self.figures[f"invocations: {d.function}"] += 1
        self.job = self.cp.jobs[d.payload["CodePipeline.job"]["id"]] if d.function == PULL_REQUESTS else None
        try:
            result = self.env.invoke(d.function, d.payload)
        except Exception as exc:
            expected = isinstance(exc, RetryableError | ProvisioningStateError | ReadTimeoutError) \
                or error_code(exc) == "ThrottlingException"
            if not expected:
                self.violations.append(f"tick {self.now()}: {d.function} raised {type(exc).__name__}: {exc}")
            self.figures["failed invocations"] += 1
            if d.attempt < LAMBDA_ATTEMPTS:
                self.figures["retries"] += 1
                self.enqueue(d.function, d.payload, self.rng.randint(1, 3), d.attempt + 1)
            else:
                self.figures["dead letters"] += 1
        else:
            self.figures[f"outcome: {result.get('action')} {result.get('outcome', '')}".strip()] += 1
            if d.function == RECONCILER:
                self.figures["reconcile repair requests"] += sum(result["counts"].values())
                self.figures["reconciler runs that finished"] += 1
        finally:
            self.note_new_pull_requests()
        for request in self.env.sent_to_lifecycle():
            self.emit(LIFECYCLE, request)

    # --- developers, people and the pipelines -------------------------------------------------------------------------

    def commit(self) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(40))

    def branch_event(self, repo: str, branch: str, event: str, commit: str, old: str = "") -> dict:
        detail = {"event": event, "repositoryName": repo, "referenceType": "branch", "referenceName": branch,
                  "referenceFullName": f"refs/heads/{branch}", "repositoryId": "12345678-1234-1234-1234-123456789012",
                  "callerUserArn": f"arn:aws:iam::{ACCOUNT}:user/dev"}
        if event == "referenceDeleted":
            detail["oldCommitId"] = commit
        else:
            detail["commitId"] = commit
            if old:
                detail["oldCommitId"] = old
        return {"version": "0", "id": self.commit()[:32], "detail-type": "CodeCommit Repository State Change",
                "source": "aws.codecommit", "account": ACCOUNT, "time": "2026-01-01T00:00:00Z", "region": self.cat.region,
                "resources": [f"arn:aws:codecommit:{self.cat.region}:{ACCOUNT}:{repo}"], "detail": detail}

    def developer(self) -> bool:
        repo = self.rng.choice(sorted(self.repos))
        live = self.cc.branches[repo]
        names = NAMES[self.repos[repo].branch_prefix]
        action = self.rng.choice(["create", "create", "push", "delete"])
        if action == "create" or not live:
            candidates = [n for n in names if n not in live]
            if not candidates:
                return False
            branch = self.rng.choice(candidates)
            again = (repo, branch) in self.last_commit and self.rng.random() < 0.5  # pushed again at the same commit
            commit = self.last_commit[(repo, branch)] if again else self.commit()
            self.figures["recreated at the same commit"] += again
            self.cc.set_branch(repo, branch, commit)
            self.emit(LIFECYCLE, self.branch_event(repo, branch, "referenceCreated", commit))
        elif action == "push":
            branch = self.rng.choice(sorted(live))
            old, commit = live[branch], self.commit()
            self.cc.set_branch(repo, branch, commit)
            self.emit(LIFECYCLE, self.branch_event(repo, branch, "referenceUpdated", commit, old))
            for name, owner in self.pipelines.items():
                if owner == (repo, branch):  # the pipeline's trigger rule starts a run
                    self.executions.append((self.now() + self.rng.randint(1, 4), name, commit))
        else:
            branch = self.rng.choice(sorted(live))
            commit = live[branch]
            self.last_commit[(repo, branch)] = commit
            self.cc.delete_branch(repo, branch)
            self.emit(LIFECYCLE, self.branch_event(repo, branch, "referenceDeleted", commit))
        self.figures["branch operations"] += 1
        return True

    def people(self) -> None:
        open_prs = [p for p in self.cc.pull_requests.values() if p.status == "OPEN"]
        if open_prs and self.rng.random() < 0.3:
            self.cc.close(self.rng.choice(open_prs), merged=self.rng.random() < 0.7)
            self.figures["pull requests closed by people"] += 1

    def pipeline_runs(self) -> None:
        for product in self.sc.tick():
            if product.launched_by != LIFECYCLE:
                continue
            name, repo, branch = (product.parameters[k] for k in ("PipelineSlug", "RepositoryName", "BranchName"))
            self.pipelines[name] = (repo, branch)
            if branch in self.cc.branches[repo]:
                self.executions.append((self.now() + self.rng.randint(1, 4), name, self.cc.branches[repo][branch]))
        live_pipelines = {p.parameters.get("PipelineSlug") for p in self.sc.products.values() if p.status == "AVAILABLE"}
        due = [e for e in self.executions if e[0] <= self.now()]
        self.executions = [e for e in self.executions if e[0] > self.now()]
        for _, name, commit in due:
            if name not in live_pipelines:
                continue
            repo, branch = self.pipelines[name]
            self.start_job(name, repo, branch, commit)
            if self.rng.random() < 0.05:  # another pipeline names this branch in its parameters
                self.rogue_jobs.add(self.start_job("rogue-pipeline", repo, branch, commit))
                self.figures["jobs from another pipeline"] += 1

    def start_job(self, pipeline: str, repo: str, branch: str, commit: str) -> str:
        # The action's UserParameters as CloudFormation and CodePipeline resolve the template's.
        params = self.user_parameters.replace("${RepositoryName}", repo).replace("${BranchName}", branch) \
            .replace("#{" + SOURCE_NAMESPACE + ".CommitId}", commit)
        job = self.cp.new_job(pipeline, params, commit)
        self.figures["pull-request jobs"] += 1
        self.emit(PULL_REQUESTS, self.cp.event(job))
        return job.id

    def schedule(self) -> None:
        self.emit(RECONCILER, {"version": "0", "id": self.commit()[:32], "detail-type": "Scheduled Event",
                               "source": "aws.events", "account": ACCOUNT, "time": "2026-01-01T00:00:00Z",
                               "region": self.cat.region, "resources": ["arn:aws:events:eu-west-1:111111111111:rule/x"],
                               "detail": {}})

    # --- invariants checked as they happen ------------------------------------------------------------------------------

    def check_termination(self, product) -> None:
        repo, branch = product.parameters.get("RepositoryName"), product.parameters.get("BranchName")
        if product.launched_by != LIFECYCLE:
            self.violations.append(f"tick {self.now()}: {product.launched_by}'s product {product.name} was terminated")
        elif branch in self.cc.branches.get(repo, {}):
            self.violations.append(f"tick {self.now()}: {product.name} terminated while {repo} {branch} exists")
        self.figures["terminations"] += 1

    def note_new_pull_requests(self) -> None:
        """Which commit's job opened each pull request (the job being handled opened the new ones)."""
        for pr_id in self.cc.pull_requests:
            if pr_id not in self.opened_for and self.job is not None:
                self.opened_for[pr_id] = self.job.commit

    def check_answer(self, job, kind: str, request: dict) -> None:
        if job.id in self.rogue_jobs:
            # Refused (PermissionError), or failed before the check could run (a throttled GetJobDetails).
            if kind != "failure":
                self.violations.append(f"job {job.id} of another pipeline was answered {kind}: {request}")
            return
        if kind != "success":
            return
        self.note_new_pull_requests()
        params = json.loads(job.user_parameters)
        for pr_id in request.get("outputVariables", {}).values():
            pr = self.cc.pull_requests[pr_id]
            if pr.source != f"refs/heads/{params['source_branch']}" or pr.repository != params["repository"]:
                self.violations.append(f"job {job.id} reported pull request {pr_id} of another branch")
            elif pr.status != "OPEN" and self.opened_for[pr_id] != job.commit:
                # The stale answer of a token without the commit: a new commit never gets its pull request.
                self.violations.append(f"job {job.id} (commit {job.commit[:8]}) reported pull request {pr_id}, opened "
                                       f"for commit {self.opened_for[pr_id][:8]} and closed at tick {pr.closed_at}")

    # --- the run ------------------------------------------------------------------------------------------------------

    def tick(self, developers: bool) -> None:
        if developers:
            wanted = self.rng.choice([1, 2, 2, 3])
            while wanted and self.figures["branch operations"] < OPERATIONS:
                wanted -= self.developer()
        self.people()
        self.pipeline_runs()
        if self.now() % RECONCILE_EVERY == 0:
            self.schedule()
        self.deliver_due()
        self.world.clock.now += 1

    def quiet(self) -> bool:
        busy = any(p.status == "UNDER_CHANGE" for p in self.sc.products.values())
        return not (self.queue or self.executions or busy)

    def run_all(self) -> None:
        person = main_pipeline(self.cat, "payments.api", "trunk")
        product = next(p for p in self.sc.catalog.values() if p.name == person.product)
        self.sc.launch(PERSON, product.id, person.provisioned_product_name, person.parameters, person.tags)
        while self.figures["branch operations"] < OPERATIONS:
            self.tick(developers=True)
        # Then let everything settle: the reconciler must find nothing left to repair.
        for _ in range(40 * RECONCILE_EVERY):
            self.tick(developers=False)
            if self.now() % RECONCILE_EVERY == 0 and self.quiet():
                before = self.figures["reconcile repair requests"], self.figures["reconciler runs that finished"]
                self.schedule()
                while self.queue:
                    self.world.clock.now += 1
                    self.deliver_due()
                    self.pipeline_runs()
                # Settled when a run finished and asked for nothing; a run that failed every attempt (throttled,
                # dead-lettered) says nothing, and the next schedule tries again.
                repairs, finished = self.figures["reconcile repair requests"], self.figures["reconciler runs that finished"]
                if repairs == before[0] and finished > before[1] and self.quiet():
                    break
        self.figures["ticks"] = self.now()
        self.figures["throttled calls"] = self.world.chaos.throttles
        lost = self.world.chaos.lost
        self.figures["answers lost after the call took effect"] = sum(lost.values())
        self.figures["answers lost of calls with a token or a job"] = sum(lost[op] for op in TOKEN_CALLS)
        self.figures["AWS calls"] = len(self.world.calls)
        self.figures["results refused as second answers"] = self.cp.refused

    def report(self) -> str:
        lines = [f"simulation seed {SEED}:"] + [f"  {k}: {v}" for k, v in sorted(self.figures.items())]
        return "\n".join(lines + [f"  VIOLATION {v}" for v in self.violations[:20]])


@pytest.fixture(scope="module")
def simulation():
    sim = Simulation(SEED)
    sim.run_all()
    print("\n" + sim.report())
    return sim


def test_the_flow_settles_with_one_pipeline_per_live_branch(simulation):
    sim = simulation
    assert sim.quiet(), sim.report()
    assert not sim.violations, sim.report()
    prefix = sim.cat.stack_prefix
    ours = {p.name: p for p in sim.sc.products.values() if p.launched_by == LIFECYCLE}
    live = {(repo, b) for repo, bs in sim.cc.branches.items() for b in bs if usable(sim.repos[repo], b)}
    expected = {provisioned_product_name(prefix, repo, b): (repo, b) for repo, b in live}
    owners = {name: (p.parameters["RepositoryName"], p.parameters["BranchName"]) for name, p in ours.items()}
    assert owners == expected, sim.report() + f"\n  missing: {sorted(set(expected) - set(owners))}" \
                                              f"\n  orphans: {sorted(set(owners) - set(expected))}"
    assert not sim.sc.invalid_parameters, sim.report() + f"\n  refused by the templates: {sim.sc.invalid_parameters[:5]}"
    assert [p for p in sim.sc.products.values() if p.launched_by == PERSON], "the person's main pipeline is gone"
    # The run exercised what it claims to.
    for figure in ("duplicate deliveries", "retries", "throttled calls", "answers lost of calls with a token or a job", "terminations",
                   "recreated at the same commit", "outcome: terminate kept", "pull requests closed by people"):
        assert sim.figures[figure] > 0, f"{figure} never happened:\n{sim.report()}"
    assert len(live) >= 5 and sim.figures["branch operations"] == OPERATIONS, sim.report()


def test_every_pull_request_job_is_answered_exactly_once(simulation):
    sim = simulation
    unanswered = [j.id for j in sim.cp.jobs.values() if len(j.results) != 1]
    assert not unanswered, sim.report() + f"\n  jobs without exactly one answer: {unanswered[:5]}"
    assert sim.rogue_jobs and all(sim.cp.jobs[j].results[0][0] == "failure" for j in sim.rogue_jobs), sim.report()
    succeeded = sum(1 for j in sim.cp.jobs.values() if j.results[0][0] == "success")
    assert succeeded > len(sim.cp.jobs) / 2, sim.report()
    open_pairs = Counter((p.repository, p.source, p.destination) for p in sim.cc.pull_requests.values() if p.status == "OPEN")
    assert all(n == 1 for n in open_pairs.values()), f"two open pull requests for one branch and target: {open_pairs}"


# --- the calls each function made, against what its role allows ----------------------------------------------------

FUNCTIONS = {LIFECYCLE: "branch-lifecycle", PULL_REQUESTS: "pull-requests", RECONCILER: "reconciler"}
# Which access level each condition key grants, and the AccessLevelFilter that asks for it (Service Catalog
# Administrator Guide, "Example access policies for provisioned product management").
LEVELS = {"servicecatalog:roleLevel": "Role", "servicecatalog:accountLevel": "Account"}


def _render(resource, cat) -> str:
    """A statement's resource as an ARN pattern: pseudo parameters filled in, imported ids as '*'."""
    value = resource.to_dict() if hasattr(resource, "to_dict") else resource
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        text, names = (sub, {}) if isinstance(sub, str) else sub
        for name in names:
            text = text.replace("${" + name + "}", "*")
        return text.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", cat.region) \
            .replace("${AWS::AccountId}", cat.account_id("tools"))
    return value if isinstance(value, str) else "<not an ARN>"


def _target(call, cat, job_repos) -> str:
    """The ARN a call acts on, as the Service Authorization Reference defines the action's resource."""
    arn = f"arn:aws:{{}}:{cat.region}:{cat.account_id('tools')}:{{}}"
    p = call.params
    if call.service == "codecommit":
        repo = p.get("repositoryName") or (p.get("targets") or [{}])[0].get("repositoryName") or job_repos
        return arn.format("codecommit", repo)
    if call.service == "lambda":
        return arn.format("lambda", f"function:{p['FunctionName']}")
    if call.operation in ("DescribeProduct", "ProvisionProduct"):
        return arn.format("catalog", f"product/{p.get('ProductId', 'prod-any')}")
    return "*"  # provisioned products and job results have no resource type


def test_every_call_each_function_made_is_allowed_to_its_role(simulation):
    import fnmatch

    from generator.compiler.automation import _statements

    sim = simulation
    policies = {fn: _statements(sim.cat, FUNCTIONS[fn]) for fn in FUNCTIONS}
    denied = set()
    for call in sim.world.calls:
        if call.principal == PERSON:
            continue
        action = f"{call.service}:{'InvokeFunction' if call.operation == 'Invoke' else call.operation}"
        target = _target(call, sim.cat, sim.cat.hotfix.repositories[0].name)
        level = (call.params.get("AccessLevelFilter") or {}).get("Key")
        ok = False
        for stmt in policies[call.principal]:
            if action not in stmt["Action"]:
                continue
            if not any(r == "*" or fnmatch.fnmatchcase(target, _render(r, sim.cat)) for r in stmt["Resource"]):
                continue
            keys = stmt.get("Condition", {}).get("StringEquals", {})
            if level and any(k in LEVELS and LEVELS[k] != level for k in keys):
                continue  # the call asks for an access level its policy does not grant
            ok = True
        if not ok:
            denied.add((call.principal, action, target, level))
    assert not denied, sorted(denied)
    made = {(c.principal, c.service, c.operation) for c in sim.world.calls}
    assert (LIFECYCLE, "codecommit", "GetBranch") in made and (PULL_REQUESTS, "codepipeline", "GetJobDetails") in made
