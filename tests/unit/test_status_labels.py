"""Status labels are written once, in the contracts (shared/shared/contracts) or the services: the portal
keeps no label map of its own, and the services that still hold their own map say the same words as the
contracts (until their domain modules import them)."""
import ast
import re
from pathlib import Path

from shared.contracts import finance_disbursement as finance_contract
from shared.contracts import org_confirmation as org_contract
from shared.contracts import publicity_assessment as publicity_contract
from shared.contracts import unit_registry as registry_contract

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "gateway" / "gateway" / "portal"
CJK = re.compile(r"[\u4e00-\u9fff]")


def label_maps(path: Path) -> list[str]:
    """Module-level names bound to a dict literal of Chinese strings (a label map written here)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
            values = node.value.values
            if values and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values) \
                    and any(CJK.search(v.value) for v in values):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [f"{path.name}:{node.lineno} {ast.unparse(t)}" for t in targets]
    return found


def test_the_portal_screens_have_no_label_map_of_their_own():
    modules = sorted((PORTAL / "screens").glob("*.py"))
    assert len(modules) > 5  # the screens package's modules, not a vacuous pass
    assert [found for module in modules for found in label_maps(module)] == []


def test_the_check_finds_a_label_map(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('CASE_LABELS = {"in_publicity": "公示中"}\nTITLES = {"a": "b"}\n', encoding="utf-8")
    assert label_maps(sample) == ["sample.py:1 CASE_LABELS"]


def test_the_portal_filters_say_what_the_services_say():
    from gateway.portal.screens import county
    assert county.CASE_LABELS["objection_upheld"] == "异议成立，已退回县人社局审核"
    assert county.ORG_CASE_LABELS["county_org_confirmed"] == "县组织部已确认，待市人社局汇总"


def test_publicity_assessment_labels_are_the_contracts():
    from publicity_assessment.domain import cases
    from publicity_assessment.use_cases import objections, publicity, views
    assert cases.LABELS is publicity_contract.CASE_LABELS
    assert publicity.BATCH_LABELS is views.BATCH_LABELS is publicity_contract.BATCH_LABELS
    assert objections.OBJECTION_LABELS is views.OBJECTION_LABELS is publicity_contract.OBJECTION_LABELS


def test_the_services_own_maps_say_the_contracts_words():
    from finance_disbursement.domain import workflows
    from org_confirmation.domain import batches, cases
    from unit_registry.domain import statuses
    assert workflows.BATCH_LABELS == finance_contract.BATCH_LABELS
    assert workflows.TRANSFER_LABELS == finance_contract.TRANSFER_LABELS
    assert {s: workflows.payment_label(s) for s in finance_contract.PAYMENT_LABELS} == finance_contract.PAYMENT_LABELS
    assert batches.STATUS_LABELS == org_contract.BATCH_LABELS
    assert {s: cases.case_status_label(s) for s in org_contract.CASE_LABELS} == org_contract.CASE_LABELS
    assert statuses.STATUS_LABELS == registry_contract.REVIEW_LABELS
