#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets and runs each on a corpus seeded from the test fixtures and
# Tests/Fuzz/Corpus/<target>/ (kept in the repository, minimised); prints a Markdown table of
# executions, speed, coverage and findings. Crashes are kept in <build>/crashes/<target>/ (not artifacts/: SwiftPM owns that folder of a scratch path) and make
# the run fail: each one becomes a regression test.
#
# Two modes (FUZZ_MODE):
#   short (default): AddressSanitizer + LeakSanitizer (per-input leak detection on), debug build,
#                    FUZZ_SECONDS each (default 60). Finds memory errors; slow (hundreds to thousands
#                    of executions a second).
#   long:            throughput build: release, libFuzzer coverage only, no ASan; FUZZ_RUNS executions
#                    each (default 10,000,000), inputs up to FUZZ_MAX_LEN bytes (default 4096),
#                    FUZZ_JOBS targets at a time (default 1); FUZZ_MAX_SECONDS caps a target's time
#                    (default 0: none). Finds traps, hangs and runaway memory.
# FUZZ_TARGETS="fuzz-csv fuzz-spec" picks targets; FUZZ_MERGE=1 merges what a run found into
# Tests/Fuzz/Corpus/ (only inputs that add coverage).
set -uo pipefail
cd "$(dirname "$0")/../.."
MODE=${FUZZ_MODE:-short}
SECONDS_EACH=${FUZZ_SECONDS:-60}
RUNS=${FUZZ_RUNS:-10000000}
MAX_LEN=${FUZZ_MAX_LEN:-4096}
JOBS=${FUZZ_JOBS:-1}
export LSAN_OPTIONS="suppressions=$PWD/Tests/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ALL=(fuzz-csv fuzz-encoding fuzz-sdmx-ml fuzz-sdmx-csv fuzz-estat fuzz-xlsx fuzz-numbers fuzz-periods fuzz-units fuzz-spec)
read -r -a TARGETS <<< "${FUZZ_TARGETS:-${ALL[*]}}"
case $MODE in
  short) BUILD=.build-fuzz; CONFIG=debug
         FLAGS=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
         LIMIT=(-max_total_time="$SECONDS_EACH") ;;
  long)  BUILD=.build-fuzz-fast; CONFIG=release
         FLAGS=(-c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
         LIMIT=(-runs="$RUNS" -max_len="$MAX_LEN" -max_total_time="${FUZZ_MAX_SECONDS:-0}") ;;
  *) echo "FUZZ_MODE is short or long"; exit 2 ;;
esac
mkdir -p "$BUILD"
for t in "${TARGETS[@]}"; do
  swift build --package-path Tests/Fuzz --scratch-path "$BUILD" "${FLAGS[@]}" --product "$t" >>"$BUILD/build.log" 2>&1 \
    || { tail -30 "$BUILD/build.log"; exit 1; }
done

seed() {  # target → files to start from
  local dir=$BUILD/corpus/$1; mkdir -p "$dir"
  [ -d "Tests/Fuzz/Corpus/$1" ] && cp Tests/Fuzz/Corpus/"$1"/* "$dir"/ 2>/dev/null
  case $1 in
    fuzz-csv|fuzz-encoding) cp Tests/IngestTests/Fixtures/csv/*.csv Raw/mext/joint-research/*.csv "$dir"/ ;;
    fuzz-sdmx-ml) cp Tests/IngestTests/Fixtures/sdmx/ECB_EXR/ng-*.xml Tests/IngestTests/Fixtures/sdmx/ESTAT/*.xml Tests/IngestTests/Fixtures/sdmx/IMF_RES/*.xml "$dir"/ ;;
    fuzz-sdmx-csv) cp Tests/IngestTests/Fixtures/sdmx-csv/*.csv "$dir"/ ;;
    fuzz-estat) cp Tests/IngestTests/Fixtures/estat/*.xml "$dir"/ ;;
    fuzz-xlsx) cp Tests/IngestTests/Fixtures/xlsx/printed-table.xlsx Tests/IngestTests/Fixtures/xlsx/inline-strings.xlsx Tests/IngestTests/Fixtures/xlsx/zip-slip.xlsx "$dir"/ ;;
    fuzz-spec) cp Pipelines/*.yaml "$dir"/ ;;
  esac
}

run_one() {  # target → one table row
  local t=$1 log=$BUILD/$1.log start status runs rate cov corpus found finding
  seed "$t"
  rm -rf "$BUILD/crashes/$t"; mkdir -p "$BUILD/crashes/$t"   # findings of this run only
  start=$(date +%s)
  "$BUILD/$CONFIG/$t" "$BUILD/corpus/$t" "${LIMIT[@]}" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$BUILD/crashes/$t/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  corpus=$(ls "$BUILD/corpus/$t" | wc -l)
  found=$(ls "$BUILD/crashes/$t" | wc -l)
  if grep -q 'disabled leak detection' "$log"; then finding="leak detection switched itself off; "; else finding=""; fi
  if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then finding+="**$found crash(es), exit $status** — see $BUILD/crashes/$t"; else finding+="none"; fi
  if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$status" -eq 0 ]; then
    mkdir -p "Tests/Fuzz/Corpus/$t"
    "$BUILD/$CONFIG/$t" -merge=1 -max_len="$MAX_LEN" "Tests/Fuzz/Corpus/$t" "$BUILD/corpus/$t" >>"$log.merge" 2>&1
  fi
  echo "| $t | $MODE | $(( $(date +%s) - start )) | ${runs:-?} | ${rate:-?} | ${cov:-?} | $corpus | $finding |"
}

echo "| target | mode | seconds | executions | exec/s | coverage (edges) | corpus | findings |"
echo "|---|---|---:|---:|---:|---:|---:|---|"
failed=0
running=0
for t in "${TARGETS[@]}"; do
  run_one "$t" > "$BUILD/$t.row" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
for t in "${TARGETS[@]}"; do
  cat "$BUILD/$t.row"
  grep -q '| none |$' "$BUILD/$t.row" || failed=1
done
exit $failed
