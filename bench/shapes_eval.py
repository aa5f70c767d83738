"""Score story extraction on hand-written corpora with expectations: precision, recall, themes,
dates and leaked boilerplate. Prints one line per problem, then the totals.

    python bench/shapes_eval.py                  # tests/fixtures/shapes + seeds/
    python bench/shapes_eval.py holdout          # tests/fixtures/holdout only
    python bench/shapes_eval.py -v               # also every story found
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest.classify import classify
from digest.config import load_config
from digest.errors import SourceError
from digest.gather.files import read_file
from digest.models import Cluster
from digest.normalize import normalize
from digest.resources import sample_config

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Report:
    """Counts over a corpus, and a line per problem."""

    found: int = 0
    extra: int = 0
    missing: int = 0
    themes_right: int = 0
    dated: int = 0
    dates_right: int = 0
    leaks: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.extra) if self.found + self.extra else 1.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missing) if self.found + self.missing else 1.0


def norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower().rstrip(" .!?:;")


def cases(corpus: str) -> list[tuple[Path, dict[str, Any]]]:
    """(file, expectation) pairs of a corpus: "shapes" (with the seeds) or "holdout"."""
    found = []
    folder = ROOT / "tests" / "fixtures" / corpus
    manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, spec in manifest["files"].items():
        found.append((folder / name, spec))
    if corpus == "shapes":
        for golden in sorted((ROOT / "tests" / "golden" / "seeds").glob("*.expected.json")):
            seed = ROOT / "seeds" / golden.name.replace(".expected.json", ".txt")
            found.append((seed, json.loads(golden.read_text(encoding="utf-8"))))
    return found


def evaluate(corpus: str = "shapes", verbose: bool = False) -> Report:
    config = load_config(sample_config())
    report = Report()
    for path, spec in cases(corpus):
        try:
            documents = read_file(path, path.name)
        except SourceError:
            documents = []
        stories = [
            story for document in documents for story in normalize(document, config.tz).stories
        ]
        used: set[int] = set()
        for want in spec["stories"]:
            ratio, index = max(
                (
                    (difflib.SequenceMatcher(None, norm(s.title), norm(want["title"])).ratio(), i)
                    for i, s in enumerate(stories)
                    if i not in used
                ),
                default=(0.0, -1),
            )
            if ratio < 0.8:
                report.missing += 1
                report.problems.append(f"MISSING  {path.name}: {want['title']}")
                continue
            report.found += 1
            used.add(index)
            story = stories[index]
            entry = classify(Cluster(story), config.themes, config.fallback)
            if entry.themes[0] in [want["theme"], *want.get("acceptable_themes", [])]:
                report.themes_right += 1
            else:
                report.problems.append(
                    f"THEME    {path.name}: {want['title'][:60]!r} got {entry.themes[0]}, want {want['theme']}"
                    f" [{'; '.join(entry.reasons)[:160]}]"
                )
            if want.get("published"):
                report.dated += 1
                got = (
                    story.published.astimezone(config.tz).date().isoformat()
                    if story.published
                    else None
                )
                if got == want["published"]:
                    report.dates_right += 1
                else:
                    report.problems.append(
                        f"DATE     {path.name}: {want['title'][:50]!r} got {got}, want {want['published']}"
                    )
        for i, story in enumerate(stories):
            if i not in used:
                report.extra += 1
                report.problems.append(f"EXTRA    {path.name}: {story.title!r}")
        text = "\n".join(s.title + "\n" + s.summary + "\n" + "\n".join(s.body) for s in stories)
        for phrase in spec.get("must_not_appear", []):
            if phrase in text:
                report.leaks += 1
                report.problems.append(f"LEAK     {path.name}: {phrase!r}")
        if verbose:
            report.problems.extend(
                f"   ok    {path.name}: {s.title!r} | {s.author} | {s.published}" for s in stories
            )
    return report


def main() -> int:
    corpus = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), "shapes")
    report = evaluate(corpus, "-v" in sys.argv)
    print("\n".join(report.problems))
    print(
        f"\n{corpus}: precision {report.precision:.2f}, recall {report.recall:.2f} "
        f"(found {report.found}, extra {report.extra}, missing {report.missing})"
    )
    print(
        f"themes right: {report.themes_right}/{report.found}; dates right: "
        f"{report.dates_right}/{report.dated}; leaked phrases: {report.leaks}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
