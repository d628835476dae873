# curate: `make run` runs every pipeline on Raw/; `make test` runs the test suite.
# Both install what they need first (libxml2 headers, pkg-config, SQLite headers).
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_PACKAGES := libxml2-dev pkg-config libsqlite3-dev
CURATE := .build/release/curate

.PHONY: run test deps build docs clean

## deps: install the system libraries curate builds against, when missing.
deps:
	@if pkg-config --exists libxml-2.0 2>/dev/null && [ -f /usr/include/sqlite3.h ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	else \
	  echo "make: curate needs libxml2 headers, pkg-config and SQLite headers: install libxml2-dev pkg-config libsqlite3-dev (Debian/Ubuntu) or libxml2 pkg-config sqlite (Homebrew)"; exit 1; \
	fi
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "make: Swift 6.1 or later is needed (https://www.swift.org/install)"; exit 1; }

build: deps
	$(SWIFT) build -c release --product curate

## run: every pipeline in Pipelines/ on the files in Raw/, results in Curated/.
run: build
	$(CURATE) run

## test: the whole test suite (unit, golden, CLI exit codes).
test: deps
	$(SWIFT) test

## docs: regenerate docs/errors.md from the error catalogue.
docs: build
	$(CURATE) errors --markdown > docs/errors.md

clean:
	rm -rf .build
