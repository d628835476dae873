#!/usr/bin/env python3
"""make bench: curate side by side with the tools people use today, on the same generated files.

Generates its inputs deterministically (sizes from BENCH_MB, default 1024), runs every tool under
/usr/bin/time -v (wall time, peak RSS) and writes a Markdown table to docs/benchmarks.md.
Every value in the generated files is synthetic.
"""
import os, re, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build-bench")
CURATE = os.path.join(ROOT, ".build", "release", "curate")
PY = os.path.join(ROOT, ".venv", "bin", "python")
MB = int(os.environ.get("BENCH_MB", "1024"))
RUN_MB = int(os.environ.get("BENCH_RUN_MB", str(min(MB, 100))))  # `curate run` holds the whole table in memory: 100 MB by default
MEASURES = 10

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

def project(csv, csv_cp932, sdmx):
    root = os.path.join(WORK, "project")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "Pipelines", "reference"))
    os.makedirs(os.path.join(root, "Raw"))
    shutil.copy(os.path.join(ROOT, "Pipelines", "reference", "units.yaml"), os.path.join(root, "Pipelines", "reference"))
    for src, name in [(csv, "bench.csv"), (csv_cp932, "bench-cp932.csv"), (sdmx, "bench.xml")]:
        os.link(src, os.path.join(root, "Raw", name))
    measures = "\n".join(f"    - {{row: m{i}, name: m{i}, unit: 千円}}" for i in range(MEASURES))
    schema = """schema:
  fields:
    - {name: year, type: integer, constraints: {required: true}}
    - {name: area, type: string}
    - {name: measure, type: string}
    - {name: value, type: number, constraints: {minimum: 0}}
    - {name: unit, type: string}
  primary_key: [year, area, measure]
"""
    for name, raw, enc in [("bench-csv", "bench.csv", "utf-8"), ("bench-csv-cp932", "bench-cp932.csv", "shift_jis")]:
        with open(os.path.join(root, "Pipelines", name + ".yaml"), "w") as f:
            f.write(f"""name: {name}
title: Benchmark input (synthetic)
source: {{title: generated by make bench, path: Raw/{raw}}}
read: {{format: csv, encoding: {enc}, header_row: 1}}
shape:
  layout: long
  label_column: 項目
  value_column: 値
  unit_column: 単位
  dimension_columns: {{地域: area}}
  period: {{column: 年, field: year, kind: calendar}}
  measures:
{measures}
{schema}""")
    with open(os.path.join(root, "Pipelines", "bench-sdmx.yaml"), "w") as f:
        f.write(f"""name: bench-sdmx
title: Benchmark input (synthetic)
source: {{title: generated by make bench, path: Raw/bench.xml}}
read: {{format: sdmx-ml}}
shape:
  layout: observations
  period: {{dimension: TIME_PERIOD, field: year}}
  dimensions: {{REF_AREA: area}}
  measure: {{dimension: MEASURE, map: {{{", ".join(f"M{i}: m{i}" for i in range(MEASURES))}}}}}
  filter: {{FREQ: A}}
  unit: {{id: UNIT_MEASURE, map: {{USD: USD}}, multiplier: UNIT_MULT}}
{schema.replace("area", "area")}""")
    return root

# ---- running ------------------------------------------------------------------------------------

def timed(cmd, cwd=None, stdout=subprocess.DEVNULL):
    start = time.time()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    seconds = time.time() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return seconds, (int(rss.group(1)) / 1024 if rss else float("nan")), p.returncode, p.stderr[-600:]

def main():
    os.makedirs(WORK, exist_ok=True)
    print(f"make bench: inputs of {MB} MB (curate run on {RUN_MB} MB)", flush=True)
    csv = os.path.join(WORK, f"long-{MB}.csv"); rows = gen_csv(csv, MB * 1_000_000, "utf-8")
    cp932 = os.path.join(WORK, f"long-{MB}-cp932.csv"); gen_csv(cp932, MB * 1_000_000, "cp932")
    ss = os.path.join(WORK, f"sdmx-ss-{MB}.xml"); ss_obs = gen_sdmx(ss, MB * 1_000_000, False)
    gen = os.path.join(WORK, f"sdmx-generic-{MB // 5}.xml"); gen_obs = gen_sdmx(gen, MB // 5 * 1_000_000, True)
    xlsx_rows = max(1000, MB * 2500)   # about MB/10 of xlsx
    xl = os.path.join(WORK, f"long-{xlsx_rows}.xlsx"); gen_xlsx(xl, xlsx_rows)
    run_csv = os.path.join(WORK, f"long-{RUN_MB}.csv"); run_rows = gen_csv(run_csv, RUN_MB * 1_000_000, "utf-8")
    run_cp932 = os.path.join(WORK, f"long-{RUN_MB}-cp932.csv"); gen_csv(run_cp932, RUN_MB * 1_000_000, "cp932")
    run_ss = os.path.join(WORK, f"sdmx-ss-{RUN_MB}.xml"); run_obs = gen_sdmx(run_ss, RUN_MB * 1_000_000, False)
    root = project(run_csv, run_cp932, run_ss)

    results = []
    def add(tool, what, path, count, cmd, cwd=None, scale=1.0, note=""):
        size = os.path.getsize(path)
        seconds, rss, code, err = timed(cmd, cwd)
        seconds *= scale
        if code != 0: note = (note + f" exit {code}: " + err.strip().splitlines()[-1][:120]).strip()
        results.append((tool, what, size, count, seconds, rss, note))
        print(f"  {tool:34} {what:22} {size / 1e6:8.0f} MB {seconds:8.2f} s {size / 1e6 / seconds:8.1f} MB/s {rss:7.0f} MB {note}", flush=True)

    add("cat (the floor)", "CSV UTF-8", csv, rows, ["cat", csv])
    add("curate read", "CSV UTF-8", csv, rows, [CURATE, "read", csv, "--encoding", "utf-8"])
    add("curate read", "CSV CP932", cp932, rows, [CURATE, "read", cp932, "--encoding", "cp932"])
    add("curate run (all stages)", "CSV UTF-8", run_csv, run_rows, [CURATE, "run", "bench-csv", "--force"], cwd=root)
    add("curate run (all stages)", "CSV CP932", run_cp932, run_rows, [CURATE, "run", "bench-csv-cp932", "--force"], cwd=root)
    add("pandas read_csv+to_csv (C)", "CSV UTF-8", csv, rows, [PY, "-c", f"import pandas as p; p.read_csv({csv!r}).to_csv('/dev/null')"])
    add("pandas read_csv+to_csv (pyarrow)", "CSV UTF-8", csv, rows, [PY, "-c", f"import pandas as p; p.read_csv({csv!r}, engine='pyarrow').to_csv('/dev/null')"])
    if shutil.which("mlr"): add("miller (mlr cat)", "CSV UTF-8", csv, rows, ["mlr", "--icsv", "--ocsv", "cat", csv])
    fl = os.path.join(ROOT, ".venv", "bin", "frictionless")
    add("frictionless validate", "CSV UTF-8", run_csv, run_rows, [fl, "validate", "--trusted", run_csv])
    add("cat (the floor)", "SDMX-ML structure-spec.", ss, ss_obs, ["cat", ss])
    add("curate read", "SDMX-ML structure-spec.", ss, ss_obs, [CURATE, "read", ss, "--format", "sdmx-ml"])
    add("curate read", "SDMX-ML generic", gen, gen_obs, [CURATE, "read", gen, "--format", "sdmx-ml"])
    add("curate run (all stages)", "SDMX-ML structure-spec.", run_ss, run_obs, [CURATE, "run", "bench-sdmx", "--force"], cwd=root)
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

    write_table(results)

def write_table(results):
    curate = {(w): r for r in results for w in [r[1]] if r[0] == "curate read"}
    lines = ["| tool | input | size | seconds | MB/s | rows/s | peak RSS | curate read is ×faster | note |", "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for tool, what, size, count, seconds, rss, note in results:
        ref = curate.get(what)
        # time per MB of the tool ÷ time per MB of `curate read` on the same kind of input
        ratio = f"{(seconds / size) / (ref[4] / ref[2]):.2f}" if ref and not tool.startswith("curate") else ""
        lines.append(f"| {tool} | {what} | {size / 1e6:.0f} MB | {seconds:.2f} | {size / 1e6 / seconds:.1f} | {count / seconds:,.0f} | {rss:.0f} MB | {ratio} | {note} |")
    table = "\n".join(lines) + "\n"
    out = os.path.join(WORK, "results.md")
    open(out, "w").write(table)
    print("\n" + table)
    print(f"written to {out}; docs/benchmarks.md holds the table of a recorded run")

if __name__ == "__main__":
    main()
