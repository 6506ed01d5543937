"""A token verified once is remembered (issue 15: PyJWT's parse cost about a millisecond per request and
per RPC), without loosening anything: expiry and type are checked on every use against the clock, a
changed key file verifies again with the keys it now holds (a withdrawn key's tokens are refused), and
any other text - one character changed - is verified in full."""
from datetime import UTC, datetime, timedelta

import pytest

from shared.auth import keys
from shared.auth.tokens import TokenSigner, TokenVerifier
from shared.clock import FixedClock
from shared.errors import Unauthenticated

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def setup(tmp_path):
    keys.ensure(tmp_path)
    kid, key = keys.private_keys(tmp_path)[-1]
    clock = FixedClock(NOW)
    token, _ = TokenSigner(key, kid, clock=clock).issue(account_id="a", role="county_hrss", region="440703",
                                                         unit_id=None, name="x", token_version=1)
    return tmp_path, clock, token


def test_the_signature_is_checked_once_per_token_text(setup, monkeypatch):
    directory, clock, token = setup
    verifier = TokenVerifier(directory / "jwks.json", clock=clock)
    decoded = []
    real = verifier._decode
    monkeypatch.setattr(verifier, "_decode", lambda t: decoded.append(t) or real(t))
    assert verifier.verify(token).account_id == "a"
    assert verifier.verify("Bearer " + token).account_id == "a"
    assert decoded == [token]
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(Unauthenticated):
        verifier.verify(tampered)
    assert decoded == [token, tampered]


def test_expiry_is_checked_on_every_use(setup):
    directory, clock, token = setup
    verifier = TokenVerifier(directory / "jwks.json", clock=clock)
    verifier.verify(token)
    clock.advance(timedelta(hours=2))
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(token)
    assert info.value.code == "auth.token_expired"


def test_a_key_withdrawn_from_the_file_is_no_longer_trusted(setup):
    directory, clock, token = setup
    verifier = TokenVerifier(directory / "jwks.json", clock=clock)
    verifier.verify(token)
    jwks = directory / "jwks.json"
    jwks.write_text('{"keys": []}')
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(token)
    assert info.value.code == "auth.token_invalid"
    jwks.unlink()
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(token)
    assert info.value.code == "auth.keys_unavailable"
