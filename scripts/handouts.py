"""Build one PDF handout per course session from the book's own figures (offline).

Usage (from the repository root)::

    python scripts/handouts.py                 # every session, into _build/handouts/
    python scripts/handouts.py --session 2     # one session
    python scripts/handouts.py --out DIR

Each handout has a cover page (the session's title, its chapters, the exercises and the
discussion questions, read from backmatter/facilitator_kit.md) followed by the figures of the
session's chapters, one per page, each captioned with its chapter and section. The figures are
the PNG outputs stored in the executed ``chapters/*.ipynb`` twins, so nothing is re-run and
nothing is downloaded; matplotlib writes the PDF.
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "backmatter" / "facilitator_kit.md"
A4 = (8.27, 11.69)


def sessions(kit: str) -> list[dict]:
    """Title, chapter stems, exercise labels and discussion questions of each session."""
    out = []
    for block in re.split(r"^## (?=Session \d)", kit, flags=re.M)[1:]:
        title = block.splitlines()[0].strip()
        body = block.split("\n## ")[0]
        chapters = list(dict.fromkeys(re.findall(r"\{doc\}`\.\./chapters/([\w-]+)`", body)))
        exercises = re.findall(r"`(ex-[\w-]+)`", body)
        pre = re.search(r"\*\*Pre-reading(.+?)\*\*(.+?)\n\n", body, flags=re.S)
        reading = (
            re.sub(
                r"\{doc\}`\.\./chapters/([\w-]+)`",
                r"\1",
                re.sub(r"\s+", " ", pre.group(2)).replace("*", "").strip(),
            )
            if pre
            else ""
        )
        discussion = body.split("**Discussion.**", 1)[-1]
        questions = [
            re.sub(r"\s+", " ", q).strip()
            for q in re.findall(r"^\d\. \*(.+?)\*", discussion, flags=re.M | re.S)
        ]
        out.append(
            {
                "title": title,
                "chapters": chapters,
                "exercises": exercises,
                "reading": reading,
                "questions": questions,
            }
        )
    return out


def figures(stem: str) -> list[tuple[str, bytes]]:
    """(section heading, PNG bytes) of every figure stored in a chapter's executed notebook."""
    nb = nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)
    section, found = stem, []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heads = re.findall(r"^#{1,3} (.+)$", cell.source, flags=re.M)
            section = heads[-1] if heads else section
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                if png:
                    found.append((section, base64.b64decode(png)))
    return found


def _text_page(pdf: PdfPages, session: dict) -> None:
    fig = plt.figure(figsize=A4)
    lines = [(t, 16, "bold") for t in textwrap.wrap(session["title"], 55)]
    lines += [("", 10, "normal"), ("Pre-reading", 13, "bold")]
    lines += [(w, 10, "normal") for w in textwrap.wrap(session["reading"], 85)]
    lines += [
        ("", 10, "normal"),
        ("Exercises: " + ", ".join(session["exercises"]), 10, "normal"),
        ("", 10, "normal"),
        ("Discussion", 13, "bold"),
    ]
    for i, q in enumerate(session["questions"], 1):
        wrapped = textwrap.wrap(f"{i}. {q}", 85)
        lines += [(w, 10, "normal") for w in wrapped] + [("", 6, "normal")]
    y = 0.94
    for text, size, weight in lines:
        fig.text(0.08, y, text, fontsize=size, weight=weight, va="top")
        y -= 0.012 + size / 700
    fig.text(
        0.08,
        0.04,
        "Spinal metastases methods book: all patient-level data are synthetic.",
        fontsize=7,
        color="grey",
    )
    pdf.savefig(fig)
    plt.close(fig)


def build(session: dict, path: Path) -> int:
    """Write one session's handout; return its number of pages."""
    pages = 1
    with PdfPages(path, metadata={"Title": session["title"], "CreationDate": None}) as pdf:
        _text_page(pdf, session)
        for stem in session["chapters"]:
            for section, png in figures(stem):
                fig = plt.figure(figsize=A4)
                ax = fig.add_axes([0.06, 0.12, 0.88, 0.78])
                ax.imshow(mpimg.imread(io.BytesIO(png), format="png"))
                ax.axis("off")
                fig.text(0.06, 0.94, f"{stem}: {section}", fontsize=11, weight="bold")
                pdf.savefig(fig)
                plt.close(fig)
                pages += 1
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--session", type=int, help="one session (1-6); default: all")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "handouts")
    args = parser.parse_args(argv)
    all_sessions = sessions(KIT.read_text(encoding="utf-8"))
    chosen = range(1, len(all_sessions) + 1) if args.session is None else [args.session]
    if args.session is not None and not 1 <= args.session <= len(all_sessions):
        parser.error(f"--session must be 1 to {len(all_sessions)}, got {args.session}")
    args.out.mkdir(parents=True, exist_ok=True)
    for n in chosen:
        path = args.out / f"session-{n}.pdf"
        pages = build(all_sessions[n - 1], path)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
