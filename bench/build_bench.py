"""Benchmark: how long a build of N saved articles takes, against just reading and
tokenizing the same files.

    python bench/build_bench.py                # 1,000 and 10,000 articles
    python bench/build_bench.py 1000 100000    # any sizes

Generates a corpus per size in a temporary folder (a mix of long articles with site
furniture, multi-story newsletters and short pieces, with varied words), then times:
  read+tokenize  read every file, decode it, split it into words (the floor for any build)
  build          the whole `digest build` pipeline: gather, normalize, dedupe, classify,
                 rank and render all formats (written to a temporary folder)
and prints seconds, articles per second, the ratio of the two, and peak memory.
"""

from __future__ import annotations

import random
import re
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from digest.config import SourceConfig, load_config
from digest.output import FORMATS, write_outputs
from digest.pipeline import BuildRequest, build_digest
from digest.render import render
from digest.resources import sample_config
from digest.window import resolve_period

WORDS = (
    "cloud chip model launch outage funding rival regulator court market revenue server "
    "engineer customer release policy investor startup network region capacity benchmark "
    "platform contract lawsuit valuation acquisition incident latency developer partner "
    "data center training inference pricing subscription government safety board analyst"
).split()
FILLER = "the a of to and in on for with that this it was is by from at as".split()
NAMES = ["Acme", "Borealis", "Cinder", "Dunmore", "Elara", "Fathom", "Gantry", "Halcyon"]


def sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS) if rng.random() < 0.5 else rng.choice(FILLER) for _ in range(words)]
    return rng.choice(NAMES) + " " + " ".join(picked) + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(3, 6)))


def headline(rng: random.Random) -> str:
    return f"{rng.choice(NAMES)} {rng.choice(WORDS).title()} {rng.choice(WORDS).title()} After {rng.choice(WORDS).title()}"


def article(rng: random.Random, number: int) -> str:
    parts = [
        f"{headline(rng)} {number}",
        f"By Sam Example · {rng.randint(3, 12)} min read",
        paragraph(rng),
    ]
    for _ in range(rng.randint(2, 5)):
        parts += [
            f"What {rng.choice(NAMES)} Means for {rng.choice(WORDS).title()}",
            paragraph(rng),
            paragraph(rng),
        ]
    parts += ["Key Takeaways", "\n".join(f"  • {sentence(rng, 10)}" for _ in range(4))]
    parts += [
        "Get the Weekly Briefing",
        "One email a week. No spam. Unsubscribe anytime.",
        "Share: X / LinkedIn / Email",
    ]
    return "\n\n".join(parts) + "\n"


def newsletter(rng: random.Random, number: int) -> str:
    parts = ["In partnership with"]
    for story in range(rng.randint(2, 4)):
        parts += [
            f"{rng.choice(NAMES)} did something {number}-{story}. Nobody expected it.",
            paragraph(rng),
            paragraph(rng),
        ]
        if story == 0:
            parts += [
                "Smarter mornings start here.",
                "Join 2 million readers who get our free daily newsletter in their inbox.",
            ]
    parts += ["Watch our latest episode →", "Keep Reading"]
    return "\n\n".join(parts) + "\n"


def make_corpus(folder: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for number in range(count):
        text = newsletter(rng, number) if number % 5 == 0 else article(rng, number)
        (folder / f"{number:06d}.txt").write_text(text, encoding="utf-8")


def read_and_tokenize(folder: Path) -> int:
    tokens = 0
    for path in sorted(folder.iterdir()):
        tokens += len(re.findall(r"\w+", path.read_bytes().decode("utf-8")))
    return tokens


def full_build(folder: Path, out: Path) -> int:
    config = load_config(sample_config())
    now = datetime.now(UTC)
    source = SourceConfig(kind="path", location=str(folder), label="corpus")
    digest = build_digest(
        BuildRequest(config, resolve_period(now, UTC, None, everything=True), now, (source,))
    )
    write_outputs(render(digest), out, FORMATS)
    return len(digest.entries)


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        make_corpus(folder, count)
        started = time.perf_counter()
        tokens = read_and_tokenize(folder)
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        stories = full_build(folder, Path(tmp) / "out")
        build = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{count:>7,} articles | read+tokenize {baseline:6.2f} s ({tokens:,} tokens) | "
        f"build {build:6.2f} s ({count / build:,.0f} articles/s, {stories:,} stories) | "
        f"build/baseline {build / baseline:5.1f}x | peak RSS {peak:,.0f} MB"
    )


def main() -> int:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1000, 10000]
    print(f"digest build benchmark on {sys.platform}, Python {sys.version.split()[0]}")
    for count in sizes:
        measure(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
