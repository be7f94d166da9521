"""The hotfix pipeline's pull-request step hands the Lambda what decide reads, within CodePipeline's limits."""

from __future__ import annotations

import json
import re

from generator.core.naming import pipeline_slug
from generator.hotfix.decide import JOB_KEYS, decide

from .hotfix_env import builtin_template, catalogue

CAT = catalogue()
TEMPLATE = builtin_template(CAT, CAT.hotfix.repositories[0].product)
STAGES = TEMPLATE["Resources"]["Pipeline"]["Properties"]["Stages"]
ACTIONS = [(s["Name"], a) for s in STAGES for a in s["Actions"]]
(PULL_REQUESTS,) = [a for s, a in ACTIONS if s == "PullRequests"]
USER_PARAMETERS = PULL_REQUESTS["Configuration"]["UserParameters"]["Fn::Sub"]


def test_the_step_passes_exactly_the_keys_decide_reads():
    assert sorted(json.loads(USER_PARAMETERS)) == sorted(JOB_KEYS)


def test_every_variable_it_reads_comes_from_an_earlier_actions_namespace():
    # CodePipeline User Guide, "Variables reference": an action's variables are
    # available to later actions only through the namespace it declares.
    earlier = {a.get("Namespace") for s, a in ACTIONS[:ACTIONS.index(("PullRequests", PULL_REQUESTS))]}
    for namespace, variable in re.findall(r"#\{(\w+)\.(\w+)\}", USER_PARAMETERS):
        assert namespace in earlier, f"#{{{namespace}.{variable}}} has no earlier action with that namespace"
        assert variable == "CommitId"  # a variable of the CodeCommit source action


def test_the_longest_branch_and_repository_fit_the_1000_character_field():
    # "do not exceed the 1000-character limit for the configuration fields" (Variables reference, limits).
    resolved = USER_PARAMETERS.replace("${RepositoryName}", "r" * 100).replace("${BranchName}", "b" * 256) \
        .replace("#{SourceVariables.CommitId}", "c" * 40)
    assert len(resolved) <= 1000


def test_what_the_step_sends_is_a_job_decide_accepts_for_the_pipeline_of_that_branch():
    repo = CAT.hotfix.repositories[0]
    branch = repo.branch_prefix + "login"
    resolved = USER_PARAMETERS.replace("${RepositoryName}", repo.name).replace("${BranchName}", branch) \
        .replace("#{SourceVariables.CommitId}", "c" * 40)
    job = {"CodePipeline.job": {"id": "c0d76431-b0e7-4a4e-97e3-e8ee786eb6f6", "data": {
        "actionConfiguration": {"configuration": {"UserParameters": resolved}}}}}
    decision = decide(job, CAT)
    assert decision.action == "open_pull_requests"
    assert decision.pipeline == pipeline_slug(CAT.stack_prefix, repo.name, branch)
