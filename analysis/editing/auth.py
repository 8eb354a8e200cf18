"""Who may change the data: editor accounts or the editor password, slowed-down guessing,
and commit tokens.

Viewing stays open; writing needs a token. The web page gets one only from `Gate.login`:
- named accounts (Streamlit secrets `[editors]` name = "password", or env ATLAS_EDITORS as
  a JSON object): the audit log's `who` is the account's name, whatever was typed;
- otherwise one shared password (env ATLAS_EDITOR_PASSWORD or secrets editor_password):
  `who` is the name the editor typed, a claim only.
The page reads these and passes them in (this package never imports streamlit). Passwords
are kept only as salted scrypt hashes and compared with hmac.compare_digest. Tokens are
signed with a key made when the server process starts, so a restart signs everyone out.

Guessing is slowed without letting anyone lock the editor out. Behind a proxy every user is
127.0.0.1, so failures are counted per browser session (`client` = the session id): a
session that keeps failing waits longer and longer, and only that session. Opening fresh
sessions does not escape the small global limit: at most GLOBAL_RATE checks a second for
the whole server (a burst of GLOBAL_BURST), each waiting its turn at most GLOBAL_WAIT
seconds. So the right password is checked within a few seconds; only while someone sends
more than GLOBAL_RATE guesses a second from fresh sessions may it be told "busy, try again".

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

from analysis.core.text import name_key

ENV_VAR = "ATLAS_EDITOR_PASSWORD"
SECRET_KEYS = (ENV_VAR, "editor_password")   # accepted names in .streamlit/secrets.toml
ACCOUNTS_ENV, ACCOUNTS_SECRET = "ATLAS_EDITORS", "editors"
TOKEN_SECONDS = 8 * 3600
FREE_ATTEMPTS = 3          # failures before the waiting starts (per session)
MAX_WAIT = 15 * 60.0       # seconds; the wait doubles per failure up to this
GLOBAL_RATE = 2.0          # password checks per second, whole server
GLOBAL_BURST = 10
GLOBAL_WAIT = 3.0          # longest a check waits for its turn before "busy"

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


def configured_accounts(environ: Mapping[str, str], secrets_: Mapping | None = None) -> dict[str, str]:
    """Named editor accounts, name -> password (empty: none configured). A malformed
    ATLAS_EDITORS is ignored rather than guessed at."""
    raw = (secrets_ or {}).get(ACCOUNTS_SECRET)
    if not isinstance(raw, Mapping):
        try:
            raw = json.loads(environ.get(ACCOUNTS_ENV) or "{}")
        except ValueError:
            raw = {}
    if not isinstance(raw, Mapping):
        return {}
    return {_clean(k): v for k, v in raw.items()
            if _clean(k) and isinstance(v, str) and v.strip()}


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


class Limiter:
    """At most `rate` checks a second (after a burst), first come first served: a caller
    reserves the next free slot and sleeps until it, or gives up if that is over `max_wait`
    away (generic cell rate algorithm)."""

    def __init__(self, rate: float, burst: int, max_wait: float,
                 clock: Callable[[], float], sleep: Callable[[float], None]):
        self._interval, self._allowance = 1 / rate, (burst - 1) / rate
        self._max_wait, self._clock, self._sleep = max_wait, clock, sleep
        self._tat = 0.0     # when the bucket would be empty again
        self._lock = threading.Lock()

    def acquire(self) -> bool:
        with self._lock:
            now = self._clock()
            tat = max(self._tat, now)
            wait = max(0.0, tat - self._allowance - now)
            if wait > self._max_wait:
                return False
            self._tat = tat + self._interval
        if wait:
            self._sleep(wait)
        return True


@dataclass(frozen=True)
class Login:
    token: str | None      # None: refused
    wait: float = 0.0      # seconds before this session's next attempt is heard
    busy: bool = False     # the global limit: nothing was checked, try again in a moment


class Gate:
    """The password check: named accounts, or else the shared password. One per
    configuration per process (see gate()), so failures are counted across reruns."""

    def __init__(self, password: str | None, clock: Callable[[], float] = time.monotonic,
                 accounts: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self._salt = secrets.token_bytes(16)
        # name key -> (name as configured, hash); "" is the shared password's pseudo-account
        self._hashes = ({name_key(n): (n, _derive(p, self._salt)) for n, p in accounts.items()}
                        if accounts else {"": ("", _derive(password, self._salt))} if password
                        else {})
        self._unknown = _derive(secrets.token_hex(16), self._salt)   # same work for any name
        self.throttle = Throttle(clock)
        self.limiter = Limiter(GLOBAL_RATE, GLOBAL_BURST, GLOBAL_WAIT, clock, sleep)

    @property
    def enabled(self) -> bool:
        return bool(self._hashes)

    @property
    def named(self) -> bool:
        """True when editors sign in with their own account (the page shows 'account')."""
        return "" not in self._hashes and self.enabled

    def login(self, who: str, password: str, client: str = "unknown") -> Login:
        """A token if the password is right for the account `who` (or the shared password);
        otherwise a refusal. After a few failures in the same session (`client`), a growing
        wait during which nothing is checked; `busy` when the global limit is reached."""
        wait = self.throttle.wait(client)
        if wait > 0:
            return Login(None, wait)
        if not self._hashes:
            return Login(None)
        if not self.limiter.acquire():
            return Login(None, busy=True)
        name, expected = self._hashes.get("" if not self.named else name_key(who),
                                          (None, self._unknown))
        right = hmac.compare_digest(_derive(password or "", self._salt), expected)
        if not right or name is None:
            self.throttle.failed(client)
            return Login(None, self.throttle.wait(client))
        self.throttle.succeeded(client)
        return Login(_issue(name or who, "web"))


_gates: dict[bytes, Gate] = {}
_gates_lock = threading.Lock()


def gate(environ: Mapping[str, str], secrets_: Mapping | None = None) -> Gate:
    """The process-wide Gate for the configured accounts or password, so failures and the
    global limit hold across sessions and reruns; a new configuration gets a new Gate."""
    password = configured_password(environ, secrets_)
    accounts = configured_accounts(environ, secrets_)
    config = json.dumps([password, sorted(accounts.items())], ensure_ascii=False)
    fingerprint = hmac.new(_KEY, config.encode("utf-8"), "sha256").digest()
    with _gates_lock:
        if fingerprint not in _gates:
            _gates[fingerprint] = Gate(password, accounts=accounts)
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
