# The two commands: `make run` and `make test`. Both are safe to run again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app editorial

.PHONY: run test install dev browser migrate seed serve scheduler lint format screenshots bench bench-realistic bench-quick bench-scheduler clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

## make run: venv, install, migrate, demo data, serve on http://$(HOST):$(PORT),
## with the scheduler (scheduled publications) as a second process beside it.
## The scheduler is its own process, so Flask's reloader never runs it twice;
## the trap stops it when the server stops.
run: seed
	$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

## make scheduler: only the scheduler (production runs it as its own service).
scheduler: migrate
	$(FLASK) scheduler

## make serve: production server (gunicorn, workers from the CPU count)
serve: migrate
	$(BIN)/gunicorn -c python:editorial.gunicorn_conf wsgi:app

## Debian's Chromium for the browser tests (installed when missing and root).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium; browser tests will be skipped."; \
	  else echo "chromium missing and not root: browser tests will be skipped."; fi; \
	fi

## make test: dev dependencies, browser, the whole suite: on $(JOBS) parallel
## workers (each with a database of its own), then the few `serial` tests alone.
JOBS ?= 2
TEST_MARKS ?= not serial
test: dev browser
	$(BIN)/python -m pytest -n $(JOBS) -m "$(TEST_MARKS)" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m serial $(PYTEST_ARGS)

## make screenshots: desk and reader pages at 1280x800 and 390x844 into screenshots/
screenshots: dev browser
	$(BIN)/python -m tests.e2e.screenshots --out screenshots

## make bench: the benchmark (wrk from Debian; both sizes, 10 s per cell)
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py --articles 1000 100000 $(BENCH_ARGS)

## make bench-realistic: Zipf traffic over the archive while a newsroom publishes
bench-realistic: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	$(BIN)/python bench/realistic.py --articles 1000 100000 $(BENCH_ARGS)

## make bench-scheduler: 50 schedules, a real scheduler process, delay to the first 200
bench-scheduler: install
	$(BIN)/python bench/bench_scheduler.py

bench-quick: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py --articles 1000 --quick $(BENCH_ARGS)

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
