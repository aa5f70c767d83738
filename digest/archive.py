"""The web archive: a static site with one page per issue, an index, and an Atom feed.

Each issue page is the full issue (stories the email left out included); `issues.json` in the
archive folder remembers every issue written, so the index and the feed list them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from digest.config import Config
from digest.errors import DigestError, SettingError
from digest.identity import issue_hash
from digest.models import Digest
from digest.output import write_atomic
from digest.render import (
    period_label,
    render_archive_feed,
    render_archive_index,
    render_archive_page,
)

MANIFEST = "issues.json"


@dataclass(frozen=True, slots=True)
class Archived:
    """Where an issue went."""

    page: Path
    url: str | None
    index: Path
    feed: Path


def issue_slug(digest: Digest) -> str:
    """A file name of the issue's own: the day its period ends (or the build day), then a
    short hash of its stories. Two issues on one day get two pages; the same issue archived
    again keeps its page (and the "read online" link of a sent email stays true)."""
    moment = digest.period.end or digest.generated_at
    return f"{moment:%Y-%m-%d}-{issue_hash(digest)[:8]}.html"


def issue_url(config: Config, digest: Digest) -> str | None:
    """Where the issue will be online, when archive.base_url is set."""
    if not config.archive_url:
        return None
    return config.archive_url.rstrip("/") + "/issues/" + issue_slug(digest)


def write_archive(config: Config, digest: Digest, folder: Path | None = None) -> Archived:
    """Write (or rewrite) this issue's page, then the index and the feed."""
    root = folder or config.archive_dir
    if root is None:
        raise SettingError(
            "no archive folder", hint="set archive: {dir: site/} in sources.yaml or pass --out"
        )
    (root / "issues").mkdir(parents=True, exist_ok=True)
    slug = issue_slug(digest)
    page = root / "issues" / slug
    write_atomic(
        page,
        render_archive_page(
            digest, config.templates_dir, config.title, "../index.html", "../feed.xml"
        ),
    )
    issues = _update_manifest(root, digest, slug)
    write_atomic(
        root / "index.html", render_archive_index(issues, config.templates_dir, config.title)
    )
    base = (config.archive_url.rstrip("/") + "/") if config.archive_url else ""
    updated = max(issue["generated_at"] for issue in issues)
    write_atomic(
        root / "feed.xml",
        render_archive_feed(issues, config.templates_dir, config.title, base, updated),
    )
    return Archived(page, issue_url(config, digest), root / "index.html", root / "feed.xml")


def _update_manifest(root: Path, digest: Digest, slug: str) -> list[dict[str, Any]]:
    path = root / MANIFEST
    issues: list[dict[str, Any]] = []
    if path.exists():
        try:
            issues = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DigestError(
                f"cannot read the archive list {path}: {exc}", hint="fix or delete it"
            ) from exc
    titles = [entry.cluster.lead.title for entry in digest.entries]
    record = {
        "href": f"issues/{slug}",
        "title": digest.title,
        "period_label": period_label(digest.period),
        "story_count": len(titles),
        "headlines": "; ".join(titles[:5]),
        "generated_at": _iso(digest.generated_at),
    }
    issues = [issue for issue in issues if issue.get("href") != record["href"]] + [record]
    issues.sort(key=lambda issue: (issue["generated_at"], issue["href"]), reverse=True)
    write_atomic(path, json.dumps(issues, ensure_ascii=False, indent=2) + "\n")
    return issues


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
