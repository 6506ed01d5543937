"""Every service verifies the forwarded token itself: a direct RPC without a valid one is refused."""
import jwt
import pytest
from nameko.exceptions import RemoteError

from shared.auth import keys
from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.helpers import remote_code, rpc_client, wait_for


def call_whoami(config, token):
    with rpc_client(config["AMQP_URI"], "sample", token) as svc:
        return svc.whoami()


def refused(config, token) -> tuple[int, str]:
    with pytest.raises(RemoteError) as info:
        call_whoami(config, token)
    return remote_code(info.value)


def test_valid_token_gives_the_principal(sample, sample_config, issue):
    token, claims = issue(role="city_hrss", region="440700")
    principal = call_whoami(sample_config, token)
    assert (principal["account_id"], principal["role"], principal["region"]) == (claims["sub"], "city_hrss", "440700")


def test_missing_forged_foreign_and_expired_tokens_are_refused(sample, sample_config, issue, signer):
    assert refused(sample_config, None) == (401, "auth.token_missing")
    assert refused(sample_config, "Bearer not.a.token") == (401, "auth.token_invalid")
    good, claims = issue()
    header, payload, signature = good[7:].split(".")
    assert refused(sample_config, f"Bearer {header}.{payload}.{signature[::-1]}") == (401, "auth.token_invalid")
    other = keys.new_private_key()
    same_kid = jwt.encode(claims, other, algorithm="RS256", headers={"kid": signer.kid})
    assert refused(sample_config, "Bearer " + same_kid) == (401, "auth.token_invalid")
    unknown_kid = jwt.encode(claims, other, algorithm="RS256", headers={"kid": "someone-else"})
    assert refused(sample_config, "Bearer " + unknown_kid) == (401, "auth.token_invalid")
    hs256 = jwt.encode(claims, "secret-guess", algorithm="HS256", headers={"kid": signer.kid})
    assert refused(sample_config, "Bearer " + hs256) == (401, "auth.token_invalid")
    expired, _ = issue(expired=True)
    assert refused(sample_config, expired) == (401, "auth.token_expired")


def test_wrong_role_is_forbidden(sample, sample_config, issue):
    token, _ = issue(role="individual", region=None)
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc, pytest.raises(RemoteError) as info:
        svc.create_thing("不该创建")
    assert remote_code(info.value) == (403, "auth.forbidden")


def identity_event(event_type, data):
    return Envelope(type=event_type, source=source_of("identity"), subject=data["account_id"], region="440703",
                    data=data, actor={"role": "sys_admin", "account_id": None}).to_dict()


def test_deactivated_and_logged_out_tokens_are_refused(sample, sample_config, vhost, issue):
    token, claims = issue(token_version=1)
    assert call_whoami(sample_config, token)["account_id"] == claims["sub"]
    rabbit.publish(vhost, "identity.events", "account.deactivated", identity_event(
        "account.deactivated", {"account_id": claims["sub"], "min_token_version": 2,
                                "revoked_before": "2026-11-25T00:00:00+00:00"}))
    wait_for(lambda: _is_refused(sample_config, token), message="revocation to arrive")
    assert refused(sample_config, token) == (401, "auth.token_revoked")
    newer, _ = issue(account_id=claims["sub"], token_version=2)
    assert call_whoami(sample_config, newer)["account_id"] == claims["sub"]

    other, other_claims = issue()
    rabbit.publish(vhost, "identity.events", "session.revoked", identity_event(
        "session.revoked", {"account_id": other_claims["sub"], "jti": other_claims["jti"],
                            "expires_at": "2099-01-01T00:00:00+00:00"}))
    wait_for(lambda: _is_refused(sample_config, other), message="logout to arrive")


def _is_refused(config, token) -> bool:
    try:
        call_whoami(config, token)
        return False
    except RemoteError:
        return True


def test_no_token_reaches_any_exchange(sample, sample_config, vhost, issue):
    from shared import contracts
    tap = rabbit.Tap(vhost, contracts.exchanges())
    token, _ = issue()
    with rpc_client(sample_config["AMQP_URI"], "sample", token, key="k-1") as svc:
        svc.create_thing("甲")
    with rpc_client(sample_config["AMQP_URI"], "sample", token, key="k-2") as svc:
        svc.emit_orphan(1)
    messages = tap.drain(wait=3, until=3) + tap.drain(wait=0.5)
    assert len(messages) >= 3  # thing_created, its integration copy, the orphan (routable via the tap)
    raw_token = token[7:]
    for message in messages:
        flat = repr(message).lower()
        assert raw_token.lower() not in flat
        assert "authorization" not in flat and "bearer" not in flat and "k-1" not in flat
        assert not any(k.startswith("nameko.") for k in message["headers"])


def test_expired_revoked_token_rows_are_purged_by_the_timer(sample, sample_url):
    """issue 12: purge_expired was never called; the RevocationConsumer's timer runs it."""
    import datetime as dt

    from nameko.testing.services import entrypoint_hook
    from nameko.timer import Timer
    from sqlalchemy import create_engine, func, select

    from shared.auth import revocation
    from shared.db.tables import revoked_tokens

    now = dt.datetime.now(dt.UTC)
    engine = create_engine(sample_url)
    with engine.begin() as conn:
        from sqlalchemy.orm import Session
        with Session(bind=conn) as session:
            revocation.revoke_token(session, "a-old", "jti-old", now - dt.timedelta(hours=1))
            revocation.revoke_token(session, "a-new", "jti-new", now + dt.timedelta(hours=1))
    timers = [e for e in sample.entrypoints if isinstance(e, Timer)]
    assert any(e.method_name == "purge_expired_revocations" and e.interval > 0 for e in timers)
    with entrypoint_hook(sample, "purge_expired_revocations") as purge:
        assert purge() == 1
    with engine.connect() as conn:
        assert conn.execute(select(revoked_tokens.c.jti)).scalars().all() == ["jti-new"]
        assert conn.execute(select(func.count()).select_from(revoked_tokens)).scalar() == 1
    engine.dispose()
