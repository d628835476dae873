#!/usr/bin/env python3
"""Opens every Curated/*/report.html and Curated/index.html in headless Chromium and checks what
renders against what the data says:

- each report's charts: one `g.series` per measure x category combination of data.csv (the
  primary-key fields other than the period and `measure`), with the labels and the number of
  points the data has, every point drawn inside its chart;
- Japanese text is drawn with a Japanese font (never a box);
- no console error, no uncaught exception, no failed load;
- every link and anchor on the page points at a file (or element) that exists;
- index.html lists every dataset of catalog.json.

Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe): the standard
library is enough, no driver to install. `--screenshot OUT.png PAGE` saves a full-page screenshot
(docs/report-screenshot.png) instead.

Usage: check-reports.py [--curated DIR] [--chromium PATH] [--screenshot OUT PAGE]
"""
import argparse
import base64
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

CJK = lambda s: any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in s)


class Chromium:
    """A headless Chromium driven over --remote-debugging-pipe (fd 3: commands in, fd 4: out)."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="curate-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes on fd 4.
        def child():
            # Either end may already sit on 3 or 4: move both out of the way first.
            commands, replies = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(commands, 3)
            os.dup2(replies, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)
        args = [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--user-data-dir=" + self.profile, "--window-size=1280,900", "about:blank"]
        # The pipe ends are not inheritable; the copies dup2 makes on 3 and 4 are (close_fds would
        # close them again after preexec_fn).
        self.process = subprocess.Popen(args, preexec_fn=child, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session, timeout=30):
        deadline = time.time() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def open(self, path):
        """Opens a page in a fresh tab; returns the session, after the load event."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "DOM", "CSS"):
            self.send(domain + ".enable", session=session)
        self.events = [e for e in self.events if e.get("sessionId") != session]
        self.send("Page.navigate", {"url": "file://" + urllib.parse.quote(os.path.abspath(path))}, session=session)
        self.wait_for("Page.loadEventFired", session)
        return target, session

    def evaluate(self, session, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"]["value"]

    def problems(self, session):
        """Console errors, uncaught exceptions and failed loads seen on the page."""
        out = []
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append("exception: " + params["exceptionDetails"].get("text", ""))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append("log error: " + params["entry"].get("text", "") + " " + params["entry"].get("url", ""))
        return out

    def close_tab(self, target):
        self.send("Target.closeTarget", {"targetId": target})

    def quit(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# What the page shows, read in the browser after layout.
PAGE_FACTS = r"""(() => {
  const charts = [...document.querySelectorAll('figure.chart')].map(f => {
    const svg = f.querySelector('svg'), box = svg.getBoundingClientRect();
    return {
      measure: f.dataset.measure,
      width: box.width, height: box.height,
      series: [...f.querySelectorAll('g.series')].map(g => ({
        label: g.dataset.series,
        points: [...g.querySelectorAll('circle')].filter(c => c.querySelector('title')).map(c => {
          const r = c.getBoundingClientRect();
          return [r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top];
        }),
      })),
      legend: f.querySelectorAll('ul.legend li').length,
    };
  });
  const omitted = document.querySelector('.charts-omitted');
  const links = [...document.querySelectorAll('[href],[src]')].map(e => e.getAttribute('href') ?? e.getAttribute('src'));
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const datasets = [...document.querySelectorAll('tr[data-dataset]')].map(r => r.dataset.dataset);
  // The first element whose own text is Japanese, marked so that its rendered fonts can be asked for.
  let japanese = null;
  for (const e of document.querySelectorAll('body *')) {
    const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
    if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(own) && e.getClientRects().length) { e.setAttribute('data-cjk-probe', ''); japanese = own.trim(); break; }
  }
  return {charts, omitted: omitted ? Number(omitted.dataset.series) : null, links, ids, datasets, japanese};
})()"""

JAPANESE_FONTS = ("Noto Sans CJK", "Noto Sans JP", "IPAexGothic", "IPAGothic", "IPAPGothic", "Hiragino", "Yu Gothic", "Meiryo")


def expected_series(dataset_dir, entry):
    """measure -> {series label: number of points}, from data.csv and its Table Schema, grouped as
    the report groups them. None when the report does not describe data.csv (the latest run failed)."""
    if entry.get("status") != "published":
        return None
    coverage = entry.get("coverage")
    if not coverage:
        return {}
    with open(os.path.join(dataset_dir, "datapackage.json"), encoding="utf-8") as f:
        package = json.load(f)
    schema = next(r for r in package["resources"] if r["name"] == "data")["schema"]
    types = {field["name"]: field["type"] for field in schema["fields"]}
    period = coverage["field"]
    if types.get(period) not in ("integer", "year") or "value" not in types:
        return {}
    categories = [k for k in schema.get("primaryKey", []) if k not in (period, "measure")]
    out = {}
    with open(os.path.join(dataset_dir, "data.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            try:
                int(row[period])
                float(row["value"])
            except (ValueError, TypeError):
                continue
            measure = row["measure"] if "measure" in types else "value"
            label = " · ".join(row[k] for k in categories) or measure
            out.setdefault(measure, {}).setdefault(label, 0)
            out[measure][label] += 1
    return out


def check_links(page, facts):
    problems = []
    base = os.path.dirname(os.path.abspath(page))
    for link in facts["links"]:
        parsed = urllib.parse.urlparse(link)
        if parsed.scheme in ("http", "https", "mailto"):
            problems.append(f"external link {link} (pages must be self-contained)")
            continue
        if parsed.scheme not in ("", "file"):
            continue
        if parsed.path:
            target = os.path.normpath(os.path.join(base, urllib.parse.unquote(parsed.path)))
            if not os.path.exists(target):
                problems.append(f"broken link {link}")
        elif parsed.fragment and parsed.fragment not in facts["ids"]:
            problems.append(f"broken anchor {link}")
    return problems


def check_charts(facts, expected):
    problems = []
    drawn = {}
    for chart in facts["charts"]:
        if chart["width"] <= 0 or chart["height"] <= 0:
            problems.append(f"chart {chart['measure']} is not rendered")
        if chart["legend"] != len(chart["series"]):
            problems.append(f"chart {chart['measure']}: {chart['legend']} legend entries for {len(chart['series'])} series")
        for series in chart["series"]:
            drawn.setdefault(chart["measure"], {})[series["label"]] = len(series["points"])
            for x, y in series["points"]:
                if not (0 <= x <= chart["width"] and 0 <= y <= chart["height"]):
                    problems.append(f"chart {chart['measure']}: a point of {series['label']} is drawn outside the chart ({x:.0f}, {y:.0f})")
    if expected is None:
        return problems, drawn
    if facts["omitted"] is not None:
        total = sum(len(s) for s in expected.values())
        if facts["omitted"] != total:
            problems.append(f"page says {facts['omitted']} series; data.csv has {total}")
        return problems, drawn
    for measure in sorted(set(expected) | set(drawn)):
        want, got = expected.get(measure, {}), drawn.get(measure, {})
        if len(want) != len(got):
            problems.append(f"measure {measure}: {len(got)} series drawn, data.csv has {len(want)} ({', '.join(sorted(want))})")
        for label in sorted(set(want) | set(got)):
            if want.get(label) != got.get(label):
                problems.append(f"measure {measure}, series {label}: {got.get(label, 0)} points drawn, data.csv has {want.get(label, 0)}")
    return problems, drawn


def check_japanese_font(browser, session, facts):
    if not facts["japanese"]:
        return []
    root = browser.send("DOM.getDocument", {"depth": 0}, session=session)["root"]["nodeId"]
    node = browser.send("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"}, session=session)["nodeId"]
    fonts = browser.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
    names = [f["familyName"] for f in fonts]
    if not any(any(j.lower() in n.lower() for j in JAPANESE_FONTS) for n in names):
        return [f"Japanese text {facts['japanese'][:20]!r} is drawn with {names}, not a Japanese font"]
    return []


def check_folder(browser, curated, quiet=False):
    """Checks every page of a Curated/ folder; returns {page: [problems]} and prints a line per page."""
    with open(os.path.join(curated, "catalog.json"), encoding="utf-8") as f:
        catalog = {d["name"]: d for d in json.load(f)["datasets"]}
    pages = sorted(os.path.join(curated, d, "report.html") for d in os.listdir(curated)
                   if os.path.isfile(os.path.join(curated, d, "report.html")))
    pages.append(os.path.join(curated, "index.html"))
    results = {}
    for page in pages:
        if not os.path.isfile(page):
            results[page] = ["missing"]
            if not quiet:
                print(f"browser: {page} FAILED: missing")
            continue
        target, session = browser.open(page)
        facts = browser.evaluate(session, PAGE_FACTS)
        problems = check_links(page, facts) + check_japanese_font(browser, session, facts)
        if page.endswith("index.html"):
            missing = sorted(set(catalog) - set(facts["datasets"]))
            extra = sorted(set(facts["datasets"]) - set(catalog))
            if missing or extra:
                problems.append(f"datasets missing {missing}, not in catalog.json {extra}")
            summary = f"{len(facts['datasets'])} datasets"
        else:
            dataset = os.path.basename(os.path.dirname(page))
            chart_problems, drawn = check_charts(facts, expected_series(os.path.dirname(page), catalog.get(dataset, {})))
            problems += chart_problems
            summary = ", ".join(f"{m}: {len(s)} series" for m, s in drawn.items()) or "no charts"
        problems += browser.problems(session)
        browser.close_tab(target)
        results[page] = problems
        if quiet:
            continue
        if problems:
            print(f"browser: {page} FAILED")
            for problem in problems:
                print("    " + problem)
        else:
            print(f"browser: {page} ok ({summary})")
    return results


def self_test(browser, curated):
    """The check must fail on pages that are wrong: a copy of Curated/ with a series taken out of a
    chart, a broken link and a console error must give exactly those three problems."""
    scratch = tempfile.mkdtemp(prefix="curate-browser-selftest-")
    try:
        copy = os.path.join(scratch, "Curated")
        shutil.copytree(curated, copy, ignore=shutil.ignore_patterns("releases", "*.sqlite", ".state", ".curate.lock"))
        with open(os.path.join(copy, "catalog.json"), encoding="utf-8") as f:
            catalog = {d["name"]: d for d in json.load(f)["datasets"]}
        broken = {}
        # Take one series out of the first published report that has charts.
        for name in sorted(catalog):
            page = os.path.join(copy, name, "report.html")
            if catalog[name].get("status") != "published" or not os.path.isfile(page):
                continue
            text = open(page, encoding="utf-8").read()
            start = text.find('<g class="series"')
            if start < 0:
                continue
            end = text.index("</g>", start) + 4
            open(page, "w", encoding="utf-8").write(text[:start] + text[end:])
            broken[page] = "series"
            break
        index = os.path.join(copy, "index.html")
        text = open(index, encoding="utf-8").read()
        open(index, "w", encoding="utf-8").write(text.replace("</body>", '<a href="no-such-dataset/data.csv">x</a><script>console.error("boom")</script></body>'))
        results = check_folder(browser, copy, quiet=True)
        bad = {page for page, problems in results.items() if problems}
        want = set(broken) | {index}
        ok = bad == want and any("broken link" in p for p in results[index]) and any("boom" in p for p in results[index])
        ok = ok and all(any("series drawn" in p for p in results[page]) for page in broken)
        print("browser: self-test " + ("ok: the check fails on a missing series, a broken link and a console error"
                                       if ok and broken else f"FAILED: problems found on {sorted(bad)}, expected {sorted(want)}"))
        return ok and bool(broken)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--curated", default="Curated")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    parser.add_argument("--screenshot", nargs=2, metavar=("OUT", "PAGE"))
    parser.add_argument("--self-test", action="store_true", help="also check that broken copies of the pages fail")
    args = parser.parse_args()
    browser = Chromium(args.chromium)
    try:
        if args.screenshot:
            out, page = args.screenshot
            target, session = browser.open(page)
            data = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)["data"]
            with open(out, "wb") as f:
                f.write(base64.b64decode(data))
            print(f"browser: screenshot of {page} in {out}")
            return 0
        failed = any(check_folder(browser, args.curated).values())
        if args.self_test and not self_test(browser, args.curated):
            failed = True
        return 1 if failed else 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())
