#!/usr/bin/env bash
# End-to-end ingest benchmark (docs/benchmarks.md, "End-to-end ingest"). One command, from anywhere:
#
#   bash bench/e2e.sh
#
# builds what it needs (./mvnw package of standalone and the three services, no install), starts the product,
# uploads N synthetic 512x512 16-bit CT instances one file per POST /api/uploads at each concurrency over
# keep-alive connections, waits until every file is NOTIFIED, and prints throughput, stage latencies, CPU per
# instance and peak RSS; then a 100 MiB multi-frame upload and SMALL files in one request. With Orthanc
# installed (apt-get install -y orthanc) the same files also go to Orthanc's REST API and the ratios are printed.
#
# Knobs (environment):
#   E2E_N=100               instances per concurrency level (new UIDs per level)
#   E2E_CONCURRENCY=1,4,16  concurrent senders, one level after the other
#   E2E_SMALL=1000          small files in the one-request test (0: skip)
#   E2E_MULTIFRAME=200      frames of the 512x512 multi-frame (200 = 100 MiB; 0: skip)
#   E2E_SHAPES="standalone split"  standalone: one JVM with its embedded infrastructure, from the built classes;
#                           split: the three -exec.jar services on local PostgreSQL + RabbitMQ, an S3Proxy
#                           process and an SMTP sink
#   E2E_ORTHANC=auto        auto: run Orthanc when installed; no: never
#   E2E_JFR=                a directory: record JFR (settings=profile) of every dicomflow JVM into it
#   E2E_JAVA_OPTS=          extra JVM options for the dicomflow JVMs
#   E2E_SKIP_BUILD=         1: use the classes and jars already built
#   E2E_TIMEOUT=600         seconds to wait for a level's files to be NOTIFIED
#   E2E_START_TIMEOUT=300   seconds to wait for the standalone to start (more on a loaded machine)
#   E2E_WARMUP=0            instances sent (C=4, to both products) before the measured levels, not measured: JIT
#                           warm-up of the JVM (docs/benchmarks.md, "by thread group"); 0: none, as before
# Results: bench/target/e2e/<timestamp>/ (results.md, logs); append them to docs/benchmarks.md by hand.
set -euo pipefail
# run from a copy: bash reads a script while running it, so editing bench/e2e.sh would break a running benchmark
if [[ -z "${E2E_ROOT:-}" ]]; then
  E2E_ROOT=$(cd "$(dirname "$0")/.." && pwd); copy=$(mktemp /tmp/dicomflow-e2e-sh.XXXXXX)
  cp "$0" "$copy"; E2E_ROOT=$E2E_ROOT exec bash "$copy" "$@"
fi
rm -f "$0"
cd "$E2E_ROOT"
root=$(pwd)
N=${E2E_N:-100}
CONC=${E2E_CONCURRENCY:-1,4,16}
SMALL=${E2E_SMALL:-1000}
MULTIFRAME=${E2E_MULTIFRAME:-200}
SHAPES=${E2E_SHAPES:-standalone split}
ORTHANC=${E2E_ORTHANC:-auto}
TIMEOUT=${E2E_TIMEOUT:-600}
JAVA_OPTS=${E2E_JAVA_OPTS:-}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/bench/target/e2e/$stamp
mkdir -p "$out"
work=$(mktemp -d /tmp/dicomflow-e2e.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [[ -n "${bench_db:-}" ]]; then psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $bench_db" >/dev/null 2>&1 || true; fi
  if [[ -n "${bench_vhost:-}" ]]; then rabbitmqctl -q delete_vhost "$bench_vhost" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# free_port, wait_for (shared with bench/faults/run.sh)
# shellcheck source=bench/lib/split.sh
source "$root/bench/lib/split.sh"
jfr_opt() { [[ -n "${E2E_JFR:-}" ]] && mkdir -p "$E2E_JFR" && echo "-XX:StartFlightRecording=filename=$E2E_JFR/$1.jfr,settings=profile,dumponexit=true" || true; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: E2E_N=$N E2E_CONCURRENCY=$CONC E2E_SMALL=$SMALL E2E_MULTIFRAME=$MULTIFRAME E2E_WARMUP=${E2E_WARMUP:-0} E2E_SHAPES=\"$SHAPES\" bash bench/e2e.sh"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs' || echo ' (+ uncommitted changes)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB; java: $(java -version 2>&1 | head -1)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

if [[ -z "${E2E_SKIP_BUILD:-}" ]]; then
  echo "building (./mvnw package -DskipTests of standalone and the services) ..."
  ./mvnw -B -q -pl standalone,upload-service,analysis-worker,notification-service -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime > "$out/build.log" 2>&1 \
    || { tail -30 "$out/build.log"; exit 1; }
fi
# the standalone classpath minus test jars (their resources would change the configuration)
cp_standalone="$root/standalone/target/classes:$(tr ':' '\n' < standalone/target/cp.txt | grep -v -- '-tests\.jar$' | paste -sd:)"
pgjar=$(tr ':' '\n' < standalone/target/cp.txt | grep '/postgresql-[0-9.]*\.jar$' | head -1)
mkdir -p "$work/harness"
javac -q -d "$work/harness" -cp "$pgjar" bench/src/main/java/io/dicomflow/bench/EndToEnd.java \
  bench/src/main/java/io/dicomflow/bench/SyntheticDicom.java 2>/dev/null || \
  javac -d "$work/harness" -cp "$pgjar" bench/src/main/java/io/dicomflow/bench/EndToEnd.java \
    bench/src/main/java/io/dicomflow/bench/SyntheticDicom.java
harness() { java -Xmx1g -cp "$work/harness:$pgjar" io.dicomflow.bench.EndToEnd "$@"; }

orthanc_args=()
if [[ "$ORTHANC" != no ]] && command -v Orthanc >/dev/null; then
  oport=$(free_port); odicom=$(free_port)
  mkdir -p "$work/orthanc"
  cat > "$work/orthanc/orthanc.json" <<EOF
{ "Name": "bench", "HttpPort": $oport, "DicomPort": $odicom, "DicomServerEnabled": false,
  "StorageDirectory": "$work/orthanc/db", "IndexDirectory": "$work/orthanc/db",
  "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "Plugins": [], "HttpsVerifyPeers": false }
EOF
  Orthanc "$work/orthanc/orthanc.json" > "$out/orthanc.log" 2>&1 &
  opid=$!; pids+=("$opid")
  wait_for 60 curl -sf "http://127.0.0.1:$oport/system"
  echo "orthanc: $(Orthanc --version | head -1) on port $oport (pid $opid)" | tee -a "$out/machine.txt"
  orthanc_args=(orthancUrl="http://127.0.0.1:$oport" orthancPid="$opid")
fi

common_args=(n="$N" concurrency="$CONC" small="$SMALL" multiframe="$MULTIFRAME" timeout="$TIMEOUT" warmup="${E2E_WARMUP:-0}")

for shape in $SHAPES; do
  case "$shape" in
  standalone)
    data="$work/standalone-data"
    # shellcheck disable=SC2046,SC2086
    DICOMFLOW_DATA_DIR="$data" DICOMFLOW_MAX_FILES=$((SMALL > 500 ? SMALL : 500)) \
      java $JAVA_OPTS $(jfr_opt standalone) -cp "$cp_standalone" io.dicomflow.standalone.StandaloneApplication \
      > "$out/standalone.log" 2>&1 &
    spid=$!; pids+=("$spid")
    wait_for "${E2E_START_TIMEOUT:-300}" grep -q "dicomflow is running" "$out/standalone.log" || { tail -50 "$out/standalone.log"; exit 1; }
    # shellcheck disable=SC1091
    source "$data/dicomflow.env"
    pgport=$(grep -o 'embedded PostgreSQL [0-9]* on 127.0.0.1:[0-9]*' "$out/standalone.log" | head -1 | sed 's/.*://')
    echo "standalone: pid $spid, $DICOMFLOW_URL, PostgreSQL port $pgport"
    # measured: the JVM's process tree and the embedded PostgreSQL (its postmaster is not a child of the JVM)
    harness run label="dicomflow standalone (one JVM + embedded PostgreSQL, Qpid, S3Proxy, GreenMail)" \
      url="$DICOMFLOW_URL" tokenUrl="$DICOMFLOW_TOKEN_URL" clientId=modality clientSecret=modality-demo \
      jdbc="jdbc:postgresql://127.0.0.1:$pgport/postgres" procs="$spid" procMatch="$data" heapPid="$spid" \
      work="$work/files" out="$out/standalone.md" "${common_args[@]}" "${orthanc_args[@]}"
    kill "$spid"; wait "$spid" 2>/dev/null || true
    ;;
  split)
    bench_db="dicomflow_bench_$$"; bench_vhost="dicomflow_bench_$$"
    psql -q -h 127.0.0.1 -U postgres -c "create database $bench_db" >/dev/null
    rabbitmqctl -q add_vhost "$bench_vhost" >/dev/null && rabbitmqctl -q set_permissions -p "$bench_vhost" guest '.*' '.*' '.*' >/dev/null
    harness keys "$work/keys"
    s3port=$(free_port); smtpport=$(free_port)
    mkdir -p "$work/s3"
    javac -d "$work/s3" -cp "$cp_standalone" bench/e2e/S3ProxyProcess.java
    java -cp "$work/s3:$cp_standalone" S3ProxyProcess "$s3port" "$work/s3/blobs" bench bench-secret \
      > "$out/s3proxy.log" 2>&1 &
    s3pid=$!; pids+=("$s3pid")
    # java directly, not the harness function: a backgrounded function is a subshell, and killing it would
    # leave the JVM running
    java -Xmx256m -cp "$work/harness:$pgjar" io.dicomflow.bench.EndToEnd smtp "$smtpport" > "$out/smtp.log" 2>&1 &
    smtppid=$!; pids+=("$smtppid")
    wait_for 60 curl -s -o /dev/null "http://127.0.0.1:$s3port/"
    export DICOMFLOW_DB_URL="jdbc:postgresql://127.0.0.1:5432/$bench_db" DICOMFLOW_DB_USER=postgres \
      DICOMFLOW_AMQP_VHOST="$bench_vhost" DICOMFLOW_S3_ENDPOINT="http://127.0.0.1:$s3port" \
      DICOMFLOW_S3_ACCESS_KEY=bench DICOMFLOW_S3_SECRET_KEY=bench-secret DICOMFLOW_S3_BUCKET=dicomflow \
      DICOMFLOW_JWT_PUBLIC_KEY="$(cat "$work/keys/public.pem")" DICOMFLOW_JWT_ISSUER_URI=bench \
      DICOMFLOW_S3_SSE=none \
      DICOMFLOW_SMTP_PORT="$smtpport" \
      DICOMFLOW_IDENTITY_USERS_BENCH_EMAIL=bench@bench.test DICOMFLOW_MAX_FILES=$((SMALL > 500 ? SMALL : 500))
    uport=$(free_port); wport=$(free_port); nport=$(free_port)
    svc_pids=()
    for svc in upload-service:DICOMFLOW_UPLOAD_PORT=$uport analysis-worker:DICOMFLOW_WORKER_PORT=$wport \
               notification-service:DICOMFLOW_NOTIFICATION_PORT=$nport; do
      name=${svc%%:*}
      # shellcheck disable=SC2046,SC2086
      env "${svc#*:}" DICOMFLOW_MANAGEMENT_PORT="$(free_port)" java $JAVA_OPTS $(jfr_opt "$name") -jar "$name/target/$name-0.1.0-SNAPSHOT-exec.jar" \
        > "$out/$name.log" 2>&1 &
      svc_pids+=($!); pids+=($!)
    done
    # started together (Flyway serialises the migrations with a lock); up when each answers HTTP
    for port in $uport $wport $nport; do
      wait_for 400 curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" || { tail -40 "$out"/*-service.log; exit 1; }
    done
    echo "split: upload-service pid ${svc_pids[0]} on $uport, worker ${svc_pids[1]}, notification ${svc_pids[2]}"
    # measured: the three services, S3Proxy, the SMTP sink, this database's PostgreSQL backends and RabbitMQ
    # (RabbitMQ and PostgreSQL are shared with other work on the machine: see docs/benchmarks.md)
    harness run label="dicomflow split (three service JVMs, local PostgreSQL + RabbitMQ, S3Proxy process, SMTP sink)" \
      url="http://127.0.0.1:$uport" privateKey="$work/keys/private.key" subject=bench \
      jdbc="jdbc:postgresql://127.0.0.1:5432/$bench_db" \
      procs="$(IFS=,; echo "${svc_pids[*]}"),$s3pid,$smtppid" procMatch="$bench_db,beam.smp" heapPid="${svc_pids[0]}" \
      work="$work/files" out="$out/split.md" "${common_args[@]}" "${orthanc_args[@]}"
    for p in "${svc_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${svc_pids[@]}"; do wait "$p" 2>/dev/null || true; done
    ;;
  *) echo "unknown shape $shape" >&2; exit 2 ;;
  esac
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
cat "$out/machine.txt" "$out"/*.md > "$out/results.md"
echo "results: $out/results.md"
