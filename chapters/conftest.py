"""nbval settings for the executed chapter notebooks.

nbval compares every stored text output with a fresh run (strict mode), so every
published-vs-reproduced table in a chapter is a regression test.  HTML renderings
(DataFrame tables, which repeat the text/plain output), JavaScript and stderr are
volatile between library versions and are not compared; a separate test
(tests/book/test_pairing.py) greps the notebooks for warnings instead.
"""


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("text/html", "application/javascript", "stderr")
