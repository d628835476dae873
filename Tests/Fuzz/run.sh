#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets and runs each for FUZZ_SECONDS on a corpus seeded from the
# test fixtures; prints a Markdown table of executions, coverage and findings. Crashes are kept in
# .build-fuzz/artifacts/<target>/ and make the run fail: each one becomes a regression test.
set -uo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
export LSAN_OPTIONS="suppressions=$PWD/Tests/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
BUILD=.build-fuzz
FLAGS=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
TARGETS=(fuzz-csv fuzz-encoding fuzz-sdmx-ml fuzz-sdmx-csv fuzz-estat fuzz-xlsx fuzz-numbers fuzz-periods fuzz-units)
mkdir -p "$BUILD"
swift build --package-path Tests/Fuzz --scratch-path "$BUILD" "${FLAGS[@]}" >"$BUILD/build.log" 2>&1 || { tail -30 "$BUILD/build.log"; exit 1; }

seed() {  # target → files to start from
  local dir=$BUILD/corpus/$1; mkdir -p "$dir"
  case $1 in
    fuzz-csv|fuzz-encoding) cp Tests/IngestTests/Fixtures/csv/*.csv Raw/mext/joint-research/*.csv "$dir"/ ;;
    fuzz-sdmx-ml) cp Tests/IngestTests/Fixtures/sdmx/ECB_EXR/ng-*.xml Tests/IngestTests/Fixtures/sdmx/ESTAT/*.xml Tests/IngestTests/Fixtures/sdmx/IMF_RES/*.xml "$dir"/ ;;
    fuzz-sdmx-csv) cp Tests/IngestTests/Fixtures/sdmx-csv/*.csv "$dir"/ ;;
    fuzz-estat) cp Tests/IngestTests/Fixtures/estat/*.xml "$dir"/ ;;
    fuzz-xlsx) cp Tests/IngestTests/Fixtures/xlsx/printed-table.xlsx Tests/IngestTests/Fixtures/xlsx/inline-strings.xlsx Tests/IngestTests/Fixtures/xlsx/zip-slip.xlsx "$dir"/ ;;
    fuzz-numbers) i=0; for s in "16,925" "△1,028" "１，２３４．５" "8.93E+10" "(123)" "約34" "2/3" "12.5%" "x" "893億円"; do printf '%s' "$s" > "$dir/s$((i++))"; done ;;
    fuzz-periods) i=0; for s in "平成24年度" "令和元年度" "R5" "二〇二一年" "2021-Q1" "2021-M03" "2021-W53" "2020-D366" "2021100000" "平成32年度"; do printf '%s' "$s" > "$dir/s$((i++))"; done ;;
    fuzz-units) i=0; for s in "（単位：件、億円）" "十億円" "千人" "3割" "ｲﾉﾍﾞｰｼｮﾝ"; do printf '%s' "$s" > "$dir/s$((i++))"; done ;;
  esac
}

failed=0
echo "| target | seconds | executions | exec/s | coverage (edges) | corpus | findings |"
echo "|---|---:|---:|---:|---:|---:|---|"
for t in "${TARGETS[@]}"; do
  seed "$t"
  rm -rf "$BUILD/artifacts/$t"; mkdir -p "$BUILD/artifacts/$t"   # findings of this run only
  log=$BUILD/$t.log
  "$BUILD/debug/$t" "$BUILD/corpus/$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$BUILD/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  corpus=$(ls "$BUILD/corpus/$t" | wc -l)
  found=$(ls "$BUILD/artifacts/$t" | wc -l)
  if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then failed=1; finding="**$found crash(es)** — see $BUILD/artifacts/$t"; else finding="none"; fi
  echo "| $t | $SECONDS_EACH | ${runs:-?} | ${rate:-?} | ${cov:-?} | $corpus | $finding |"
done
exit $failed
