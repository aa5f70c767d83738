"""Score story extraction on hand-written corpora with expectations: precision, recall, themes,
dates and leaked boilerplate. Prints one line per problem and the totals.

    python bench/shapes_eval.py                     # tests/fixtures/shapes + seeds/
    python bench/shapes_eval.py -v                  # also every story found
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.classify import classify
from digest.config import load_config
from digest.models import Cluster, Document
from digest.normalize import normalize
from digest.resources import sample_config

ROOT = Path(__file__).resolve().parent.parent


def norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower().rstrip(" .!?:;")


def cases() -> list[tuple[Path, dict]]:
    found = []
    manifest = json.loads((ROOT / "tests/fixtures/shapes/MANIFEST.json").read_text())
    for name, spec in manifest["files"].items():
        found.append((ROOT / "tests/fixtures/shapes" / name, spec))
    for golden in sorted((ROOT / "tests/golden/seeds").glob("*.expected.json")):
        seed = ROOT / "seeds" / golden.name.replace(".expected.json", ".txt")
        found.append((seed, json.loads(golden.read_text())))
    return found


def main() -> int:
    verbose = "-v" in sys.argv
    config = load_config(sample_config())
    tz = ZoneInfo("UTC")
    tp = fp = fn = theme_ok = dated = date_ok = leaks = 0
    for path, spec in cases():
        result = normalize(Document(None, path.name, "text", path.read_text(encoding="utf-8")), tz)
        stories = list(result.stories)
        expected = spec["stories"]
        used: set[int] = set()
        for want in expected:
            scores = [
                (difflib.SequenceMatcher(None, norm(s.title), norm(want["title"])).ratio(), i)
                for i, s in enumerate(stories)
                if i not in used
            ]
            ratio, index = max(scores, default=(0.0, -1))
            if ratio < 0.8:
                fn += 1
                print(f"MISSING  {path.name}: {want['title']}")
                continue
            tp += 1
            used.add(index)
            story = stories[index]
            entry = classify(Cluster(story), config.themes, config.fallback)
            good = entry.themes[0] in [want["theme"], *want.get("acceptable_themes", [])]
            theme_ok += good
            if not good:
                print(
                    f"THEME    {path.name}: {want['title'][:60]!r} got {entry.themes[0]} want {want['theme']}  [{'; '.join(entry.reasons)[:160]}]"
                )
            if want.get("published"):
                dated += 1
                got = story.published.date().isoformat() if story.published else None
                date_ok += got == want["published"]
                if got != want["published"]:
                    print(
                        f"DATE     {path.name}: {want['title'][:50]!r} got {got} want {want['published']}"
                    )
        for i, story in enumerate(stories):
            if i not in used:
                fp += 1
                print(f"EXTRA    {path.name}: {story.title!r}")
        everything = "\n".join(
            s.title + "\n" + s.summary + "\n" + "\n".join(s.body) for s in stories
        )
        for phrase in spec.get("must_not_appear", []):
            if phrase in everything:
                leaks += 1
                print(f"LEAK     {path.name}: {phrase!r}")
        if verbose:
            for story in stories:
                print(f"   ok    {path.name}: {story.title!r} | {story.author} | {story.published}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"\nstories: precision {precision:.2f}, recall {recall:.2f} (found {tp}, extra {fp}, missing {fn})"
    )
    print(f"themes right: {theme_ok}/{tp}; dates right: {date_ok}/{dated}; leaked phrases: {leaks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
