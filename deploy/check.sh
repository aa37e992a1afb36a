#!/usr/bin/env bash
# Static checks of deploy/ that CI can run without Docker or a cluster:
#   1. every YAML and JSON file under deploy/ parses;
#   2. every environment variable that compose.yaml or the Kubernetes manifests give a dicomflow service is one
#      that service reads: a ${VAR} placeholder of its own config file (or the shared defaults), or one of the
#      few Spring relaxed-binding names listed below, each checked against the source that reads it;
#   3. every ConfigMap/Secret a Deployment needs exists (Secrets: in secrets.example.yaml);
#   4. the PrometheusRule is in sync with deploy/prometheus/alerts.yaml, and every alert has a severity, a
#      summary, a description and a runbook_url whose anchor exists in docs/operations.md;
#   5. the Grafana dashboard uses its datasource variable everywhere;
#   6. `kubectl kustomize` builds the default kustomization and the prometheus-adapter variant (if kubectl is
#      installed; skipped otherwise);
#   7. `promtool` accepts the alert rules, the compose Prometheus configuration and every dashboard query (if
#      promtool is installed, e.g. Debian package prometheus; skipped otherwise).
# Usage: deploy/check.sh            check, exit 1 on any problem
#        deploy/check.sh --write    regenerate deploy/k8s/components/monitoring/prometheusrule.yaml first
# Needs python3 with PyYAML (Debian: apt-get install -y python3-yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import yaml' 2>/dev/null || { echo "deploy/check.sh: needs PyYAML (apt-get install -y python3-yaml)" >&2; exit 2; }
python3 - "$@" <<'EOF'
import glob, json, os, re, subprocess, shutil, sys, zipfile

import yaml

WRITE = "--write" in sys.argv[1:]
problems = []
def problem(msg):
    problems.append(msg)

# ---------------------------------------------------------------- 1. parse everything
docs = {}
for path in sorted(glob.glob("deploy/**/*", recursive=True)):
    if path.endswith((".yaml", ".yml")):
        try:
            with open(path) as f:
                docs[path] = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as e:
            problem(f"{path}: does not parse: {e}")
    elif path.endswith(".json"):
        try:
            with open(path) as f:
                docs[path] = [json.load(f)]
        except ValueError as e:
            problem(f"{path}: does not parse: {e}")

# ---------------------------------------------------------------- 4a. PrometheusRule generated from alerts.yaml
ALERTS = "deploy/prometheus/alerts.yaml"
RULE = "deploy/k8s/components/monitoring/prometheusrule.yaml"

class Literal(str):
    pass
def literal_representer(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)
class Dumper(yaml.SafeDumper):
    pass
Dumper.add_representer(Literal, literal_representer)
def literalize(node):
    if isinstance(node, dict):
        return {k: literalize(v) for k, v in node.items()}
    if isinstance(node, list):
        return [literalize(v) for v in node]
    if isinstance(node, str) and "\n" in node:
        return Literal(node)
    return node

if ALERTS in docs:
    groups = docs[ALERTS][0]["groups"]
    if WRITE:
        rule = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
                "metadata": {"name": "dicomflow", "labels": {"app.kubernetes.io/part-of": "dicomflow"}},
                "spec": {"groups": literalize(groups)}}
        with open(RULE, "w") as f:
            f.write("# GENERATED from deploy/prometheus/alerts.yaml by `deploy/check.sh --write`: edit that file,\n"
                    "# then regenerate this one (deploy/check.sh fails while the two differ).\n")
            yaml.dump(rule, f, Dumper=Dumper, sort_keys=False, width=120, default_flow_style=False)
        with open(RULE) as f:
            docs[RULE] = list(yaml.safe_load_all(f))
    if RULE not in docs or docs[RULE][0].get("spec", {}).get("groups") != groups:
        problem(f"{RULE} differs from {ALERTS}: run deploy/check.sh --write")

# ---------------------------------------------------------------- 4b. alert annotations and runbook anchors
def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")
anchors = set()
if os.path.exists("docs/operations.md"):
    for line in open("docs/operations.md"):
        m = re.match(r"#+\s+(.*)", line)
        if m:
            anchors.add(slug(m.group(1)))
        for a in re.findall(r'<a (?:name|id)="([^"]+)"', line):
            anchors.add(a)
else:
    problem("docs/operations.md is missing")
if ALERTS in docs:
    for g in docs[ALERTS][0]["groups"]:
        for r in g["rules"]:
            name = r.get("alert") or r.get("record")
            if "alert" not in r:
                continue
            if r.get("labels", {}).get("severity") not in ("critical", "warning", "info"):
                problem(f"{ALERTS}: {name}: labels.severity must be critical, warning or info")
            ann = r.get("annotations", {})
            for key in ("summary", "description", "runbook_url"):
                if not ann.get(key):
                    problem(f"{ALERTS}: {name}: annotation {key} missing")
            url = ann.get("runbook_url", "")
            if "#" in url and url.split("#", 1)[1] not in anchors:
                problem(f"{ALERTS}: {name}: runbook anchor #{url.split('#', 1)[1]} not found in docs/operations.md")

# ---------------------------------------------------------------- 2. environment variables vs what the services read
SERVICES = ("upload-service", "analysis-worker", "notification-service")
SHARED = "common/src/main/resources/dicomflow-defaults.yml"
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")
def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""
reads = {}
for s in SERVICES:
    text = read(f"{s}/src/main/resources/{s}.yml") + read(SHARED)
    if not text:
        problem(f"{s}/src/main/resources/{s}.yml not found")
    reads[s] = set(PLACEHOLDER.findall(text))

def source_has(path_glob, pattern):
    for p in glob.glob(path_glob, recursive=True):
        if re.search(pattern, read(p)):
            return True
    return False

# Spring Boot properties set through relaxed binding. Each: env name pattern -> (services, dotted property).
BOOT = {
    "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE": (SERVICES, "spring.lifecycle.timeout-per-shutdown-phase"),
    "LOGGING_STRUCTURED_FORMAT_CONSOLE": (SERVICES, "logging.structured.format.console"),
    "LOGGING_STRUCTURED_ECS_SERVICE_ENVIRONMENT": (SERVICES, "logging.structured.ecs.service.environment"),
    "SPRING_PROFILES_ACTIVE": (SERVICES, "spring.profiles.active"),
    r"SPRING_MAIL_PROPERTIES_[A-Z0-9_]+": (("notification-service",), "spring.mail.properties"),
    # AMQP over TLS (docs/security.md "In transit, AMQP"; AmqpTlsIT)
    "SPRING_RABBITMQ_SSL_ENABLED": (SERVICES, "spring.rabbitmq.ssl.enabled"),
    "SPRING_RABBITMQ_SSL_BUNDLE": (SERVICES, "spring.rabbitmq.ssl.bundle"),
    "SPRING_RABBITMQ_SSL_VERIFYHOSTNAME": (SERVICES, "spring.rabbitmq.ssl.verify-hostname"),
    r"SPRING_SSL_BUNDLE_PEM_[A-Z0-9]+_TRUSTSTORE_CERTIFICATE": (SERVICES, "spring.ssl.bundle.pem"),
}
# dicomflow @ConfigurationProperties without a placeholder. env pattern -> (services, source glob, evidence regex)
DICOMFLOW_BOUND = {
    "DICOMFLOW_SECURITY_JWT_USERNAMECLAIM": (SERVICES, "common/src/main/java/**/JwtProperties.java",
                                             r'ConfigurationProperties\("dicomflow\.security\.jwt"\)[\s\S]*usernameClaim'),
    "DICOMFLOW_SECURITY_JWT_ROLESCLAIM": (SERVICES, "common/src/main/java/**/JwtProperties.java",
                                          r'ConfigurationProperties\("dicomflow\.security\.jwt"\)[\s\S]*rolesClaim'),
    r"DICOMFLOW_IDENTITY_USERS_[A-Z0-9]+_EMAIL": (("notification-service",),
                                                  "common/src/main/java/**/IdentityProperties.java",
                                                  r'ConfigurationProperties\("dicomflow\.identity"\)[\s\S]*String email'),
}
boot_metadata = None
def boot_properties():
    """Property names from the spring-boot jars in the local Maven repository, if there (else None)."""
    global boot_metadata
    if boot_metadata is None:
        boot_metadata = set()
        version = re.search(r"<artifactId>spring-boot-starter-parent</artifactId>\s*<version>([^<]+)", read("pom.xml"))
        repo = os.path.expanduser("~/.m2/repository/org/springframework/boot")
        if version:
            for jar in glob.glob(f"{repo}/spring-boot*/{version.group(1)}/*-{version.group(1)}.jar"):
                try:
                    with zipfile.ZipFile(jar) as z:
                        for n in ("META-INF/spring-configuration-metadata.json",
                                  "META-INF/additional-spring-configuration-metadata.json"):
                            if n in z.namelist():
                                for p in json.loads(z.read(n)).get("properties", []):
                                    boot_metadata.add(p["name"])
                except (OSError, zipfile.BadZipFile, ValueError):
                    pass
    return boot_metadata or None

def allowed(service, var):
    if var in reads[service]:
        return True
    if var == "JAVA_TOOL_OPTIONS":
        return True
    for pattern, (services, prop) in BOOT.items():
        if re.fullmatch(pattern, var) and service in services:
            known = boot_properties()
            if known is not None and prop not in known and not any(k.startswith(prop) for k in known):
                problem(f"{var}: Spring Boot property {prop} not found in the Boot metadata")
            return True
    for pattern, (services, src, evidence) in DICOMFLOW_BOUND.items():
        if re.fullmatch(pattern, var) and service in services:
            if not source_has(src, evidence):
                problem(f"{var}: no {src} binding it (expected /{evidence}/)")
            return True
    return False

def check_env(where, service, names):
    for var in sorted(names):
        if not allowed(service, var):
            problem(f"{where}: {service} is given {var}, which it does not read "
                    f"(not a placeholder in {service}/src/main/resources/{service}.yml or {SHARED})")

# compose
compose = docs.get("deploy/compose.yaml", [{}])[0]
for name, svc in (compose.get("services") or {}).items():
    if name not in SERVICES:
        continue
    env = svc.get("environment") or {}
    names = set(env) if isinstance(env, dict) else {e.split("=", 1)[0] for e in env}
    check_env("deploy/compose.yaml", name, names)
    if svc.get("env_file"):
        problem(f"deploy/compose.yaml: {name}: env_file is not checked; list the variables in environment")

# kubernetes: ConfigMaps and Secrets (templates) by name, then each Deployment's containers
k8s_docs = [(p, d) for p, ds in docs.items() if p.startswith("deploy/k8s/") for d in ds if isinstance(d, dict)]
configmaps = {d["metadata"]["name"]: set((d.get("data") or {})) for p, d in k8s_docs if d.get("kind") == "ConfigMap"}
secrets = {d["metadata"]["name"]: set((d.get("stringData") or {})) | set((d.get("data") or {}))
           for p, d in k8s_docs if d.get("kind") == "Secret"}
deployments = 0
for path, d in k8s_docs:
    if d.get("kind") != "Deployment":
        continue
    deployments += 1
    for c in d["spec"]["template"]["spec"]["containers"]:
        service = d["metadata"]["name"]
        if service not in SERVICES:
            problem(f"{path}: unknown Deployment {service}")
            continue
        names = {e["name"] for e in c.get("env", [])}
        for src in c.get("envFrom", []):
            if "configMapRef" in src:
                ref = src["configMapRef"]
                if ref["name"] in configmaps:
                    names |= configmaps[ref["name"]]
                elif not ref.get("optional"):
                    problem(f"{path}: {service} needs ConfigMap {ref['name']}, which no manifest defines")
            if "secretRef" in src:
                ref = src["secretRef"]
                if ref["name"] in secrets:
                    names |= secrets[ref["name"]]
                elif not ref.get("optional"):
                    problem(f"{path}: {service} needs Secret {ref['name']}, which secrets.example.yaml lacks")
        check_env(path, service, names)
        probes = {k: c.get(k, {}).get("httpGet", {}).get("path") for k in ("livenessProbe", "readinessProbe")}
        if probes != {"livenessProbe": "/actuator/health/liveness", "readinessProbe": "/actuator/health/readiness"}:
            problem(f"{path}: {service}: liveness/readiness probes must use /actuator/health/liveness|readiness")
        if not c.get("resources", {}).get("limits") or not c.get("resources", {}).get("requests"):
            problem(f"{path}: {service}: resource requests and limits required")
if deployments != 3:
    problem(f"expected 3 Deployments under deploy/k8s, found {deployments}")
for path, d in k8s_docs:
    if d.get("kind") == "Secret" and not path.endswith("secrets.example.yaml"):
        problem(f"{path}: a Secret outside secrets.example.yaml (no secret is committed)")
    if d.get("kind") == "Secret":
        for k, v in (d.get("stringData") or {}).items():
            if not re.search(r"<[^>]+>", str(v)):
                problem(f"{path}: Secret {d['metadata']['name']}.{k} holds a value, not a <placeholder>")

# ---------------------------------------------------------------- 5. dashboard
def panels(ps):
    for p in ps:
        yield p
        yield from panels(p.get("panels", []))
for path in glob.glob("deploy/grafana/*.json"):
    dash = docs.get(path, [None])[0]
    if not dash:
        continue
    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    if variables.get("datasource", {}).get("type") != "datasource":
        problem(f"{path}: needs a datasource variable named 'datasource'")
    for p in panels(dash.get("panels", [])):
        if p.get("type") == "row":
            continue
        ds = (p.get("datasource") or {}).get("uid")
        if ds != "${datasource}":
            problem(f"{path}: panel '{p.get('title')}' does not use the ${{datasource}} variable")
        for t in p.get("targets", []):
            if not t.get("expr"):
                problem(f"{path}: panel '{p.get('title')}' has a target without expr")

# ---------------------------------------------------------------- 6. kustomize builds
kubectl = shutil.which("kubectl")
if kubectl:
    for target in ("deploy/k8s",):
        r = subprocess.run([kubectl, "kustomize", target], capture_output=True, text=True)
        if r.returncode != 0:
            problem(f"kubectl kustomize {target} failed: {r.stderr.strip()}")
    # the prometheus-adapter variant: the base plus that component instead of KEDA
    import tempfile
    with tempfile.TemporaryDirectory(dir="deploy/k8s") as tmp:
        with open(os.path.join(tmp, "kustomization.yaml"), "w") as f:
            f.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: dicomflow\n"
                    "resources: [../base]\ncomponents: [../components/prometheus-adapter, ../components/monitoring]\n")
        r = subprocess.run([kubectl, "kustomize", tmp], capture_output=True, text=True)
        if r.returncode != 0:
            problem(f"kubectl kustomize (prometheus-adapter variant) failed: {r.stderr.strip()}")
else:
    print("deploy/check.sh: kubectl not found, kustomize build skipped")

# ---------------------------------------------------------------- 7. promtool
promtool = shutil.which("promtool")
if promtool:
    import tempfile
    r = subprocess.run([promtool, "check", "rules", ALERTS], capture_output=True, text=True)
    if r.returncode != 0:
        problem(f"promtool check rules {ALERTS}: {(r.stdout + r.stderr).strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        config = read("deploy/prometheus/prometheus.yml").replace("/etc/prometheus/rules/*.yaml", os.path.abspath(ALERTS))
        with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
            f.write(config)
        r = subprocess.run([promtool, "check", "config", os.path.join(tmp, "prometheus.yml")], capture_output=True, text=True)
        if r.returncode != 0:
            problem(f"promtool check config deploy/prometheus/prometheus.yml: {(r.stdout + r.stderr).strip()}")
        # every dashboard query as a recording rule, so that promtool parses it
        rules = []
        for path in glob.glob("deploy/grafana/*.json"):
            for p in panels((docs.get(path, [{}])[0] or {}).get("panels", [])):
                for t in p.get("targets", []):
                    expr = t.get("expr", "").replace("$__rate_interval", "5m").replace("$application", ".+")
                    rules.append({"record": f"dashboard:query_{len(rules)}", "expr": expr})
        with open(os.path.join(tmp, "dashboard-queries.yaml"), "w") as f:
            yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, f)
        r = subprocess.run([promtool, "check", "rules", os.path.join(tmp, "dashboard-queries.yaml")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            problem(f"promtool: a dashboard query does not parse: {(r.stdout + r.stderr).strip()}")
else:
    print("deploy/check.sh: promtool not found, PromQL checks skipped")

if problems:
    for p in problems:
        print("FAIL", p)
    print(f"deploy/check.sh: {len(problems)} problem(s)")
    sys.exit(1)
print(f"deploy/check.sh: OK ({len(docs)} files parsed)")
EOF
