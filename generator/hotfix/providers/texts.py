"""Titles and descriptions of the hotfix's pull requests, within every provider's limits.

One text for every provider, cut to the smallest limit among them:
titles to CodeCommit's 100 characters ("Pull request titles cannot exceed
100 characters in length", InvalidTitleException; botocore's model says 150,
so the smaller one holds), which GitHub, GitLab (255) and Bitbucket accept;
descriptions to CodeCommit's 10,240 (CreatePullRequest), under GitLab's
1,048,576 (Merge requests API, Create MR) and GitHub's and Bitbucket's,
which publish none.
"""

from __future__ import annotations

MAX_TITLE = 100
MAX_DESCRIPTION = 10240
# The line that names the request a pull request was opened for (repository, source, destination,
# commit): the HTTP providers take no client request token, so a retry of the same run finds
# the pull request it opened by this line, even after it was merged or closed.
MARKER = "hotfix-request: "


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def title(source: str, destination: str) -> str:
    """The branch is cut before the destination, so that a long branch's pull requests into main and into develop
    still say which is which."""
    room = MAX_TITLE - len(f"Merge hotfix  into {destination}")
    if room >= len("hotfix-..."):
        return f"Merge hotfix {fit(source, room)} into {destination}"
    return fit(f"Merge hotfix {source} into {destination}", MAX_TITLE)


def description(pipeline: str, source: str, commit: str, destination: str, request: str = "") -> str:
    """``request``: the idempotency token of the pull request, written on its own last line when given."""
    marker = f"\n\n{MARKER}{request}" if request else ""
    text = fit(f"Opened by the hotfix pipeline {pipeline} of {source} after commit {commit} deployed to stage. "
               f"Merge it so that {destination} keeps the fix.", MAX_DESCRIPTION - len(marker))
    return text + marker


def carries(text, request: str) -> bool:
    """Whether a pull request's description names ``request`` on a line of its own."""
    return isinstance(text, str) and f"{MARKER}{request}" in (line.strip() for line in text.split("\n"))
