# Two commands do everything (see README.md): `make run` and `make test`.
CARGO ?= cargo
# Where cargo puts binaries (CARGO_TARGET_DIR may move them out of the clone).
TARGET_DIR = $(shell $(CARGO) metadata --format-version 1 --no-deps 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null || echo target)
DEBUG = $(TARGET_DIR)/debug
RELEASE = $(TARGET_DIR)/release
IDLE ?= 60

N ?= 10

.PHONY: run test a11y test-repeat deps test-deps build lint audit package test-package bench bench-window soak clean check-cli-alone check-cross fuzz check-fuzz

## Install what is missing, build, and open the app.
run: deps
	$(CARGO) run -p twofold --bin twofold

## Install what the tests need and run every test headless (lint included).
test: test-deps lint
	scripts/test-session $(CARGO) test --workspace --no-fail-fast
	@# The window benchmark, short (debug builds, 2 s per measurement, no
	@# thresholds), so it cannot rot; `make bench-window` is the real one.
	$(CARGO) build --workspace --bins
	scripts/test-session scripts/bench-window --app $(DEBUG)/twofold --cli $(DEBUG)/twofold-cli \
	  --bare $(DEBUG)/twofold-bare-window --idle 2 --settle 1 --sizes 10,1000

## Accessibility against the real window (also part of `make test`):
## axe-core on every screen in every theme and language, the layout at 200 %
## in a 420 px window, focus rings, the system's motion and contrast, and
## what a screen reader reads over AT-SPI. See docs/accessibility.md.
a11y: test-deps
	scripts/test-session $(CARGO) test -p twofold --test window -- a11y:: atspi::

## The whole window suite N times in a row (default 10) with one core kept
## busy: how a flaky window test is caught. All N must be green.
test-repeat: test-deps
	scripts/test-repeat $(N)

deps:
	scripts/install-deps run

test-deps:
	scripts/install-deps test

build: deps
	$(CARGO) build --workspace

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --document-private-items
	scripts/check-import-rings core/src src-tauri/src cli/src
	@# The UI's modules and message tables are checked with Node: without it
	@# lint fails rather than pass unchecked (`make test` installs it).
	@command -v node >/dev/null || { echo "make lint: node is missing, so the UI's JavaScript cannot be checked; install it with scripts/install-deps test (Debian's nodejs)" >&2; exit 1; }
	@for f in $$(find ui/js -name '*.js' | sort) scripts/check-i18n.mjs; do node --input-type=module --check <"$$f" 2>/dev/null || { echo "syntax error in $$f"; exit 1; }; done
	node scripts/check-i18n.mjs
	@# Licences, bans and sources (deny.toml); advisories need the network: make audit.
	@$(CARGO) deny --version >/dev/null 2>&1 || { echo "make lint: cargo-deny is missing; install it with scripts/install-deps test (cargo install cargo-deny --locked)" >&2; exit 1; }
	$(CARGO) deny --workspace check licenses bans sources

## Known vulnerabilities, unmaintained and yanked crates (the RustSec
## advisory database, cloned from GitHub: needs the network, so it is not in
## lint; see deny.toml).
audit:
	$(CARGO) deny --workspace check advisories

## The crash soak: 1,000 rounds of concurrent writers with kill -9 (make test
## runs 24 rounds as part of the CLI tests).
soak: test-deps
	TWOFOLD_SOAK_ROUNDS=$${TWOFOLD_SOAK_ROUNDS:-1000} scripts/test-session $(CARGO) test -p twofold-cli --test soak -- --nocapture

## The CLI builds, installs and runs with no GUI library (a headless server).
check-cli-alone: test-deps
	scripts/check-cli-alone

## Every fuzz target for FUZZ_SECONDS each (default 900; cargo-fuzz and
## nightly Rust). See docs/security.md.
fuzz:
	scripts/fuzz

## The fuzz targets build and run on the stable toolchain, so they cannot rot
## between `make fuzz` runs (CI runs this). Plain cargo: libfuzzer-sys
## compiles libFuzzer itself and needs no nightly; only the sanitizer and
## coverage flags `cargo fuzz` adds do. Uninstrumented, so each target runs
## a few random inputs only: a check that it links and starts, not fuzzing.
FUZZ_TARGETS = $(basename $(notdir $(wildcard fuzz/fuzz_targets/*.rs)))
check-fuzz:
	$(CARGO) build --manifest-path fuzz/Cargo.toml --locked --bins
	@mkdir -p $(TARGET_DIR)/fuzz-smoke
	@for t in $(FUZZ_TARGETS); do \
	  log=$(TARGET_DIR)/fuzz-smoke/$$t.log; \
	  $(CARGO) run -q --manifest-path fuzz/Cargo.toml --locked --bin $$t -- \
	    -runs=64 -artifact_prefix=$(TARGET_DIR)/fuzz-smoke/ >$$log 2>&1 \
	    || { tail -20 $$log; echo "fuzz target $$t failed" >&2; exit 1; }; \
	  echo "$$t: $$(tail -1 $$log)"; \
	done

## Type-check and lint the whole workspace for Windows and macOS (Debian's
## own Rust compiles their standard library here; nothing is linked).
check-cross:
	scripts/install-deps cross
	scripts/check-cross

## Linux packages (.deb and .rpm, in artifacts/) through the Tauri bundler.
package:
	scripts/install-deps package
	scripts/package

## Builds the .deb, validates and lints it, installs it on this machine, runs
## the installed app and CLI, removes it (see scripts/test-package).
test-package: package
	scripts/test-session scripts/test-package

## Criterion benchmarks (core/benches: QR decoding, vault open, a backup of
## 1,000 accounts); the vault one needs the Secret Service that
## scripts/test-session starts.
bench: test-deps
	scripts/test-session $(CARGO) bench -p twofold-core

## What the window costs while it waits, next to a bare Tauri window (release
## builds; 60 s per idle measurement). See docs/performance.md.
bench-window: test-deps
	$(CARGO) build --release -p twofold -p twofold-cli -p twofold-bare-window \
	  --features twofold/custom-protocol,twofold-bare-window/custom-protocol
	scripts/test-session scripts/bench-window --app $(RELEASE)/twofold --cli $(RELEASE)/twofold-cli \
	  --bare $(RELEASE)/twofold-bare-window --idle $(IDLE)

clean:
	$(CARGO) clean
