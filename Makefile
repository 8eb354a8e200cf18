# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test bench validate illustrative system-deps clean

# Re-install only when a requirements file changes (stamp files record the last install).
$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m streamlit run dashboard.py --server.headless true --server.port $(PORT) \
		--server.address $(ADDRESS)

system-deps:
	bash tools/install_system_deps.sh

test: $(VENV)/.dev system-deps
	$(PY) -m ruff check --quiet .
	$(PY) -m pytest -q

# make bench SIZES=10000,100000 RUNS=3 [NO_BROWSER=1]; default sizes 10k, 100k, 1M.
bench: $(VENV)/.dev
	$(PY) -m tools.bench $(if $(SIZES),--sizes $(SIZES)) $(if $(RUNS),--runs $(RUNS)) \
		$(if $(NO_BROWSER),--no-browser)

validate: $(VENV)/.runtime
	$(PY) -m analysis validate data

# Regenerate data/illustrative/ (seeded; never touches the real tables in data/*.csv).
illustrative: $(VENV)/.dev
	$(PY) -m tools.illustrative data

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
