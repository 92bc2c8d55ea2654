#!/bin/sh
# Run each libFuzzer target for a bounded time, one after the other, on one core, and write
# the figures (executions, coverage, corpus, crashes) to tools/core-tests/REPORT-fuzz.md.
#   usage: run-fuzz.sh <build-dir> <seconds> <target>...
set -u
build=$1; secs=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
report="$here/../REPORT-fuzz.md"
g++ -std=c++17 -O1 "$here/make-seeds.cpp" -lz -o "$build/make-seeds" || exit 1
rm -rf "$build/seeds" && "$build/make-seeds" "$build/seeds" || exit 1
{
  echo "# Fuzzing the readers of outside bytes"
  echo
  echo "\`make fuzz FUZZ_SECONDS=$secs\` on $(date -u +%Y-%m-%d) ($(clang++ --version | head -n 1);"
  echo "\`-fsanitize=fuzzer,address,undefined\`, one process, $secs s per target). Seeds are made by"
  echo "\`fuzz/make-seeds.cpp\`; each run starts from them plus the corpus of earlier runs in \`$build/corpus\`."
  echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (executions per second depend on it)."
  echo
  echo "| target | executions | exec/s | coverage (edges) | features | corpus | crashes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$report.tmp"
status=0
for t in "$@"; do
  mkdir -p "$build/corpus/$t" "$build/crashes/$t"
  log="$build/$t.log"
  (cd "$build/crashes/$t" && ASAN_OPTIONS=detect_leaks=1 "../../$t" -max_total_time="$secs" -rss_limit_mb=2048 \
      -max_len=8192 -timeout=10 -print_final_stats=1 "../../corpus/$t" "../../seeds/$t") > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  corp=$(ls "$build/corpus/$t" | wc -l)
  crashes=$(ls "$build/crashes/$t" | grep -c -E '^(crash|leak|timeout|oom)-' || true)
  [ "$rc" -ne 0 ] && status=1
  echo "| $t | ${execs:-?} | ${speed:-?} | ${cov:-?} | ${ft:-?} | $corp | $crashes |" >> "$report.tmp"
  echo "$t: $execs executions, coverage $cov edges, $crashes crashes (exit $rc)"
done
{
  echo
  echo "Coverage is libFuzzer's count of instrumented edges reached (\`cov:\`), features its finer"
  echo "measure (\`ft:\`). A crash input is kept in \`$build/crashes/<target>/\`; each one found so far is a"
  echo "regression test in \`tools/core-tests/\` (see README.md)."
} >> "$report.tmp"
mv "$report.tmp" "$report"
exit $status
