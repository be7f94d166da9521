"""HTTP for the providers' REST APIs: urllib alone, bounded in time, retried as each provider asks.

Every request has a timeout, and all of an invocation's requests share one
``Budget``: nothing waits past it, and no request outlives it (a watchdog cuts
its socket at the deadline, however slowly the answer trickles in). A rate limit is waited out when the
provider says how long (``Retry-After``, or a reset time) and that fits the
budget; otherwise the request fails as ``RateLimited`` (retryable) rather
than hang the Lambda. Server errors and lost connections are retried with
backoff for reads only: a create whose answer was lost may have happened,
and is looked up again by the caller (``Uncertain``). Redirects are never
followed, so the token never goes anywhere but the configured API; the
token goes over plain HTTP only to a loopback address (tests, local
proxies).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import ClassVar

from . import deadline
from .base import (
    OutOfTime,
    ProviderConfigurationError,
    ProviderError,
    ProviderPermissionError,
    RateLimited,
    Refused,
    Uncertain,
    Unreadable,
)

REQUEST_TIMEOUT = 10.0  # seconds, per request, and never past the budget
DEFAULT_BUDGET = 30.0  # seconds, when the caller has no Lambda context to measure its own
MAX_ATTEMPTS = 4
BACKOFF = 0.5  # the first wait after a server error or a lost connection, doubled after each
MAX_BODY = 8 * 1024 * 1024
MAX_PAGES = 1000
USER_AGENT = "service-catalog-toolkit"
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";,]*)"?')


class Clock:
    """Real time; tests hand in one that records the waits instead of sleeping."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class Budget:
    """How long this invocation may spend on provider requests, waits included, all of them together."""

    deadline: float
    clock: Clock = field(default_factory=Clock)
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def seconds(cls, seconds: float, clock: Clock | None = None) -> Budget:
        clock = clock or Clock()
        return cls(clock.monotonic() + seconds, clock)

    @classmethod
    def for_invocation(cls, context, reserve: float) -> Budget:
        """What the Lambda invocation has left (context.get_remaining_time_in_millis), less ``reserve`` seconds
        for what must still happen after the requests (answering a CodePipeline job)."""
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        seconds = remaining() / 1000.0 - reserve if callable(remaining) else DEFAULT_BUDGET
        return cls.seconds(max(seconds, 0.0))

    def remaining(self) -> float:
        return self.deadline - self.clock.monotonic()

    def wait(self, seconds: float, why: str, error: type[ProviderError] = OutOfTime) -> None:
        if seconds > self.remaining():
            raise error(f"{why}; waiting {seconds:.0f} s more would outlast this invocation, so a later run goes on")
        self.clock.sleep(max(seconds, 0.0))


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes
    url: str

    def json(self, label: str):
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise Unreadable(f"{label} answered {self.status} with a body that is not JSON "
                                f"({_where(self.url)}): {_printable(self.body[:120].decode('utf-8', 'replace'))!r}") from None


def retry_after(r: Response, now: float) -> float | None:
    """``Retry-After`` in seconds or as an HTTP date (RFC 9110, 10.2.3)."""
    value = r.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def reset_in(r: Response, header: str, now: float) -> float | None:
    """Seconds until the UTC epoch second a rate-limit reset header names."""
    value = r.headers.get(header, "").strip()
    return max(float(value) - now, 0.0) if value.isdigit() else None


class _Transport(Exception):
    """No HTTP answer: refused, reset, timed out, unreadable."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx, which the caller reports


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a provider's API address, or None. The config's checks can say it before a Lambda does."""
    parts = urllib.parse.urlsplit(url)
    # urlsplit drops an empty query or fragment: a bare '?' or '#' would still swallow every path appended to the URL.
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username or parts.password \
            or "?" in url or "#" in url:
        return "is not an https:// URL without credentials, query or fragment"
    if origin(parts) is None:
        return "has a port no URL can have (0 to 65535)"
    if parts.scheme == "http" and not _loopback(parts.hostname):
        return "is plain HTTP: the token would travel unencrypted; use https://"
    return None


def check_base_url(label: str, url: str) -> str:
    problem = base_url_problem(url)
    if problem:
        raise ProviderConfigurationError(f"{label} API address {url!r} {problem}")
    return url.rstrip("/")


DEFAULT_PORTS = {"https": 443, "http": 80}


def origin(parts: urllib.parse.SplitResult) -> tuple | None:
    """(scheme, host, port) as RFC 3986 compares them: scheme and host in any case (6.2.2.1), an explicit default port
    the same as none (6.2.3); urlsplit gives both in lower case. None for an unreadable port."""
    try:
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    return scheme, parts.hostname, port if port is not None else DEFAULT_PORTS.get(scheme)


def _where(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return _printable(parts.path + (f"?{parts.query}" if parts.query else ""))[:300]


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def provider_message(body: bytes) -> str:
    """What the provider said, from the shapes GitHub ({"message", "errors"}), GitLab ({"message"} or
    {"error"}) and Bitbucket ({"error": {"message"}}) use; the raw start of the body otherwise."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _printable(body[:200].decode("utf-8", "replace"))
    parts = []
    if isinstance(doc, dict):
        for key in ("message", "error", "errors", "error_description"):
            value = doc.get(key)
            if isinstance(value, dict):
                value = value.get("message", value)
            if value:
                parts.append(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
    return _printable("; ".join(parts) or json.dumps(doc)[:200])[:500]


class Api:
    """A provider's REST API, mixed into the provider: ``label``, ``budget``, ``auth_headers(refresh)`` and the
    rate-limit rules come from the provider class. Methods, not callbacks, so that the sufficiency gate can
    follow every call from the Lambda's entry to the Secrets Manager read (generator/gates/lambda_calls.py)."""

    label = "the provider"
    budget: Budget
    base_url = ""
    extra_headers: ClassVar[dict[str, str]] = {}

    def use_api(self, base_url: str, budget: Budget) -> None:
        self.base_url = check_base_url(self.label, base_url)
        self.budget = budget

    def auth_headers(self, refresh: bool) -> dict[str, str]:
        raise NotImplementedError

    def rate_limited(self, r: Response) -> bool:
        """How the provider says "too many requests": 429 by default."""
        return r.status == 429

    def rate_limit_wait(self, r: Response, now: float) -> float | None:
        """Seconds to wait when the answer says (``Retry-After`` by default); None for the backoff."""
        return retry_after(r, now)

    def api_url(self, path: str, query: dict | None = None) -> str:
        text = urllib.parse.urlencode(query, doseq=True, quote_via=urllib.parse.quote) if query else ""
        return f"{self.base_url}{path}" + (f"?{text}" if text else "")

    def api_get(self, path: str, query: dict | None = None) -> Response:
        return self.api_request("GET", self.api_url(path, query))

    def api_post(self, path: str, body: dict) -> Response:
        return self.api_request("POST", self.api_url(path), body)

    def api_request(self, method: str, url: str, body: dict | None = None) -> Response:
        """A 2xx answer, or the ProviderError that says why there is none."""
        data = json.dumps(body, sort_keys=True).encode("utf-8") if body is not None else None
        refreshed = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            last = attempt == MAX_ATTEMPTS
            try:
                r = self.api_send(method, url, data, False)
                if r.status == 401 and not refreshed:
                    # A rotated token: the secret is read again, once per request, and sent again within the same
                    # attempt (so a 401 on the last attempt still gets its re-read), never for the retries after it.
                    refreshed = True
                    r = self.api_send(method, url, data, True)
            except _Transport as exc:
                if method != "GET":
                    raise Uncertain(f"{self.label} did not answer {method} {_where(url)} ({exc}): it may or may "
                                    "not have been carried out") from None
                if last:
                    raise ProviderError(f"{self.label} could not be reached at {_where(url)} after {attempt} "
                                        f"attempts: {exc}") from None
                self.budget.wait(self.api_backoff(attempt), f"{self.label} could not be reached ({exc})")
                continue
            if 200 <= r.status < 300:
                return r
            if self.rate_limited(r):
                why = f"{self.label} rate-limited {method} {_where(url)} ({r.status}: {provider_message(r.body)})"
                if last:
                    raise RateLimited(f"{why}, {attempt} times")
                wait = self.rate_limit_wait(r, self.budget.clock.time())
                self.budget.wait(self.api_backoff(attempt) if wait is None else wait, why, RateLimited)
                continue
            if r.status >= 500 and method == "GET" and not last:
                self.budget.wait(self.api_backoff(attempt), f"{self.label} answered {r.status}")
                continue
            raise api_error(self.label, method, r)
        raise ProviderError(f"{self.label}: no answer to {method} {_where(url)} after {MAX_ATTEMPTS} attempts")

    def api_pages(self, path: str, query: dict, next_url):
        """Each page's JSON, following ``next_url(response, doc)`` until it gives None; links stay on this API."""
        url, seen = self.api_url(path, query), set()
        for _ in range(MAX_PAGES):
            r = self.api_request("GET", url)
            doc = r.json(self.label)
            yield doc
            following = next_url(r, doc)
            if not following:
                return
            following = self.api_same_origin(following)
            seen.add(url)
            if following in seen:
                raise ProviderError(f"{self.label}'s pages of {_where(url)} lead back to a page already read")
            url = following
        raise ProviderError(f"{self.label} gave more than {MAX_PAGES} pages for {path}")

    def api_backoff(self, attempt: int) -> float:
        return BACKOFF * 2 ** (attempt - 1) * self.budget.rng.uniform(0.5, 1.0)

    def api_same_origin(self, url: str) -> str:
        base, there = urllib.parse.urlsplit(self.base_url), urllib.parse.urlsplit(url)
        if origin(there) is None or origin(there) != origin(base) or there.username is not None \
                or there.password is not None:
            raise ProviderError(f"{self.label} pointed the next page at {_printable(there.scheme)}://"
                                f"{_printable(there.netloc)[:200]}, not at {base.scheme}://{base.netloc}: the token is "
                                "not sent there")
        return url

    def api_send(self, method: str, url: str, data: bytes | None, refresh: bool) -> Response:
        timeout = min(REQUEST_TIMEOUT, self.budget.remaining())
        if timeout <= 0:
            raise OutOfTime(f"no time left for {self.label} requests in this invocation ({method} {_where(url)})")
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **self.extra_headers,
                   **self.auth_headers(refresh)}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        # The socket timeout bounds each read; the watchdog bounds the whole request by the deadline.
        watchdog = deadline.Watchdog(self.budget.remaining())
        try:
            return self.api_exchange(request, timeout, watchdog)
        except _Transport:
            if watchdog.fired:
                raise self.api_out_of_time(method, url) from None
            raise
        finally:
            watchdog.cancel()

    def api_exchange(self, request: urllib.request.Request, timeout: float, watchdog: deadline.Watchdog) -> Response:
        try:
            answer = deadline.opener(watchdog, _NoRedirects()).open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            answer = exc
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            raise _Transport(_describe(exc)) from None
        try:
            with answer:
                status = answer.status if answer.status is not None else answer.code
                body = _read(answer, self.label)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise _Transport(_describe(exc)) from None
        if watchdog.fired:  # a cut answer may read as a short one: never take it
            raise _Transport("cut at the deadline")
        return Response(status, {k.lower(): v for k, v in answer.headers.items()}, body, request.full_url)

    def api_out_of_time(self, method: str, url: str) -> OutOfTime:
        maybe = "" if method == "GET" else "; it may or may not have been carried out"
        return OutOfTime(f"{self.label} had not finished answering {method} {_where(url)} when this invocation's "
                         f"time for provider requests ran out{maybe}")


def _read(answer, label: str) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = answer.read1(65536) if hasattr(answer, "read1") else answer.read(65536)
        if not chunk:
            if getattr(answer, "length", None):  # http.client reads a body cut short as an early end, not an error
                raise _Transport(f"the answer ended {answer.length} bytes before its Content-Length")
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY:
            raise Unreadable(f"{label} answered with more than {MAX_BODY} bytes")
        chunks.append(chunk)


def api_error(label: str, method: str, r: Response) -> ProviderError:
    error = _error(label, method, r)
    error.status, error.said = r.status, provider_message(r.body)
    return error


def _error(label: str, method: str, r: Response) -> ProviderError:
    said = f"{label} answered {r.status} to {method} {_where(r.url)}: {provider_message(r.body)}"
    if 300 <= r.status < 400:
        return ProviderConfigurationError(f"{label} redirected {method} {_where(r.url)} to "
                                          f"{_printable(r.headers.get('location', '(no Location)'))[:300]}; "
                                          "redirects are not followed (the token would go along): was the "
                                          "repository renamed or moved? Update full_repository_id or api_url")
    if r.status in (401, 403):
        return ProviderPermissionError(f"{said} (is the API token valid, and may it do this?)")
    if r.status == 404:
        return ProviderConfigurationError(f"{said} (does the repository exist under that id, and may the token "
                                          "see it?)")
    if r.status in (409, 422):
        return Refused(said)
    if r.status >= 500 and method != "GET":
        return Uncertain(f"{said}; it may or may not have been carried out")
    return ProviderError(said)


def _describe(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return _printable(f"{type(reason or exc).__name__}: {reason or exc}")[:300]


def link_next(r: Response, _doc=None) -> str | None:
    """The ``Link`` header's rel="next" (RFC 8288), as GitHub and GitLab paginate."""
    for url, rels in _LINK.findall(r.headers.get("link", "")):
        if "next" in rels.split():
            return url
    return None
