# mapl: `make run` shows a demo plan through the CLI; `make test` runs every test.
# Both install libedit-dev first when pkg-config cannot find libedit.

SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)

.PHONY: run test build release deps bench compare clean

deps:
	@if ! pkg-config --exists libedit 2>/dev/null; then \
		echo "installing libedit-dev (and pkg-config)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libedit-dev pkg-config >/dev/null; \
	fi

build: deps
	$(SWIFT) build

run: build
	MAPL_TODAY=$${MAPL_TODAY:-2026-11-22} $(BIN_DIR)/mapl run examples/demo.mapl

test: build
	MAPL_BIN=$(BIN_DIR)/mapl $(SWIFT) test --parallel

release: deps
	$(SWIFT) build -c release

# Speed: package-benchmark suite (own package, so tests never build its dependencies)
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

# Speed: the same scripts in mapl, python3 and lua5.4, with time ratios
compare: release
	Benchmarks/compare.sh

clean:
	rm -rf .build Benchmarks/.build
