"""deploy/k8s (kustomize): the committed manifests are what ``deploy.k8s_render`` writes, each agency's
overlay builds (a small kustomize in Python: resources, namespace, labels, replicas) into objects that
the Kubernetes 1.37 JSON schema accepts (strict: no unknown fields), running the Procfile's commands of
exactly that agency's processes with probes, migrations as Jobs and every secret by reference only."""
from __future__ import annotations

import copy
import shlex
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from deploy import k8s_render
from deploy.agency import Agency
from deploy.stack import procfile

K8S = k8s_render.K8S
AGENCY_FILES = sorted(k8s_render.AGENCIES.glob("*/agency.env"))
KUBERNETES = "1.37.0"


def build(directory: Path) -> list[dict]:
    """What ``kubectl kustomize directory`` gives for the fields deploy/k8s uses; anything else fails."""
    spec = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(spec) - {"apiVersion", "kind", "resources", "namespace", "labels", "replicas"}
    assert not unknown, f"{directory}: this test's kustomize does not know {unknown}"
    objects: list[dict] = []
    for resource in spec["resources"]:
        path = (directory / resource).resolve()
        if path.is_dir():
            objects += build(path)
        else:
            objects += [o for o in yaml.safe_load_all(path.read_text()) if o]
    objects = copy.deepcopy(objects)
    for obj in objects:
        if "namespace" in spec:
            obj["metadata"]["namespace"] = spec["namespace"]
        for label in spec.get("labels", []):
            assert label.get("includeSelectors") is False
            obj["metadata"].setdefault("labels", {}).update(label["pairs"])
    for replicas in spec.get("replicas", []):
        [target] = [o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == replicas["name"]]
        target["spec"]["replicas"] = replicas["count"]
    return objects


def overlay(agency: str) -> list[dict]:
    return build(K8S / "overlays" / agency)


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def the_container(obj: dict) -> dict:
    [box] = obj["spec"]["template"]["spec"]["containers"]
    return box


def env_of(box: dict) -> dict[str, dict]:
    return {e["name"]: e for e in box.get("env", [])}


def test_the_committed_manifests_are_the_rendered_ones():
    assert k8s_render.differences() == [], "run: python -m deploy.k8s_render"


def test_a_changed_or_stray_file_is_found(tmp_path):
    k8s_render.write(tmp_path)
    assert k8s_render.differences(tmp_path) == []
    (tmp_path / "base" / "platform-config.yaml").write_text("# edited by hand\n")
    (tmp_path / "base" / "extra.yaml").write_text("kind: ConfigMap\n")
    assert k8s_render.differences(tmp_path) == ["base/extra.yaml", "base/platform-config.yaml"]


@pytest.mark.parametrize("path", AGENCY_FILES, ids=lambda p: p.parent.name)
def test_each_overlay_validates_against_the_kubernetes_schema(path):
    objects = overlay(path.parent.name)
    assert objects
    for obj in objects:
        kubernetes_validate.validate(obj, KUBERNETES, strict=True)
        assert obj["metadata"]["namespace"] == f"subsidy-{path.parent.name}"


def test_the_schema_check_refuses_a_broken_object():
    deployment = copy.deepcopy(of_kind(overlay("org"), "Deployment")["org-confirmation"])
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)
    deployment["spec"]["replicas"] = 2
    the_container(deployment)["readinesProbe"] = {}                 # misspelt: strict refuses it
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)


@pytest.mark.parametrize("path", AGENCY_FILES, ids=lambda p: p.parent.name)
def test_an_overlay_runs_the_procfile_commands_of_its_agency_with_probes_and_migrations(path):
    agency = Agency.load(path)
    objects = overlay(agency.name)
    deployments, jobs = of_kind(objects, "Deployment"), of_kind(objects, "Job")
    commands = dict(procfile())
    assert sorted(deployments) == sorted(s.replace("_", "-") for s in agency.services)
    for service in agency.services:
        deployment = deployments[service.replace("_", "-")]
        box = the_container(deployment)
        assert deployment["spec"]["replicas"] >= 2
        argv = [a.replace("$(GATEWAY_BIND)", "$GATEWAY_BIND") for a in box["command"]]
        assert argv == shlex.split(commands[service])                 # the Procfile's, word for word
        env = env_of(box)
        assert env["AMQP_URI"]["valueFrom"]["secretKeyRef"]["key"] == f"{service.upper()}_AMQP_URI"
        assert {"livenessProbe", "readinessProbe"} <= set(box)
        if service == "gateway":
            assert {"--keep-alive", "30"} <= set(argv) and "gateway.server.JsonLogger" in argv
            assert box["readinessProbe"]["httpGet"]["path"] == "/healthz"
            assert of_kind(objects, "Service")["gateway"]["spec"]["selector"] == deployment["spec"]["selector"][
                "matchLabels"]
        else:
            port = int(env["METRICS_PORT"]["value"])
            assert [p["containerPort"] for p in box["ports"]] == [port]
            assert box["livenessProbe"]["httpGet"]["port"] == "metrics"
            assert box["readinessProbe"]["exec"]["command"][:4] == ["python", "-m", "deploy.health", service]
            assert "HEALTH_AMQP_URI" in env
            migrate = the_container(jobs[f"migrate-{service.replace('_', '-')}"])
            assert migrate["command"] == ["platform-db", "ensure", f"services/{service}"]
    assert ("platform-topology" in jobs) == (agency.name == "platform")
    assert set(jobs) - {"platform-topology"} == {f"migrate-{s.replace('_', '-')}" for s in agency.services
                                                 if s != "gateway"}


@pytest.mark.parametrize("path", AGENCY_FILES, ids=lambda p: p.parent.name)
def test_secrets_are_references_the_agency_env_file_provides(path):
    agency = Agency.load(path)
    objects = overlay(agency.name)
    assert not of_kind(objects, "Secret")
    config = of_kind(objects, "ConfigMap")["platform-config"]["data"]
    assert config["PLATFORM_QUEUE_TYPE"] == "quorum"
    for obj in (o for o in objects if o["kind"] in ("Deployment", "Job")):
        box = the_container(obj)
        for entry in box.get("env", []):
            assert "://" not in entry.get("value", ""), entry                # no URI with a password inline
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == k8s_render.SECRET and ref["key"] in agency.env, (obj["metadata"]["name"], ref)
        assert {"secretRef": {"name": k8s_render.SECRET}} in box["envFrom"]
    external = of_kind(objects, "Service")
    assert external["rabbitmq"]["spec"]["type"] == external["postgres"]["spec"]["type"] == "ExternalName"


def test_every_process_is_deployed_by_exactly_one_agency():
    deployed = [name for path in AGENCY_FILES for name in of_kind(overlay(path.parent.name), "Deployment")]
    assert sorted(deployed) == sorted(name.replace("_", "-") for name, _ in procfile())


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl not installed: the Python build above stands in")
@pytest.mark.parametrize("path", AGENCY_FILES, ids=lambda p: p.parent.name)
def test_the_python_build_is_what_kubectl_kustomize_builds(path):
    out = subprocess.run(["kubectl", "kustomize", str(K8S / "overlays" / path.parent.name)], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    key = lambda o: (o["kind"], o["metadata"]["name"])  # noqa: E731
    real = {key(o): o for o in yaml.safe_load_all(out) if o}
    assert real == {key(o): o for o in overlay(path.parent.name)}
