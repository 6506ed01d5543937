"""A small service built only from the shared package, to test it as a real service would use it.

Run in-process (nameko's container_factory) or as a real process (``nameko run sample_service``) for
the kill -9 tests. Its event types are registered in the catalogue at import, in both cases.
"""
from __future__ import annotations

import uuid

import eventlet
from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, func, insert, select

from shared import contracts, jobs
from shared.contracts.base import BOOL, INT, STR, UUID, EventContract, obj
from shared.errors import InvalidInput
from shared.service import HealthCheck, Platform, RevocationConsumer, command, query, rpc, subscribe

metadata = MetaData()
things = Table("things", metadata, Column("id", String(36), primary_key=True), Column("name", String(50)),
               Column("region", String(6)), Column("created_at", DateTime(timezone=True), server_default=func.now()))
effects = Table("effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("kind", String(30)), Column("ref", String(80)))
switches = Table("switches", metadata, Column("name", String(30), primary_key=True), Column("on", Boolean))

contracts.register(EventContract("sample.thing_created", "sample", obj({"thing_id": UUID, "name": STR}),
                                 line="subsidy"), consumers=["sample"])
contracts.register(EventContract("sample.poison", "sample", obj({"n": INT, "poison": BOOL}), integration=False),
                   consumers=["sample"])
contracts.register(EventContract("sample.orphaned", "sample", obj({"n": INT}), integration=False),
                   consumers=["sample_late"])
for _t in contracts.REVOCATION_EVENTS:
    contracts.SUBSCRIPTIONS.setdefault("sample", [])
    if _t not in contracts.SUBSCRIPTIONS["sample"]:
        contracts.SUBSCRIPTIONS["sample"].append(_t)


class SampleService(RevocationConsumer, HealthCheck):
    name = "sample"
    platform = Platform()

    @rpc
    @command(roles=["county_hrss"])
    def create_thing(self, tx, name):
        thing_id = str(uuid.uuid4())
        tx.session.execute(insert(things).values(id=thing_id, name=name, region=tx.principal.region))
        tx.emit("sample.thing_created", subject=thing_id, region=tx.principal.region,
                data={"thing_id": thing_id, "name": name})
        tx.audit("thing.create", "thing", thing_id, after={"name": name}, region=tx.principal.region)
        return {"id": thing_id, "name": name}

    @rpc
    @command(roles=["county_hrss"], idempotent=False, commit_on_error=True)
    def refuse_after_recording(self, tx, ref):
        """Records an effect, then refuses: the effect commits, the caller gets the error."""
        tx.session.execute(insert(effects).values(kind="refusal_recorded", ref=ref))
        raise InvalidInput("已记录，但拒绝办理", code="sample.refused")

    @rpc
    @command(roles=["county_hrss"], idempotent=False)
    def refuse_and_roll_back(self, tx, ref):
        tx.session.execute(insert(effects).values(kind="refusal_recorded", ref=ref))
        raise InvalidInput("拒绝办理", code="sample.refused")

    @rpc
    @command()
    def emit_orphan(self, tx, n):
        tx.emit("sample.orphaned", subject=str(n), region="440703", data={"n": n})
        return {"n": n}

    @rpc
    @query()
    def whoami(self, tx):
        return tx.principal.to_dict()

    @rpc
    @query(roles=["county_hrss"], personal="thing")
    def get_thing(self, tx, thing_id):
        row = tx.session.execute(select(things).where(things.c.id == thing_id)).mappings().one()
        return {"id": row["id"], "name": row["name"], "region": row["region"]}

    @rpc
    @query(roles=["county_hrss"], personal="thing")
    def list_things(self, tx, page=1):
        return {"items": [{"id": r.id, "name": r.name} for r in tx.session.execute(select(things))],
                "total": 0, "page": page, "page_size": 20}

    @rpc
    @command()
    def submit_slow_job(self, tx, count, delay=0.05):
        return jobs.submit(tx, "sample.slow", [{"n": i, "delay": delay} for i in range(count)])

    @rpc
    @query()
    def get_job(self, tx, job_id):
        return jobs.get(tx.session, job_id, account_id=tx.principal.account_id, with_items=True, page_size=200)

    @jobs.job("sample.slow")
    def slow_item(self, tx, payload):
        eventlet.sleep(payload["delay"])
        if payload["n"] == 3:
            from shared.errors import InvalidInput
            raise InvalidInput("第3条故意失败", code="sample.item_refused")
        tx.session.execute(insert(effects).values(kind="job", ref=str(payload["n"])))
        return {"n": payload["n"]}

    @subscribe("sample.thing_created")
    def on_thing_created(self, tx, event):
        tx.session.execute(insert(effects).values(kind="thing_created", ref=event.data["thing_id"]))

    @subscribe("sample.poison")
    def on_poison(self, tx, event):
        broken = tx.session.execute(select(switches.c.on).where(switches.c.name == "poison_broken")).scalar()
        if event.data["poison"] and broken:
            raise RuntimeError("the handler cannot process this event yet")
        tx.session.execute(insert(effects).values(kind="poison" if event.data["poison"] else "good",
                                                  ref=str(event.data["n"])))
