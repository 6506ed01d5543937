"""The gateway's schemas read a service's answer by key only (gateway.api.schemas.Schema)."""
import importlib
import pkgutil

import marshmallow as ma

import gateway.api
from gateway.api.schemas import Job, Schema


def test_a_job_without_its_item_page_dumps():
    job = {"id": "j1", "kind": "bulk_approve", "status": "running", "total": 3, "done": 1}
    assert Job().dump(job) == job          # not dict.items, the method, for the missing "items"


def test_every_gateway_schema_derives_from_the_platform_schema():
    loose = []
    for module in pkgutil.iter_modules(gateway.api.__path__):
        mod = importlib.import_module(f"gateway.api.{module.name}")
        loose += [f"{mod.__name__}.{name}" for name, obj in vars(mod).items()
                  if isinstance(obj, type) and issubclass(obj, ma.Schema) and obj.__module__ == mod.__name__
                  and not issubclass(obj, Schema)]
    assert not loose, f"derive these from gateway.api.schemas.Schema: {loose}"
