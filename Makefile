# Convenience targets; each is one command you can also run by hand (see README.md).
PY ?= python

.PHONY: book student pdf browser test lint sync cohorts bench handouts clean
book:      ## build the HTML book, warnings as errors (chapters the tests or a sync ran come from .jupyter_cache)
	jupyter-book build . -W -n --keep-going
student:   ## the student edition: the same book without solutions, in _build/student/_build/html
	SPINEMETS_STUDENT=1 jupyter-book build . -W -n --keep-going --path-output _build/student
pdf:       ## the whole book as one PDF (_build/latex/book.pdf); needs TeX, see README.md
	jupyter-book build . --builder pdflatex -n --keep-going
	@test -f _build/latex/book.pdf && echo "PDF: _build/latex/book.pdf"
browser:   ## browser tests of the built HTML (Playwright + Debian's chromium)
	$(PY) -m pytest browser_tests -q -n 0
test:      ## library tests, nbval on every executed notebook (its outputs go to the book's cache), pairing checks
	$(PY) -m pytest
lint:      ## ruff lint and format check (settings in pyproject.toml)
	ruff check .
	ruff format --check .
sync:      ## re-execute every chapter and re-sync its .ipynb twin
	$(PY) scripts/sync_notebooks.py
cohorts:   ## regenerate data/cohorts byte for byte
	$(PY) -m spinemets.cohorts build
handouts:  ## one PDF handout per course session in _build/handouts (offline)
	$(PY) scripts/handouts.py
bench:     ## print the benchmark table
	$(PY) benchmarks/run.py
clean:
	jupyter-book clean . --all
