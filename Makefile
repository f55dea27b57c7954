# Convenience targets; each is one command you can also run by hand (see README.md).
PY ?= python

.PHONY: book test sync cohorts bench clean
book:      ## build the HTML book, warnings as errors
	jupyter-book build . -W -n --keep-going
test:      ## library tests, nbval on every executed notebook, pairing checks
	$(PY) -m pytest
sync:      ## re-execute every chapter and re-sync its .ipynb twin
	$(PY) scripts/sync_notebooks.py
cohorts:   ## regenerate data/cohorts byte for byte
	$(PY) -m spinemets.cohorts build
bench:     ## print the benchmark table
	$(PY) benchmarks/run.py
clean:
	jupyter-book clean . --all
