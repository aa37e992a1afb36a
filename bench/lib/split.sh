# Shared by bench/e2e.sh (split shape) and bench/faults/run.sh: the pieces of the "split" deployment, i.e. the
# three services' packaged jars on a PostgreSQL and a RabbitMQ, with an S3Proxy process and an SMTP sink, and
# the harness (bench/src, compiled with javac: no Maven install needed). Source it from the repository root.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_for() { # wait_for <seconds> <command...>
  local limit=$1; shift
  for _ in $(seq 1 $((limit * 2))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "timed out waiting for: $*" >&2; return 1
}

# build_services <log>: the three -exec.jar (and the classpath file S3Proxy runs from), no install
build_services() {
  echo "building (./mvnw package -DskipTests of the three services and embedded-infra) ..."
  ./mvnw -B -q -pl upload-service,analysis-worker,notification-service,embedded-infra -am package -DskipTests \
    -Djazzer.fuzz=0 dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime >"$1" 2>&1 \
    || { tail -30 "$1"; return 1; }
}

# compile_harness <dir>: EndToEnd, Faults and SyntheticDicom against the PostgreSQL driver; sets harness_cp
compile_harness() {
  local pgjar
  pgjar=$(tr ':' '\n' < embedded-infra/target/cp.txt | grep '/postgresql-[0-9.]*\.jar$' | head -1)
  mkdir -p "$1"
  javac -nowarn -d "$1" -cp "$pgjar" bench/src/main/java/io/dicomflow/bench/EndToEnd.java \
    bench/src/main/java/io/dicomflow/bench/Faults.java bench/src/main/java/io/dicomflow/bench/SyntheticDicom.java
  harness_cp="$1:$pgjar"
}

# make_keys <dir>: an RSA pair; the services get public.pem, the harness mints tokens with private.key
make_keys() { java -cp "$harness_cp" io.dicomflow.bench.EndToEnd keys "$1"; }

# start_s3proxy <dir> <port> <blob dir>: S3Proxy in the foreground (run it with &), access key bench/bench-secret
start_s3proxy() {
  local cp
  cp=$(tr ':' '\n' < embedded-infra/target/cp.txt | grep -v -- '-tests\.jar$' | paste -sd:)
  [[ -f "$1/S3ProxyProcess.class" ]] || javac -nowarn -d "$1" -cp "$cp" bench/e2e/S3ProxyProcess.java
  exec java -Xmx256m -cp "$1:$cp" S3ProxyProcess "$2" "$3" bench bench-secret
}
