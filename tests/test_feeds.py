"""Feed files: RSS, Atom and JSON Feed entries as items; broken feeds skipped with a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from digest.blocks import to_lines
from digest.errors import SourceError
from digest.gather.feeds import read_feed
from digest.gather.files import gather_path
from digest.normalize import normalize

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
SHARED_FEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "feeds"
NOW = datetime(2026, 11, 21, tzinfo=UTC)


def entries(name: str) -> list:
    return list(read_feed((FIXTURES / name).read_bytes(), name, None, NOW).documents)


def test_rss_entries_keep_link_date_author_and_lose_html_and_tails() -> None:
    first, second = entries("harbour.rss")  # the sponsored entry is not a story
    assert first.hints.title == "Port of Elsmere reopens after a crane software fault"
    assert first.hints.published == datetime(2026, 11, 17, 8, 15, tzinfo=UTC)
    assert first.hints.author == "Maya Lind" and first.source == "Harbour & Rail Notes"
    story = normalize(first, UTC).stories[0]
    assert "appeared first on" not in " ".join(story.body)
    assert "—" in story.summary and "<p>" not in story.summary
    undated = normalize(second, UTC).stories[0]
    # A feed file's undated entry is filed under the file's time; a feed URL's, the fetch's.
    assert undated.published is None and undated.date_source == "file modified"
    assert undated.dated == NOW
    data = (FIXTURES / "harbour.rss").read_bytes()
    fetched = list(read_feed(data, "https://example.com/feed.xml", None, NOW).documents)[1]
    assert normalize(fetched, UTC).stories[0].date_source == "fetched"
    assert "Continue reading" not in undated.summary


def test_feed_dates_in_other_languages_are_read() -> None:
    (entry,) = entries("mercados.rss")
    assert entry.hints.published is not None
    assert entry.hints.published.astimezone(UTC) == datetime(2026, 11, 17, 21, 40, tzinfo=UTC)


def test_json_feed_and_atom_give_every_entry() -> None:
    solar, fans = entries("lab-notes.json")
    assert solar.hints.author == "R. Okafor" and fans.hints.published is not None
    robots, untitled = entries("depot.atom")
    assert robots.source == "Depot Weekly" and untitled.hints.url is None
    story = normalize(untitled, UTC).stories[0]
    assert story.title.startswith("An entry with no title")


def test_broken_and_non_feeds_are_refused_with_a_reason() -> None:
    with pytest.raises(SourceError, match=r"not a usable feed: .*line 4"):
        read_feed((FIXTURES / "broken.xml").read_bytes(), "broken.xml", None, NOW)
    with pytest.raises(SourceError, match="not a feed"):
        read_feed(b'{"hello": "world"}', "x.json", None, NOW)


def test_entity_expansion_is_not_expanded() -> None:
    (entry,) = entries("bomb.xml")
    assert len(entry.hints.title or "") < 100


@pytest.mark.skipif(not SHARED_FEEDS.is_dir(), reason="../shared/feeds is not present")
def test_every_shared_feed_is_read_without_a_crash() -> None:
    gathered = gather_path(str(SHARED_FEEDS), "feeds")
    skipped = {Path(skip.origin).name for skip in gathered.skipped}
    assert skipped == {"feed-rs_rss_2.0_invalid_1.xml", "rss-parser_unrecognized.rss"}
    counts: dict[str, int] = {}
    for document in gathered.documents:
        name = Path(document.origin.split("#")[0]).name
        counts[name] = counts.get(name, 0) + 1
        normalized = normalize(document, UTC)
        if document.hints.title or to_lines(document.blocks).strip():
            assert normalized.stories  # every entry with a title or text becomes an item
        else:  # never an "Untitled entry"
            assert normalized.reason == "a feed entry with neither a title nor any text"
    for path in SHARED_FEEDS.iterdir():
        if path.name in skipped or path.suffix == ".md":
            continue
        if path.suffix == ".json":
            expected = len(json.loads(path.read_text(encoding="utf-8"))["items"])
        else:
            expected = len(feedparser.parse(path.read_bytes()).entries)
        assert counts.get(path.name) == expected, path.name
    portuguese = [d for d in gathered.documents if "uolNoticias" in d.origin]
    assert portuguese and all(d.hints.published is not None for d in portuguese)


def test_an_aggregator_entry_takes_its_publisher_from_source_and_drops_the_suffix() -> None:
    data = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Top stories</title>
<item><title>Port reopens after crane fault - Harbour Gazette</title>
<link>https://gazette.example/port</link><pubDate>Tue, 17 Nov 2026 08:00:00 +0000</pubDate>
<source url="https://gazette.example">Harbour Gazette</source></item>
<item><title>Night trains return - a route map - Rail Weekly</title>
<link>https://rail.example/night</link><source url="https://rail.example">Rail Weekly</source></item>
<item><title>Ferry fares rise</title><link>https://x.example/f</link></item>
</channel></rss>"""
    first, second, third = read_feed(data, "top.rss", None, NOW).documents
    assert (first.hints.title, first.hints.source) == (
        "Port reopens after crane fault",
        "Harbour Gazette",
    )
    assert (second.hints.title, second.hints.source) == (
        "Night trains return - a route map",
        "Rail Weekly",
    )
    assert (third.hints.title, third.hints.source) == ("Ferry fares rise", "Top stories")
