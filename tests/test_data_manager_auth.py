"""The editor password: off unless configured, hashed and compared in constant time, slowed
down after failures, and the only way (besides the operator CLI) to a commit token."""
from __future__ import annotations

import pytest

from analysis.editing import auth


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_editing_is_off_without_a_password():
    gate = auth.Gate(None)
    assert not gate.enabled
    assert gate.login("ann", "").token is None
    assert gate.login("ann", "anything").token is None


@pytest.mark.parametrize("environ, secrets, expected", [
    ({}, {}, None),
    ({"ATLAS_EDITOR_PASSWORD": "  "}, None, None),
    ({"ATLAS_EDITOR_PASSWORD": "from-env"}, {"editor_password": "from-secrets"}, "from-env"),
    ({}, {"editor_password": "from-secrets"}, "from-secrets"),
    ({}, {"ATLAS_EDITOR_PASSWORD": "upper"}, "upper"),
])
def test_configured_password(environ, secrets, expected):
    assert auth.configured_password(environ, secrets) == expected


def test_the_password_is_kept_only_as_a_salted_hash():
    gate = auth.Gate("s3cret-熊猫")
    assert "s3cret" not in repr(vars(gate)) and b"s3cret" not in gate._hashes[""][1]
    assert auth.Gate("s3cret-熊猫")._hashes[""][1] != gate._hashes[""][1]     # new salt each time


def test_right_password_gives_a_token_for_the_name():
    gate = auth.Gate("s3cret-熊猫")
    result = gate.login("  Li   Na ", "s3cret-熊猫", "10.0.0.1")
    assert result.token and result.wait == 0
    assert auth.verify(result.token) == auth.Editor("Li Na", "web")


def test_failures_slow_down_and_a_success_resets():
    clock = Clock()
    gate = auth.Gate("right", clock=clock)
    waits = [gate.login("x", "wrong", "ip1").wait for _ in range(auth.FREE_ATTEMPTS)]
    assert waits == [0, 0, 1.0]
    # while waiting, even the right password is not checked
    assert gate.login("x", "right", "ip1") == auth.Login(None, 1.0)
    assert gate.login("x", "right", "ip2").token          # another client is not affected
    clock.now += 1.0
    assert gate.login("x", "wrong", "ip1").wait == 2.0     # the wait doubles
    clock.now += 2.0
    assert gate.login("x", "wrong", "ip1").wait == 4.0
    clock.now += 4.0
    assert gate.login("x", "right", "ip1").token
    assert gate.throttle.wait("ip1") == 0
    assert [gate.login("x", "wrong", "ip1").wait for _ in range(2)] == [0, 0]


def test_the_wait_is_capped():
    clock = Clock()
    gate = auth.Gate("right", clock=clock)
    for _ in range(40):
        clock.now += gate.throttle.wait("ip")
        gate.login("x", "wrong", "ip")
    assert gate.throttle.wait("ip") == auth.MAX_WAIT


def test_one_gate_per_password_per_process():
    a = auth.gate({"ATLAS_EDITOR_PASSWORD": "one"})
    assert auth.gate({"ATLAS_EDITOR_PASSWORD": "one"}) is a      # failures are remembered
    assert auth.gate({"ATLAS_EDITOR_PASSWORD": "two"}) is not a
    assert not auth.gate({}).enabled


def _tampered(token: str) -> str:
    """The token with its last character changed (to a different one, whatever it was)."""
    return token[:-1] + ("1" if token[-1] == "0" else "0")


@pytest.mark.parametrize("token", [None, "", "abc", "a.b.c", "é.é",
                                   auth._issue("x", "web").replace(".", "x."),
                                   _tampered(auth._issue("x", "web"))])
def test_forged_tokens_are_refused(token):
    with pytest.raises(auth.NotAuthorised):
        auth.verify(token)


def test_operator_token_records_the_user(monkeypatch):
    monkeypatch.setenv("USER", "ops")
    assert auth.verify(auth.operator_token()) == auth.Editor("ops", "cli")
    monkeypatch.delenv("USER")
    assert auth.verify(auth.operator_token()).who == "cli"
