# mapl: `make run` opens the example account plan in the REPL (runs a script of
# questions over it when stdin is not a terminal); `make test` runs every test.
# Both install libedit-dev first when pkg-config cannot find libedit.

SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)

.PHONY: run test build release deps bench compare portfolio lsp-latency clean

deps:
	@if ! pkg-config --exists libedit 2>/dev/null; then \
		echo "installing libedit-dev (and pkg-config)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libedit-dev pkg-config >/dev/null; \
	fi
	@if ! command -v dot >/dev/null 2>&1; then \
		echo "installing graphviz (mapl export --format svg|png renders through dot)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	fi
	@if ! pkg-config --exists sqlite3 2>/dev/null || ! command -v sqlite3 >/dev/null 2>&1; then \
		echo "installing SQLite (mapl export --format sqlite; the tests query with sqlite3)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev sqlite3 >/dev/null; \
	fi
	@if [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ] || ! command -v psql >/dev/null 2>&1; then \
		echo "installing PostgreSQL 15 (the tests load --format sql into a server they start)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-client-15 >/dev/null; \
	fi
	@if ! command -v vim >/dev/null 2>&1; then \
		echo "installing vim (the tests check the editors/vim highlighting in a headless vim)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq vim >/dev/null; \
	fi

build: deps
	$(SWIFT) build

# On a terminal: the REPL with the Globex example account plan loaded and a few first
# questions to ask; otherwise (CI, a pipe) the script that asks them runs.
run: build
	@if [ -t 0 ]; then \
		MAPL_TODAY=$${MAPL_TODAY:-2026-11-22} $(BIN_DIR)/mapl repl examples/globex/plan.mapl \
			--banner "" \
			--banner "The Globex Manufacturing account plan is loaded. Things to ask it:" \
			--banner "  stakeholders where influence >= high and support < neutral" \
			--banner "  strongest_path(ken, pat)          the best line from our champion to the CEO" \
			--banner "  pipeline()        rank() take 5        uncovered_key_players()" \
			--banner "  :show dana      :ls      :help support      :help strategies" \
			--banner "  Tab completes names and fields: try  dana.<Tab>" \
			--banner ""; \
	else \
		MAPL_TODAY=$${MAPL_TODAY:-2026-11-22} $(BIN_DIR)/mapl run examples/globex/explore.mapl; \
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

# Speed and memory on a realistic portfolio: 300 generated account plans ranked by one
# mapl script against the same work in Python over their JSON, and `mapl check` of a
# 2,000-stakeholder plan against an empty file
portfolio: release
	python3 Benchmarks/portfolio_compare.py

# How fast `mapl lsp` answers an editor on a 2,000-stakeholder plan.
lsp-latency: release
	python3 Benchmarks/lsp_latency.py

clean:
	rm -rf .build Benchmarks/.build
