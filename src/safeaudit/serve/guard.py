"""Private by construction: the checks every request passes before any page sees it."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


#: Pages may use their own stylesheet and nothing else: no scripts, frames, fonts or requests
#: to any other address. The report page (one self-contained file) sets its own, as strict.
APP_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

#: Request bodies larger than this are refused (a form of answers is a few kilobytes).
MAX_BODY = 256 * 1024

_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

WRONG_HOST = (
    "safeaudit: this page was asked for under another address. Open the address that "
    "`safeaudit serve` printed in the terminal (it starts http://127.0.0.1:)."
)
NO_TOKEN = (
    "safeaudit: this page needs the key in the address that `safeaudit serve` printed in the "
    "terminal. Open that whole address (it ends with ?token=...), not just the start of it."
)
BAD_ORIGIN = (
    "safeaudit: this form was sent from another web page, so it was refused and nothing was "
    "saved. Use the pages at the address `safeaudit serve` printed."
)
BAD_CSRF = (
    "safeaudit: this form did not come from this safeaudit window, or the page is out of date, "
    "so nothing was saved. Go back, reload the page and try again."
)
TOO_BIG = (
    "safeaudit: what was sent is far too large for an answer (or did not say its size), so "
    "nothing was saved."
)
BAD_METHOD = "safeaudit: pages here can only be opened or sent as forms."


@dataclass(frozen=True)
class Keys:
    """The address and secrets of one `serve` session."""

    host: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def cookie(self) -> str:
        """The cookie's name, one per port: browsers share cookies between ports of a host, so
        two `serve` sessions side by side must not overwrite each other's."""
        port = self.host.rpartition(":")[2]
        return f"safeaudit_{port}" if port.isdigit() else "safeaudit"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    @property
    def address(self) -> str:
        """The address to print and open: the only way in."""
        return f"{self.origin}/?token={self.token}"

    def csrf_ok(self, sent: object) -> bool:
        return isinstance(sent, str) and hmac.compare_digest(sent, self.csrf)


def _same(given: str, wanted: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), wanted.encode("utf-8"))


class Guard:
    """ASGI middleware: right Host, the session cookie (or the token for it), safe headers."""

    def __init__(self, app: ASGIApp, keys: Keys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # websockets: never used, never allowed
            await send({"type": "websocket.close", "code": 1008})
            return
        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            headers[key.decode("latin-1").lower()] = value.decode("latin-1")

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers", []))
                names = {key.lower() for key, _value in out}
                out += [(k, v) for k, v in _HEADERS if k not in names]
                if b"content-security-policy" not in names:
                    out.append((b"content-security-policy", APP_CSP.encode()))
                message["headers"] = out
            await send(message)

        if not _same(headers.get("host", ""), self.keys.host):
            await _plain(guarded_send, 400, WRONG_HOST)
            return
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD", "POST"):
            await _plain(guarded_send, 405, BAD_METHOD)
            return
        if method == "POST":
            origin = headers.get("origin")
            if origin is not None and not _same(origin, self.keys.origin):
                await _plain(guarded_send, 403, BAD_ORIGIN)
                return
            length = headers.get("content-length", "")
            if not length.isdigit() or int(length) > MAX_BODY:
                await _plain(guarded_send, 413, TOO_BIG)
                return
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is treated as no cookie
            cookie = SimpleCookie()
        morsel = cookie.get(self.keys.cookie)
        if morsel is not None and _same(morsel.value, self.keys.session):
            await self.app(scope, receive, guarded_send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        token = next((value for key, value in query if key == "token"), None)
        if method == "GET" and token is not None and _same(token, self.keys.token):
            # Swap the token for a cookie and drop it from the address bar.
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope.get("path", "/") + (f"?{rest}" if rest else "")
            await guarded_send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [
                        (b"location", location.encode("latin-1")),
                        (
                            b"set-cookie",
                            f"{self.keys.cookie}={self.keys.session}; HttpOnly; SameSite=Strict; "
                            "Path=/".encode(),
                        ),
                        (b"content-length", b"0"),
                    ],
                }
            )
            await guarded_send({"type": "http.response.body", "body": b""})
            return
        await _plain(guarded_send, 403, NO_TOKEN)


async def _plain(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
