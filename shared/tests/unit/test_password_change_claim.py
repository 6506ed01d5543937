"""The ``pwc`` claim: a token of an account that must change its password is refused by every service
for everything outside the allow-list."""
import pytest

from shared.auth import keys
from shared.auth.principal import PASSWORD_CHANGE_ALLOWED, Principal
from shared.auth.tokens import TokenSigner, TokenVerifier
from shared.errors import Forbidden


def test_the_claim_travels_in_the_token_and_is_enforced(tmp_path):
    keys.ensure(tmp_path)
    kid, key = keys.private_keys(tmp_path)[-1]
    signer = TokenSigner(key, kid)
    verifier = TokenVerifier(tmp_path / "jwks.json")
    flagged, _ = signer.issue(account_id="a", role="county_hrss", region="440703", unit_id=None, name="x",
                              token_version=1, password_change=True)
    normal, claims = signer.issue(account_id="a", role="county_hrss", region="440703", unit_id=None, name="x",
                                  token_version=1)
    assert "pwc" not in claims
    principal = verifier.verify(flagged)
    assert principal.password_change_required is True
    for service, operation in [("subsidy_review", "list_applications"), ("identity", "update_profile"),
                               ("unit_registry", "change_password")]:
        with pytest.raises(Forbidden) as info:
            principal.require_password_changed(service, operation)
        assert info.value.code == "account.password_change_required"
    for operation in PASSWORD_CHANGE_ALLOWED["identity"]:
        principal.require_password_changed("identity", operation)
    verifier.verify(normal).require_password_changed("subsidy_review", "list_applications")
    Principal(account_id="b", role="individual").require_password_changed("finance_disbursement", "pay")
