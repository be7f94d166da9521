"""In-memory Service Catalog, CodeCommit, CodePipeline and Lambda for the hotfix runtime's tests.

Each fake sits behind a real botocore client: the client validates every
request against the service model before the fake sees it (as it would
before sending it), and the fake's answer is validated against the
operation's output shape, as botocore's Stubber does. Errors come back as
the client raises them for AWS (ClientError with the service's code).

What the fakes model, and where each behaviour is documented:

- Service Catalog (API reference): a provisioned product is UNDER_CHANGE
  while it is launched or terminated, then AVAILABLE or ERROR
  (ProvisionedProductStatus); its name is unique in the account
  (ProvisionProduct, ProvisionedProductName), another launch under it is a
  DuplicateResourceException; a repeated ProvisionToken is the same request
  and is answered with its first record ("uniquely identifies the
  provisioning request"); a TerminateToken is valid during the termination,
  after which a terminate is ResourceNotFoundException. A second terminate
  under another token while one runs, which no document describes, is
  refused (InvalidStateException). SearchProvisionedProducts lists a
  product some ticks after its launch (eventual consistency; the delay is
  not published) and honours AccessLevelFilter: Role/self lists what the
  caller's role launched, Account/self everything. Describe and terminate
  of a product another role launched are refused to a caller whose policy
  has servicecatalog:roleLevel self (Administrator Guide, "Example access
  policies for provisioned product management"); the exact error is not
  published, AccessDeniedException here.
- CodeCommit (API reference): GetBranch of a missing branch is
  BranchDoesNotExistException; CreatePullRequest with a clientRequestToken
  already used returns the pull request of the first request; an open pull
  request's sourceCommit follows its branch.
- CodePipeline (API reference): one result per job; a second is
  InvalidJobStateException, an unknown job JobNotFoundException.
- Throttling: any call may fail with ThrottlingException, as it reaches the
  code after the SDK's own retries.
- Lost answers: a call may take effect and its answer never arrive (the
  connection reset or timed out on the way back); the SDK raises
  ReadTimeoutError once its retries are spent. This is the case idempotency
  tokens exist for: the retry repeats a request that already happened.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass, field

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError
from botocore.validate import validate_parameters

EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class AWSError(Exception):
    def __init__(self, code: str, message: str = "", status: int = 400):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message or code, status


@dataclass
class Call:
    principal: str
    service: str
    operation: str
    params: dict


class Faults:
    """Where a test injects failures: before a call takes effect, or after (its answer lost on the way back).

    Raising AWSError makes the client raise ClientError with that code; any
    other exception propagates as a transport failure would.
    """

    def before(self, service: str, operation: str) -> None:
        pass

    def after(self, service: str, operation: str) -> None:
        pass


@dataclass
class Chaos(Faults):
    """Random throttling and lost answers with a fixed seed, counted so that a run can report them."""

    rng: random.Random
    throttle_rate: float = 0.0
    throttles: int = 0
    lost_rate: float = 0.0
    lost_rate_for: dict[str, float] = field(default_factory=dict)  # per operation, over lost_rate
    lost: Counter = field(default_factory=Counter)  # operation -> answers lost

    def before(self, service: str, operation: str) -> None:
        if self.throttle_rate and self.rng.random() < self.throttle_rate:
            self.throttles += 1
            raise AWSError("ThrottlingException", "Rate exceeded (fake)")

    def after(self, service: str, operation: str) -> None:
        rate = self.lost_rate_for.get(operation, self.lost_rate)
        if rate and self.rng.random() < rate:
            self.lost[operation] += 1
            raise ReadTimeoutError(endpoint_url=f"https://{service}.fake")


@dataclass
class Clock:
    now: int = 0

    def time(self) -> datetime.datetime:
        return EPOCH + datetime.timedelta(minutes=self.now)


@dataclass
class World:
    """What the fakes share: the clock, the fault source and the record of every call."""

    clock: Clock = field(default_factory=Clock)
    chaos: Chaos = field(default_factory=lambda: Chaos(random.Random(0)))
    faults: Faults | None = None  # defaults to chaos
    calls: list[Call] = field(default_factory=list)

    def fault_source(self) -> Faults:
        return self.faults or self.chaos


def client(service: str, backend, principal: str, world: World):
    """A real botocore client whose calls ``backend`` answers as ``principal``."""
    c = boto3.client(service, region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    events = c.meta.events
    sid = c.meta.service_model.service_id.hyphenize()

    def capture(params, context, **_):
        context["fake_params"] = copy.deepcopy(params)

    def respond(model, context, **_):
        params = context.get("fake_params", {})
        world.calls.append(Call(principal, service, model.name, params))
        faults = world.fault_source()
        try:
            faults.before(service, model.name)
            out = getattr(backend, model.name)(principal, **params) or {}
            faults.after(service, model.name)
        except AWSError as exc:
            return AWSResponse(None, exc.status, {}, None), {
                "Error": {"Code": exc.code, "Message": exc.message}, "ResponseMetadata": {"HTTPStatusCode": exc.status}}
        if model.output_shape is not None:
            validate_parameters(out, model.output_shape)
        return AWSResponse(None, 200, {}, None), {**out, "ResponseMetadata": {"HTTPStatusCode": 200}}

    def no_account(builtins, **_):
        builtins["AWS::Auth::AccountId"] = None  # as the Stubber does: resolve no credentials

    events.register_first(f"before-parameter-build.{sid}.*", capture)
    events.register(f"before-call.{sid}.*", respond)
    events.register(f"before-endpoint-resolution.{sid}", no_account)
    return c


def _page(items: list, token: str | None, size: int) -> tuple[list, str | None]:
    start = int(token) if token else 0
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


# --- CodeCommit ---------------------------------------------------------------------------------------------------


@dataclass
class PullRequest:
    id: str
    repository: str
    source: str  # refs/heads/...
    destination: str
    title: str
    description: str
    token: str
    source_commit: str
    status: str = "OPEN"
    closed_at: int | None = None
    merged: bool = False


class CodeCommit:
    PAGE = 3  # small pages, so that every caller pages

    def __init__(self, world: World, repositories):
        self.world = world
        self.branches: dict[str, dict[str, str]] = {r: {} for r in repositories}
        self.pushed_at: dict[tuple[str, str], int] = {}
        self.pull_requests: dict[str, PullRequest] = {}
        self.tokens: dict[str, str] = {}
        self._ids = itertools.count(1)

    # state changes made by "developers" (no API call: the driver does them)
    def set_branch(self, repo: str, branch: str, commit: str) -> None:
        self.branches[repo][branch] = commit
        self.pushed_at[(repo, branch)] = self.world.clock.now
        for pr in self.pull_requests.values():
            if pr.status == "OPEN" and pr.repository == repo and pr.source == f"refs/heads/{branch}":
                pr.source_commit = commit

    def delete_branch(self, repo: str, branch: str) -> None:
        self.branches[repo].pop(branch, None)

    def close(self, pr: PullRequest, merged: bool) -> None:
        pr.status, pr.closed_at = "CLOSED", self.world.clock.now
        pr.merged = merged

    def _repo(self, name: str) -> dict[str, str]:
        if name not in self.branches:
            raise AWSError("RepositoryDoesNotExistException", f"{name} does not exist")
        return self.branches[name]

    # API
    def GetBranch(self, caller, repositoryName, branchName):
        branches = self._repo(repositoryName)
        if branchName not in branches:
            raise AWSError("BranchDoesNotExistException", f"{branchName} does not exist")
        return {"branch": {"branchName": branchName, "commitId": branches[branchName]}}

    def ListBranches(self, caller, repositoryName, nextToken=None):
        items, token = _page(sorted(self._repo(repositoryName)), nextToken, self.PAGE)
        return {"branches": items, **({"nextToken": token} if token else {})}

    def ListPullRequests(self, caller, repositoryName, pullRequestStatus=None, nextToken=None, maxResults=None, authorArn=None):
        self._repo(repositoryName)
        ids = [p.id for p in self.pull_requests.values()
               if p.repository == repositoryName and pullRequestStatus in (None, p.status)]
        items, token = _page(ids, nextToken, self.PAGE)
        return {"pullRequestIds": items, **({"nextToken": token} if token else {})}

    def _view(self, pr: PullRequest) -> dict:
        return {"pullRequestId": pr.id, "title": pr.title, "description": pr.description, "pullRequestStatus": pr.status,
                "clientRequestToken": pr.token, "creationDate": self.world.clock.time(),
                "pullRequestTargets": [{"repositoryName": pr.repository, "sourceReference": pr.source,
                                        "destinationReference": pr.destination, "sourceCommit": pr.source_commit}]}

    def GetPullRequest(self, caller, pullRequestId):
        if pullRequestId not in self.pull_requests:
            raise AWSError("PullRequestDoesNotExistException", pullRequestId)
        return {"pullRequest": self._view(self.pull_requests[pullRequestId])}

    def CreatePullRequest(self, caller, title, targets, clientRequestToken=None, description=""):
        if len(title) > 100:
            raise AWSError("InvalidTitleException", "Pull request titles cannot exceed 100 characters in length.")
        (target,) = targets
        repo = self._repo(target["repositoryName"])
        if clientRequestToken in self.tokens:
            first = self.pull_requests[self.tokens[clientRequestToken]]
            same = (first.repository, first.source, first.destination, first.title, first.description) == \
                (target["repositoryName"], f"refs/heads/{target['sourceReference']}",
                 f"refs/heads/{target['destinationReference']}", title, description)
            if not same:
                raise AWSError("IdempotencyParameterMismatchException", "the token was used with other parameters")
            return {"pullRequest": self._view(first)}
        if target["sourceReference"] not in repo:
            raise AWSError("ReferenceDoesNotExistException", target["sourceReference"])
        pr = PullRequest(str(next(self._ids)), target["repositoryName"], f"refs/heads/{target['sourceReference']}",
                         f"refs/heads/{target['destinationReference']}", title, description, clientRequestToken or "",
                         repo[target["sourceReference"]])
        self.pull_requests[pr.id] = pr
        if clientRequestToken:
            self.tokens[clientRequestToken] = pr.id
        return {"pullRequest": self._view(pr)}


# --- Service Catalog ----------------------------------------------------------------------------------------------


@dataclass
class Provisioned:
    id: str
    name: str
    product_id: str
    parameters: dict[str, str]
    tags: dict[str, str]
    launched_by: str
    token: str
    record: str
    status: str = "UNDER_CHANGE"
    operation: str = "provision"  # or terminate
    done_at: int = 0
    listed_at: int = 0
    unlisted_at: int = 0
    terminate_token: str = ""
    terminate_record: str = ""


@dataclass
class CatalogProduct:
    id: str
    name: str
    artifacts: dict[str, str]  # id -> name
    paths: dict[str, str]  # id -> portfolio name
    launchers: frozenset[str]  # principals of its portfolios
    parameter_patterns: dict[str, str]  # the template's AllowedPatterns


class ServiceCatalog:
    """``role_level``: the principals whose policy allows provisioned products only with servicecatalog:roleLevel self."""

    def __init__(self, world: World, products: list[CatalogProduct], role_level: set[str], error_rate: float = 0.0,
                 max_listing_delay: int = 3, max_duration: int = 4):
        self.world = world
        self.catalog = {p.id: p for p in products}
        self.role_level = role_level
        self.error_rate, self.max_listing_delay, self.max_duration = error_rate, max_listing_delay, max_duration
        self.products: dict[str, Provisioned] = {}  # by name, live ones
        self.terminated: list[Provisioned] = []
        self.records: dict[str, Provisioned] = {}  # ProvisionToken -> what it launched
        self.invalid_parameters: list[tuple[str, str, str]] = []
        self.on_terminate = None  # called with each product whose termination is accepted
        self._ids = itertools.count(1)

    def _rng(self) -> random.Random:
        return self.world.chaos.rng

    def tick(self) -> list[Provisioned]:
        """Finish what is due; the products that became AVAILABLE this tick."""
        ready = []
        for p in list(self.products.values()):
            if p.status != "UNDER_CHANGE" or p.done_at > self.world.clock.now:
                continue
            if p.operation == "terminate":
                del self.products[p.name]
                p.unlisted_at = self.world.clock.now + self._rng().randint(0, self.max_listing_delay)
                self.terminated.append(p)
            else:
                broken = self._invalid(p) or self._rng().random() < self.error_rate
                p.status = "ERROR" if broken else "AVAILABLE"
                if not broken:
                    ready.append(p)
        return ready

    def _invalid(self, p: Provisioned) -> bool:
        for key, pattern in self.catalog[p.product_id].parameter_patterns.items():
            value = p.parameters.get(key)
            if value is None or not re.search(pattern, value):
                self.invalid_parameters.append((p.name, key, str(value)))
                return True
        return False

    def launch(self, principal: str, product_id: str, name: str, parameters: dict[str, str], tags: dict[str, str]) -> Provisioned:
        """A launch outside the automation (a person launching a main pipeline)."""
        return self._create(principal, product_id, name, parameters, tags, f"person-{next(self._ids)}")

    def _create(self, principal, product_id, name, parameters, tags, token) -> Provisioned:
        n = next(self._ids)
        now = self.world.clock.now
        p = Provisioned(f"pp-{n:012d}", name, product_id, parameters, tags, principal, token, f"rec-{n}",
                        done_at=now + self._rng().randint(1, self.max_duration),
                        listed_at=now + self._rng().randint(0, self.max_listing_delay))
        self.products[name] = p
        return p

    def _visible(self, caller: str, p: Provisioned) -> bool:
        return caller not in self.role_level or p.launched_by == caller

    # API
    def DescribeProduct(self, caller, Name=None, Id=None, AcceptLanguage=None):
        for product in self.catalog.values():
            if product.name == Name and caller in product.launchers:
                return {"ProductViewSummary": {"Id": f"prodview-{product.id}", "ProductId": product.id, "Name": product.name},
                        "ProvisioningArtifacts": [{"Id": i, "Name": n} for i, n in product.artifacts.items()],
                        "LaunchPaths": [{"Id": i, "Name": n} for i, n in product.paths.items()]}
        raise AWSError("ResourceNotFoundException", f"product {Name} not found")

    def ProvisionProduct(self, caller, ProvisionedProductName, ProvisionToken, ProductId=None, ProvisioningArtifactId=None,
                         PathId=None, ProvisioningParameters=(), Tags=(), **_):
        if ProvisionToken in self.records:
            first = self.records[ProvisionToken]
            return {"RecordDetail": {"RecordId": first.record, "ProvisionedProductName": first.name, "Status": "CREATED"}}
        product = self.catalog.get(ProductId)
        if product is None or ProvisioningArtifactId not in product.artifacts or PathId not in product.paths \
                or caller not in product.launchers:
            raise AWSError("ResourceNotFoundException", "no such product, artifact or launch path for this caller")
        if ProvisionedProductName in self.products:
            raise AWSError("DuplicateResourceException", f"{ProvisionedProductName} exists")
        p = self._create(caller, ProductId, ProvisionedProductName, {x["Key"]: x["Value"] for x in ProvisioningParameters},
                         {x["Key"]: x["Value"] for x in Tags}, ProvisionToken)
        self.records[ProvisionToken] = p
        return {"RecordDetail": {"RecordId": p.record, "ProvisionedProductName": p.name, "Status": "CREATED"}}

    def DescribeProvisionedProduct(self, caller, Name=None, Id=None, AcceptLanguage=None):
        p = self.products.get(Name)
        if p is None:
            raise AWSError("ResourceNotFoundException", f"{Name} not found")
        if not self._visible(caller, p):
            raise AWSError("AccessDeniedException", "servicecatalog:roleLevel self does not reach this product")
        return {"ProvisionedProductDetail": {"Name": p.name, "Id": p.id, "Status": p.status, "Type": "CFN_STACK",
                                             "CreatedTime": self.world.clock.time()}}

    def SearchProvisionedProducts(self, caller, AccessLevelFilter=None, PageSize=20, PageToken=None, **_):
        level = (AccessLevelFilter or {}).get("Key", "Account")
        if caller in self.role_level and level != "Role":
            raise AWSError("AccessDeniedException", f"servicecatalog:roleLevel self does not allow access level {level}")
        now = self.world.clock.now
        # Listed some ticks after launch, and still some ticks after termination.
        listed = [p for p in self.products.values() if p.listed_at <= now] + [p for p in self.terminated if p.unlisted_at > now]
        listed = sorted((p for p in listed if level != "Role" or p.launched_by == caller), key=lambda p: (p.name, p.id))
        items, token = _page(listed, PageToken, PageSize or 20)
        return {"ProvisionedProducts": [{"Name": p.name, "Id": p.id, "Status": p.status, "Type": "CFN_STACK",
                                         "Tags": [{"Key": k, "Value": v} for k, v in sorted(p.tags.items())]} for p in items],
                **({"NextPageToken": token} if token else {})}

    def TerminateProvisionedProduct(self, caller, TerminateToken, ProvisionedProductName=None, **_):
        p = self.products.get(ProvisionedProductName)
        if p is None:
            raise AWSError("ResourceNotFoundException", f"{ProvisionedProductName} not found")
        if not self._visible(caller, p):
            raise AWSError("AccessDeniedException", "servicecatalog:roleLevel self does not reach this product")
        if p.operation == "terminate":
            if TerminateToken == p.terminate_token:
                return {"RecordDetail": {"RecordId": p.terminate_record, "ProvisionedProductName": p.name}}
            raise AWSError("InvalidStateException", f"{p.name} is being terminated")
        if p.status == "UNDER_CHANGE":
            raise AWSError("InvalidStateException", f"{p.name} is being launched")
        if self.on_terminate:
            self.on_terminate(p)
        p.operation, p.status, p.terminate_token = "terminate", "UNDER_CHANGE", TerminateToken
        p.terminate_record = f"rec-t{next(self._ids)}"
        p.done_at = self.world.clock.now + self._rng().randint(1, self.max_duration)
        return {"RecordDetail": {"RecordId": p.terminate_record, "ProvisionedProductName": p.name}}


# --- CodePipeline and Lambda --------------------------------------------------------------------------------------


@dataclass
class Job:
    id: str
    pipeline: str
    user_parameters: str
    created_at: int
    commit: str = ""
    results: list[tuple[str, dict]] = field(default_factory=list)  # ("success"|"failure", request), accepted ones


class CodePipeline:
    def __init__(self, world: World, function: str):
        self.world = world
        self.function = function
        self.jobs: dict[str, Job] = {}
        self.refused: int = 0
        self.on_result = None  # called with each accepted result: (job, "success"|"failure", request)

    def new_job(self, pipeline: str, user_parameters: str, commit: str = "") -> Job:
        rng = self.world.chaos.rng
        job_id = "-".join("".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12))
        job = Job(job_id, pipeline, user_parameters, self.world.clock.now, commit)
        self.jobs[job_id] = job
        return job

    def event(self, job: Job) -> dict:
        """The Lambda invoke action's event (Lambda Developer Guide, "Using AWS Lambda with AWS CodePipeline")."""
        return {"CodePipeline.job": {"id": job.id, "accountId": "111111111111", "data": {
            "actionConfiguration": {"configuration": {"FunctionName": self.function, "UserParameters": job.user_parameters}},
            "inputArtifacts": [], "outputArtifacts": [], "artifactCredentials": {
                "accessKeyId": "AKIA", "secretAccessKey": "secret", "sessionToken": "token", "expirationTime": 0}}}}

    def _job(self, job_id: str) -> Job:
        if job_id not in self.jobs:
            raise AWSError("JobNotFoundException", job_id)
        return self.jobs[job_id]

    def GetJobDetails(self, caller, jobId):
        job = self._job(jobId)
        return {"jobDetails": {"id": job.id, "accountId": "111111111111", "data": {
            "actionTypeId": {"category": "Invoke", "owner": "AWS", "provider": "Lambda", "version": "1"},
            "actionConfiguration": {"configuration": {"FunctionName": self.function, "UserParameters": job.user_parameters}},
            "pipelineContext": {"pipelineName": job.pipeline, "stage": {"name": "PullRequests"},
                                "action": {"name": "OpenPullRequests"}}}}}

    def _result(self, jobId: str, kind: str, request: dict) -> dict:
        job = self._job(jobId)
        if job.results:
            self.refused += 1
            raise AWSError("InvalidJobStateException", f"job {jobId} already has a result")
        job.results.append((kind, request))
        if self.on_result:
            self.on_result(job, kind, request)
        return {}

    def PutJobSuccessResult(self, caller, jobId, **request):
        return self._result(jobId, "success", request)

    def PutJobFailureResult(self, caller, jobId, **request):
        return self._result(jobId, "failure", request)


class Lambda:
    """Asynchronous invocations land in ``queue`` for the driver to deliver."""

    def __init__(self, world: World, functions: set[str]):
        self.world = world
        self.functions = functions
        self.queue: list[tuple[str, bytes]] = []

    def Invoke(self, caller, FunctionName, InvocationType="RequestResponse", Payload=b"", **_):
        if FunctionName not in self.functions:
            raise AWSError("ResourceNotFoundException", FunctionName, 404)
        assert InvocationType == "Event", "the automation invokes asynchronously"
        self.queue.append((FunctionName, Payload if isinstance(Payload, bytes) else Payload.read()))
        return {"StatusCode": 202}
