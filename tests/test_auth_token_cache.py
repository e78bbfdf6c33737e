"""SystemTokenVerifier remembers verified tokens, but a remembered token still expires on time."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ztn.auth import system_users
from ztn.auth.system_users import MAX_IAT_AGE, AuthError, SystemTokenVerifier, SystemUser

URL = "http://localhost:8080"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
T0 = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def token(iat: float = T0, exp: float = T0 + 600, sub: str = "owner") -> str:
    claims = {"iss": sub, "sub": sub, "aud": [URL], "iat": int(iat), "exp": int(exp)}
    return jwt.encode(claims, KEY, algorithm="RS256")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def signature_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Tokens whose signature was checked (jwt.decode with a key), in order."""
    checked: list[str] = []
    real = jwt.decode

    def counting(token: str, key: Any = None, *args: Any, **kw: Any) -> Any:
        if key is not None:
            checked.append(token)
        return real(token, key, *args, **kw)

    monkeypatch.setattr(system_users.jwt, "decode", counting)
    return checked


def verifier(clock: Clock, cache_size: int = 100) -> SystemTokenVerifier:
    return SystemTokenVerifier({"owner": SystemUser("owner", KEY.public_key())}, URL, clock, cache_size)


def test_a_verified_token_is_checked_once_then_served_from_the_cache(
    clock: Clock, signature_checks: list[str]
) -> None:
    v, t = verifier(clock), token()
    assert [v.verify(t).user_id for _ in range(3)] == ["owner"] * 3
    assert signature_checks == [t]


def test_a_cached_token_still_expires_at_exp(clock: Clock, signature_checks: list[str]) -> None:
    v, t = verifier(clock), token(exp=T0 + 60)
    v.verify(t)
    clock.now = T0 + 60.5  # within the 1 s clock offset: still accepted
    v.verify(t)
    clock.now = T0 + 61
    with pytest.raises(AuthError, match="expired"):
        v.verify(t)
    with pytest.raises(AuthError, match="expired"):  # and stays rejected
        v.verify(t)
    assert signature_checks == [t, t]  # the rejected token was dropped from the cache


def test_a_cached_token_stops_one_hour_after_iat_even_if_exp_is_later(clock: Clock) -> None:
    v, t = verifier(clock), token(exp=T0 + 3 * MAX_IAT_AGE)
    v.verify(t)
    clock.now = T0 + MAX_IAT_AGE
    v.verify(t)
    clock.now = T0 + MAX_IAT_AGE + 1
    with pytest.raises(AuthError, match="too old"):
        v.verify(t)


def test_failures_are_not_cached(clock: Clock, signature_checks: list[str]) -> None:
    v, t = verifier(clock), token(iat=T0 + 30, exp=T0 + 600)
    with pytest.raises(AuthError, match="future"):
        v.verify(t)
    clock.now = T0 + 30
    assert v.verify(t).user_id == "owner"
    forged = t[: t.rindex(".") + 1] + "A" * 40
    for _ in range(2):
        with pytest.raises(AuthError, match="signature"):
            v.verify(forged)
    assert signature_checks == [t, t, forged, forged]  # the early rejection was not remembered


def test_the_cache_is_bounded_least_recently_used_first(clock: Clock, signature_checks: list[str]) -> None:
    v = verifier(clock, cache_size=2)
    a, b, c = token(exp=T0 + 100), token(exp=T0 + 200), token(exp=T0 + 300)
    for t in (a, b, a, c):  # c evicts b (a was used more recently)
        v.verify(t)
    v.verify(a)
    v.verify(b)
    assert signature_checks == [a, b, c, b]
