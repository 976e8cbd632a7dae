# One command runs every test of the project: `make test`.
# Each part installs what it needs, so it also runs on a fresh machine.

CARGO ?= cargo
RULEBOOKS := $(patsubst %/audits/,%,$(wildcard rules/*/audits/))

.PHONY: test lint rust-test rules-test python-test wasm wasm-test bench fuzz demo

# Seconds each fuzz target runs for: `make fuzz FUZZ_SECONDS=600`.
FUZZ_SECONDS ?= 60

test: lint rust-test rules-test python-test wasm-test

# Formatting, and clippy on every crate of the workspace (the core, the
# CLI and both bindings, built for this machine) with their tests and
# benches (the library denies unwrap, expect, panic and indexing).
lint:
	@if $(CARGO) fmt --version >/dev/null 2>&1; then $(CARGO) fmt --all --check; else echo "lint: rustfmt is not installed, formatting not checked"; fi
	@if $(CARGO) clippy --version >/dev/null 2>&1; then $(CARGO) clippy --release --workspace --all-targets -- -D warnings; else echo "lint: clippy is not installed, lints not checked"; fi
	@# A feature the library turned on would be on for every crate of a program linking it.
	@if $(CARGO) tree -p ecorule -e features -i serde_json | grep -q arbitrary_precision; then echo "lint: the ecorule crate turns on serde_json's arbitrary_precision"; exit 1; fi

rust-test:
	$(CARGO) test --release

# Every bundled rulebook checks and passes its own sample audits.
rules-test:
	$(CARGO) build --release -p ecorule-cli
	@for dir in $(RULEBOOKS); do \
	  echo "== ecorule test $$dir"; \
	  ./target/release/ecorule test $$dir || exit 1; \
	done
	./target/release/ecorule check rules/standards/*.eco

python-test:
	@if [ -f bindings/python/scripts/test.sh ]; then bash bindings/python/scripts/test.sh; else echo "python binding: not yet built"; fi

wasm:
	@if [ -f bindings/wasm/scripts/build.sh ]; then bash bindings/wasm/scripts/build.sh; else echo "wasm binding: not yet built"; fi

wasm-test:
	@if [ -f bindings/wasm/scripts/test.sh ]; then bash bindings/wasm/scripts/test.sh; else echo "wasm binding: not yet built"; fi

bench:
	bash crates/ecorule/benches/report.sh

fuzz:
	bash fuzz/run.sh $(FUZZ_SECONDS)

demo:
	$(CARGO) run --release -p ecorule-cli -- score rules/fishmeal/fishmeal.eco rules/fishmeal/audits/b_good_partial.json
