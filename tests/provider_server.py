"""GitHub, GitLab and Bitbucket Cloud on a loopback port: a small HTTP server that answers as each documents.

Only the endpoints the toolkit uses, each with the shapes, status codes,
pagination and errors of its provider's documentation (the sources are
named in generator/hotfix/providers/github.py, gitlab.py and bitbucket.py);
where a document is silent the behaviour chosen is said here:

- GitHub: pages of ``per_page`` linked by ``link`` rel="next"; a second open
  pull request for the same head and base is 422 "A pull request already
  exists" (observed, not in the reference); a pull request whose head is
  not a branch is 422; one whose head is the base's commit is 422 "No
  commits between BASE and HEAD" (reported, see providers/github.py; the
  server compares heads, not histories).
- GitLab: pages linked by ``link`` and ``x-next-page``; a second open merge
  request for a source branch is 409; ``iid`` counts per project.
- Bitbucket: pages as ``{"values", "next"}``; POST for branches that already
  have an open pull request updates and returns it (200), as the
  atlassian-python-api notes say it does; one whose source is the
  destination's commit is 400 "There are no changes to be pulled"
  (reported, see providers/bitbucket.py).
- GitLab creates a merge request with no changes (see providers/gitlab.py).
- All: a missing or unknown token is 401; a repository the token may not
  see is 404, exactly like one that does not exist.

Every request is recorded. ``script`` queues answers for matching requests
(status, headers, body, a delay, a dropped connection), before the request
takes effect or after it (its answer lost on the way back).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

TOKEN = "test-token-7f3a"  # what the test secret holds; never a real credential
PAGE = 2  # the server's largest page, so that every listing pages


@dataclass
class PullRequest:
    number: int
    source: str
    destination: str
    title: str
    body: str
    state: str = "open"  # open, merged, closed
    source_repo: str = ""


@dataclass
class Repo:
    branches: dict[str, str] = field(default_factory=dict)
    pulls: list[PullRequest] = field(default_factory=list)
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def open_pull(self, source: str, destination: str, full: str = "") -> PullRequest | None:
        """The open pull request from this repository's ``source`` (not a fork's) into ``destination``."""
        return next((p for p in self.pulls if p.state == "open" and (p.source, p.destination) == (source, destination)
                     and p.source_repo in ("", full)), None)


@dataclass
class Recorded:
    flavour: str
    method: str
    path: str  # raw, as sent
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: object


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: object = b""  # bytes as sent, or JSON
    delay: float = 0.0
    drop: bool = False  # close the connection without an answer
    after: bool = False  # carry the request out first, then answer this instead
    trickle: float = 0.0  # seconds between pieces: each header line, then (``slow_body``) each byte of the body
    slow_body: bool = False  # headers at once, the body trickled


class Server:
    def __init__(self):
        self.repos: dict[tuple[str, str], Repo] = {}  # (flavour, full id) -> repo
        self.tokens = {TOKEN}
        self.hidden: set[tuple[str, str]] = set()  # repositories the token may not see
        self.requests: list[Recorded] = []
        self.scripts: list[tuple[object, list[Answer]]] = []
        self.trickled = 0  # pieces of trickled answers sent so far
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"server_state": self})
        self.httpd = _Quiet(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def api(self, flavour: str) -> str:
        return f"{self.url}{PREFIX[flavour]}"

    def repo(self, flavour: str, full_id: str) -> Repo:
        return self.repos.setdefault((flavour, full_id), Repo())

    def reset(self) -> None:
        with self.lock:
            self.repos.clear()
            self.requests.clear()
            self.scripts.clear()
            self.hidden.clear()
            self.tokens = {TOKEN}
            self.trickled = 0

    def script(self, matches, *answers: Answer) -> None:
        """``matches(recorded) -> bool`` picks the requests the answers go to, one each, in order."""
        with self.lock:
            self.scripts.append((matches, list(answers)))

    def take(self, recorded: Recorded) -> Answer | None:
        with self.lock:
            for matches, answers in self.scripts:
                if answers and matches(recorded):
                    return answers.pop(0)
        return None

    def made(self, flavour: str | None = None) -> list[tuple[str, str]]:
        """(method, path without query) of the requests recorded so far."""
        return [(r.method, r.path.split("?")[0]) for r in self.requests if flavour in (None, r.flavour)]


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (a timeout the test caused) is no failure of the server


PREFIX = {"github": "/github", "gitlab": "/gitlab/api/v4", "bitbucket": "/bitbucket/2.0"}


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class _Handler(BaseHTTPRequestHandler):
    server_state: Server

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def _handle(self, method: str) -> None:
        state = self.server_state
        raw = self.path
        flavour = next((f for f, p in PREFIX.items() if raw.startswith(p + "/") or raw == p), "")
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        try:
            body = json.loads(data) if data else None
        except ValueError:
            body = data
        parts = urlsplit(raw)
        rec = Recorded(flavour, method, raw, parse_qs(parts.query, keep_blank_values=True),
                       {k.lower(): v for k, v in self.headers.items()}, body)
        with state.lock:
            state.requests.append(rec)
        answer = state.take(rec)
        if answer is not None and not answer.after:
            return self._send_answer(answer)
        try:
            status, headers, out = ROUTES[flavour](state, rec, parts.path[len(PREFIX[flavour]):]) if flavour \
                else (404, {}, {"message": "no such API"})
        except _Stop as stop:
            status, headers, out = stop.status, stop.headers, stop.body
        if answer is not None:
            return self._send_answer(answer)
        self._send(status, headers, out)

    def _send_answer(self, answer: Answer) -> None:
        if answer.delay:
            time.sleep(answer.delay)
        if answer.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if answer.trickle:
            return self._trickle(answer)
        self._send(answer.status, answer.headers, answer.body)

    def _trickle(self, answer: Answer) -> None:
        """The answer a piece at a time, each piece well within any socket timeout, until the client goes away."""
        data = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        lines = [f"X-Slow-{i}: y\r\n".encode() for i in range(40)] + [f"Content-Length: {len(data)}\r\n\r\n".encode()]
        head = [f"HTTP/1.1 {answer.status} OK\r\n".encode()] + lines
        pieces = [b"".join(head)] + [data[i:i + 1] for i in range(len(data))] if answer.slow_body else head + [data]
        state = self.server_state
        try:
            for piece in pieces:
                self.wfile.write(piece)
                self.wfile.flush()
                with state.lock:
                    state.trickled += 1
                time.sleep(answer.trickle)
        except OSError:
            pass  # the client gave up
        self.close_connection = True

    def _send(self, status: int, headers: dict, body) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


class _Stop(Exception):
    def __init__(self, status: int, body, headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


def _one(query, name: str, default: str = "") -> str:
    return query.get(name, [default])[0]


def _page(rec: Recorded, items: list, size_param: str) -> tuple[list, int, bool]:
    size = min(int(_one(rec.query, size_param, "30")), PAGE)
    page = int(_one(rec.query, "page", "1"))
    chunk = items[(page - 1) * size: page * size]
    return chunk, page, page * size < len(items)


def _next_url(state: Server, rec: Recorded, page: int) -> str:
    query = {k: v for k, v in rec.query.items() if k != "page"}
    query["page"] = [str(page + 1)]
    return f"{state.url}{rec.path.split('?')[0]}?{urlencode(query, doseq=True, quote_via=quote)}"


def _visible(state: Server, flavour: str, full_id: str) -> Repo:
    if (flavour, full_id) not in state.repos or (flavour, full_id) in state.hidden:
        raise _Stop(404, NOT_FOUND[flavour])
    return state.repos[(flavour, full_id)]


NOT_FOUND = {"github": {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
             "gitlab": {"message": "404 Project Not Found"},
             "bitbucket": {"type": "error", "error": {"message": "Repository not found"}}}


def _authorised(state: Server, rec: Recorded, flavour: str) -> None:
    auth = rec.headers.get("authorization", "")
    token = None
    if flavour == "gitlab":
        token = rec.headers.get("private-token")
    elif auth.startswith("Bearer "):
        token = auth[len("Bearer "):]
    elif auth.startswith("Basic ") and flavour == "bitbucket":
        _user, _, token = base64.b64decode(auth[6:]).decode().partition(":")
    if token not in state.tokens:
        raise _Stop(401, {"github": {"message": "Bad credentials"}, "gitlab": {"message": "401 Unauthorized"},
                          "bitbucket": {"type": "error", "error": {"message": "Access token expired."}}}[flavour])


# --- GitHub -------------------------------------------------------------------------------------------------------

def _route(state: Server, rec: Recorded, flavour: str, pattern: str, path: str) -> tuple[str, Repo, str]:
    """(full id, repository, the rest of the path) of an authorised request for a repository the token may see."""
    _authorised(state, rec, flavour)
    m = re.fullmatch(pattern, path)
    if not m:
        raise _Stop(404, NOT_FOUND[flavour])
    full = "/".join(unquote(g) for g in m.groups()[:-1])
    return full, _visible(state, flavour, full), m.groups()[-1] or ""


def _github(state: Server, rec: Recorded, path: str):
    full, repo, rest = _route(state, rec, "github", r"/repos/([^/]+)/([^/]+)(/.*)?", path)
    if rest == "" and rec.method == "GET":
        return 200, {}, {"full_name": full, "default_branch": "main"}
    if rest == "/branches" and rec.method == "GET":
        items = [{"name": n, "commit": {"sha": sha, "url": "x"}, "protected": False} for n, sha in sorted(repo.branches.items())]
        chunk, page, more = _page(rec, items, "per_page")
        return 200, ({"Link": f'<{_next_url(state, rec, page)}>; rel="next"'} if more else {}), chunk
    if rest.startswith("/git/ref/heads/") and rec.method == "GET":
        branch = unquote(rest[len("/git/ref/heads/"):])
        if branch not in repo.branches:
            raise _Stop(404, NOT_FOUND["github"])
        return 200, {}, {"ref": f"refs/heads/{branch}", "object": {"sha": repo.branches[branch], "type": "commit"}}
    if rest == "/pulls" and rec.method == "GET":
        state_ = _one(rec.query, "state", "open")
        owner, _, head = _one(rec.query, "head").partition(":")
        base = _one(rec.query, "base")
        items = [_github_pull(p, full) for p in repo.pulls
                 if (state_ == "all" or (p.state == "open") == (state_ == "open"))
                 and (not head or (p.source == head and owner == full.split("/")[0])) and (not base or p.destination == base)]
        chunk, page, more = _page(rec, items, "per_page")
        return 200, ({"Link": f'<{_next_url(state, rec, page)}>; rel="next"'} if more else {}), chunk
    if rest == "/pulls" and rec.method == "POST":
        b = rec.body
        if b["head"] not in repo.branches:
            raise _Stop(422, {"message": "Validation Failed", "errors": [{"resource": "PullRequest", "field": "head",
                                                                           "code": "invalid"}]})
        if repo.branches.get(b["base"]) == repo.branches[b["head"]]:
            raise _Stop(422, {"message": "Validation Failed", "errors": [
                {"resource": "PullRequest", "code": "custom", "message": f"No commits between {b['base']} and {b['head']}"}]})
        if repo.open_pull(b["head"], b["base"], full):
            raise _Stop(422, {"message": "Validation Failed", "errors": [
                {"resource": "PullRequest", "code": "custom", "message": f"A pull request already exists for {full.split('/')[0]}:{b['head']}."}]})
        pr = PullRequest(next(repo.numbers), b["head"], b["base"], b["title"], b.get("body") or "", source_repo=full)
        repo.pulls.append(pr)
        return 201, {}, _github_pull(pr, full)
    raise _Stop(404, NOT_FOUND["github"])


def _github_pull(p: PullRequest, full: str) -> dict:
    return {"number": p.number, "state": "open" if p.state == "open" else "closed", "title": p.title, "body": p.body,
            "merged_at": "2026-01-01T00:00:00Z" if p.state == "merged" else None,
            "head": {"ref": p.source, "label": f"{(p.source_repo or full).split('/')[0]}:{p.source}",
                     "repo": {"full_name": p.source_repo or full}},
            "base": {"ref": p.destination, "repo": {"full_name": full}}}


# --- GitLab -------------------------------------------------------------------------------------------------------

def _gitlab(state: Server, rec: Recorded, path: str):
    # The project id is one path segment, its '/' sent as %2F ("Namespaced paths").
    full, repo, rest = _route(state, rec, "gitlab", r"/projects/([^/]+)(/.*)?", path)
    if rest == "" and rec.method == "GET":
        return 200, {}, {"id": 7, "path_with_namespace": full}
    if rest == "/repository/branches" and rec.method == "GET":
        items = [{"name": n, "commit": {"id": sha}} for n, sha in sorted(repo.branches.items())]
        chunk, page, more = _page(rec, items, "per_page")
        return 200, ({"Link": f'<{_next_url(state, rec, page)}>; rel="next"', "X-Next-Page": str(page + 1)} if more
                     else {"X-Next-Page": ""}), chunk
    if rest.startswith("/repository/branches/") and rec.method == "GET":
        branch = unquote(rest[len("/repository/branches/"):])
        if "/" in rest[len("/repository/branches/"):]:
            raise _Stop(404, {"message": "404 Not found"})  # an unencoded '/' matches no endpoint
        if branch not in repo.branches:
            raise _Stop(404, {"message": "404 Branch Not Found"})
        return 200, {}, {"name": branch, "commit": {"id": repo.branches[branch]}}
    if rest == "/merge_requests" and rec.method == "GET":
        state_ = _one(rec.query, "state", "all")
        src, dst = _one(rec.query, "source_branch"), _one(rec.query, "target_branch")
        items = [_gitlab_mr(p) for p in repo.pulls if (state_ == "all" or _gitlab_state(p) == state_)
                 and (not src or p.source == src) and (not dst or p.destination == dst)]
        chunk, page, more = _page(rec, items, "per_page")
        return 200, ({"Link": f'<{_next_url(state, rec, page)}>; rel="next"', "X-Next-Page": str(page + 1)} if more
                     else {}), chunk
    if rest == "/merge_requests" and rec.method == "POST":
        b = rec.body
        if b["source_branch"] not in repo.branches:
            raise _Stop(400, {"message": ["Source branch does not exist"]})
        existing = repo.open_pull(b["source_branch"], b["target_branch"], full)
        if existing:
            raise _Stop(409, {"message": [f"Another open merge request already exists for this source branch: !{existing.number}"]})
        pr = PullRequest(next(repo.numbers), b["source_branch"], b["target_branch"], b["title"], b.get("description") or "")
        repo.pulls.append(pr)
        return 201, {}, _gitlab_mr(pr)
    raise _Stop(404, {"message": "404 Not found"})


def _gitlab_state(p: PullRequest) -> str:
    return {"open": "opened"}.get(p.state, p.state)


def _gitlab_mr(p: PullRequest) -> dict:
    project = 7 if not p.source_repo else 8  # a fork is another project
    return {"id": 1000 + p.number, "iid": p.number, "state": _gitlab_state(p), "title": p.title, "description": p.body,
            "source_branch": p.source, "target_branch": p.destination, "source_project_id": project, "target_project_id": 7}


# --- Bitbucket ----------------------------------------------------------------------------------------------------

_Q = re.compile(r'(\w+(?:\.\w+)*) = "((?:[^"\\]|\\.)*)"')


def _query_terms(q: str) -> dict[str, str]:
    return {k: re.sub(r"\\(.)", r"\1", v) for k, v in _Q.findall(q)}


def _bitbucket(state: Server, rec: Recorded, path: str):
    full, repo, rest = _route(state, rec, "bitbucket", r"/repositories/([^/]+)/([^/]+)(/.*)?", path)
    if rest == "" and rec.method == "GET":
        return 200, {}, {"full_name": full, "type": "repository"}
    if rest == "/refs/branches" and rec.method == "GET":
        terms = _query_terms(_one(rec.query, "q"))
        items = [{"name": n, "type": "branch", "target": {"hash": sha, "type": "commit"}}
                 for n, sha in sorted(repo.branches.items()) if "name" not in terms or terms["name"] == n]
        return 200, {}, _bitbucket_page(state, rec, items, "pagelen")
    if rest == "/pullrequests" and rec.method == "GET":
        states = rec.query.get("state", ["OPEN"])
        terms = _query_terms(_one(rec.query, "q"))
        items = [_bitbucket_pr(p, full) for p in repo.pulls if _bitbucket_state(p) in states
                 and terms.get("source.branch.name", p.source) == p.source
                 and terms.get("destination.branch.name", p.destination) == p.destination]
        return 200, {}, _bitbucket_page(state, rec, items, "pagelen")
    if rest == "/pullrequests" and rec.method == "POST":
        b = rec.body
        source, destination = b["source"]["branch"]["name"], b["destination"]["branch"]["name"]
        if source not in repo.branches:
            raise _Stop(400, {"type": "error", "error": {"message": "source: branch not found"}})
        if repo.branches.get(destination) == repo.branches[source]:
            raise _Stop(400, {"type": "error", "error": {"message": "There are no changes to be pulled"}})
        existing = repo.open_pull(source, destination, full)
        if existing:
            existing.title, existing.body = b["title"], b.get("description") or ""
            return 200, {}, _bitbucket_pr(existing, full)
        pr = PullRequest(next(repo.numbers), source, destination, b["title"], b.get("description") or "", source_repo=full)
        repo.pulls.append(pr)
        return 201, {}, _bitbucket_pr(pr, full)
    raise _Stop(404, NOT_FOUND["bitbucket"])


def _bitbucket_state(p: PullRequest) -> str:
    return {"open": "OPEN", "merged": "MERGED", "closed": "DECLINED"}[p.state]


def _bitbucket_pr(p: PullRequest, full: str) -> dict:
    return {"id": p.number, "type": "pullrequest", "state": _bitbucket_state(p), "title": p.title, "description": p.body,
            "source": {"branch": {"name": p.source}, "repository": {"full_name": p.source_repo or full}},
            "destination": {"branch": {"name": p.destination}, "repository": {"full_name": full}}}


def _bitbucket_page(state: Server, rec: Recorded, items: list, size_param: str) -> dict:
    chunk, page, more = _page(rec, items, size_param)
    out = {"values": chunk, "page": page, "pagelen": len(chunk)}
    if more:
        out["next"] = _next_url(state, rec, page)
    return out


ROUTES = {"github": _github, "gitlab": _gitlab, "bitbucket": _bitbucket}
