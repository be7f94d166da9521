"""A verified delivery's branch changes, in the shape CodeCommit's EventBridge rule gives them.

What each provider sends when a branch is created or deleted:

- GitHub ``push`` (GitHub Docs, "Webhook events and payloads", push): ``ref``
  (``refs/heads/<branch>``, ``refs/tags/<tag>``), ``created``, ``deleted``,
  ``before`` and ``after`` commits, ``repository.full_name``. A new branch
  is a push with ``created: true`` at ``after``; a deleted one a push with
  ``deleted: true``, from ``before``. GitHub's ``delete`` event (``ref`` the
  short name, ``ref_type`` branch or tag) also ends a branch. Its ``create``
  event names no commit (only ``ref``, ``ref_type``, ``master_branch``), which
  a pipeline needs, so it is acknowledged and left to the push GitHub sends
  for the same branch. ``ping`` (sent when the webhook is created) is
  acknowledged.
- GitLab push events (GitLab Docs, "Webhook events", push events:
  ``object_kind: push``, ``ref``, ``before``, ``after``,
  ``project.path_with_namespace``): a new branch has ``before`` all zeros, a
  deleted one ``after`` all zeros. Tags come as ``tag_push``.
- Bitbucket Cloud ``repo:push`` (Bitbucket Cloud, "Event payloads", push):
  ``push.changes[]``, each with ``old`` and ``new`` (``type`` branch or tag,
  ``name``, ``target.hash``); ``old`` is null for a created reference and
  ``new`` null for a deleted one; ``repository.full_name``.

Every other change (a push to an existing branch) needs nothing: the
pipeline's source action follows its branch through the connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..events import WEBHOOK_DETAIL_TYPE, WEBHOOK_SOURCE


class PayloadError(Exception):
    """A verified delivery whose body is not the event its headers announce."""


@dataclass(frozen=True)
class Reading:
    repository_id: str  # the provider's id the payload names ("" when the event names none)
    changes: tuple[dict, ...] = ()  # events for the lifecycle Lambda, one per branch created or deleted
    notes: tuple[str, ...] = field(default=())  # why the rest needs nothing


def _text(node, *keys, required: bool = True) -> str:
    where = "$"
    for key in keys:
        where += f".{key}"
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, str):
        return node
    if node is None and not required:
        return ""
    raise PayloadError(f"{where} must be a string ({'missing' if node is None else type(node).__name__})")


def _zero(commit: str) -> bool:
    return bool(commit) and set(commit) == {"0"}


def _split_ref(ref: str) -> tuple[str, str]:
    for prefix, kind in (("refs/heads/", "branch"), ("refs/tags/", "tag")):
        if ref.startswith(prefix):
            return kind, ref[len(prefix):]
    return "reference", ref


def change(repo, delivery: str, account: str, region: str, created: bool, kind: str, name: str, commit: str) -> dict:
    """The lifecycle Lambda's event for one created or deleted reference (events.WEBHOOK_SOURCE)."""
    full = {"branch": "refs/heads/", "tag": "refs/tags/"}.get(kind, "") + name
    detail = {"event": "referenceCreated" if created else "referenceDeleted", "repositoryName": repo.name,
              "referenceType": kind, "referenceName": name, "referenceFullName": full,
              "commitId" if created else "oldCommitId": commit,
              "provider": repo.provider, "fullRepositoryId": repo.full_repository_id}
    return {"version": "0", "id": delivery, "source": WEBHOOK_SOURCE, "detail-type": WEBHOOK_DETAIL_TYPE,
            "account": account, "region": region, "resources": [], "detail": detail}


REPOSITORY_ID = {"github": ("repository", "full_name"), "gitlab": ("project", "path_with_namespace"),
                 "bitbucket": ("repository", "full_name")}


def repository_id(provider: str, payload) -> str:
    """The provider's id of the repository a payload is about ("" when it names none)."""
    return _text(payload, *REPOSITORY_ID[provider], required=False) if isinstance(payload, dict) else ""


def read(provider: str, event: str, payload, repo, delivery: str, account: str, region: str) -> Reading:
    if not isinstance(payload, dict):
        raise PayloadError(f"the body must be a JSON object, not {type(payload).__name__}")
    def make(created: bool, kind: str, name: str, commit: str) -> dict:
        return change(repo, delivery, account, region, created, kind, name, commit)

    return {"github": _github, "gitlab": _gitlab, "bitbucket": _bitbucket}[provider](event, payload, make)


def _github(event: str, payload: dict, make) -> Reading:
    if event == "ping":
        return Reading(_text(payload, "repository", "full_name", required=False), notes=("ping: the webhook reaches the endpoint",))
    if event not in ("push", "create", "delete"):
        return Reading(_text(payload, "repository", "full_name", required=False),
                       notes=(f"GitHub '{event or 'unnamed'}' events carry no branch creation or deletion",))
    repo_id = _text(payload, "repository", "full_name")
    if event == "create":
        return Reading(repo_id, notes=(f"GitHub's create event for '{_text(payload, 'ref')}' names no commit; the push "
                                       "event GitHub sends for it (created: true) is the one acted on",))
    if event == "delete":
        kind = _text(payload, "ref_type")
        return Reading(repo_id, (make(False, kind if kind in ("branch", "tag") else "reference", _text(payload, "ref"), ""),))
    kind, name = _split_ref(_text(payload, "ref"))
    created, deleted = payload.get("created") is True, payload.get("deleted") is True
    if created and not deleted:
        return Reading(repo_id, (make(True, kind, name, _text(payload, "after")),))
    if deleted and not created:
        return Reading(repo_id, (make(False, kind, name, _text(payload, "before")),))
    return Reading(repo_id, notes=(f"a push to existing {kind} '{name}': its pipeline follows it",))


GITLAB_EVENTS = {"Push Hook": "push", "Tag Push Hook": "tag_push"}  # X-Gitlab-Event -> object_kind


def _gitlab(event: str, payload: dict, make) -> Reading:
    announced = GITLAB_EVENTS.get(event) if event else payload.get("object_kind")
    repo_id = _text(payload, "project", "path_with_namespace", required=False)
    if announced not in ("push", "tag_push"):
        return Reading(repo_id, notes=(f"GitLab '{event or payload.get('object_kind') or 'unnamed'}' events carry no branch "
                                       "creation or deletion",))
    if payload.get("object_kind") != announced:
        raise PayloadError(f"$.object_kind must be '{announced}' for a '{event}' delivery")
    repo_id = _text(payload, "project", "path_with_namespace")
    kind, name = _split_ref(_text(payload, "ref"))
    before, after = _text(payload, "before"), _text(payload, "after")
    if _zero(before) and not _zero(after):
        return Reading(repo_id, (make(True, kind, name, after),))
    if _zero(after) and not _zero(before):
        return Reading(repo_id, (make(False, kind, name, before),))
    return Reading(repo_id, notes=(f"a push to existing {kind} '{name}': its pipeline follows it",))


def _ref(side) -> tuple[str, str, str]:
    kind = _text(side, "type")
    return ("branch" if kind in ("branch", "named_branch") else kind), _text(side, "name"), _text(side, "target", "hash")


def _bitbucket(event: str, payload: dict, make) -> Reading:
    repo_id = _text(payload, "repository", "full_name", required=False)
    if event != "repo:push":
        return Reading(repo_id, notes=(f"Bitbucket '{event or 'unnamed'}' events carry no branch creation or deletion",))
    repo_id = _text(payload, "repository", "full_name")
    changes = (payload.get("push") or {}).get("changes") if isinstance(payload.get("push"), dict) else None
    if not isinstance(changes, list):
        raise PayloadError("$.push.changes must be a list")
    out, notes = [], []
    for i, item in enumerate(changes):
        if not isinstance(item, dict):
            raise PayloadError(f"$.push.changes[{i}] must be an object")
        old, new = item.get("old"), item.get("new")
        if old is None and isinstance(new, dict):
            kind, name, commit = _ref(new)
            out.append(make(True, kind, name, commit))
        elif new is None and isinstance(old, dict):
            kind, name, commit = _ref(old)
            out.append(make(False, kind, name, commit))
        elif isinstance(old, dict) and isinstance(new, dict):
            kind, name, _ = _ref(new)
            notes.append(f"a push to existing {kind} '{name}': its pipeline follows it")
        else:
            raise PayloadError(f"$.push.changes[{i}] has neither an old nor a new reference")
    return Reading(repo_id, tuple(out), tuple(notes))
