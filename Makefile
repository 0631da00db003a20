# Two commands for a fresh machine:  make demo   and   make test
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
SEED   := examples/us-japan-summit.txt
STORE  ?= .geokg

.PHONY: setup demo test lint bench clean browser

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; run: make PYTHON=python3 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -c "import kg.nlp; kg.nlp.load_nlp()"
	@touch $@

browser:
	@bash scripts/install-chromium.sh

demo: setup
	$(KG) build $(SEED) -o examples/us-japan-summit.ttl --force
	$(KG) ingest --store $(STORE) $(SEED)
	@for q in examples/*.rq; do \
	  echo "== $$q"; \
	  $(KG) query --store $(STORE) -f $$q --format table | tee examples/$$(basename $$q .rq).txt.out >/dev/null; \
	  $(KG) query --store $(STORE) -f $$q --format csv > examples/$$(basename $$q .rq).csv; \
	  cat examples/$$(basename $$q .rq).txt.out; rm -f examples/$$(basename $$q .rq).txt.out; \
	done
	$(KG) view --store $(STORE) -o examples/us-japan-summit.html --force
	$(KG) stats --store $(STORE)
	@echo "Open examples/us-japan-summit.html in a browser to explore the graph."

test: setup browser
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check kg tests bench scripts

bench: setup
	$(PY) bench/bench_ingest.py

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
