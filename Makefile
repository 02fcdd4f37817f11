# Two commands do everything (see README.md): `make run` and `make test`.
CARGO ?= cargo

.PHONY: run test deps test-deps build lint unit package bench clean check-cli-alone

## Install what is missing, build, and open the app.
run: deps
	$(CARGO) run --bin twofold

## Install what the tests need and run every test headless (lint included).
test: test-deps lint
	scripts/test-session $(CARGO) test --workspace --no-fail-fast

deps:
	scripts/install-deps run

test-deps:
	scripts/install-deps test

build: deps
	$(CARGO) build --workspace

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@for f in $$(find ui/js -name '*.js' | sort) scripts/check-i18n.mjs; do node --input-type=module --check <"$$f" 2>/dev/null || { command -v node >/dev/null || break; echo "syntax error in $$f"; exit 1; }; done
	@if command -v node >/dev/null; then node scripts/check-i18n.mjs; fi

## The CLI builds, installs and runs with no GUI library (a headless server).
check-cli-alone: test-deps
	scripts/check-cli-alone

## Release packages (.deb, .AppImage, …) through the Tauri bundler.
package: deps
	@command -v cargo-tauri >/dev/null || $(CARGO) install tauri-cli --version '^2' --locked
	$(CARGO) tauri build

bench:
	$(CARGO) bench --workspace

clean:
	$(CARGO) clean
