"""The front door: only configured host names are answered (TRUSTED_HOSTS),
and a proxy nobody told us about is reported.

A WSGI middleware outside everything else, the reader-page cache included, so
a request naming another host (`Host: evil.example`) gets 400 before any page is
served or stored. Flask checks TRUSTED_HOSTS again when it routes.

With TRUSTED_PROXIES=0 behind a reverse proxy, every client seems to come from
the proxy's address: 30 failed logins anywhere would lock the whole newsroom out.
The first request that arrives with X-Forwarded-For then logs a warning (once
per process), so `make serve`'s log says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from werkzeug.sansio.utils import host_is_trusted

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

log = logging.getLogger("editorial")

PROXY_WARNING = (
    "Requests arrive with X-Forwarded-For but TRUSTED_PROXIES=0: every client "
    "looks like the proxy's address, so login throttling (30 failures per "
    "address) would lock everyone out at once. Set TRUSTED_PROXIES to the number "
    "of proxies in front of the app."
)

_REFUSAL = b"Bad request: this server does not answer for that host name.\n"


class TrustedHosts:
    def __init__(
        self, app: WSGIApp, hosts: Sequence[str], trusted_proxies: int = 0
    ) -> None:
        self.app = app
        self.hosts = list(hosts)
        self.watch_for_proxy = not trusted_proxies

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if self.watch_for_proxy and environ.get("HTTP_X_FORWARDED_FOR"):
            self.watch_for_proxy = False  # once per process
            log.warning(PROXY_WARNING)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if self.hosts and not host_is_trusted(host, self.hosts):
            start_response(
                "400 BAD REQUEST",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(_REFUSAL))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [_REFUSAL]
        return self.app(environ, start_response)
