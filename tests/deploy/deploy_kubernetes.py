"""deploy/kubernetes: every document parses and has its required fields, workloads are hardened
and probed on /healthz, references (ConfigMaps, Secrets, volumes, ports, fixed ClusterIPs) are
consistent, and the embedded proxy and controller configurations pass the real binaries'
--check."""
import os
import secrets
import tempfile

from deploy_common import Checks, need_yaml, run

WORKLOADS = ("Deployment", "DaemonSet", "StatefulSet")
SECRET_DIR = "/etc/switchyard/secrets/"
STATE_DIR = "/var/lib/switchyard"


def load_documents(yaml, directory):
    documents = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".yaml") and name != "kustomization.yaml":
            with open(os.path.join(directory, name)) as f:
                documents[name] = [d for d in yaml.safe_load_all(f) if d is not None]
    return documents


def check_document(checks, where, doc):
    for key in ("apiVersion", "kind", "metadata"):
        checks.expect(key in doc, f"{where}: missing {key}")
    meta = doc.get("metadata", {})
    checks.expect(bool(meta.get("name")), f"{where}: metadata.name")
    checks.expect("namespace" not in meta, f"{where}: must not name a namespace")


def port_numbers(container):
    return {p.get("name"): p["containerPort"] for p in container.get("ports", [])}


def check_pod(checks, where, pod, probe_port=None):
    security = pod.get("securityContext", {})
    checks.expect(security.get("runAsNonRoot") is True, f"{where}: runAsNonRoot")
    for container in pod.get("containers", []):
        at = f"{where} container {container.get('name')}"
        context = container.get("securityContext", {})
        checks.expect(context.get("readOnlyRootFilesystem") is True, f"{at}: readOnlyRootFilesystem")
        checks.expect(context.get("allowPrivilegeEscalation") is False, f"{at}: allowPrivilegeEscalation false")
        checks.expect("ALL" in context.get("capabilities", {}).get("drop", []), f"{at}: drop ALL capabilities")
        checks.expect(bool(container.get("resources", {}).get("requests")), f"{at}: resource requests")
        ports = port_numbers(container)
        for probe in ("livenessProbe", "readinessProbe"):
            http = container.get(probe, {}).get("httpGet", {})
            checks.expect(http.get("path") == "/healthz", f"{at}: {probe} on /healthz")
            port = ports.get(http.get("port"), http.get("port"))
            checks.expect(port in ports.values(), f"{at}: {probe} port {http.get('port')} is not a container port")
            if probe_port is not None:
                checks.expect(port == probe_port, f"{at}: {probe} port {port}, the daemon listens on {probe_port}")
        volumes = {v["name"] for v in pod.get("volumes", [])}
        for mount in container.get("volumeMounts", []):
            checks.expect(mount["name"] in volumes or mount["name"] == "state", f"{at}: unknown volume {mount['name']}")


def config_of(checks, configmaps, name, key):
    data = configmaps.get(name, {}).get("data", {})
    checks.expect(key in data, f"ConfigMap {name}: no {key}")
    return data.get(key, "")


def mounted_config_path(pod, configmap):
    """The --config argument must be the ConfigMap's mount path + its key."""
    mounts = {m["name"]: m["mountPath"] for c in pod["containers"] for m in c.get("volumeMounts", [])}
    for volume in pod.get("volumes", []):
        if volume.get("configMap", {}).get("name") == configmap:
            return mounts.get(volume["name"])
    return None


def container_config_arg(pod):
    args = pod["containers"][0].get("args", [])
    return args[args.index("--config") + 1] if "--config" in args else None


def run_check(checks, binary, text, tmp, name, env=None):
    """Writes the configuration with its secret and state paths moved into tmp, then --check."""
    text = text.replace(SECRET_DIR, os.path.join(tmp, "secrets") + "/").replace(STATE_DIR, os.path.join(tmp, "state"))
    path = os.path.join(tmp, name)
    with open(path, "w") as out:
        out.write(text)
    code, output = run([binary, "--check", "--config", path], env=env)
    checks.expect(code == 0, f"{name} from the ConfigMap refused by --check: {output}")


def secret_files(text, secrets_by_name, mounted_secret):
    """Token paths in the configuration that are not keys of the mounted Secret."""
    keys = set(secrets_by_name.get(mounted_secret, {}).get("stringData", {}))
    paths = [w for w in text.replace(",", " ").replace("}", " ").split() if w.startswith(SECRET_DIR)]
    return [p for p in paths if p[len(SECRET_DIR):] not in keys]


def check(args):
    yaml = need_yaml()
    checks = Checks("kubernetes")
    directory = os.path.join(args.root, "deploy", "kubernetes")
    documents = load_documents(yaml, directory)
    by_kind = {}
    for file, docs in documents.items():
        for i, doc in enumerate(docs):
            check_document(checks, f"{file}[{i}]", doc)
            by_kind.setdefault(doc.get("kind"), []).append((file, doc))
    with open(os.path.join(directory, "kustomization.yaml")) as f:
        listed = set(yaml.safe_load(f)["resources"])
    checks.expect(listed <= set(documents), f"kustomization lists missing files: {listed - set(documents)}")
    checks.expect(set(documents) - listed == {"proxy-daemonset.yaml"}, "kustomization: every file but the DaemonSet variant")

    configmaps = {d["metadata"]["name"]: d for _, d in by_kind.get("ConfigMap", [])}
    secrets_by_name = {d["metadata"]["name"]: d for _, d in by_kind.get("Secret", [])}
    workloads = {(d["kind"], d["metadata"]["name"]): d for kind in WORKLOADS for _, d in by_kind.get(kind, [])}
    proxy_yaml = yaml.safe_load(config_of(checks, configmaps, "switchyard-proxy", "proxy.yaml"))
    controller_yaml = yaml.safe_load(config_of(checks, configmaps, "switchyard-controller", "controller.yaml"))
    admin_port = int(proxy_yaml["admin"]["address"].rsplit(":", 1)[1])
    api_port = int(controller_yaml["controller"]["listen"].rsplit(":", 1)[1])

    for kind in ("Deployment", "DaemonSet"):
        proxy = workloads.get((kind, "switchyard-proxy"))
        if not checks.expect(proxy is not None, f"no proxy {kind}"):
            continue
        pod = proxy["spec"]["template"]["spec"]
        check_pod(checks, f"proxy {kind}", pod, admin_port)
        checks.expect(container_config_arg(pod) == f"{mounted_config_path(pod, 'switchyard-proxy')}/proxy.yaml",
                      f"proxy {kind}: --config is not the mounted ConfigMap")
    controller = workloads.get(("StatefulSet", "switchyard-controller"))
    if checks.expect(controller is not None, "no controller StatefulSet"):
        pod = controller["spec"]["template"]["spec"]
        check_pod(checks, "controller", pod, api_port)
        checks.expect(controller["spec"].get("replicas") == 1, "controller: one replica (one SQLite writer)")
        claims = [c["metadata"]["name"] for c in controller["spec"].get("volumeClaimTemplates", [])]
        mounts = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
        state_dir = os.path.dirname(controller_yaml["controller"]["state"])
        checks.expect("state" in claims and mounts.get("state") == state_dir,
                      f"controller: PersistentVolumeClaim mounted at the state directory {state_dir}")
        checks.expect(container_config_arg(pod) == f"{mounted_config_path(pod, 'switchyard-controller')}/controller.yaml",
                      "controller: --config is not the mounted ConfigMap")
        for env in pod["containers"][0].get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                checks.expect(ref["key"] in secrets_by_name.get(ref["name"], {}).get("stringData", {}),
                              f"controller env {env['name']}: no key {ref['key']} in Secret {ref['name']}")
    for other in [w for w in workloads.values() if w["metadata"]["name"] not in ("switchyard-proxy", "switchyard-controller")]:
        check_pod(checks, f"{other['kind']} {other['metadata']['name']}", other["spec"]["template"]["spec"])

    checks.expect(not secret_files(config_of(checks, configmaps, "switchyard-proxy", "proxy.yaml"),
                                   secrets_by_name, "switchyard-proxy-admin"), "proxy config names a token file no Secret holds")
    checks.expect(not secret_files(config_of(checks, configmaps, "switchyard-controller", "controller.yaml"),
                                   secrets_by_name, "switchyard-controller"), "controller config names a token file no Secret holds")

    # Fixed ClusterIPs: the controller's proxy admin address and the proxy's upstream endpoints.
    services = {f"{d['spec'].get('clusterIP')}:{p['port']}": d["metadata"]["name"]
                for _, d in by_kind.get("Service", []) for p in d["spec"]["ports"] if d["spec"].get("clusterIP")}
    for env in controller_yaml["environments"]:
        for target in env["proxies"]:
            checks.expect(target["admin"] in services, f"controller: proxy admin {target['admin']} is no pinned Service")
    for upstream in proxy_yaml.get("upstreams", []):
        for endpoint in upstream.get("endpoints", []):
            checks.expect(endpoint in services, f"proxy: endpoint {endpoint} of {upstream['name']} is no pinned Service")

    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "secrets"))
        os.makedirs(os.path.join(tmp, "state"))
        for secret in secrets_by_name.values():
            for key, value in secret.get("stringData", {}).items():
                with open(os.path.join(tmp, "secrets", key), "w") as out:
                    out.write(value)
        run_check(checks, args.proxy, configmaps["switchyard-proxy"]["data"]["proxy.yaml"], tmp, "proxy.yaml")
        controller_text = configmaps["switchyard-controller"]["data"]["controller.yaml"]
        run_check(checks, args.controller, controller_text, tmp, "controller.yaml")
        # As in the pod: the secret store's key from the environment (a real one, not the placeholder).
        run_check(checks, args.controller, controller_text, tmp, "controller.yaml",
                  env={"SWITCHYARD_SECRETS_KEY": secrets.token_hex(32)})
    return checks.finish()
