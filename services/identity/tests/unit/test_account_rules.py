
import pytest

from identity.domain.accounts import check_password, check_role_region
from identity.passwords import hash_password, verify_password
from shared.errors import InvalidInput


def test_password_policy():
    assert check_password("Abc12345") == "Abc12345"
    for bad in ["short1", "onlyletters", "12345678", "x" * 65 + "1"]:
        with pytest.raises(InvalidInput):
            check_password(bad)


def test_password_classes_and_characters():
    for good in ["Abc12345", "abc123!@", "ABC!def9"]:
        assert check_password(good) == good
    for bad in ["abcdefg1", "ABCDEFG1", "Abc 12345", "Abc１２３４５"]:
        with pytest.raises(InvalidInput):
            check_password(bad)


def test_role_region_rules():
    assert check_role_region("county_hrss", "440703") == "440703"
    assert check_role_region("city_org", "440700") == "440700"
    assert check_role_region("county_hrss", "429004") == "429004"   # province-administered county
    assert check_role_region("individual", None) is None
    with pytest.raises(InvalidInput):
        check_role_region("city_org", "440703")


def test_argon2_hash_verifies_only_the_right_password():
    h = hash_password("Abc12345")
    assert h.startswith("$argon2id$") and verify_password(h, "Abc12345") and not verify_password(h, "Abc12346")
    assert not verify_password(None, "anything")


def test_hashes_use_owasps_parameters_and_older_hashes_still_verify_then_are_renewed():
    from argon2 import PasswordHasher

    from identity.passwords import needs_rehash
    h = hash_password("Abc12345")
    assert "$m=19456,t=2,p=1$" in h and not needs_rehash(h)
    older = PasswordHasher().hash("Abc12345")  # argon2-cffi's default, the platform's parameters before
    assert "$m=65536,t=3,p=4$" in older
    assert verify_password(older, "Abc12345") and needs_rehash(older)
