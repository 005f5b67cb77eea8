"""Letter rendering benchmark (issue 4). Prints a table; record results in bench/RESULTS.md.

    .venv/bin/python bench/letters.py [--runs 30] [--batch 500] [--rounds 3]

(a) One letter: median ms of our access letter (render_pdf, warm process) against two
    references rendering the same text in the same run: bare WeasyPrint on a plain HTML page
    (the floor) and Datenanfragen's `letter-generator` (pdfmake) in Node (bench/node; run
    `npm install` there first; skipped with a note when node or the package is missing).
(b) NGO batch: `--batch` different letters, each its own PDF, with render_many on 2 processes;
    the floor is bare WeasyPrint rendering the same letters' text as ONE document, divided by
    the number of letters. Target: batch per letter <= 1.3 x (floor / 2). Measured in
    `--rounds` rounds of floor-then-batch (default 3); the table shows the medians, every
    round is listed below it.

All PDFs in this process, the floors' included, are deflated at the renderer's zlib level
(dsar.letters.render.PDF_ZLIB_LEVEL; pydyf alone would use 9).
"""

from __future__ import annotations

import argparse
import gc
import html
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsar.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.disable(logging.WARNING)  # WeasyPrint's progress log would dominate the timings

from dsar.letters.data import Authority, DatasetRef, LetterData, Recipient  # noqa: E402
from dsar.letters.demo import DEMO_PERSON, Parties, demo_letters  # noqa: E402
from dsar.letters.email import html_to_text  # noqa: E402
from dsar.letters.render import (  # noqa: E402
    PDF_ZLIB_LEVEL,
    WORKER_GC_THRESHOLD,
    configure_pdf_writer,
    render_html,
    render_many,
    render_pdf,
)

NODE_DIR = ROOT / "bench" / "node"
FIRST_NAMES = [
    "Zoë",
    "Дмитрий",
    "Αλέξης",
    "Łucja",
    "Ørjan",
    "Amélie",
    "Jürgen",
    "Siobhán",
    "Björk",
    "Ana",
]
LAST_NAMES = [
    "Łukasiewicz-Ørsted",
    "Ильин",
    "Παπαδόπουλος",
    "Müller",
    "Ó Briain",
    "Dupont",
    "Nowak",
    "Søndergaard",
]
PARTIES = Parties(
    first=Recipient(
        "Microsoft",
        "Microsoft Ireland Operations Limited",
        (
            "One Microsoft Place",
            "South County Business Park",
            "Leopardstown",
            "Dublin 18",
            "Ireland",
        ),
    ),
    first_dataset=DatasetRef(
        "MS-Celeb-1M",
        ("MS1M", "MSCeleb"),
        ("MS1MV2", "MS1M-RetinaFace"),
        (("Name as listed", "Zoe Orsted"), ("Profession or public role", "Photographer")),
        "publisher",
        "2019",
    ),
    second=Recipient(
        "Duke University", "Duke University", ("2200 W. Main Street", "Durham, NC 27705", "USA")
    ),
    second_dataset=DatasetRef(
        "DukeMTMC",
        (),
        ("DukeMTMC-reID",),
        (("Present at", "Chapel Quad, 14 March 2014, 11:00"),),
        "publisher",
        "2019",
    ),
    authority=Authority(
        "Data Protection Commission", ("21 Fitzwilliam Square South", "Dublin 2", "Ireland")
    ),
    authority_recipient=Recipient(
        "Data Protection Commission", "", ("21 Fitzwilliam Square South", "Dublin 2")
    ),
)
TODAY = date(2026, 3, 2)


def access_letter() -> LetterData:
    return demo_letters("en", today=TODAY, parties=PARTIES, kinds=("access",))[0]


def batch_letters(count: int) -> list[LetterData]:
    """`count` different letters: names, references, languages and kinds vary like an NGO batch."""
    kinds = ("access", "erasure")
    letters = []
    for n in range(count):
        language = ("en", "de", "fr")[n % 3]
        base = demo_letters(language, today=TODAY, parties=PARTIES, kinds=(kinds[n % 2],))[0]
        name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n // 3) % len(LAST_NAMES)]}"
        person = replace(
            DEMO_PERSON,
            name=name,
            other_names=(),
            email=f"person{n}@example.org",
            address_lines=(f"Hauptstraße {n + 1}", f"{10115 + n} Berlin", "Germany"),
        )
        letters.append(replace(base, person=person, reference=f"NGO-2026-{n:05d}"))
    return letters


def paragraphs(letter: LetterData) -> list[str]:
    return [line for line in html_to_text(render_html(letter)).split("\n\n") if line.strip()]


def bare_html(texts: list[list[str]]) -> str:
    """Plain HTML, default styles and fonts: what WeasyPrint costs at the least for this text."""
    pages = "".join(
        f'<section style="page-break-before: always">{"".join(f"<p>{html.escape(p)}</p>" for p in text)}</section>'
        for text in texts
    )
    return f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>x</title></head><body>{pages}</body></html>"


def interleaved_medians(
    fns: dict[str, object], runs: int, warmup: int = 3
) -> dict[str, tuple[float, float]]:
    """Median wall ms and median CPU ms of each function, run in turn within every round, so
    that load from other processes on the machine weighs on all of them alike."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for round_ in range(warmup + runs):
        for name, fn in fns.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fn()  # type: ignore[operator]
            if round_ >= warmup:
                times[name].append(
                    ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                )
    return {
        name: (statistics.median(v[0] for v in values), statistics.median(v[1] for v in values))
        for name, values in times.items()
    }


def children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def node_reference(letter: LetterData, runs: int) -> tuple[float | None, float | None, str]:
    """Median wall and CPU ms of Datenanfragen's generator on the same text (Node)."""
    node = shutil.which("node")
    if not node:
        return None, None, "skipped: node is not installed"
    if not (NODE_DIR / "node_modules" / "letter-generator").is_dir():
        return None, None, "skipped: run `npm install` in bench/node"
    text = paragraphs(letter)
    payload = {
        "sender": [letter.person.name, *letter.person.address_lines],
        "recipient": [letter.recipient.addressee, *letter.recipient.address_lines],
        "info": f"Date: {TODAY.isoformat()}\nReference: {letter.reference}",
        "subject": text[0] if text else "",
        "paragraphs": text,
    }
    result = subprocess.run(
        [node, "bench.js", str(runs)],
        cwd=NODE_DIR,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(result.stdout)
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    return (
        measured["median_ms"],
        measured["median_cpu_ms"],
        f"letter-generator (pdfmake), Node {version}",
    )


def main() -> None:
    import weasyprint
    from weasyprint import HTML

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="floor-then-batch rounds for (b)")
    args = parser.parse_args()
    # Everything in this process, the floors included, deflates at the renderer's level (pydyf
    # alone would use 9): the floors then measure WeasyPrint's work for the same text, and the
    # ratios only what our letters add.
    configure_pdf_writer()

    letter = access_letter()
    text = paragraphs(letter)
    bare_one = bare_html([text])
    medians = interleaved_medians(
        {
            "ours": lambda: render_pdf(letter),
            "floor": lambda: HTML(string=bare_one).write_pdf(),
            "untagged": lambda: render_pdf(letter, pdf_variant=None),
        },
        args.runs,
    )
    (ours, ours_cpu), (floor, floor_cpu), (untagged, untagged_cpu) = (
        medians["ours"],
        medians["floor"],
        medians["untagged"],
    )
    node_ms, node_cpu, node_note = node_reference(letter, args.runs)

    letters = batch_letters(args.batch)
    bare_all = bare_html([paragraphs(item) for item in letters])
    # (b) in rounds of floor-then-batch, reporting each round's ratio and the medians: the two
    # are measured seconds apart, so a burst of load from elsewhere shows as one odd round
    # instead of skewing the only measurement.
    rounds: list[tuple[float, float, float, float, float]] = []
    for _ in range(args.rounds):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        HTML(string=bare_all).write_pdf()
        floor_wall = (time.perf_counter() - start) * 1000 / args.batch
        floor_cpu_ms = (time.process_time() - cpu) * 1000 / args.batch
        gc.collect()
        load = os.getloadavg()[0]
        start, cpu = time.perf_counter(), children_cpu_ms()
        pdfs = render_many(letters, processes=2)
        batch_wall = (time.perf_counter() - start) * 1000 / args.batch
        batch_cpu_ms = (children_cpu_ms() - cpu) / args.batch  # both workers' CPU, per letter
        assert len(pdfs) == args.batch and all(pdf.startswith(b"%PDF") for pdf in pdfs)
        rounds.append((floor_wall, floor_cpu_ms, batch_wall, batch_cpu_ms, load))
    batch_floor = statistics.median(r[0] for r in rounds)
    batch_floor_cpu = statistics.median(r[1] for r in rounds)
    batch = statistics.median(r[2] for r in rounds)
    batch_cpu = statistics.median(r[3] for r in rounds)
    load_before = statistics.median(r[4] for r in rounds)
    # The same floor with the GC thresholds of render_many's workers, for the record: one big
    # document is what Python's default thresholds hurt most.
    thresholds = gc.get_threshold()
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    start = time.process_time()
    HTML(string=bare_all).write_pdf()
    batch_floor_gc_cpu = (time.process_time() - start) * 1000 / args.batch
    gc.set_threshold(*thresholds)
    gc.collect()

    chars = sum(len(p) for p in text)
    print(
        f"WeasyPrint {weasyprint.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {load_before:.1f} before the batch (median); access letter {chars} characters of text, "
        f"{args.runs} interleaved runs, batch of {args.batch} in {args.rounds} rounds (medians); all PDFs deflated at zlib level {PDF_ZLIB_LEVEL}"
    )
    print()
    print("| measurement | wall ms | ratio (wall) | CPU ms | ratio (CPU) | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(
        f"| (a) our access letter (render_pdf, PDF/UA-1) | {ours:.1f} | {ours / floor:.2f}x floor "
        f"| {ours_cpu:.1f} | {ours_cpu / floor_cpu:.2f}x floor | <= 1.3x floor |"
    )
    print(
        f"| (a) same letter without PDF/UA-1 tagging | {untagged:.1f} | {untagged / floor:.2f}x floor "
        f"| {untagged_cpu:.1f} | {untagged_cpu / floor_cpu:.2f}x floor | |"
    )
    print(
        f"| (a) floor: bare WeasyPrint, same text, plain HTML | {floor:.1f} | 1.00x | {floor_cpu:.1f} | 1.00x | |"
    )
    if node_ms is None:
        print(f"| (a) Datenanfragen letter-generator | – | – | – | – | {node_note} |")
    else:
        print(
            f"| (a) Datenanfragen {node_note} | {node_ms:.1f} | ours {ours / node_ms:.2f}x theirs "
            f"| {node_cpu:.1f} | ours {ours_cpu / node_cpu:.2f}x theirs | ours faster (< 1.00x) |"
        )
    print(
        f"| (b) batch: render_many, 2 processes, per letter | {batch:.1f} "
        f"| {batch / (batch_floor / 2):.2f}x half-floor | {batch_cpu:.1f} (both workers) "
        f"| {batch_cpu / batch_floor_cpu:.2f}x floor | <= 1.3x half-floor |"
    )
    print(
        f"| (b) floor: bare WeasyPrint, all {args.batch} as one document, per letter | {batch_floor:.1f} "
        f"| half: {batch_floor / 2:.1f} | {batch_floor_cpu:.1f} | 1.00x | |"
    )
    print(
        f"| (b) same floor with the workers' GC thresholds {WORKER_GC_THRESHOLD} (for the record) | – "
        f"| – | {batch_floor_gc_cpu:.1f} | ours {batch_cpu / batch_floor_gc_cpu:.2f}x | |"
    )
    print_rounds(rounds)



def print_rounds(rounds: list[tuple[float, float, float, float, float]]) -> None:
    print()
    print("(b) rounds: floor per letter (wall/CPU) | batch per letter (wall/CPU) | wall ratio to half-floor | load")
    for n, (floor_wall, floor_cpu, batch_wall, batch_cpu, load) in enumerate(rounds, 1):
        print(
            f"  {n}. {floor_wall:.1f}/{floor_cpu:.1f} ms | {batch_wall:.1f}/{batch_cpu:.1f} ms "
            f"| {batch_wall / (floor_wall / 2):.2f}x | {load:.1f}"
        )


if __name__ == "__main__":
    main()
