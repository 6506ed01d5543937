"""Individual registration (个人注册) and the unit's review, against real RabbitMQ and PostgreSQL."""

from shared.testing import rabbit
from shared.testing.helpers import rows, scalar, wait_for
from shared.testing.service import callers

SERVICE = "unit_registry"


rpc, error_of = callers(SERVICE)




def events(tap, subject, count):
    """The first ``count`` events about ``subject`` (the seed's own events may pass the tap too)."""
    found = []
    wait_for(lambda: found.extend(m["body"] for m in tap.drain() if m["body"]["subject"] == subject)
             or len(found) >= count, timeout=5, message=f"{count} events about {subject}")
    return found


def test_a_graduate_registers_and_the_unit_approves(unit_registry, unit_registry_config, unit_registry_db, vhost,
                                                    clerk, graduate, registration):
    cfg = unit_registry_config
    tap = rabbit.Tap(vhost, ["unit_registry.events"], "individual.registered")
    token, account_id = graduate()
    mine = rpc(cfg, "register_individual", registration(), token=token)
    assert mine["status"] == "pending" and mine["status_label"] == "待审核"
    assert mine["unit_name"] == "江门市蓬江区示范科技有限公司" and mine["region"] == "440703"
    assert mine["bank_account"]["number"] == "6216610000000000001" and mine["degree_label"] == "硕士研究生"
    assert rpc(cfg, "my_registration", token=token)["id"] == mine["id"]
    [registered] = events(tap, mine["id"], 1)
    assert registered["subject"] == mine["id"] and registered["data"]["account_id"] == account_id
    assert "bank_account" not in registered["data"]  # only the hand-off carries it

    assert rpc(cfg, "todos", token=clerk()) == [{
        "key": "individuals.pending_review", "count": 1, "label": "您有【1】个个人注册账号待审核",
        "href": "/portal/individuals?status=pending"}]
    page = rpc(cfg, "list_individuals", {"status": "pending"}, 1, 20, token=clerk())
    assert page["total"] == 1 and page["page"] == 1 and page["page_size"] == 20
    [item] = page["items"]
    assert item["id_number"] == mine["id_number"][:6] + "********" + mine["id_number"][-4:]
    assert item["mobile"] == "139****0001" and "bank_account" not in item

    detail = rpc(cfg, "get_individual", mine["id"], token=clerk())
    assert detail["id_number"] == mine["id_number"] and detail["mobile"] == "13900000001"
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_audit_log WHERE action='individual.read' "
                                    "AND subject_id=:i", i=mine["id"]) == 1

    tap = rabbit.Tap(vhost, ["unit_registry.events"], "individual.approved")
    approved = rpc(cfg, "approve_individual", mine["id"], "材料齐全", token=clerk())
    assert approved["status"] == "approved" and approved["approved_at"] and approved["opinion"] == "材料齐全"
    [event] = events(tap, mine["id"], 1)
    assert event["region"] == "440703" and event["actor"]["role"] == "unit_admin"
    assert event["data"] | {"individual_id": None, "id_number": None} == {
        "individual_id": None, "account_id": account_id, "unit_id": mine["unit_id"],
        "unit_name": "江门市蓬江区示范科技有限公司", "name": "王五", "id_type": "resident_id", "id_number": None,
        "mobile": "13900000001", "degree": "master", "graduated_on": "2025-06-30", "region": "440703",
        "status": "approved", "opinion": "材料齐全",
        "bank_account": {"holder": "王五", "bank": "中国银行江门分行", "number": "6216610000000000001"}}
    assert rpc(cfg, "todos", token=clerk())[0]["count"] == 0
    actions = [r["action"] for r in rows(unit_registry_db, "SELECT action FROM platform_audit_log "
                                                           "WHERE subject_id=:i ORDER BY id", i=mine["id"])]
    assert actions == ["individual.register", "individual.read", "individual.approve"]


def test_a_returned_registration_is_corrected_and_resubmitted(unit_registry, unit_registry_config, vhost, clerk,
                                                              graduate, registration, snapshot):
    cfg = unit_registry_config
    token, _ = graduate()
    mine = rpc(cfg, "register_individual", registration(), token=token)
    before = snapshot()
    assert error_of(cfg, "return_individual", mine["id"], " ", token=clerk()) == (400, "opinion.required")
    assert error_of(cfg, "resubmit_individual", registration(), token=token) == (409, "individual.illegal_transition")
    assert snapshot() == before

    tap = rabbit.Tap(vhost, ["unit_registry.events"], "individual.*")
    returned = rpc(cfg, "return_individual", mine["id"], "银行卡号与户名不符", token=clerk())
    assert returned["status"] == "returned" and returned["status_label"] == "退回修改"
    assert rpc(cfg, "my_registration", token=token)["opinion"] == "银行卡号与户名不符"
    assert error_of(cfg, "register_individual", registration(), token=token) == (409, "individual.already_registered")
    assert error_of(cfg, "approve_individual", mine["id"], token=clerk()) == (409, "individual.illegal_transition")

    before = snapshot()
    assert error_of(cfg, "resubmit_individual", registration(mobile="123"), token=token) == (400, "mobile.length")
    assert snapshot() == before
    fixed = registration(bank_account={"holder": "王五", "bank": "中国银行江门分行", "number": "6216610000000000999"})
    again = rpc(cfg, "resubmit_individual", fixed, token=token)
    assert again["status"] == "pending" and again["bank_account"]["number"] == "6216610000000000999"
    rpc(cfg, "approve_individual", mine["id"], token=clerk())
    kinds = [e["type"] for e in events(tap, mine["id"], 3)]
    assert kinds == ["individual.returned", "individual.resubmitted", "individual.approved"]


def test_refusals_change_nothing(unit_registry, unit_registry_config, issue, clerk, graduate, registration,
                                 snapshot, demo):
    cfg = unit_registry_config
    token, _ = graduate()
    mine = rpc(cfg, "register_individual", registration(), token=token)
    jianghai_clerk = clerk(demo["units"][1]["id"], demo["units"][1]["admin_account_id"])
    county_hrss = issue(role="county_hrss", region="440703")[0]
    other_county = issue(role="county_hrss", region="440704")[0]
    before = snapshot()
    # wrong role: 403
    assert error_of(cfg, "approve_individual", mine["id"], token=county_hrss) == (403, "auth.forbidden")
    assert error_of(cfg, "register_individual", registration(2), token=clerk()) == (403, "auth.forbidden")
    assert error_of(cfg, "list_individuals", token=token) == (403, "auth.forbidden")
    # another unit, another county: 404, the record's existence is not revealed
    assert error_of(cfg, "approve_individual", mine["id"], token=jianghai_clerk) == (404, "individual.not_found")
    assert error_of(cfg, "get_individual", mine["id"], token=jianghai_clerk) == (404, "individual.not_found")
    assert error_of(cfg, "get_individual", mine["id"], token=other_county) == (404, "individual.not_found")
    assert error_of(cfg, "get_individual", mine["id"], token=graduate()[0]) == (404, "individual.not_found")
    assert error_of(cfg, "approve_all_individuals", [mine["id"]], token=jianghai_clerk) == (404, "individual.not_found")
    assert rpc(cfg, "list_individuals", {}, token=other_county)["total"] == 1  # 李四 only
    # bad input: 400
    taken = registration(id_number=demo["individuals"][0]["id_number"])
    assert error_of(cfg, "register_individual", taken, token=graduate()[0]) == (409, "individual.id_number_taken")
    assert error_of(cfg, "register_individual", registration(3, degree="phd"), token=graduate()[0]) == (
        400, "degree.unknown")
    assert error_of(cfg, "list_individuals", {"status": "deleted"}, token=clerk()) == (400, "filter.status_unknown")
    assert error_of(cfg, "register_individual", registration(4), token=graduate(unit_id=None)[0]) == (
        400, "individual.unit_required")
    assert error_of(cfg, "approve_individual", token=clerk()) == (400, "invalid_call")
    assert snapshot() == before
    assert rpc(cfg, "get_individual", mine["id"], token=county_hrss)["id_number"] == mine["id_number"]
    assert rpc(cfg, "get_individual", mine["id"], token=token)["name"] == "王五"


def test_one_click_approval_takes_the_units_pending_registrations(unit_registry, unit_registry_config,
                                                                  unit_registry_db, clerk, graduate, registration,
                                                                  demo):
    cfg = unit_registry_config
    ours = [rpc(cfg, "register_individual", registration(n, name=name), token=graduate()[0])["id"]
            for n, name in [(11, "甲一"), (12, "乙二"), (13, "丙三")]]
    theirs = rpc(cfg, "register_individual", registration(14, name="丁四"),
                 token=graduate(demo["units"][1]["id"])[0])["id"]
    rpc(cfg, "return_individual", ours[2], "请补充毕业证书", token=clerk())

    ticked = rpc(cfg, "approve_all_individuals", [ours[0], ours[2]], token=clerk())
    assert ticked == {"approved": 1, "individual_ids": [ours[0]]}  # the returned one is not pending
    assert rpc(cfg, "approve_all_individuals", token=clerk()) == {"approved": 1, "individual_ids": [ours[1]]}
    assert rpc(cfg, "approve_all_individuals", token=clerk()) == {"approved": 0, "individual_ids": []}
    assert error_of(cfg, "approve_all_individuals", [], token=clerk()) == (400, "individual.ids_invalid")
    statuses = dict((r["id"], r["status"]) for r in rows(unit_registry_db, "SELECT id, status FROM individuals"))
    assert [statuses[i] for i in ours] == ["approved", "approved", "returned"] and statuses[theirs] == "pending"
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_outbox WHERE exchange='unit_registry.events' "
                                    "AND event_type='individual.approved' "
                                    "AND body::jsonb->>'subject' = ANY(:ids)", ids=ours) == 2
    # what one click writes for each is what a single approval writes: its round, its audit row, its event
    single = rpc(cfg, "register_individual", registration(15, name="戊五"), token=graduate()[0])["id"]
    rpc(cfg, "approve_individual", single, token=clerk())

    def written(individual_id):
        history = rows(unit_registry_db, "SELECT round, action, opinion, actor_role, data FROM review_history "
                                         "WHERE subject_id = :i AND action = 'approved'", i=individual_id)
        audit = rows(unit_registry_db, "SELECT action, before->>'status' AS before, after->>'status' AS after, region "
                                       "FROM platform_audit_log WHERE subject_id = :i AND action LIKE '%approve'",
                     i=individual_id)
        event = rows(unit_registry_db, "SELECT body::jsonb->'data' AS data FROM platform_outbox WHERE "
                                       "exchange='unit_registry.events' AND event_type='individual.approved' "
                                       "AND body::jsonb->>'subject' = :i", i=individual_id)
        return history, audit, sorted(event[0]["data"]) if event else None

    assert written(ours[0]) == written(ours[1]) == written(single)
    assert written(single)[0] and written(single)[1] and written(single)[2]


def test_a_repeated_command_has_one_effect(unit_registry, unit_registry_config, unit_registry_db, clerk, graduate,
                                           registration):
    """The gateway's idempotency key: a redelivered approval returns the first answer, emits once."""
    cfg = unit_registry_config
    mine = rpc(cfg, "register_individual", registration(), token=graduate()[0])
    first = rpc(cfg, "approve_individual", mine["id"], token=clerk(), key="approve-1")
    assert rpc(cfg, "approve_individual", mine["id"], token=clerk(), key="approve-1") == first
    assert error_of(cfg, "approve_individual", mine["id"], token=clerk()) == (409, "individual.illegal_transition")
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_outbox WHERE exchange='unit_registry.events' "
                                    "AND event_type='individual.approved' "
                                    "AND body::jsonb->>'subject' = :i", i=mine["id"]) == 1
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_audit_log WHERE action='individual.approve'") == 1


def test_the_terms_accepted_are_kept_with_version_and_time(unit_registry, unit_registry_config, unit_registry_db,
                                                           clerk, graduate, registration, snapshot, demo):
    """个人注册 accepts the 个人注册用户须知 in force (as 单位注册 does): missing or outdated is 400 with nothing
    written, in the dry run, the registration and the resubmission; the version and the time are kept and
    the unit's reviewer sees them."""
    cfg = unit_registry_config
    current = rpc(cfg, "current_terms", "individual")["version"]
    token, account_id = graduate()
    unit_id = demo["units"][0]["id"]
    before = snapshot()
    for terms, code in ((None, "terms.not_accepted"), ("", "terms.not_accepted"), ("2020.1", "terms.outdated")):
        data = registration(terms_version=terms)
        assert error_of(cfg, "check_individual_registration", unit_id, data) == (400, code)
        assert error_of(cfg, "register_individual", data, token=token) == (400, code)
    data = registration()
    data.pop("terms_version")
    assert error_of(cfg, "register_individual", data, token=token) == (400, "terms.not_accepted")
    assert snapshot() == before
    assert rpc(cfg, "check_individual_registration", unit_id, registration())["terms_version"] == current

    mine = rpc(cfg, "register_individual", registration(), token=token)
    assert mine["terms_version"] == current and mine["terms_accepted_at"]
    [stored] = rows(unit_registry_db, "SELECT terms_version, terms_accepted_at FROM individuals WHERE id=:i",
                    i=mine["id"])
    assert stored["terms_version"] == current and stored["terms_accepted_at"].isoformat() == mine["terms_accepted_at"]
    seen = rpc(cfg, "get_individual", mine["id"], token=clerk())
    assert (seen["terms_version"], seen["terms_accepted_at"]) == (current, mine["terms_accepted_at"])

    # a returned registration accepts the notice in force again when it is resubmitted
    rpc(cfg, "return_individual", mine["id"], "证明材料不清晰", token=clerk())
    before = snapshot()
    assert error_of(cfg, "resubmit_individual", registration(terms_version="2020.1"), token=token) == (
        400, "terms.outdated")
    assert snapshot() == before
    again = rpc(cfg, "resubmit_individual", registration(), token=token)
    assert again["terms_version"] == current and again["terms_accepted_at"] > mine["terms_accepted_at"]
    assert rpc(cfg, "my_registration", token=token)["terms_accepted_at"] == again["terms_accepted_at"]


def test_an_approved_graduate_corrects_the_bank_account_and_it_is_published(
        unit_registry, unit_registry_config, unit_registry_db, vhost, clerk, graduate, registration, snapshot):
    cfg = unit_registry_config
    token, account_id = graduate()
    mine = rpc(cfg, "register_individual", registration(), token=token)
    new = {"holder": "王五", "bank": "中国建设银行江门分行", "number": "6217000000000000099"}
    assert error_of(cfg, "change_bank_account", new, token=token)[:2] == (409, "individual.not_approved")
    rpc(cfg, "approve_individual", mine["id"], None, token=clerk())
    before = snapshot()
    assert error_of(cfg, "change_bank_account", {**new, "holder": "李四"}, token=token)[:2] == (
        400, "bank_account.holder_mismatch")
    assert error_of(cfg, "change_bank_account", new, token=clerk())[0] == 403
    assert snapshot() == before
    tap = rabbit.Tap(vhost, ["unit_registry.events"], "individual.bank_account_changed")
    changed = rpc(cfg, "change_bank_account", new, token=token)
    assert changed["bank_account"] == new
    [event] = events(tap, mine["id"], 1)
    assert event["data"]["bank_account"] == new and event["data"]["account_id"] == account_id
    [audit] = rows(unit_registry_db, "SELECT before, after FROM platform_audit_log "
                                     "WHERE action='individual.bank_account_change' AND subject_id=:i", i=mine["id"])
    assert audit["after"]["number"] == "***************0099" and audit["before"]["bank"] == "中国银行江门分行"
