#!/usr/bin/env bash
# Reliability under faults (docs/reliability.md). One command, from anywhere, outside ./mvnw verify:
#
#   bash bench/faults/run.sh                 # full size: FAULTS_N=5000
#   FAULTS_N=500 bash bench/faults/run.sh    # the size CI runs
#
# Starts a PostgreSQL and a RabbitMQ of its own (initdb / a second RabbitMQ node, on free ports, in a temp
# directory: the harness restarts them, so never the machine's shared ones), an S3Proxy process and an SMTP
# sink (bench/e2e.sh's), then the packaged jars: 2 upload-service, 3 analysis-worker, 2 notification-service.
# Start-up survival first: the first instances start while PostgreSQL is down, the second ones while RabbitMQ
# is down, the third worker while S3 is down; each must wait and come up when its dependency returns.
# Then the driver (bench/src/.../Faults.java) sends N files (FAULTS_POISON of them valid DICOM no analysis can
# decode) from several clients through both upload services, with a STOMP subscriber per user, while this
# script, at random moments of the run: kill -9s a worker twice, kill -9s an upload service (mid-request:
# requests are always in flight), restarts RabbitMQ, restarts PostgreSQL, takes S3 away for 10 s, kill -9s a
# notifier. Killed processes are started again (as an orchestrator would). The driver then checks the
# database, the S3 directory, the SMTP sink, the parking queue and the subscribers and prints, last:
#   faults: sent N, accepted A, analysed A, lost 0, duplicated 0, orphans 0, poison P parked P, emails E, e2e p99 X ms
# exit status 0 only when lost, duplicated and orphans are 0 and every poison file is parked.
#
# Knobs (environment):
#   FAULTS_N=5000            files to send
#   FAULTS_POISON=5          of which poison files
#   FAULTS_CLIENTS=8         concurrent clients (spread over FAULTS_USERS users)
#   FAULTS_USERS=4           users (one subscriber each)
#   FAULTS_SEED=             seed of the fault schedule (default: random; printed)
#   FAULTS_BOOT_CHECK=1      0: skip the start-with-a-dependency-down rounds (all start normally)
#   FAULTS_FAULTS=1          0: no faults (a baseline)
#   FAULTS_TIMEOUT=900       seconds for the pipeline to settle after the last answer
#   FAULTS_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"   options of every service JVM
#   FAULTS_MAX_QUEUE=100     analysis queue depth above which the upload services answer 503 + Retry-After
#                            (the overload check: the clients send faster than 3 workers analyse, so the
#                            gate closes and opens during the run; the driver counts the 503s)
#   FAULTS_SKIP_BUILD=       1: use the jars already built
# Results and logs: bench/target/faults/<timestamp>/
set -euo pipefail
# run from a copy: bash reads a script while running it
if [[ -z "${FAULTS_ROOT:-}" ]]; then
  FAULTS_ROOT=$(cd "$(dirname "$0")/../.." && pwd); copy=$(mktemp /tmp/dicomflow-faults-sh.XXXXXX)
  cp "$0" "$copy"; FAULTS_ROOT=$FAULTS_ROOT exec bash "$copy" "$@"
fi
rm -f "$0"
cd "$FAULTS_ROOT"
root=$(pwd)
# shellcheck source=bench/lib/split.sh
source "$root/bench/lib/split.sh"
N=${FAULTS_N:-5000}
POISON=${FAULTS_POISON:-5}
CLIENTS=${FAULTS_CLIENTS:-8}
USERS=${FAULTS_USERS:-4}
SEED=${FAULTS_SEED:-$RANDOM}
BOOT_CHECK=${FAULTS_BOOT_CHECK:-1}
WITH_FAULTS=${FAULTS_FAULTS:-1}
TIMEOUT=${FAULTS_TIMEOUT:-900}
MAX_QUEUE=${FAULTS_MAX_QUEUE:-100}
JAVA_OPTS=${FAULTS_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
RANDOM=$SEED
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/bench/target/faults/$stamp
mkdir -p "$out"
work=$(mktemp -d /tmp/dicomflow-faults.XXXXXX)
chmod 755 "$work"
log() { echo "faults: $(date -u +%H:%M:%S) $*" | tee -a "$out/events.log"; }

# ---- process bookkeeping: every pid this script started, so that the cleanup ends exactly those ----
# (restarts happen in the fault schedule's subshell, so the pids go to a file, not only to variables)
declare -A svc_pid svc_port svc_mport
touch "$work/pids"
track() { echo "$1" >>"$work/pids"; }
ours() { { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -q -- "$work"; }
cleanup() {
  set +e
  [[ -n "${faults_pid:-}" ]] && kill "$faults_pid" 2>/dev/null
  local started=(); mapfile -t started <"$work/pids" 2>/dev/null
  for p in "${started[@]}"; do ours "$p" && kill "$p" 2>/dev/null; done
  for p in "${started[@]}"; do stop_pid "$p"; done
  declare -F rmq_stop >/dev/null && rmq_stop
  declare -F pg_stop >/dev/null && pg_stop
  cp "$work/pglog/postgresql.log" "$out/" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM INT
stop_pid() { for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done; kill -9 "$1" 2>/dev/null || true; }

# ---- a PostgreSQL of our own: initdb in the temp directory, run as the postgres user (initdb refuses root) ----
pgdir=$work/pg; pgport=$(free_port)
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_start() {
  as_pg "$pgbin/pg_ctl" -D "$pgdir" -l "$work/pglog/postgresql.log" -w -t 60 \
    -o "-p $pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pgdir -c max_connections=300" start >/dev/null
}
pg_stop() { [[ -f $pgdir/postmaster.pid ]] && as_pg "$pgbin/pg_ctl" -D "$pgdir" -m fast -w stop >/dev/null 2>&1 || true; }
mkdir -p "$pgdir" "$work/pglog"; [[ $(id -u) == 0 ]] && chown postgres "$pgdir" "$work/pglog"
as_pg "$pgbin/initdb" -D "$pgdir" -U postgres -A trust --no-sync >"$out/initdb.log" 2>&1
pg_start
psql -q -h 127.0.0.1 -p "$pgport" -U postgres -c "create database dicomflow" >/dev/null

# ---- a RabbitMQ node of our own: its own node name, ports, data and config (not /etc/rabbitmq's) ----
rmqdir=$work/rabbitmq; rmqport=$(free_port); rmqdist=$(free_port)
mkdir -p "$rmqdir"; : > "$rmqdir/env.conf"; echo '[].' > "$rmqdir/plugins"
printf 'loopback_users = none\n' > "$rmqdir/rabbitmq.conf"
rmq_node=faults$$@localhost
rmq_start() {
  RABBITMQ_CONF_ENV_FILE=$rmqdir/env.conf RABBITMQ_NODENAME=$rmq_node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$rmqport RABBITMQ_DIST_PORT=$rmqdist RABBITMQ_MNESIA_BASE=$rmqdir/mnesia \
    RABBITMQ_LOG_BASE=$rmqdir/log RABBITMQ_CONFIG_FILE=$rmqdir/rabbitmq.conf \
    RABBITMQ_ENABLED_PLUGINS_FILE=$rmqdir/plugins RABBITMQ_PID_FILE=$rmqdir/pid ERL_EPMD_ADDRESS=127.0.0.1 \
    setsid /usr/lib/rabbitmq/bin/rabbitmq-server >>"$out/rabbitmq.log" 2>&1 &
  wait_for 120 port_open "$rmqport"
}
rmq_stop() { # graceful: SIGTERM to the node, wait until it is gone
  local p; p=$(cat "$rmqdir/pid" 2>/dev/null) || return 0
  kill "$p" 2>/dev/null || true; stop_pid "$p"; rm -f "$rmqdir/pid"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
rmq_start

# ---- build, harness, S3Proxy, SMTP sink, keys (bench/lib/split.sh, shared with bench/e2e.sh) ----
[[ -z "${FAULTS_SKIP_BUILD:-}" ]] && build_services "$out/build.log"
compile_harness "$work/harness"
make_keys "$work/keys"
s3port=$(free_port); smtpport=$(free_port)
s3blobs=$work/s3/blobs
s3_start() { (start_s3proxy "$work/s3" "$s3port" "$s3blobs") >>"$out/s3proxy.log" 2>&1 & s3pid=$!; track "$s3pid"; }
s3_start
mkdir -p "$work/mail"
java -Xmx128m -cp "$harness_cp" io.dicomflow.bench.EndToEnd smtp "$smtpport" "$work/mail" >"$out/smtp.log" 2>&1 &
track $!
wait_for 60 curl -s -o /dev/null "http://127.0.0.1:$s3port/"

users_env=()
for u in $(seq 0 $((USERS - 1))); do users_env+=("DICOMFLOW_IDENTITY_USERS_FAULTS${u}_EMAIL=faults$u@faults.test"); done
# the minted tokens' issuer is "bench"; S3Proxy's filesystem store answers 501 to server-side encryption, which the
# services ask for by default (docs/security.md), so it is off for this endpoint as in the standalone
export DICOMFLOW_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/dicomflow" DICOMFLOW_DB_USER=postgres \
  DICOMFLOW_AMQP_HOST=127.0.0.1 DICOMFLOW_AMQP_PORT=$rmqport DICOMFLOW_AMQP_VHOST=/ \
  DICOMFLOW_S3_ENDPOINT="http://127.0.0.1:$s3port" DICOMFLOW_S3_ACCESS_KEY=bench DICOMFLOW_S3_SECRET_KEY=bench-secret \
  DICOMFLOW_S3_BUCKET=dicomflow DICOMFLOW_JWT_PUBLIC_KEY="$(cat "$work/keys/public.pem")" DICOMFLOW_SMTP_PORT=$smtpport \
  DICOMFLOW_JWT_ISSUER_URI=bench DICOMFLOW_S3_SSE=none \
  DICOMFLOW_NOTIFICATION_DIGEST_WINDOW=3s DICOMFLOW_WORKER_CONCURRENCY=1 DICOMFLOW_CLAIM_TIMEOUT=30s \
  DICOMFLOW_UPLOAD_BACKPRESSURE_MAXQUEUEDEPTH="$MAX_QUEUE" DICOMFLOW_UPLOAD_BACKPRESSURE_RETRYAFTER=1s
export "${users_env[@]}"

declare -A port_var=([upload-service]=DICOMFLOW_UPLOAD_PORT [analysis-worker]=DICOMFLOW_WORKER_PORT
                     [notification-service]=DICOMFLOW_NOTIFICATION_PORT)
# start_svc <service> <index>: (re)starts one instance on its port; the log is appended across restarts
start_svc() {
  local name=$1 i=$2 key=$1-$2
  [[ -n "${svc_port[$key]:-}" ]] || svc_port[$key]=$(free_port)
  # the actuator (readiness) is on a management port of its own, one per instance on this one host
  [[ -n "${svc_mport[$key]:-}" ]] || svc_mport[$key]=$(free_port)
  echo "---- start $(date -u +%H:%M:%S) ----" >>"$out/$key.log"
  # shellcheck disable=SC2086
  env "${port_var[$name]}=${svc_port[$key]}" DICOMFLOW_MANAGEMENT_PORT="${svc_mport[$key]}" java $JAVA_OPTS -Dfaults.work="$work" \
    -jar "$root/$name/target/$name-0.1.0-SNAPSHOT-exec.jar" >>"$out/$key.log" 2>&1 &
  svc_pid[$key]=$!; track $!
  echo "$key ${svc_pid[$key]}" >>"$work/instances"
}
healthy() { curl -sf -o /dev/null "http://127.0.0.1:${svc_mport[$1]}/actuator/health/readiness"; }
alive() { kill -0 "${svc_pid[$1]}" 2>/dev/null; }
# survives <marker> <instance...>: each instance gets as far as its log saying <marker> (an extended regex:
# it met the missing dependency, or started without needing it) and is still running 10 s later; a process
# that exits on the way is a crash at boot (start-up on a loaded machine takes minutes, hence no fixed sleep)
survives() {
  local marker=$1 k; shift
  for k in "$@"; do
    for _ in $(seq 1 600); do
      alive "$k" || break
      sed -n '/^---- start/h; /^---- start/!H; ${x;p}' "$out/$k.log" | grep -Eq "$marker" && break
      sleep 0.5
    done
  done
  sleep 10
  for k in "$@"; do alive "$k" || { log "BOOT FAILURE: $k exited while its dependency was down"; tail -30 "$out/$k.log"; return 1; }; done
  log "survived: $*"
}
await_healthy() { for k in "$@"; do wait_for 400 healthy "$k" || { log "$k did not become ready"; tail -40 "$out/$k.log"; return 1; }; done; }

boot_failures=0
if [[ $BOOT_CHECK == 1 ]]; then
  log "boot round 1: PostgreSQL down while upload-service-1, analysis-worker-1, notification-service-1 start"
  pg_stop
  start_svc upload-service 1; start_svc analysis-worker 1; start_svc notification-service 1
  survives "Database not reachable yet|APPLICATION FAILED" upload-service-1 analysis-worker-1 notification-service-1 || boot_failures=$((boot_failures + 1))
  pg_start; log "PostgreSQL back"
  for k in upload-service-1 analysis-worker-1 notification-service-1; do alive "$k" || start_svc "${k%-*}" "${k##*-}"; done
  await_healthy upload-service-1 analysis-worker-1 notification-service-1

  log "boot round 2: RabbitMQ down while upload-service-2, analysis-worker-2, notification-service-2 start"
  rmq_stop
  start_svc upload-service 2; start_svc analysis-worker 2; start_svc notification-service 2
  survives "Started [A-Za-z]+Application|APPLICATION FAILED" upload-service-2 analysis-worker-2 notification-service-2 || boot_failures=$((boot_failures + 1))
  rmq_start; log "RabbitMQ back"
  for k in upload-service-2 analysis-worker-2 notification-service-2; do alive "$k" || start_svc "${k%-*}" "${k##*-}"; done
  await_healthy upload-service-2 analysis-worker-2 notification-service-2

  log "boot round 3: S3 down while analysis-worker-3 starts and upload-service-1 restarts"
  kill "$s3pid"; wait "$s3pid" 2>/dev/null || true
  kill "${svc_pid[upload-service-1]}"; stop_pid "${svc_pid[upload-service-1]}"
  start_svc analysis-worker 3; start_svc upload-service 1
  survives "Started [A-Za-z]+Application|APPLICATION FAILED" analysis-worker-3 upload-service-1 || boot_failures=$((boot_failures + 1))
  s3_start; wait_for 60 curl -s -o /dev/null "http://127.0.0.1:$s3port/"; log "S3 back"
  for k in analysis-worker-3 upload-service-1; do alive "$k" || start_svc "${k%-*}" "${k##*-}"; done
  await_healthy analysis-worker-3 upload-service-1
  log "boot rounds: $boot_failures with a crash at boot"
else
  for i in 1 2; do start_svc upload-service $i; start_svc notification-service $i; done
  for i in 1 2 3; do start_svc analysis-worker $i; done
  await_healthy upload-service-1 upload-service-2 analysis-worker-1 analysis-worker-2 analysis-worker-3 \
    notification-service-1 notification-service-2
fi
log "all 7 services ready"

# ---- faults, at random moments between 10 % and 75 % of the files answered ----
progress=$work/progress; echo 0 > "$progress"
restart_later() { # kill -9 an instance, start it again 3 s later (as an orchestrator would)
  local k=$1; kill -9 "${svc_pid[$k]}" 2>/dev/null || true; log "kill -9 $k (pid ${svc_pid[$k]})"
  sleep 3; start_svc "${k%-*}" "${k##*-}"; log "$k started again (pid ${svc_pid[$k]})"
}
fault() {
  case $1 in
    # the second worker kill takes another worker than the first (the first may not be up again yet)
    worker) w=$(( (last_worker + RANDOM % 2) % 3 + 1 )); last_worker=$w; restart_later "analysis-worker-$w" ;;
    upload) restart_later "upload-service-$((RANDOM % 2 + 1))" ;;
    notifier) restart_later "notification-service-$((RANDOM % 2 + 1))" ;;
    rabbitmq) log "RabbitMQ stopping"; rmq_stop; log "RabbitMQ stopped"; rmq_start; log "RabbitMQ back" ;;
    postgresql) log "PostgreSQL restarting"; as_pg "$pgbin/pg_ctl" -D "$pgdir" -m fast -w restart \
        -o "-p $pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pgdir -c max_connections=300" \
        >/dev/null; log "PostgreSQL back" ;;
    s3) kill -9 "$s3pid"; log "S3 down (kill -9 S3Proxy)"; sleep 10; s3_start
        wait_for 60 curl -s -o /dev/null "http://127.0.0.1:$s3port/"; log "S3 back" ;;
  esac
}
last_worker=$((RANDOM % 3))
schedule_faults() {
  local kinds=(worker worker upload rabbitmq postgresql s3 notifier) at=() k
  for _ in "${kinds[@]}"; do at+=($((N / 10 + RANDOM * (N * 65 / 100) / 32768))); done
  mapfile -t at < <(printf '%s\n' "${at[@]}" | sort -n)
  # shuffle the kinds (Fisher-Yates on $RANDOM, so FAULTS_SEED replays the schedule)
  for ((i = ${#kinds[@]} - 1; i > 0; i--)); do j=$((RANDOM % (i + 1))); k=${kinds[i]}; kinds[i]=${kinds[j]}; kinds[j]=$k; done
  for i in "${!kinds[@]}"; do
    while :; do
      p=$(cat "$progress" 2>/dev/null || echo 0)
      [[ $p == done ]] && { log "run ended before fault ${kinds[i]}"; return; }
      [[ ${p:-0} -ge ${at[i]} ]] && break
      sleep 0.2
    done
    log "fault ${kinds[i]} at $p files answered"; fault "${kinds[i]}"
  done
  log "all faults injected"
}

log "seed $SEED; N=$N poison=$POISON clients=$CLIENTS users=$USERS"
if [[ $WITH_FAULTS == 1 ]]; then
  schedule_faults &
  faults_pid=$!
fi
set +e
java -Xmx512m -cp "$harness_cp" io.dicomflow.bench.Faults \
  uploads="http://127.0.0.1:${svc_port[upload-service-1]},http://127.0.0.1:${svc_port[upload-service-2]}" \
  notifiers="ws://127.0.0.1:${svc_port[notification-service-1]}/ws,ws://127.0.0.1:${svc_port[notification-service-2]}/ws" \
  workers="http://127.0.0.1:${svc_port[analysis-worker-1]},http://127.0.0.1:${svc_port[analysis-worker-2]},http://127.0.0.1:${svc_port[analysis-worker-3]}" \
  privateKey="$work/keys/private.key" jdbc="jdbc:postgresql://127.0.0.1:$pgport/dicomflow" s3dir="$s3blobs/dicomflow" \
  mail="$work/mail" progress="$progress" work="$work/files" n="$N" poison="$POISON" clients="$CLIENTS" users="$USERS" \
  timeout="$TIMEOUT" 2>&1 | tee "$out/driver.log"
status=${PIPESTATUS[0]}
set -e
[[ -n "${faults_pid:-}" ]] && wait "$faults_pid" 2>/dev/null
for k in "${!svc_pid[@]}"; do
  c=$(grep -c -- '---- start' "$out/$k.log"); [[ $c -gt 1 ]] && log "$k started $c times"
done
if grep -l OutOfMemoryError "$out"/*-service-*.log "$out"/analysis-worker-*.log 2>/dev/null; then
  log "a service ran out of heap"; status=1
fi
[[ $boot_failures -gt 0 ]] && { log "$boot_failures boot rounds saw a service crash while a dependency was down"; status=1; }
log "logs: $out"
tail -1 "$out/driver.log"
exit "$status"
