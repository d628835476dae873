# curate: `make run` runs every pipeline on Raw/; `make test` runs the test suite.
# Both install what they need first (libxml2 headers, pkg-config, SQLite headers).
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_PACKAGES := libxml2-dev pkg-config libsqlite3-dev libfreexl-dev
CURATE := .build/release/curate
VENV := .venv
FRICTIONLESS := $(VENV)/bin/frictionless

.PHONY: run test deps browser-deps build docs clean check-packages check-reports report-screenshot fuzz test-sanitize bench

## deps: install the system libraries curate builds against, when missing.
deps:
	@if pkg-config --exists libxml-2.0 freexl 2>/dev/null && [ -f /usr/include/sqlite3.h ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	else \
	  echo "make: curate needs libxml2, libfreexl and SQLite headers and pkg-config: install libxml2-dev libfreexl-dev pkg-config libsqlite3-dev (Debian/Ubuntu) or libxml2 freexl pkg-config sqlite (Homebrew)"; exit 1; \
	fi
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "make: Swift 6.1 or later is needed (https://www.swift.org/install)"; exit 1; }

## browser-deps: headless Chromium and a Japanese font (Debian `chromium`, `fonts-noto-cjk`) for the
## report check, when missing.
browser-deps:
	@if command -v chromium >/dev/null 2>&1 && [ -n "$$(fc-list :lang=ja 2>/dev/null)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing chromium fonts-noto-cjk"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	else \
	  echo "make: the report check needs Chromium and a Japanese font: install chromium fonts-noto-cjk (Debian/Ubuntu)"; exit 1; \
	fi

build: deps
	$(SWIFT) build -c release --product curate

## run: every pipeline in Pipelines/ on the files in Raw/, results in Curated/.
run: build
	$(CURATE) run

## test: the whole test suite (unit, golden, CLI exit codes), then every committed
## Curated/*/datapackage.json through the real `frictionless validate` (schema, types, sha256, bytes),
## then every Curated/*/report.html and Curated/index.html in headless Chromium.
test: deps browser-deps $(FRICTIONLESS)
	$(SWIFT) test
	$(MAKE) --no-print-directory check-packages
	$(MAKE) --no-print-directory check-reports

## Peer tools from PyPI go into a local virtual environment, never the system Python.
$(FRICTIONLESS):
	@python3 -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	$(VENV)/bin/pip install -q --disable-pip-version-check frictionless==5.21.0

check-packages: $(FRICTIONLESS)
	@for package in Curated/*/datapackage.json; do \
	  dir=$$(dirname $$package); \
	  (cd $$dir && $(CURDIR)/$(FRICTIONLESS) validate datapackage.json > /tmp/curate-frictionless.txt 2>&1) \
	    && echo "frictionless: $$package valid" \
	    || { cat /tmp/curate-frictionless.txt; echo "frictionless: $$package INVALID"; exit 1; }; \
	done

## check-reports: opens each report.html and index.html in headless Chromium; checks the series
## drawn per chart against data.csv, links, console errors and that Japanese text gets a Japanese font.
check-reports: browser-deps
	python3 Tests/Browser/check-reports.py --curated Curated --self-test

## report-screenshot: docs/report-screenshot.png from a report (REPORT=Curated/<dataset>/report.html).
REPORT ?= Curated/mext-joint-research/report.html
report-screenshot: browser-deps
	python3 Tests/Browser/check-reports.py --screenshot docs/report-screenshot.png $(REPORT)

## fuzz: libFuzzer on every reader and parser and on the spec loader (Tests/Fuzz/run.sh), corpora in
## Tests/Fuzz/Corpus/. Short mode (default): AddressSanitizer and per-input leak detection,
## FUZZ_SECONDS each (60). Long mode, `make fuzz FUZZ_MODE=long`: a release build without ASan,
## FUZZ_RUNS executions each (10,000,000; FUZZ_JOBS targets at a time). Results: docs/reliability.md.
FUZZ_MODE ?= short
fuzz: deps
	FUZZ_MODE=$(FUZZ_MODE) Tests/Fuzz/run.sh

## test-sanitize: the test suite under AddressSanitizer, then the tests that run `curate run`'s
## threads (BatchPipe, the background spill and output writer) under ThreadSanitizer.
TSAN_TESTS := StreamingRunTests|StreamingGoldenTests|RowStreamPartsTests|ExternalSorterTests|HashingFileTests|PipelineTests
test-sanitize: deps $(FRICTIONLESS)
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt CURATE_SANITIZED=1 \
	  $(SWIFT) test --sanitize=address --scratch-path .build-asan
	CURATE_SANITIZED=1 $(SWIFT) test --sanitize=thread --scratch-path .build-tsan --filter "$(TSAN_TESTS)"

## bench: curate side by side with pandas, miller, frictionless, xmllint and sdmx1 on generated
## files (BENCH_MB, default 1024; BENCH_RUN_MB for `curate run`), then the micro-benchmarks.
## Never part of `make test`.
bench: build $(FRICTIONLESS)
	@command -v mlr >/dev/null && command -v xmllint >/dev/null || { $(SUDO) apt-get install -y -qq miller libxml2-utils; }
	$(VENV)/bin/pip install -q --disable-pip-version-check pandas pyarrow sdmx1 xlsxwriter
	python3 Benchmarks/bench.py
	cd Benchmarks && $(SWIFT) package benchmark --no-progress

## docs: regenerate docs/errors.md from the error catalogue.
docs: build
	$(CURATE) errors --markdown > docs/errors.md

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz .build-fuzz-fast .build-bench $(VENV)
