"""Guessing the editor password is slowed, but nobody can lock the real editor out, and with
named accounts the audit log's `who` is the account (issue 11, item 4)."""
from __future__ import annotations

import pytest

from analysis.editing import auth


class Clock:
    """A fake clock; `sleep` advances it (as a real wait would) and records the waits."""
    def __init__(self):
        self.now, self.slept = 1000.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


ACCOUNTS = {"Wang Fang": "pw-wang-熊猫", "li.na": "pw-li"}


def test_named_accounts_record_the_account_not_the_typed_name():
    gate = auth.Gate("shared", accounts=ACCOUNTS)
    assert gate.enabled and gate.named
    assert auth.verify(gate.login("  wang   FANG ", "pw-wang-熊猫", "s1").token) == auth.Editor("Wang Fang", "web")
    assert auth.verify(gate.login("LI.NA", "pw-li", "s1").token).who == "li.na"
    assert gate.login("li.na", "pw-wang-熊猫", "s2").token is None     # another account's password
    assert gate.login("nobody", "pw-li", "s3").token is None            # unknown account
    assert gate.login("Wang Fang", "shared", "s4").token is None        # shared password is off


def test_shared_password_keeps_the_typed_name():
    gate = auth.Gate("shared")
    assert gate.enabled and not gate.named
    assert auth.verify(gate.login("Li Na", "shared", "s1").token).who == "Li Na"


@pytest.mark.parametrize("environ, secrets, expected", [
    ({}, {}, {}),
    ({"ATLAS_EDITORS": '{"wang": "a", " li ": "b", "empty": " "}'}, None, {"wang": "a", "li": "b"}),
    ({"ATLAS_EDITORS": "wang:a"}, None, {}),                     # not JSON: ignored, not guessed
    ({"ATLAS_EDITORS": '["wang"]'}, None, {}),
    ({"ATLAS_EDITORS": '{"env": "x"}'}, {"editors": {"sec": "y"}}, {"sec": "y"}),
])
def test_configured_accounts(environ, secrets, expected):
    assert auth.configured_accounts(environ, secrets) == expected


def test_gate_from_accounts_in_secrets():
    gate = auth.gate({}, {"editors": {"Zhang Wei": "pw-z"}})
    assert gate.named and auth.verify(gate.login("zhang wei", "pw-z", "s").token).who == "Zhang Wei"
    assert auth.gate({}, {"editors": {"Zhang Wei": "pw-z"}}) is gate


def test_a_session_at_the_maximum_wait_does_not_lock_out_the_editor():
    clock = Clock()
    gate = auth.Gate("right", clock=clock, sleep=clock.sleep)
    for _ in range(40):                       # the attacker's session, kept at the cap
        clock.now += gate.throttle.wait("attacker")
        gate.login("x", "wrong", "attacker")
    assert gate.throttle.wait("attacker") == auth.MAX_WAIT
    # every user behind the proxy has the same IP; the editor's own session is not slowed
    assert gate.login("editor", "right", "editor-session").token
    assert gate.login("x", "right", "attacker") == auth.Login(None, auth.MAX_WAIT)


def test_fresh_sessions_get_at_most_the_global_rate_and_the_editor_still_gets_in():
    clock = Clock()
    gate = auth.Gate("right", clock=clock, sleep=clock.sleep)
    start, checked = clock.now, 0
    for i in range(40):                       # a new session for every guess, one after another
        result = gate.login("x", "wrong", f"fresh-{i}")
        checked += not result.busy
    elapsed = clock.now - start
    assert checked == 40 and elapsed == pytest.approx((40 - auth.GLOBAL_BURST) / auth.GLOBAL_RATE)
    assert max(clock.slept) <= auth.GLOBAL_WAIT
    before = clock.now
    assert gate.login("editor", "right", "editor-session").token
    assert clock.now - before <= auth.GLOBAL_WAIT     # a few seconds at most


def test_a_simultaneous_flood_is_told_busy_without_a_check():
    clock = Clock()
    waits = []
    gate = auth.Gate("right", clock=clock, sleep=waits.append)   # callers waiting side by side
    results = [gate.login("x", "wrong", f"fresh-{i}") for i in range(30)]
    slots = int(auth.GLOBAL_BURST + auth.GLOBAL_WAIT * auth.GLOBAL_RATE)
    assert [r.busy for r in results] == [False] * slots + [True] * (30 - slots)
    assert max(waits) == auth.GLOBAL_WAIT
    assert gate.throttle.wait("fresh-29") == 0        # a busy answer counts no failure
    clock.now += 1 / auth.GLOBAL_RATE                 # half a second later a slot is free again
    assert gate.login("editor", "right", "editor-session").token
