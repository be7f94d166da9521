"""The providers' HTTP: pages, rate limits, retries, time bounds, redirects, tokens, over real loopback HTTP.

Every test runs each provider (GitHub, GitLab, Bitbucket Cloud) against
tests/provider_server.py, which answers as each documents; no network beyond
127.0.0.1. Sources: GitHub REST API, "Rate limits for the REST API" and
"Using pagination in the REST API"; GitLab REST API, "Pagination" and Rate
limits; Bitbucket Cloud REST API pagination and "API request limits"
(named again in generator/hotfix/providers/).
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from generator.core.exceptions import RetryableError
from generator.hotfix.providers import http, secrets
from generator.hotfix.providers.base import (
    OutOfTime,
    ProviderConfigurationError,
    ProviderError,
    ProviderPermissionError,
    RateLimited,
)

from .provider_env import FLAVOURS, FULL_IDS, SECRET, FakeClock, SecretsManager, fresh_loopback, provider
from .provider_server import TOKEN, Answer, closed_port

BRANCHES = {"main": "1" * 40, "develop": "2" * 40, "hotfix-a": "3" * 40, "hotfix-b": "4" * 40, "fix/c#1": "5" * 40}
LISTING = {"github": "/branches", "gitlab": "/repository/branches", "bitbucket": "/refs/branches"}

@pytest.fixture
def loopback(monkeypatch):
    return fresh_loopback(monkeypatch)



def seed(server, flavour: str) -> None:
    server.repo(flavour, FULL_IDS[flavour]).branches.update(BRANCHES)


def listing(flavour: str):
    return lambda r: r.method == "GET" and r.path.split("?")[0].endswith(LISTING[flavour])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_listing_reads_every_page_through_the_documented_links(loopback, flavour):
    seed(loopback, flavour)
    branches, _ = provider(flavour, loopback)
    assert branches.list_branches() == BRANCHES
    pages = [r for r in loopback.requests if listing(flavour)(r)]
    assert len(pages) == 3  # five branches, at most two a page on this server
    size = {"github": "per_page", "gitlab": "per_page", "bitbucket": "pagelen"}[flavour]
    assert all(r.query[size] == ["100"] for r in pages)  # the largest page each provider documents
    assert [r.query.get("page", ["1"]) for r in pages] == [["1"], ["2"], ["3"]]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_requests_carry_the_documented_headers_and_the_token_only_there(loopback, flavour):
    seed(loopback, flavour)
    branches, _ = provider(flavour, loopback)
    branches.list_branches()
    headers = loopback.requests[0].headers
    assert headers["user-agent"] == http.USER_AGENT
    if flavour == "github":
        assert headers["authorization"] == f"Bearer {TOKEN}"
        assert headers["accept"] == "application/vnd.github+json" and headers["x-github-api-version"] == "2022-11-28"
    elif flavour == "gitlab":
        assert headers["private-token"] == TOKEN and "authorization" not in headers
    else:
        assert headers["authorization"] == f"Bearer {TOKEN}"
    assert all(TOKEN not in r.path for r in loopback.requests)


# (status, headers, body, the wait the provider documents, in seconds; None: the backoff's first step)
RATE_LIMITS = {
    "github": [
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "+7"}, {"message": "API rate limit exceeded"}, 7),
        (429, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "+5"}, {"message": "API rate limit exceeded"}, 5),
        (403, {"retry-after": "3"}, {"message": "You have exceeded a secondary rate limit"}, 3),
        (429, {"retry-after": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "+50"}, {"message": "x"}, 2),
        (403, {}, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes"}, 60),
        (429, {}, {"message": "Too many requests"}, 60),
    ],
    "gitlab": [
        (429, {"retry-after": "4"}, {"message": "Retry later"}, 4),
        (429, {"ratelimit-reset": "+6"}, {"message": "Retry later"}, 6),
        (429, {}, {"message": "Retry later"}, None),  # GitLab issues report 429s without either header
    ],
    "bitbucket": [
        (429, {"retry-after": "3"}, {"type": "error", "error": {"message": "Rate limit"}}, 3),
        (429, {}, {"type": "error", "error": {"message": "Rate limit for this resource has been exceeded"}}, None),
    ],
}
CASES = [(f, *case) for f, cases in RATE_LIMITS.items() for case in cases]


def _resolve(headers: dict) -> dict:
    """Reset times written as +seconds become epoch seconds from now."""
    return {k: str(int(time.time()) + int(v[1:])) if v.startswith("+") else v for k, v in headers.items()}


@pytest.mark.parametrize("flavour,status,headers,body,wait", CASES,
                         ids=[f"{c[0]}-{c[1]}-{'-'.join(sorted(c[2])) or 'bare'}" for c in CASES])
def test_a_rate_limit_is_waited_out_as_the_provider_says_then_the_request_is_made_again(loopback, flavour, status,
                                                                                      headers, body, wait):
    seed(loopback, flavour)
    clock = FakeClock()
    loopback.script(listing(flavour), Answer(status, _resolve(headers), body))
    branches, _ = provider(flavour, loopback, clock, seconds=120)
    assert branches.list_branches() == BRANCHES
    assert len(clock.waited) == 1
    if wait is None:
        assert 0 < clock.waited[0] <= http.BACKOFF
    else:
        assert wait - 2 <= clock.waited[0] <= wait + 1  # reset times are whole epoch seconds


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_wait_longer_than_the_invocation_has_left_fails_retryable_without_waiting(loopback, flavour):
    seed(loopback, flavour)
    clock = FakeClock()
    loopback.script(listing(flavour), Answer(429, {"retry-after": "3600"}, {"message": "slow down"}))
    branches, _ = provider(flavour, loopback, clock, seconds=20)
    with pytest.raises(RateLimited) as info:
        branches.list_branches()
    assert isinstance(info.value, RetryableError) and clock.waited == [] and "3600" in str(info.value)


def test_a_github_403_that_is_no_rate_limit_is_a_permission_error_and_not_retried(loopback):
    seed(loopback, "github")
    loopback.script(listing("github"), Answer(403, {"x-ratelimit-remaining": "4999"},
                                              {"message": "Resource not accessible by personal access token"}))
    branches, _ = provider("github", loopback)
    with pytest.raises(ProviderPermissionError, match="not accessible"):
        branches.list_branches()
    assert len(loopback.requests) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_on_a_read_are_retried_with_backoff(loopback, flavour, status):
    seed(loopback, flavour)
    clock = FakeClock()
    loopback.script(listing(flavour), Answer(status, {}, b"<html>bad gateway</html>"), Answer(status, {}, b""))
    branches, _ = provider(flavour, loopback, clock)
    assert branches.list_branches() == BRANCHES
    assert len(clock.waited) == 2 and clock.waited[1] > clock.waited[0] / 2  # doubling, with jitter


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_read_that_keeps_failing_gives_up_after_the_attempts(loopback, flavour):
    seed(loopback, flavour)
    clock = FakeClock()
    loopback.script(listing(flavour), *[Answer(503, {}, b"") for _ in range(http.MAX_ATTEMPTS)])
    branches, _ = provider(flavour, loopback, clock)
    with pytest.raises(ProviderError, match="503"):
        branches.list_branches()
    assert len(loopback.requests) == http.MAX_ATTEMPTS and len(clock.waited) == http.MAX_ATTEMPTS - 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_request_is_bounded_by_the_invocations_time(loopback, flavour, monkeypatch):
    # The server holds its answer longer than the invocation has: the provider gives up within the budget.
    seed(loopback, flavour)
    loopback.script(listing(flavour), *[Answer(200, {}, [], delay=1.5) for _ in range(http.MAX_ATTEMPTS)])
    branches, _ = provider(flavour, loopback, seconds=0.5)
    started = time.monotonic()
    with pytest.raises(ProviderError) as info:
        branches.list_branches()
    assert time.monotonic() - started < 1.4
    assert isinstance(info.value, OutOfTime) or "timed out" in str(info.value)


TRICKLED_BODY = b"[" + b" " * 60 + b"]"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("slow_body", [False, True], ids=["headers", "body"])
def test_an_answer_that_trickles_in_is_cut_at_the_deadline(loopback, flavour, slow_body):
    # One header line, or one byte of the body, every 0.1 s: every read ends well within the socket timeout, so only
    # the deadline can end the request. The server counts the pieces it could send before the client cut the socket.
    seed(loopback, flavour)
    answer = Answer(200, {}, TRICKLED_BODY, trickle=0.1, slow_body=slow_body)
    pieces = 1 + len(TRICKLED_BODY) if slow_body else 42 + 1
    loopback.script(listing(flavour), answer)
    branches, _ = provider(flavour, loopback, seconds=0.4)
    with pytest.raises(OutOfTime, match="time for provider requests ran out"):
        branches.list_branches()
    assert loopback.trickled < pieces / 2 and len(loopback.requests) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_refused_connection_is_retried_then_reported(loopback, flavour):
    clock = FakeClock()
    branches, _ = provider(flavour, loopback, clock, api_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(ProviderError, match=r"could not be reached.*ConnectionRefused"):
        branches.list_branches()
    assert len(clock.waited) == http.MAX_ATTEMPTS - 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_dropped_connection_on_a_read_is_retried(loopback, flavour):
    seed(loopback, flavour)
    loopback.script(listing(flavour), Answer(drop=True))
    branches, _ = provider(flavour, loopback)
    assert branches.list_branches() == BRANCHES


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_reported_and_never_followed(loopback, flavour, status):
    # The token would go along to wherever the redirect points: GitLab answers moved projects this way (REST API,
    # "Redirects"), GitHub renamed repositories.
    seed(loopback, flavour)
    elsewhere = f"{loopback.url}/elsewhere/branches"
    loopback.script(listing(flavour), Answer(status, {"Location": elsewhere}, {"message": "Moved Permanently"}))
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderConfigurationError, match=r"redirected .*elsewhere.*not followed"):
        branches.list_branches()
    assert [r.path for r in loopback.requests if "elsewhere" in r.path] == []


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("body", [b"<html>oops</html>", b'{"truncated": ', b"", b"\xff\xfe"])
def test_an_answer_that_is_not_json_is_an_error_that_says_so(loopback, flavour, body):
    seed(loopback, flavour)
    loopback.script(listing(flavour), Answer(200, {}, body))
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderError, match="not JSON"):
        branches.list_branches()


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("body", [{"unexpected": True}, [{"name": 7}], [["a"]], {"values": "x"}, 5])
def test_an_answer_of_another_shape_is_an_error_not_a_crash(loopback, flavour, body):
    seed(loopback, flavour)
    loopback.script(listing(flavour), Answer(200, {}, body))
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderError, match=r"shape|string"):
        branches.list_branches()


def page_pointing_at(flavour: str, url: str) -> Answer:
    """An empty page whose next page is ``url``: in the body on Bitbucket, in the Link header elsewhere."""
    if flavour == "bitbucket":
        return Answer(200, {}, {"values": [], "next": url})
    return Answer(200, {"Link": f'<{url}>; rel="next"'}, [])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_next_page_on_another_host_is_refused_and_the_token_not_sent_there(loopback, flavour):
    seed(loopback, flavour)
    loopback.script(listing(flavour), page_pointing_at(flavour, f"http://localhost:{closed_port()}/steal?page=2"))
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderError, match="not sent there"):
        branches.list_branches()


# RFC 3986: scheme and host compare in any case (6.2.2.1), an explicit default port equals none (6.2.3). GitHub Enterprise
# names the next page with its canonical host, whatever case or port api_url was written with.
SAME_ORIGIN = [("https://GHE.example.com/api/v3", "https://ghe.example.com/api/v3/repositories/42/branches?page=2"),
               ("https://ghe.example.com:443/api/v3", "https://ghe.example.com/api/v3/x?page=2"),
               ("https://ghe.example.com/api/v3", "HTTPS://GHE.EXAMPLE.COM:443/api/v3/x?page=2"),
               ("http://LOCALHOST:8080/gitlab/api/v4", "http://localhost:8080/gitlab/api/v4/x?page=2"),
               ("http://127.0.0.1/x", "http://127.0.0.1:80/x/y?page=2")]
OTHER_ORIGIN = [("https://ghe.example.com/api/v3", "http://ghe.example.com/api/v3/x"),
                ("https://ghe.example.com/api/v3", "https://ghe.example.com:8443/api/v3/x"),
                ("https://ghe.example.com/api/v3", "https://ghe.example.com.evil.example/api/v3/x"),
                ("https://ghe.example.com/api/v3", "https://user:pw@ghe.example.com/api/v3/x"),
                ("https://ghe.example.com/api/v3", "https://ghe.example.com:99999/api/v3/x"),
                ("http://localhost:8080/x", "http://localhost:80/x")]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("api,following", SAME_ORIGIN)
def test_a_next_page_on_the_same_origin_written_otherwise_is_followed(loopback, flavour, api, following):
    branches, _ = provider(flavour, loopback, api_url=api)
    assert branches.api_same_origin(following) == following


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("api,following", OTHER_ORIGIN)
def test_a_next_page_on_another_origin_is_refused(loopback, flavour, api, following):
    branches, _ = provider(flavour, loopback, api_url=api)
    with pytest.raises(ProviderError, match="not sent there"):
        branches.api_same_origin(following)


def test_a_listing_follows_a_next_page_that_names_the_api_host_in_another_case(loopback):
    # Over the loopback server: api_url written LOCALHOST, the page's link names localhost (the canonical case).
    seed(loopback, "github")
    port = loopback.url.rsplit(":", 1)[1]
    last = f"http://localhost:{port}/github/repos/{FULL_IDS['github']}/branches?per_page=100&page=3"
    loopback.script(listing("github"), page_pointing_at("github", last))
    branches, _ = provider("github", loopback, api_url=f"http://LOCALHOST:{port}/github")
    assert branches.list_branches() == {"main": BRANCHES["main"]}  # the third page: the last of the five, by name
    assert [r.query.get("page") for r in loopback.requests] == [None, ["3"]]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_pages_that_lead_back_are_refused(loopback, flavour):
    seed(loopback, flavour)
    again = loopback.api(flavour) + {"github": f"/repos/{FULL_IDS['github']}/branches?per_page=100",
                                     "gitlab": "/projects/platform%2Fteam%2Fpayments/repository/branches?per_page=100",
                                     "bitbucket": f"/repositories/{FULL_IDS['bitbucket']}/refs/branches?pagelen=100"}[flavour]
    loopback.script(listing(flavour), page_pointing_at(flavour, again), page_pointing_at(flavour, again))
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderError, match="lead back"):
        branches.list_branches()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_oversized_answer_is_refused(loopback, flavour, monkeypatch):
    seed(loopback, flavour)
    monkeypatch.setattr(http, "MAX_BODY", 64)
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderError, match="more than 64 bytes"):
        branches.list_branches()


# --- the token ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_token_is_read_once_per_container(loopback, flavour):
    seed(loopback, flavour)
    branches, world = provider(flavour, loopback)
    branches.list_branches()
    branches.branch_head("hotfix-a")
    again, _ = provider(flavour, loopback)  # another invocation, same container
    again.list_branches()
    assert [c.operation for c in world.calls] == ["GetSecretValue"]
    assert len(loopback.requests) >= 7


def rotated(loopback, flavour: str):
    """A provider that read the token, which is then rotated in Secrets Manager and at the provider."""
    seed(loopback, flavour)
    backend = SecretsManager()
    branches, world = provider(flavour, loopback, backend=backend)
    branches.list_branches()
    loopback.tokens = {"rotated-token"}
    backend.values[SECRET] = "rotated-token"
    return branches, world


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_rotated_token_is_read_again_once(loopback, flavour):
    branches, world = rotated(loopback, flavour)
    assert branches.branch_head("hotfix-a") == BRANCHES["hotfix-a"]
    assert [c.operation for c in world.calls] == ["GetSecretValue", "GetSecretValue"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_retries_after_a_rotated_token_was_read_again_do_not_read_it_again(loopback, flavour):
    branches, world = rotated(loopback, flavour)
    loopback.script(listing(flavour), Answer(401, {}, {"message": "Bad credentials"}), Answer(503, {}, b""),
                    Answer(502, {}, b""))
    assert branches.list_branches() == BRANCHES
    assert [c.operation for c in world.calls] == ["GetSecretValue", "GetSecretValue"]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("still_refused", [False, True], ids=["rotated", "refused"])
def test_a_401_on_the_last_attempt_still_reads_the_token_again(loopback, flavour, still_refused):
    # Server errors use up every attempt but the last, which is answered 401 (GitHub "Bad credentials", GitLab
    # "401 Unauthorized", Bitbucket "Access token expired."): the re-read is part of that attempt, not one more.
    seed(loopback, flavour)
    refusals = [Answer(401, {}, {"message": "Bad credentials"})] * (2 if still_refused else 1)
    loopback.script(listing(flavour), *[Answer(503, {}, b"") for _ in range(http.MAX_ATTEMPTS - 1)], *refusals)
    branches, world = provider(flavour, loopback)
    if still_refused:
        with pytest.raises(ProviderPermissionError, match="401"):
            branches.list_branches()
    else:
        assert branches.list_branches() == BRANCHES
    assert [c.operation for c in world.calls] == ["GetSecretValue", "GetSecretValue"]
    assert len([r for r in loopback.requests if listing(flavour)(r) and "page" not in r.query]) == http.MAX_ATTEMPTS + 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_token_the_provider_refuses_is_a_permission_error_after_one_reread(loopback, flavour):
    seed(loopback, flavour)
    loopback.tokens = {"another"}
    branches, world = provider(flavour, loopback)
    with pytest.raises(ProviderPermissionError, match="401") as info:
        branches.list_branches()
    assert len(world.calls) == 2 and len(loopback.requests) == 2
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("problem,error,match", [
    ("missing", ProviderConfigurationError, "does not exist"),
    ("denied", ProviderPermissionError, "may not read"),
], ids=["missing", "denied"])
def test_a_secret_that_cannot_be_read_says_why(loopback, flavour, problem, error, match):
    backend = SecretsManager({} if problem == "missing" else None)
    backend.denied = {"test"} if problem == "denied" else set()
    branches, _ = provider(flavour, loopback, backend=backend)
    with pytest.raises(error, match=match):
        branches.list_branches()
    assert loopback.requests == []


class StalledSecretsManager(SecretsManager):
    """GetSecretValue that does not answer until the test lets it: a connection that hangs, as botocore's own
    timeouts and retries (60 s a read, several attempts) would let it for minutes."""

    def __init__(self):
        super().__init__()
        self.answer = threading.Event()
        self.answered = False

    def GetSecretValue(self, caller, **kwargs):
        self.answer.wait(10)
        self.answered = True
        return super().GetSecretValue(caller, **kwargs)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_reading_the_token_is_bounded_by_the_invocations_time(loopback, flavour):
    seed(loopback, flavour)
    backend = StalledSecretsManager()
    branches, _ = provider(flavour, loopback, seconds=0.3, backend=backend)
    try:
        with pytest.raises(OutOfTime, match="reading the API token secret 'hotfix/api-token' had not finished"):
            branches.list_branches()
        assert not backend.answered and loopback.requests == []  # given up on while Secrets Manager still stalled
    finally:
        backend.answer.set()


@pytest.mark.parametrize("value,credentials", [
    (TOKEN, (TOKEN, "")), (f"  {TOKEN}\n", (TOKEN, "")), (json.dumps({"token": TOKEN}), (TOKEN, "")),
    (json.dumps({"username": "me@example.com", "token": TOKEN}), (TOKEN, "me@example.com")),
    (json.dumps(TOKEN), (TOKEN, "")), (json.dumps(f" {TOKEN}\n"), (TOKEN, "")),  # a JSON string: without its quotes
    (json.dumps({"username": "jürgen@example.com", "token": TOKEN}), (TOKEN, "jürgen@example.com")),  # Basic: base64
])
def test_secret_values_the_toolkit_reads(value, credentials):
    got = secrets.parse("s", value)
    assert (got.token, got.username) == credentials and TOKEN not in repr(got)


@pytest.mark.parametrize("value", ["", "   ", "{", json.dumps({"tok": "x"}), json.dumps(["x"]), json.dumps({"token": 5}),
                                   "a\r\nX-Injected: 1", json.dumps({"username": "a:b", "token": "t"}), None,
                                   "tok\u2019en", "tok\u200ben", "tok en", "tok\ten", "tok\u00e9n", json.dumps("tok\u2019en"),
                                   json.dumps({"token": "tok\u00a0en"}), json.dumps("")])
def test_secret_values_the_toolkit_refuses(value):
    with pytest.raises(ProviderConfigurationError, match="API token secret 's'"):
        secrets.parse("s", value)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("value", ["zq8\u2019xk3", "zq8\u200bxk3"], ids=["typographic-quote", "zero-width-space"])
def test_a_token_headers_cannot_carry_is_a_configuration_error_naming_the_secret_not_a_network_failure(loopback, flavour,
                                                                                                    value):
    # http.client sends header values as Latin-1: such a token never leaves, which was reported as unreachable and
    # retried. Now it is refused before any request, once, naming the secret and not its value.
    seed(loopback, flavour)
    clock = FakeClock()
    branches, _ = provider(flavour, loopback, clock, backend=SecretsManager({SECRET: value}))
    with pytest.raises(ProviderConfigurationError, match=f"API token secret '{SECRET}'.*visible ASCII") as info:
        branches.list_branches()
    assert "zq8" not in str(info.value) and "xk3" not in str(info.value)
    assert clock.waited == [] and loopback.requests == []


def test_a_token_stored_as_a_json_string_is_sent_without_its_quotes(loopback):
    seed(loopback, "github")
    branches, _ = provider("github", loopback, backend=SecretsManager({SECRET: json.dumps(TOKEN)}))
    assert branches.list_branches() == BRANCHES
    assert loopback.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_bitbucket_api_tokens_authenticate_with_http_basic(loopback):
    seed(loopback, "bitbucket")
    backend = SecretsManager({SECRET: json.dumps({"username": "me@example.com", "token": TOKEN})})
    branches, _ = provider("bitbucket", loopback, backend=backend)
    branches.list_branches()
    import base64

    assert loopback.requests[0].headers["authorization"] == "Basic " + base64.b64encode(
        f"me@example.com:{TOKEN}".encode()).decode()


def test_gitlab_refuses_a_username_it_cannot_use(loopback):
    backend = SecretsManager({SECRET: json.dumps({"username": "me", "token": TOKEN})})
    branches, _ = provider("gitlab", loopback, backend=backend)
    with pytest.raises(ProviderConfigurationError, match="GitLab takes the token alone"):
        branches.list_branches()


# --- the configuration --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("url,match", [
    ("http://api.example.com", "plain HTTP"), ("ftp://example.com", "not an https"),
    ("https://user:pw@api.example.com", "without credentials"), ("https://api.example.com/?x=1", "query"),
    ("https://", "not an https"),
    # An empty query or fragment marker, which urlsplit drops, would swallow every path appended to the address.
    ("https://ghe.example.com/api/v3?", "query"), ("https://ghe.example.com/api/v3#", "fragment"),
    ("https://ghe.example.com/api/v3/?#", "query"), ("https://ghe.example.com/api#v3", "fragment"),
])
def test_an_api_address_that_would_expose_the_token_is_refused(loopback, flavour, url, match):
    with pytest.raises(ProviderConfigurationError, match=match):
        provider(flavour, loopback, api_url=url)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("full_id", ["", "owner", "/name", "owner/", "a//b"])
def test_a_repository_id_of_the_wrong_shape_is_refused(loopback, flavour, full_id):
    with pytest.raises(ProviderConfigurationError, match="full_repository_id"):
        provider(flavour, loopback, full_repository_id=full_id)


@pytest.mark.parametrize("flavour", ["github", "bitbucket"])
def test_only_gitlab_takes_nested_ids(loopback, flavour):
    with pytest.raises(ProviderConfigurationError, match="full_repository_id"):
        provider(flavour, loopback, full_repository_id="group/sub/project")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_repository_without_a_token_secret_is_refused(loopback, flavour):
    with pytest.raises(ProviderConfigurationError, match="names no api_token"):
        provider(flavour, loopback, api_token="")
