#!/usr/bin/env python3
"""make bench: curate side by side with the tools people use today, on the same generated files.

Generates its inputs deterministically, runs every tool under /usr/bin/time -v (wall time, CPU
time, peak RSS) and writes the tables into docs/benchmarks.md (between the bench-table markers) and
.build-bench/results.md. Every value in the generated files is synthetic.

Environment:
  BENCH_MB            size of the `curate read` inputs in MB (default 1024)
  BENCH_RUN_SIZES     sizes in MB of the `curate run` vs pandas-script cases (default 40,200,1024)
  BENCH_SDMX_RUN_MB   size of the SDMX-ML `curate run` case (default 200)
  BENCH_SKIP_RUN=1    leave out every `curate run` case (a quick read-path bench)
  BENCH_DOCS=0        do not touch docs/benchmarks.md (a trial run)
"""
import os, re, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build-bench")
CURATE = os.path.join(ROOT, ".build", "release", "curate")
PY = os.path.join(ROOT, ".venv", "bin", "python")
MB = int(os.environ.get("BENCH_MB", "1024"))
RUN_SIZES = [int(x) for x in os.environ.get("BENCH_RUN_SIZES", os.environ.get("BENCH_RUN_MB", "40,200,1024")).split(",") if x.strip()]
SDMX_RUN_MB = int(os.environ.get("BENCH_SDMX_RUN_MB", "200"))
SKIP_RUN = os.environ.get("BENCH_SKIP_RUN", "") == "1"
WRITE_DOCS = os.environ.get("BENCH_DOCS", "1") != "0"
DOCS = os.path.join(ROOT, "docs", "benchmarks.md")
PANDAS_RUN = os.path.join(ROOT, "Benchmarks", "pandas_run.py")
MEASURES = 10
RUN_YEARS = range(2000, 2025)

def human(n): return f"{n / 1e6:.0f} MB"

# ---- inputs -------------------------------------------------------------------------------------

def gen_csv(path, size, encoding):
    """Long form: year, area, measure, value (thousands separators), unit; about 40 bytes a row."""
    if os.path.exists(path) and os.path.getsize(path) >= size: return count_rows(path)
    rows, i = 0, 0
    with open(path, "wb") as f:
        f.write("年,地域,項目,値,単位\n".encode(encoding))
        while f.tell() < size:
            lines = []
            for _ in range(20000):
                m, area, year = i % MEASURES, (i // MEASURES) % 100000, 1000 + i // (MEASURES * 100000)
                lines.append(f"{year},地域{area:05d},m{m},\"{(i * 7919) % 1000000007:,}\",千円\n")
                i += 1
            f.write("".join(lines).encode(encoding))
            rows += len(lines)
    return rows

def gen_run_csv(path, size):
    """The `curate run` input of issue 13: long form in area order (the primary key is year, area,
    measure, so the file is not in key order), values with thousands separators in 千円, a `-`
    marker in every 1,000th row; about 35 bytes a row."""
    if os.path.exists(path) and os.path.getsize(path) >= size: return count_rows(path)
    rows, area = 0, 0
    with open(path, "wb") as f:
        f.write("年,地域,項目,値,単位\n".encode())
        while f.tell() < size:
            lines = []
            for _ in range(80):
                for year in RUN_YEARS:
                    for m in range(MEASURES):
                        value = "-" if rows % 1000 == 999 else f'"{(rows * 7919) % 1000000007:,}"'
                        lines.append(f"{year},地域{area:06d},m{m},{value},千円\n")
                        rows += 1
                area += 1
            f.write("".join(lines).encode())
    return rows

def gen_sdmx(path, size, generic):
    """SDMX-ML 2.1: StructureSpecificData (attributes) or GenericData (elements), 30 years a series."""
    if os.path.exists(path) and os.path.getsize(path) >= size: return count_obs(path)
    ns = ('xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
          'xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"')
    header = ('<message:Header><message:ID>bench</message:ID><message:Test>false</message:Test><message:Prepared>2026-01-01T00:00:00</message:Prepared>'
              '<message:Sender id="BENCH"/><message:Structure structureID="S" dimensionAtObservation="TIME_PERIOD">'
              '<common:Structure><Ref agencyID="BENCH" id="BENCH_DSD" version="1.0"/></common:Structure></message:Structure></message:Header>\n')
    obs, s = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        if generic:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<message:GenericData {ns} xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">\n'
                     + header + '<message:DataSet structureRef="S">\n')
        else:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData {ns} xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n'
                     + header + '<message:DataSet ss:structureRef="S">\n')
        while f.tell() < size:
            parts = []
            for _ in range(500):
                area, measure = f"A{s // MEASURES:06d}", f"M{s % MEASURES}"
                if generic:
                    parts.append(f'<generic:Series><generic:SeriesKey><generic:Value id="REF_AREA" value="{area}"/><generic:Value id="MEASURE" value="{measure}"/>'
                                 '<generic:Value id="FREQ" value="A"/></generic:SeriesKey><generic:Attributes><generic:Value id="UNIT_MEASURE" value="USD"/>'
                                 '<generic:Value id="UNIT_MULT" value="3"/></generic:Attributes>\n')
                    for y in range(1991, 2021):
                        parts.append(f'<generic:Obs><generic:ObsDimension value="{y}"/><generic:ObsValue value="{(s * 31 + y) % 99991}.5"/></generic:Obs>\n')
                    parts.append("</generic:Series>\n")
                else:
                    parts.append(f'<Series REF_AREA="{area}" MEASURE="{measure}" FREQ="A" UNIT_MEASURE="USD" UNIT_MULT="3">\n')
                    for y in range(1991, 2021):
                        parts.append(f'<Obs TIME_PERIOD="{y}" OBS_VALUE="{(s * 31 + y) % 99991}.5" OBS_STATUS="A"/>\n')
                    parts.append("</Series>\n")
                s += 1; obs += 30
            f.write("".join(parts))
        f.write("</message:DataSet>\n</message:GenericData>\n" if generic else "</message:DataSet>\n</message:StructureSpecificData>\n")
    return obs

def gen_xlsx(path, rows):
    if os.path.exists(path): return rows
    subprocess.run([PY, "-c", f"""
import xlsxwriter
wb = xlsxwriter.Workbook({path!r}, {{"constant_memory": True}})
ws = wb.add_worksheet("data")
ws.write_row(0, 0, ["年", "地域", "項目", "値", "単位"])
for i in range({rows}):
    ws.write_row(i + 1, 0, [1000 + i // 1000000, "地域%05d" % ((i // 10) % 100000), "m%d" % (i % 10), (i * 7919) % 1000000007, "千円"])
wb.close()
"""], check=True)
    return rows

def count_rows(path):
    with open(path, "rb") as f: return sum(1 for _ in f) - 1

def count_obs(path):
    with open(path, "rb") as f: return sum(line.count(b"Obs") for line in f) // (1 if b"generic" not in open(path, "rb").read(400) else 2)

# ---- project for `curate run` -------------------------------------------------------------------

SCHEMA = """schema:
  fields:
    - {name: year, type: integer, constraints: {required: true}}
    - {name: area, type: string}
    - {name: measure, type: string}
    - {name: value, type: number, constraints: {minimum: 0}}
    - {name: unit, type: string}
    - {name: status, type: string}
  primary_key: [year, area, measure]
"""

def project(run_csvs, sdmx):
    """A throwaway project: one pipeline per `curate run` input (`bench-run-<MB>`), and `bench-sdmx`."""
    root = os.path.join(WORK, "project")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "Pipelines", "reference"))
    os.makedirs(os.path.join(root, "Raw"))
    shutil.copy(os.path.join(ROOT, "Pipelines", "reference", "units.yaml"), os.path.join(root, "Pipelines", "reference"))
    measures = "\n".join(f"    - {{row: m{i}, name: m{i}, unit: 千円}}" for i in range(MEASURES))
    for size, csv in run_csvs:
        name = f"bench-run-{size}"
        os.link(csv, os.path.join(root, "Raw", name + ".csv"))
        with open(os.path.join(root, "Pipelines", name + ".yaml"), "w") as f:
            f.write(f"""name: {name}
title: Benchmark input (synthetic)
license: {{name: CC0-1.0, path: https://creativecommons.org/publicdomain/zero/1.0/, title: generated benchmark data}}
source: {{title: generated by make bench, publisher: make bench (synthetic values), url: https://example.org/generated, path: Raw/{name}.csv}}
read: {{format: csv, encoding: utf-8, header_row: 1}}
shape:
  layout: long
  label_column: 項目
  value_column: 値
  unit_column: 単位
  dimension_columns: {{地域: area}}
  period: {{column: 年, field: year, kind: calendar}}
  measures:
{measures}
numbers: {{markers: {{"-": not-available}}}}
{SCHEMA}""")
    if sdmx:
        os.link(sdmx, os.path.join(root, "Raw", "bench.xml"))
        with open(os.path.join(root, "Pipelines", "bench-sdmx.yaml"), "w") as f:
            f.write(f"""name: bench-sdmx
title: Benchmark input (synthetic)
license: {{name: CC0-1.0, path: https://creativecommons.org/publicdomain/zero/1.0/, title: generated benchmark data}}
source: {{title: generated by make bench, publisher: make bench (synthetic values), url: https://example.org/generated, path: Raw/bench.xml}}
read: {{format: sdmx-ml}}
shape:
  layout: observations
  period: {{dimension: TIME_PERIOD, field: year}}
  dimensions: {{REF_AREA: area}}
  measure: {{dimension: MEASURE, map: {{{", ".join(f"M{i}: m{i}" for i in range(MEASURES))}}}}}
  filter: {{FREQ: A}}
  unit: {{id: UNIT_MEASURE, map: {{USD: USD}}, multiplier: UNIT_MULT}}
{SCHEMA}""")
    return root

# ---- running ------------------------------------------------------------------------------------

def timed(cmd, cwd=None, stdout=subprocess.DEVNULL):
    """Wall seconds, CPU seconds (user + system), peak RSS in MB, exit code, the end of stderr."""
    start = time.time()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    seconds = time.time() - start
    def field(name):
        m = re.search(name + r": ([0-9.]+)", p.stderr)
        return float(m.group(1)) if m else float("nan")
    cpu = field(r"User time \(seconds\)") + field(r"System time \(seconds\)")
    rss = field(r"Maximum resident set size \(kbytes\)") / 1024
    return seconds, cpu, rss, p.returncode, p.stderr[-4000:]

def main():
    os.makedirs(WORK, exist_ok=True)
    load = os.getloadavg()[0]
    print(f"make bench: read inputs of {MB} MB; curate run on {'(skipped)' if SKIP_RUN else RUN_SIZES} MB, SDMX run {SDMX_RUN_MB} MB; load {load:.1f}", flush=True)
    csv = os.path.join(WORK, f"long-{MB}.csv"); rows = gen_csv(csv, MB * 1_000_000, "utf-8")
    cp932 = os.path.join(WORK, f"long-{MB}-cp932.csv"); gen_csv(cp932, MB * 1_000_000, "cp932")
    ss = os.path.join(WORK, f"sdmx-ss-{MB}.xml"); ss_obs = gen_sdmx(ss, MB * 1_000_000, False)
    gen = os.path.join(WORK, f"sdmx-generic-{max(1, MB // 5)}.xml"); gen_obs = gen_sdmx(gen, max(1, MB // 5) * 1_000_000, True)
    xlsx_rows = max(1000, MB * 2500)   # about MB/10 of xlsx
    xl = os.path.join(WORK, f"long-{xlsx_rows}.xlsx"); gen_xlsx(xl, xlsx_rows)
    run_csvs, run_rows, run_ss, run_obs = [], {}, None, 0
    if not SKIP_RUN:
        for size in RUN_SIZES:
            path = os.path.join(WORK, f"run-{size}.csv"); run_rows[size] = gen_run_csv(path, size * 1_000_000)
            run_csvs.append((size, path))
        run_ss = os.path.join(WORK, f"sdmx-ss-{SDMX_RUN_MB}.xml"); run_obs = gen_sdmx(run_ss, SDMX_RUN_MB * 1_000_000, False)
    root = project(run_csvs, run_ss)

    results = []
    def add(tool, what, path, count, cmd, cwd=None, scale=1.0, note=""):
        size = os.path.getsize(path)
        seconds, cpu, rss, code, err = timed(cmd, cwd)
        seconds *= scale; cpu *= scale
        if code != 0:
            said = [line for line in err.strip().splitlines() if not line.startswith("\t") and "Command being timed" not in line]
            note = (note + f" exit {code}: " + (said[-1][:120] if said else "")).strip()
        results.append(dict(tool=tool, what=what, size=size, count=count, seconds=seconds, cpu=cpu, rss=rss, note=note, ok=code == 0))
        print(f"  {tool:34} {what:24} {size / 1e6:8.0f} MB {seconds:8.2f} s {cpu:8.2f} cpu-s {size / 1e6 / seconds:8.1f} MB/s {rss:7.0f} MB {note}", flush=True)
        return results[-1]

    add("cat (the floor)", "CSV UTF-8", csv, rows, ["cat", csv])
    add("curate read", "CSV UTF-8", csv, rows, [CURATE, "read", csv, "--encoding", "utf-8"])
    add("curate read", "CSV CP932", cp932, rows, [CURATE, "read", cp932, "--encoding", "cp932"])
    add("pandas read_csv+to_csv (C)", "CSV UTF-8", csv, rows, [PY, "-c", f"import pandas as p; p.read_csv({csv!r}).to_csv('/dev/null')"])
    add("pandas read_csv+to_csv (pyarrow)", "CSV UTF-8", csv, rows, [PY, "-c", f"import pandas as p; p.read_csv({csv!r}, engine='pyarrow').to_csv('/dev/null')"])
    if shutil.which("mlr"): add("miller (mlr cat)", "CSV UTF-8", csv, rows, ["mlr", "--icsv", "--ocsv", "cat", csv])
    fl = os.path.join(ROOT, ".venv", "bin", "frictionless")
    small = run_csvs[0][1] if run_csvs else csv
    add("frictionless validate", "CSV UTF-8", small, count_rows(small), [fl, "validate", "--trusted", small])
    add("cat (the floor)", "SDMX-ML structure-spec.", ss, ss_obs, ["cat", ss])
    add("curate read", "SDMX-ML structure-spec.", ss, ss_obs, [CURATE, "read", ss, "--format", "sdmx-ml"])
    add("curate read", "SDMX-ML generic", gen, gen_obs, [CURATE, "read", gen, "--format", "sdmx-ml"])
    if shutil.which("xmllint"): add("xmllint --stream --noout", "SDMX-ML structure-spec.", ss, ss_obs, ["xmllint", "--stream", "--noout", ss])
    # sdmx1 is slow: a 2 MB slice of the generic file (structure-specific data needs a DSD there),
    # extrapolated to the file's size, and said so.
    slice_path = os.path.join(WORK, "sdmx-slice.xml")
    with open(gen, "rb") as f: head = f.read(2_000_000)
    head = head[: head.rfind(b"</generic:Series>") + len(b"</generic:Series>")] + b"\n</message:DataSet>\n</message:GenericData>\n"
    open(slice_path, "wb").write(head)
    scale = os.path.getsize(gen) / os.path.getsize(slice_path)
    add("sdmx1 read_sdmx+to_pandas", "SDMX-ML generic", gen, gen_obs,
        [PY, "-c", f"import sdmx; m = sdmx.read_sdmx({slice_path!r}); sdmx.to_pandas(m.data[0])"], scale=scale,
        note=f"run on a {os.path.getsize(slice_path) / 1e6:.1f} MB slice, time ×{scale:.0f}")
    add("curate read", "XLSX", xl, xlsx_rows, [CURATE, "read", xl])

    # `curate run` (every stage: read, normalise, sort, check, publish, store) beside the script an
    # analyst writes instead, on the same file, one after the other.
    runs = []
    for size, path in run_csvs:
        out = os.path.join(WORK, f"pandas-run-{size}.csv")
        c = add("curate run (all stages)", f"long CSV {size} MB", path, run_rows[size], [CURATE, "run", f"bench-run-{size}", "--force"], cwd=root)
        p = add("pandas script (same job)", f"long CSV {size} MB", path, run_rows[size], [PY, PANDAS_RUN, path, out])
        if os.path.exists(out): os.remove(out)
        runs.append((size, c, p))
    if run_ss:
        add("curate run (all stages)", "SDMX-ML structure-spec.", run_ss, run_obs, [CURATE, "run", "bench-sdmx", "--force"], cwd=root)

    write_tables(results, runs, load)

def write_tables(results, runs, load):
    reads = {r["what"]: r for r in results if r["tool"] == "curate read"}
    lines = ["| tool | input | size | seconds | CPU s | MB/s | MB/s of CPU | rows/s | peak RSS | curate read is ×faster | note |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        ref = reads.get(r["what"])
        # time per MB of the tool ÷ time per MB of `curate read` on the same kind of input
        ratio = f"{(r['seconds'] / r['size']) / (ref['seconds'] / ref['size']):.2f}" if ref and not r["tool"].startswith("curate") else ""
        mb = r["size"] / 1e6
        lines.append(f"| {r['tool']} | {r['what']} | {mb:.0f} MB | {r['seconds']:.2f} | {r['cpu']:.2f} | {mb / r['seconds']:.1f} | "
                     f"{mb / r['cpu'] if r['cpu'] > 0 else float('nan'):.1f} | {r['count'] / r['seconds']:,.0f} | {r['rss']:.0f} MB | {ratio} | {r['note']} |")
    table = "\n".join(lines) + "\n"
    if runs:
        table += "\n| input | `curate run` s | MB/s | peak RSS | pandas script s | MB/s | peak RSS | curate ×faster |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for size, c, p in runs:
            mb = c["size"] / 1e6
            table += (f"| long CSV {size} MB | {c['seconds']:.2f} | {mb / c['seconds']:.1f} | {c['rss']:.0f} MB | "
                      f"{p['seconds']:.2f} | {mb / p['seconds']:.1f} | {p['rss']:.0f} MB | {p['seconds'] / c['seconds']:.2f} |\n")
    table += "\n" + targets(reads, runs)
    out = os.path.join(WORK, "results.md")
    open(out, "w").write(table)
    print("\n" + table)
    stamp = (f"Recorded by `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: BENCH_MB={MB}, "
             f"BENCH_RUN_SIZES={','.join(map(str, RUN_SIZES)) if runs else '(skipped)'}, BENCH_SDMX_RUN_MB={SDMX_RUN_MB}; "
             f"{os.cpu_count()} cores, load average {load:.1f} at the start.\n\n")
    if WRITE_DOCS and os.path.exists(DOCS):
        text = open(DOCS).read()
        start, end = "<!-- bench-table:start -->", "<!-- bench-table:end -->"
        if start in text and end in text:
            before, rest = text.split(start, 1)
            after = rest.split(end, 1)[1]
            open(DOCS, "w").write(before + start + "\n" + stamp + table + end + after)
            print(f"written to {out} and {DOCS}")
            return
    print(f"written to {out}" + ("" if WRITE_DOCS else " (BENCH_DOCS=0: docs/benchmarks.md left as it is)"))

def targets(reads, runs):
    """Issue 13's targets, each judged on this run's figures."""
    rows = ["| target | measured | status |", "|---|---|---|"]
    def judge(name, measured, ok):
        rows.append(f"| {name} | {measured} | {'met' if ok else '**not met**'} |")
    def mbs(r): return r["size"] / 1e6 / r["seconds"]
    if "CSV UTF-8" in reads:
        r = reads["CSV UTF-8"]; judge("`curate read` CSV UTF-8 ≥ 200 MB/s, ≤ 64 MB", f"{mbs(r):.0f} MB/s, {r['rss']:.0f} MB", r["ok"] and mbs(r) >= 200 and r["rss"] <= 64)
    if "CSV CP932" in reads:
        r = reads["CSV CP932"]; judge("`curate read` CSV CP932 ≥ 120 MB/s, ≤ 64 MB", f"{mbs(r):.0f} MB/s, {r['rss']:.0f} MB", r["ok"] and mbs(r) >= 120 and r["rss"] <= 64)
    if "SDMX-ML structure-spec." in reads:
        r = reads["SDMX-ML structure-spec."]; judge("`curate read` SDMX-ML ≥ 150 MB/s, ≤ 64 MB", f"{mbs(r):.0f} MB/s, {r['rss']:.0f} MB", r["ok"] and mbs(r) >= 150 and r["rss"] <= 64)
    mid = next(((s, c, p) for s, c, p in runs if s == 200), runs[len(runs) // 2] if runs else None)
    if mid:
        s, c, p = mid
        judge(f"`curate run` on {s} MB ≥ 5× the pandas script, ≤ 128 MB", f"{p['seconds'] / c['seconds']:.1f}×, {c['rss']:.0f} MB",
              c["ok"] and p["seconds"] / c["seconds"] >= 5 and c["rss"] <= 128)
    if len(runs) >= 2:
        (s0, c0, _), (s1, c1, _) = runs[0], runs[-1]
        judge(f"flat: RSS at {s1} MB ≤ 1.25× RSS at {s0} MB", f"{c1['rss']:.0f} MB vs {c0['rss']:.0f} MB ({c1['rss'] / c0['rss']:.2f}×)",
              c0["ok"] and c1["ok"] and c1["rss"] <= 1.25 * c0["rss"])
    return "\n".join(rows) + "\n"

if __name__ == "__main__":
    main()
