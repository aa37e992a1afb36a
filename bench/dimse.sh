#!/usr/bin/env bash
# DIMSE C-STORE throughput: dicomflow's Storage SCP vs Orthanc's own SCP, both fed by DCMTK storescu with the
# same N files on one association each. Outside ./mvnw verify.
#
# Needs a running standalone (java -jar standalone/target/standalone-*.jar, or ./mvnw -pl standalone ... exec)
# whose dicomflow.env is given (default standalone-data/dicomflow.env): it exports DICOMFLOW_DIMSE_PORT,
# DICOMFLOW_DIMSE_AET and DICOMFLOW_DIMSE_SCU_AET. Orthanc (apt-get install orthanc) is started here with a
# temporary configuration (free ports, AE ORTHANC, storage in a temp dir) and stopped at the end.
#
#   DIMSE_N=200              number of files
#   DIMSE_SOURCE=<file.dcm>  the file copied N times, each copy with a new SOP Instance UID (dcmodify -gin);
#                            default: common's pydicom-MR_small.dcm (explicit VR, 64x64 MR)
#   DIMSE_ENV=standalone-data/dicomflow.env
#
# Prints seconds, files/s for each SCP and dicomflow/Orthanc. storescu's time is the wall time of the whole
# association (connect, negotiate, N C-STOREs answered, release): dicomflow answers each C-STORE after the
# instance is validated, hashed, in S3 and in the outbox (the same ingest as HTTP), Orthanc after it has stored it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source bench/lib/split.sh   # free_port, wait_for
N=${DIMSE_N:-200}
SOURCE=${DIMSE_SOURCE:-common/src/test/resources/corpus/dicom/pydicom-MR_small.dcm}
ENV=${DIMSE_ENV:-standalone-data/dicomflow.env}
for tool in storescu dcmodify Orthanc curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install dcmtk orthanc curl)" >&2; exit 2; }
done
[[ -f "$ENV" ]] || { echo "no $ENV: start the standalone first" >&2; exit 2; }
source "$ENV"
work=$(mktemp -d)
opid=
cleanup() { [[ -n "$opid" ]] && kill "$opid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/files"
for i in $(seq -w 1 "$N"); do cp "$SOURCE" "$work/files/f$i.dcm"; done
# a new SOP Instance UID per copy, so neither side sees duplicates
dcmodify -nb -q -gin "$work"/files/*.dcm

oport=$(free_port); odicom=$(free_port)
mkdir -p "$work/orthanc/db"
cat > "$work/orthanc/orthanc.json" <<JSON
{ "Name": "bench", "HttpPort": $oport, "DicomPort": $odicom, "DicomAet": "ORTHANC", "DicomServerEnabled": true,
  "StorageDirectory": "$work/orthanc/db", "IndexDirectory": "$work/orthanc/db", "DicomCheckCalledAet": false,
  "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "Plugins": [] }
JSON
Orthanc "$work/orthanc/orthanc.json" > "$work/orthanc.log" 2>&1 &
opid=$!
wait_for 60 curl -sf "http://127.0.0.1:$oport/system" >/dev/null

send() { # label aec port
  local start end
  start=$(date +%s.%N)
  storescu -aet "$DICOMFLOW_DIMSE_SCU_AET" -aec "$2" 127.0.0.1 "$3" "$work"/files/*.dcm >&2
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
echo "storescu $(storescu --version | head -1); $N copies of $(basename "$SOURCE") ($(stat -c %s "$SOURCE") bytes)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
t_df=$(send dicomflow "$DICOMFLOW_DIMSE_AET" "$DICOMFLOW_DIMSE_PORT")
t_or=$(send orthanc ORTHANC "$odicom")
stored=$(curl -sf "http://127.0.0.1:$oport/statistics" | python3 -c 'import json,sys; print(json.load(sys.stdin)["CountInstances"])')
python3 - "$N" "$t_df" "$t_or" "$stored" <<'PY'
import sys
n, df, orth, stored = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"dicomflow SCP: {n} files in {df:.2f} s = {n/df:.1f} files/s")
print(f"Orthanc SCP:   {n} files in {orth:.2f} s = {n/orth:.1f} files/s (Orthanc holds {stored} instances)")
print(f"ratio dicomflow/Orthanc: {(n/df)/(n/orth):.2f}")
PY
