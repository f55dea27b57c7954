"""The per-session handouts build offline from the kit and the executed notebooks."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import handouts  # noqa: E402


def test_six_sessions_each_with_chapters_exercises_and_questions():
    sessions = handouts.sessions(handouts.KIT.read_text(encoding="utf-8"))
    assert len(sessions) == 6
    for s in sessions:
        assert s["chapters"] and s["exercises"] and s["questions"] and s["reading"], s["title"]
        for stem in s["chapters"]:
            assert (ROOT / "chapters" / f"{stem}.ipynb").exists(), stem


def test_a_handout_is_a_pdf_with_the_sessions_figures(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "handouts.py"),
            "--session",
            "2",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    pdf = (tmp_path / "session-2.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 2


def test_a_session_out_of_range_is_refused(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "handouts.py"),
            "--session",
            "9",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 2 and "--session must be 1 to 6" in r.stderr
