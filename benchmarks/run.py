"""Print the book's benchmark table (a script, not a timed test).

Usage (from the repository root, in the installed environment)::

    python benchmarks/run.py            # everything
    python benchmarks/run.py bed cox    # only benchmarks whose name contains one of the words

Every ``benchmarks/bench_*.py`` module exposes ``BENCHMARKS``: a list of
``(name, budget_seconds, callable)``. The callable returns either the elapsed seconds or a dict
``{"seconds": s, "reference_seconds": r, "reference": "name of the package"}`` so that a ratio to
the underlying package can be printed; ``bench_peers`` adds ``exponent`` (growth of time with n,
log-log slope), ``reference_exponent`` and ``exponent_ok`` (False fails the run). Each is
timed as the best of a few runs where that is cheap.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _modules():
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        yield path.stem, mod


def main(argv: list[str]) -> int:
    rows, failed = [], 0
    for _modname, mod in _modules():
        for name, budget, fn in getattr(mod, "BENCHMARKS", []):
            if argv and not any(a in name for a in argv):
                continue
            out = fn()
            if not isinstance(out, dict):
                out = {"seconds": float(out)}
            s = out["seconds"]
            ok = s <= budget and out.get("exponent_ok", True)
            failed += not ok
            ref = ""
            if out.get("reference_seconds"):
                ref = f"{out['reference']}: {out['reference_seconds']:.3f} s (ratio {s / out['reference_seconds']:.2f})"
            if "exponent" in out:
                ref += f"; growth exponent {out['exponent']:.2f}"
                if out.get("reference_exponent") == out.get("reference_exponent"):
                    ref += f" (peer {out['reference_exponent']:.2f})"
            rows.append((name, s, budget, "ok" if ok else "OVER BUDGET", ref))
            print(
                f"{name:<48} {s:9.3f} s   budget {budget:>6g} s   {'ok' if ok else 'OVER BUDGET':<11} {ref}",
                flush=True,
            )
    print(f"\n{len(rows)} benchmarks, {failed} over budget")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
