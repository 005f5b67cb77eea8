"""How long the evidence dossier of a long request takes to render: 50 events, 10 answer
attachments, the two letters of an access + erasure request as appendices (issue 15: < 2 s).

    .venv/bin/python bench/dossier.py [--runs 5]

Prints the wall and CPU time of each run and the median. Plain data (no database): what a
tracked request's dossier costs once its rows are read.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsar.settings")


def main() -> None:
    import django

    django.setup()
    from dsar.letters.data import DatasetRef, LetterData, Person, Recipient
    from dsar.letters.dossier import (
        Answer,
        AttachmentRef,
        DossierData,
        Evidence,
        SourceRef,
        TimelineEntry,
        render_dossier,
    )
    from dsar.letters.law import regime

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    person = Person(name="Zoë Łukasiewicz-Ørsted", address_lines=("Hauptstraße 5", "10115 Berlin"), email="z@example.org")
    controller = Recipient(name="Microsoft", legal_name="Microsoft Ireland Operations Limited",
                           address_lines=("One Microsoft Place", "South County Business Park", "Dublin 18"), country="IE")
    ref = DatasetRef(name="MS-Celeb-1M", identifying_details=(("Name as listed", "Zoe Orsted"),))
    start = date(2026, 1, 5)
    letters = tuple(
        LetterData(kind=kind, language="en", reference="DSAR-BENC-H001", letter_date=start,  # type: ignore[arg-type]
                   due_date=start + timedelta(days=31), person=person, recipient=controller, datasets=(ref,))
        for kind in ("access", "erasure")
    )
    dossier = DossierData(
        language="en", reference="DSAR-BENC-H001", made_on=date(2026, 5, 1), complainant=person,
        controller=controller, law=regime("gdpr"), request_kind="access_erasure", status="Refused",
        timeline=tuple(TimelineEntry(start + timedelta(days=i), f"Event {i}", "by email, message id "
                                     f"<{i}@mail.example>") for i in range(50)),
        answers=tuple(Answer(received_on=start + timedelta(days=40 + i), outcome="Partial answer",
                             text="Thank you for your request. " * 20,
                             attachments=(AttachmentRef(f"scan-{i}.pdf", "ab" * 32, 123_456, "application/pdf"),))
                      for i in range(10)),
        evidence=(Evidence(dataset="MS-Celeb-1M", role="published the dataset", basis="Microsoft Research released it.",
                           sources=(SourceRef("https://example.org/paper"),)),),
        letters=letters, due_on=start + timedelta(days=31), due_steps=("received 5 Jan", "one month: 5 Feb"),
    )
    render_dossier(dossier)  # warm: fonts and stylesheets are loaded once per process
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = render_dossier(dossier)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"dossier: 50 events, 10 attachments, 2 letters -> {len(pdf):,} bytes")
    print("run  wall s  cpu s")
    for n, (w, c) in enumerate(zip(walls, cpus, strict=True), 1):
        print(f"{n:>3}  {w:6.3f}  {c:6.3f}")
    print(f"median wall {statistics.median(walls):.3f} s, cpu {statistics.median(cpus):.3f} s (target < 2 s)")


if __name__ == "__main__":
    main()
