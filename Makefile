# mapl: `make run` opens the demo plan in the REPL (runs it when stdin is not a
# terminal); `make test` runs every test.
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

# On a terminal: the REPL with the demo plan loaded and a few first questions to ask;
# otherwise (CI, a pipe) the demo script runs.
run: build
	@if [ -t 0 ]; then \
		MAPL_TODAY=$${MAPL_TODAY:-2026-11-22} $(BIN_DIR)/mapl repl examples/demo.mapl \
			--banner "" \
			--banner "The demo account plan is loaded. Things to ask it:" \
			--banner "  opportunities                        every deal, as a table" \
			--banner "  sort_desc(opportunities, roti)       ranked by return on time invested" \
			--banner "  [o.name for o in opportunities if o.value > 500k]" \
			--banner "  gap      :ls      :show score      :help roti      :help strategies" \
			--banner "  Tab completes names and fields: try  opportunities[0].<Tab>" \
			--banner ""; \
	else \
		MAPL_TODAY=$${MAPL_TODAY:-2026-11-22} $(BIN_DIR)/mapl run examples/demo.mapl; \
	fi

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
