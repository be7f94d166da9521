"""Where a repository's pipelines read their source, and which built-in template builds from it.

A CodeCommit repository is read by the CodeCommit source action; a GitHub,
GitLab or Bitbucket repository through an AWS CodeConnections connection by
the CodeStarSourceConnection action (CodePipeline User Guide, "CodeStarSourceConnection
for Bitbucket Cloud, GitHub, GitHub Enterprise Server, GitLab.com, and GitLab
self-managed actions"). Each kind has its own built-in templates, so that a
published template never changes when a catalogue adds a repository of the
other kind.
"""

from __future__ import annotations

CODECOMMIT = "codecommit"
PROVIDERS = (CODECOMMIT, "github", "gitlab", "bitbucket")
CONNECTION = "codeconnections"  # the source kind of every provider but CodeCommit

HOTFIX = {CODECOMMIT: "hotfix-pipeline", CONNECTION: "hotfix-pipeline-codeconnections"}
MAIN = {CODECOMMIT: "main-pipeline", CONNECTION: "main-pipeline-codeconnections"}
KIND_OF_BUILTIN = {name: kind for table in (HOTFIX, MAIN) for kind, name in table.items()}
# What people call each provider in messages.
TITLE = {CODECOMMIT: "CodeCommit", "github": "GitHub", "gitlab": "GitLab", "bitbucket": "Bitbucket"}


def kind(provider: str) -> str:
    return CODECOMMIT if provider == CODECOMMIT else CONNECTION


def uses_connection(repo) -> bool:
    return repo.provider != CODECOMMIT


def hotfix_builtin(repo) -> str:
    return HOTFIX[kind(repo.provider)]


def main_builtin(repo) -> str:
    return MAIN[kind(repo.provider)]
