"""The docstring examples of ``spinemets.instruments`` run and print what they say.

RAND-36 reference for the numbers in the ``rand36`` example: Hays, Sherbourne & Mazel 1993
(RAND scoring): item 7 (q21) response 3 ("mild") recodes to 60, item 8 (q22) response 3
("moderately") to 50, so pain = (60 + 50) / 2 = 55; role limitations items (q13-q16) answered
2 ("no") recode to 100.
"""

import doctest

from spinemets import instruments


def test_instruments_docstring_examples_run():
    result = doctest.testmod(instruments, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3
    assert result.failed == 0


def test_rand36_example_against_the_rand_recodes():
    answers = [3] * 12 + [2] * 7 + [3] * 17
    row = instruments.rand36(answers).loc[0]
    assert row["pain"] == (60 + 50) / 2
    assert row["role_physical"] == 100.0 and row["physical_functioning"] == 100.0
