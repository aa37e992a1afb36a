#!/usr/bin/env bash
# Runs the JMH benchmarks and dcmdump on the same corpus files in one go; writes bench/target/results/.
# Usage (from the repository root):
#   ./mvnw -q -pl common -am install -DskipTests && ./mvnw -q -f bench/pom.xml package && bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/target/results
mkdir -p "$out"
corpus=common/src/test/resources/corpus/dicom
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "dcmdump: $(dcmdump --version 2>&1 | head -1)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

java -jar bench/target/benchmarks.jar -rf json -rff "$out/jmh.json" -p corpus="$corpus" \
  HeaderParseBenchmark PixelStatisticsBenchmark | tee "$out/jmh.txt"

# dcmdump over the same files in one process (no per-file process start), stopping before the pixel data
files=$(ls "$corpus"/*.dcm | wc -l)
for run in 1 2 3; do
  start=$(date +%s.%N)
  dcmdump -q -M +sb 7fe0,0010 "$corpus"/*.dcm > /dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "dcmdump run $run: $files files in $(echo "$end - $start" | bc) s" | tee -a "$out/dcmdump.txt"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
