"""Who may change the data: the editor password, slowed-down failures, and commit tokens.

Viewing stays open; writing needs a token. The web page gets one only from `Gate.login`
with the editor password (env ATLAS_EDITOR_PASSWORD or Streamlit secrets, read by the page
and passed in: this package never imports streamlit). The password is kept only as a
salted scrypt hash and compared with hmac.compare_digest. Tokens are signed with a key
made when the server process starts, so a restart signs everyone out.

The command line (`python -m analysis import`) is an operator tool run on the server by
someone who can already write data/; it asks for no password and gets an operator token
recording $USER, so the audit log still says who.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

ENV_VAR = "ATLAS_EDITOR_PASSWORD"
SECRET_KEYS = (ENV_VAR, "editor_password")   # accepted names in .streamlit/secrets.toml
TOKEN_SECONDS = 8 * 3600
FREE_ATTEMPTS = 3          # failures before the waiting starts
MAX_WAIT = 15 * 60.0       # seconds; the wait doubles per failure up to this

_KEY = secrets.token_bytes(32)   # signs tokens; new on every server start


class NotAuthorised(PermissionError):
    """Raised by anything that writes data when the caller holds no valid token."""


def configured_password(environ: Mapping[str, str], secrets_: Mapping | None = None) -> str | None:
    """The editor password from the environment, else from Streamlit secrets; None = off."""
    for source in (environ, secrets_ or {}):
        for name in SECRET_KEYS:
            value = source.get(name)
            if isinstance(value, str) and value.strip():
                return value
    return None


def _derive(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)


class Throttle:
    """Failed attempts per client; after FREE_ATTEMPTS each failure doubles the wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._state: dict[str, tuple[int, float]] = {}   # client -> (failures, blocked until)
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        with self._lock:
            _, until = self._state.get(client, (0, 0.0))
            return max(0.0, until - self._clock())

    def failed(self, client: str) -> None:
        with self._lock:
            n = self._state.get(client, (0, 0.0))[0] + 1
            delay = min(2.0 ** (n - FREE_ATTEMPTS), MAX_WAIT) if n >= FREE_ATTEMPTS else 0.0
            self._state[client] = (n, self._clock() + delay)
            if len(self._state) > 10_000:   # forget clients whose wait is long over
                now = self._clock()
                self._state = {k: v for k, v in self._state.items() if v[1] > now - 3600}

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._state.pop(client, None)


@dataclass(frozen=True)
class Login:
    token: str | None      # None: refused
    wait: float = 0.0      # seconds before the next attempt is heard


class Gate:
    """The editor password check. One per configured password per process (see gate())."""

    def __init__(self, password: str | None, clock: Callable[[], float] = time.monotonic):
        self._salt = secrets.token_bytes(16)
        self._hash = _derive(password, self._salt) if password else None
        self.throttle = Throttle(clock)

    @property
    def enabled(self) -> bool:
        return self._hash is not None

    def login(self, who: str, password: str, client: str = "unknown") -> Login:
        """A token for `who` if the password is right; otherwise a refusal, and after a few
        failures from the same client a growing wait during which nothing is checked."""
        wait = self.throttle.wait(client)
        if wait > 0:
            return Login(None, wait)
        if self._hash is None:
            return Login(None)
        if not hmac.compare_digest(_derive(password or "", self._salt), self._hash):
            self.throttle.failed(client)
            return Login(None, self.throttle.wait(client))
        self.throttle.succeeded(client)
        return Login(_issue(who, "web"))


_gates: dict[bytes, Gate] = {}
_gates_lock = threading.Lock()


def gate(environ: Mapping[str, str], secrets_: Mapping | None = None) -> Gate:
    """The process-wide Gate for the configured password, so failures are counted across
    sessions and reruns; a new password gets a new Gate."""
    password = configured_password(environ, secrets_)
    fingerprint = hmac.new(_KEY, (password or "").encode("utf-8"), "sha256").digest()
    with _gates_lock:
        if fingerprint not in _gates:
            _gates[fingerprint] = Gate(password)
        return _gates[fingerprint]


def operator_token(who: str | None = None) -> str:
    """A token for the command line (see the module docstring)."""
    return _issue(who or os.environ.get("USER") or "cli", "cli")


def _issue(who: str, via: str) -> str:
    body = json.dumps({"who": _clean(who), "via": via, "exp": time.time() + TOKEN_SECONDS},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    payload = base64.urlsafe_b64encode(body).decode("ascii")
    return f"{payload}.{_sign(payload)}"


def _sign(payload: str) -> str:
    return hmac.new(_KEY, payload.encode("ascii"), "sha256").hexdigest()


def _clean(who: str) -> str:
    return " ".join(str(who).split())[:80] or "editor"


@dataclass(frozen=True)
class Editor:
    who: str
    via: str    # web | cli


def verify(token: str | None) -> Editor:
    """The editor a token was issued to; NotAuthorised if it is missing, forged or expired."""
    if not isinstance(token, str) or token.count(".") != 1:
        raise NotAuthorised("editing needs the editor password")
    payload, signature = token.split(".")
    try:
        genuine = hmac.compare_digest(signature.encode("ascii"), _sign(payload).encode("ascii"))
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii"))) if genuine else None
    except (ValueError, UnicodeError):
        genuine = False
    if not genuine:
        raise NotAuthorised("invalid editor token")
    if claims["exp"] < time.time():
        raise NotAuthorised("editor session expired: sign in again")
    return Editor(claims["who"], claims["via"])
