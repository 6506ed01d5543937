"""Integrators' feed tokens: issued by the admin (shown once, only a hash kept), read the feed of their
region and nothing else, refused once revoked."""
from shared.testing.helpers import scalar
from shared.testing.service import call


def by_token(desk, token, after=0, **kwargs):
    return call(desk.config, "event_feed", "list_events_by_token", token, after, **kwargs)


def test_a_token_reads_its_region_until_it_is_revoked(desk, make_event):
    for region in ("440703", "440704", "440700", "440103"):
        desk.publish(make_event(region=region))
    desk.wait_stored(4)
    city = desk.call("issue_feed_token", {"name": "江门合作方", "region": "440700"})
    everything = desk.call("issue_feed_token", {"name": "省平台"})
    assert city["token"].startswith("feed_") and len(city["token"]) > 40
    assert scalar(desk.url, "SELECT count(*) FROM feed_tokens WHERE token_hash = :t", t=city["token"]) == 0
    assert [i["region"] for i in by_token(desk, city["token"])["items"]] == ["440703", "440704", "440700"]
    assert [i["region"] for i in by_token(desk, city["token"], region="440704")["items"]] == ["440704"]
    assert len(by_token(desk, everything["token"], limit=2)["items"]) == 2
    assert by_token(desk, everything["token"], 2)["next_after"] == 4
    listed = desk.call("list_feed_tokens")["items"]
    assert {t["name"] for t in listed} == {"江门合作方", "省平台"} and all("token" not in t for t in listed)
    assert next(t for t in listed if t["id"] == city["id"])["last_used_at"]
    assert desk.call("revoke_feed_token", city["id"])["revoked_at"]
    for bad in (city["token"], "feed_nonsense", "Bearer x", None):
        assert _error(desk, bad) == (401, "feed_token.invalid")
    assert desk.error("issue_feed_token", {"name": "x"}, role="city_hrss", at="440700") == (403, "auth.forbidden")
    assert desk.error("issue_feed_token", {"name": ""})[1] == "feed_token.invalid_name"
    assert desk.error("issue_feed_token", {"name": "x", "region": "123"})[1] == "feed_token.invalid_region"
    assert desk.error("revoke_feed_token", "00000000-0000-4000-8000-000000000000")[0] == 404


def _error(desk, token):
    import pytest
    from nameko.exceptions import RemoteError

    from shared.testing.helpers import remote_code
    with pytest.raises(RemoteError) as info:
        by_token(desk, token)
    return remote_code(info.value)
