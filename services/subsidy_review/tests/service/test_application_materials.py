"""申请材料: uploaded records linked on submit, shown with the application and downloadable by whoever
reviews it at stages 1-8 in its jurisdiction; 404 to anyone else."""
import hashlib
import uuid

from shared.attachments import new_attachment_id
from shared.testing import rabbit
from shared.testing.helpers import scalar

from .test_subsidy_review import error, people, submit, svc  # noqa: F401  (people is a fixture)


def meta(kind="application_material"):
    return {"id": new_attachment_id("subsidy_review"), "sha256": hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
            "content_type": "application/pdf", "size": 2048, "filename": "劳动合同.pdf", "kind": kind}


def test_materials_travel_with_the_application_to_its_reviewers_only(subsidy_review_config, people, vhost,  # noqa: F811
                                                                    issue):
    cfg = subsidy_review_config
    material = svc(cfg, "record_attachment", meta(), token=people["graduate"])
    assert material["kind_label"] == "申请材料" and material["id"].startswith("sr-")
    # only the uploader sees it before it is linked
    assert svc(cfg, "attachment_for_download", material["id"], token=people["graduate"])["id"] == material["id"]
    assert error(cfg, "attachment_for_download", material["id"], token=people["county"]) == (
        404, "attachment.not_found")
    tap = rabbit.Tap(vhost, ["subsidy_review.events"], "application.county_approved")
    app = svc(cfg, "submit_application", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01",
                                          "attachment_ids": [material["id"]]}, token=people["graduate"])
    detail = svc(cfg, "get_application", app["id"], token=people["county_org"])
    assert [a["filename"] for a in detail["attachments"]] == ["劳动合同.pdf"]
    for reader in ("graduate", "unit", "county", "county_org"):
        assert svc(cfg, "attachment_for_download", material["id"], token=people[reader])["sha256"] == material["sha256"]
    city = issue(role="city_hrss", region="440700")[0]
    for outsider in (people["other_county"], city, issue(role="unit_admin", region=None, unit_id=str(uuid.uuid4()))[0],
                     issue(role="individual", region=None)[0], issue(role="county_finance", region="440703")[0]):
        assert error(cfg, "attachment_for_download", material["id"], token=outsider) == (404, "attachment.not_found")
    assert svc(cfg, "get_application", app["id"], token=city)["attachments"] == []
    # the hand-off to publicity and the county org carries the ids (their officers read through here)
    svc(cfg, "approve", app["id"], None, token=people["unit"])
    svc(cfg, "report", [app["id"]], token=people["unit"])
    svc(cfg, "approve", app["id"], None, token=people["county"])
    [approved] = [m["body"] for m in tap.drain(wait=5, until=1)]
    assert approved["data"]["snapshot"]["attachment_ids"] == [material["id"]]


def test_a_material_of_someone_else_or_twice_linked_is_refused(subsidy_review_config, people, issue):  # noqa: F811
    cfg = subsidy_review_config
    url = people["url"]
    stranger = issue(role="individual", region=None)[0]
    foreign = svc(cfg, "record_attachment", meta(), token=stranger)
    before = scalar(url, "SELECT count(*) FROM applications")
    assert error(cfg, "submit_application", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01",
                                             "attachment_ids": [foreign["id"]]}, token=people["graduate"]) == (
        400, "attachment.unknown")
    assert error(cfg, "submit_application", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01",
                                             "attachment_ids": "x"}, token=people["graduate"]) == (
        400, "attachment.ids_invalid")
    assert scalar(url, "SELECT count(*) FROM applications") == before
    assert error(cfg, "record_attachment", meta(kind="proof"), token=people["graduate"]) == (
        400, "attachment.kind_unknown")
    assert error(cfg, "record_attachment", meta(), token=people["unit"]) == (403, "auth.forbidden")
