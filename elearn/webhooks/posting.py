"""One webhook POST, safe against the receiver: to a vetted address only, within a deadline, body unread.

The host is resolved once and every address it resolves to is vetted; the connection then goes to a vetted
address itself, with the Host header and (https) the TLS server name and certificate check on the name.
Resolving again when connecting (as an HTTP library does) would let a name that changed in between
(DNS rebinding) lead the server into its own network.

A receiver may not hold the sender: the whole POST, from connecting to the status line, has one deadline
(a watchdog shuts the socket when it passes, whatever the receiver drips), and the response's body is
never read nor stored (only the status code and its reason phrase are kept).
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlsplit

import certifi
from flask import current_app
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error

ERROR_LENGTH = 300


class UnsafeUrl(ValueError):
    """An address Hemicycle will not post to (not http(s), or inside a private network)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name, for the Host header and TLS
    port: int
    path: str  # with its query
    addresses: tuple[str, ...]  # vetted: the connection goes to one of these, never to a fresh resolution

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def private_urls_allowed() -> bool:
    allowed = current_app.config.get("WEBHOOK_ALLOW_PRIVATE_URLS")
    if allowed is None:  # unset: a developer's or a test's receiver runs on 127.0.0.1
        return bool(current_app.debug or current_app.testing)
    return bool(allowed)


def is_public(address: str) -> bool:
    return ipaddress.ip_address(address.split("%")[0]).is_global


def check_url(url: str) -> Target:
    """Resolve `url`'s host once; refuse what is not http(s) and, unless allowed, any non-public address.

    Checked when subscribing and again before each post, since a name may point elsewhere by then.
    """
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeUrl("The address is not a valid URL.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("Only http:// and https:// addresses can receive webhooks.")
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as error:
        raise UnsafeUrl(f"The host {parts.hostname} cannot be found.") from error
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeUrl(f"The host {parts.hostname} cannot be found.")
    if not private_urls_allowed():
        for address in addresses:
            if not is_public(address):
                raise UnsafeUrl(f"The host {parts.hostname} is in a private network.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses)


def _connection(target: Target, address: str, timeout: float) -> HTTPConnection:
    if target.scheme == "https":
        return HTTPSConnection(address, target.port, timeout=timeout, server_hostname=target.host,
                               assert_hostname=target.host, cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
    return HTTPConnection(address, target.port, timeout=timeout)


def _connect(target: Target, deadline: float) -> HTTPConnection:
    """A connection to the first vetted address that answers before the deadline."""
    last_error: Exception | None = None
    for address in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        connection = _connection(target, address, remaining)
        try:
            connection.connect()
            return connection
        except (OSError, Urllib3Error) as error:
            connection.close()
            last_error = error
    raise ConnectionError(f"could not connect to {target.host} port {target.port}"
                          + (f" ({type(last_error).__name__})" if last_error else ""))


def _shut(connection: HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        try:
            # socket.socket's own shutdown (not SSLSocket's, which drops its TLS state under a reader).
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str | None]:
    """POST `body` to `url`: (status code, error text); error None means the receiver took it (2xx)."""
    seconds = float(current_app.config["WEBHOOK_TIMEOUT_SECONDS"])
    deadline = time.monotonic() + seconds
    try:
        target = check_url(url)
        connection = _connect(target, deadline)
    except UnsafeUrl as error:
        return None, str(error)
    except ConnectionError as error:
        return None, f"ConnectionError: {error}"[:ERROR_LENGTH]
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), _shut, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    response = None
    try:
        connection.request("POST", target.path, body=body, headers={**headers, "Host": target.host_header},
                           preload_content=False)
        response = connection.getresponse()
        status, reason = response.status, (response.reason or "")[:60]
        if time.monotonic() >= deadline:  # the watchdog cut a dripping answer short: not an answer
            raise TimeoutError()
    except (OSError, HTTPException, Urllib3Error, ValueError) as error:
        if time.monotonic() >= deadline:
            return None, f"Timeout: no answer within {seconds:g} seconds"
        return None, f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()  # its body stays unread: nothing of it is kept
        connection.close()
    if 200 <= status < 300:
        return status, None
    return status, f"HTTP {status} {reason}".strip()
