"""个人注册 with its 用户须知: the graduate accepts the 个人注册用户须知 in force, and the registration keeps
the version accepted and when (as 单位注册 does, ``unit_registration``). Every submission carries it: the
dry run before the account exists, the registration itself and a resubmission after a return (the notice
may have changed meanwhile). Missing or outdated: 400 ``terms.not_accepted`` / ``terms.outdated``, nothing
written. The rules of the registration itself stay in ``use_cases``."""
from __future__ import annotations

from shared.service import Tx
from unit_registry import unit_registration, use_cases
from unit_registry.adapters.repository import IndividualRepository

KIND = "individual"


def _accepted_version(tx: Tx, data: object) -> str:
    version = data.get("terms_version") if isinstance(data, dict) else None
    return unit_registration.check_terms_accepted(tx, KIND, version)


def _record(tx: Tx, person: dict, version: str) -> dict:
    at = tx.now
    tx.repository(IndividualRepository).accept_terms(person["id"], version, at)
    return {**person, "terms_version": version, "terms_accepted_at": at.isoformat()}


def check_individual_registration(tx: Tx, unit_id: object, data: dict) -> dict:
    """The dry run (nothing written): the 用户须知 first, then the registration's own checks."""
    version = _accepted_version(tx, data)
    return {**use_cases.check_individual_registration(tx, unit_id, data), "terms_version": version}


def register_individual(tx: Tx, data: dict) -> dict:
    version = _accepted_version(tx, data)
    return _record(tx, use_cases.register_individual(tx, data), version)


def resubmit_individual(tx: Tx, data: dict) -> dict:
    version = _accepted_version(tx, data)
    return _record(tx, use_cases.resubmit_individual(tx, data), version)
