"""Benchmark: 200 replicate cohorts of a paper, each analysed (issue 27: under 30 s on the 2-core
machine).

Times ``python -m spinemets.cohorts replicates --paper P --n 200`` (papers A and C) in a fresh
process (so the calibration of the generative model, the MILP of the joint table and the imports
are counted), with both cores, and checks that the file it writes is byte-identical to the
committed ``data/replicates/P.csv``. The CPU time of all its processes and the load average
before and after are reported beside the wall time. A last entry times one replicate (draw +
analysis) in-process.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _replicates_200(paper: str = "choi2015"):
    with tempfile.TemporaryDirectory() as out:
        env = dict(
            os.environ, PYTHONPATH=str(ROOT / "lib") + os.pathsep + os.environ.get("PYTHONPATH", "")
        )
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "spinemets.cohorts",
                "replicates",
                "--paper",
                paper,
                "--n",
                "200",
                "--out",
                out,
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        s = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
        same = (Path(out) / f"{paper}.csv").read_bytes() == (
            ROOT / f"data/replicates/{paper}.csv"
        ).read_bytes()
    if not same:
        raise RuntimeError(
            f"replicates rebuild is not byte-identical to data/replicates/{paper}.csv"
        )
    # CPU seconds of the run (both workers): wall time on a shared machine depends on the load,
    # CPU time does not; on two free cores the wall time is about CPU / 2
    load = f"load {load0:.1f}-{os.getloadavg()[0]:.1f}"
    return {"seconds": s, "reference_seconds": cpu, "reference": f"CPU time, all processes, {load}"}


def _one_replicate():
    from spinemets import analyses, cohorts

    cohorts.generative_model("choi2015")
    analyses.analyse("choi2015", cohorts.replicate("choi2015", 0))  # warm imports
    best = float("inf")
    for k in range(1, 4):
        t0 = time.perf_counter()
        analyses.analyse("choi2015", cohorts.replicate("choi2015", k))
        best = min(best, time.perf_counter() - t0)
    return best


BENCHMARKS = [
    ("replicates: choi2015, n = 200, 2 workers", 30.0, _replicates_200),
    ("replicates: lee2015, n = 200, 2 workers", 30.0, lambda: _replicates_200("lee2015")),
    ("replicates: one choi2015 replicate + analysis", 0.5, _one_replicate),
]
