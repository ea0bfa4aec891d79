# Two commands do the whole set-up on a fresh machine:
#   make run    creates .venv, installs ecosim, runs the default scenario into results/rijnmond
#   make test   creates .venv, installs ecosim with its test and ema extras, runs lint and the tests
# and, for the maintainers: make validate (regenerates docs/validation.md), make calibrate
# (fits calibration/nl_2023.yaml), make bench (benchmarks).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SCENARIO ?= scenarios/rijnmond.yaml
OUT ?= results/rijnmond

.PHONY: run test bench validate calibrate dashboard-assets clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "ecosim needs Python >= 3.12 (see .python-version)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,ema]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ecosim run $(SCENARIO) --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks notebooks
	$(BIN)/python -m pytest -q --nbmake tests notebooks

validate: $(STAMP)
	$(BIN)/python -m ecosim.validation --out docs/validation.md

calibrate: $(STAMP)
	$(BIN)/ecosim calibrate calibration/nl_2023.yaml --workers 2

# Solara's page loads its front end (the Vue app, require.js, the grid layout, icons) from a CDN
# through its own server, which caches every file. Where no CDN can be reached, this fills that
# cache from the npm registry (about 17 MB), so that `ecosim dashboard` and its browser test work
# offline; the versions are the ones Solara's page asks for (solara/server/templates/solara.html.j2,
# solara/widgets/vue/gridlayout.vue).
SOLARA_ASSETS := @widgetti/solara-vuetify-app@10.1.1 @widgetti/vue-grid-layout@2.3.13-alpha.2 \
	requirejs@2.3.6 font-awesome@4.5.0

dashboard-assets: $(STAMP)
	@cache=$$($(BIN)/python -c 'from solara.server.settings import assets; print(assets.proxy_cache_dir)'); \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for spec in $(SOLARA_ASSETS); do \
		test -d "$$cache/$$spec" && continue; \
		tarball=$$(cd "$$tmp" && npm pack --silent "$$spec") || exit 1; \
		mkdir -p "$$tmp/$$spec" && tar xzf "$$tmp/$$tarball" -C "$$tmp/$$spec" --strip-components=1; \
		mkdir -p "$$(dirname "$$cache/$$spec")" && mv "$$tmp/$$spec" "$$cache/$$spec" || exit 1; \
		echo "cached $$spec in $$cache"; \
	done

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_matching.py
	$(BIN)/python benchmarks/bench_recording.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_threads.py
	$(BIN)/python benchmarks/bench_scale.py

clean:
	rm -rf $(VENV) results .pytest_cache
