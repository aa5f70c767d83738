"""Same-event merging: stories from different sources, in different words, become one entry;
different events (even of one company, the same week) stay apart."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from digest.cli import main
from digest.events import merge_events
from digest.models import Cluster, Story

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)

# (origin, source, title, lead, hours after Monday 09:00)
TOLD = [
    (
        "a",
        "Wire One",
        "Borealis cloud suffers six-hour outage in its US-East region",
        "A power fault at a Virginia data centre took Borealis services offline for six hours.",
        0,
    ),
    (
        "b",
        "Daily Ledger",
        "Borealis outage knocks thousands of websites offline",
        "Sites and apps hosted on Borealis went dark on Monday after a data centre power fault.",
        2,
    ),
    (
        "c",
        "Tech Post",
        "Power failure blamed for Borealis cloud downtime",
        "Borealis said a failed power feed in Virginia caused Monday's six-hour outage.",
        5,
    ),
    (
        "d",
        "Wire One",
        "Borealis raises $300 million in Series D funding round",
        "The cloud company said the new money values it at $4 billion.",
        30,
    ),
    (
        "e",
        "Market Watcher",
        "Borealis closes $300 million round led by Halcyon Ventures",
        "Investors led by Halcyon Ventures put $300 million into the cloud provider.",
        33,
    ),
    (
        "g",
        "Daily Ledger",
        "Borealis signs $2 billion chip supply deal with Cinder",
        "The cloud provider will buy custom accelerators from Cinder over five years.",
        4,
    ),
    (
        "f",
        "Gazette",
        "Federal Reserve holds interest rates steady, signals cuts next year",
        "The central bank left its benchmark rate unchanged and pencilled in two cuts.",
        6,
    ),
]


def story(origin: str, source: str, title: str, lead: str, hours: float) -> Story:
    published = MONDAY + timedelta(hours=hours)
    return Story(
        key=origin,
        origin=origin,
        title=title,
        summary=lead,
        body=(lead, "More of the story follows in the second paragraph."),
        url=f"https://example.com/{origin}",
        source=source,
        published=published,
        dated=published,
    )


def groups(clusters: list[Cluster]) -> set[frozenset[str]]:
    return {frozenset(item.origin for item in cluster.items) for cluster in clusters}


def test_one_event_told_by_several_sources_is_one_cluster_and_other_events_stay_apart() -> None:
    clusters = merge_events([Cluster(story(*told)) for told in TOLD])
    assert groups(clusters) == {
        frozenset("abc"),  # the outage, in three wordings
        frozenset("de"),  # the same company's funding round, the next day: another event
        frozenset("g"),  # and its chip deal, the same day as the outage: another event
        frozenset("f"),
    }
    outage = next(cluster for cluster in clusters if len(cluster.items) == 3)
    assert all(0.38 <= value < 1.0 for value in outage.similarity)


def test_the_clusters_do_not_depend_on_the_order_of_the_input() -> None:
    expected = groups(merge_events([Cluster(story(*told)) for told in TOLD]))
    for seed in range(5):
        shuffled = TOLD[:]
        random.Random(seed).shuffle(shuffled)
        assert groups(merge_events([Cluster(story(*told)) for told in shuffled])) == expected


def test_a_story_told_again_days_later_is_another_event() -> None:
    monday = story(
        "m",
        "Wire One",
        "Stocks fall as weak China export data weighs on markets",
        "Shares slid on Wall Street after China reported weaker exports.",
        0,
    )
    friday = story(
        "t",
        "Wire One",
        "Stocks fall as weak China factory data weighs on markets",
        "Shares slid on Wall Street after China reported weaker factory output.",
        96,
    )
    same_day = story(
        "s",
        "Gazette",
        "Wall Street slides on disappointing Chinese exports",
        "US shares fell after exports from China came in below forecasts.",
        3,
    )
    clusters = merge_events([Cluster(monday), Cluster(friday), Cluster(same_day)])
    assert groups(clusters) == {frozenset("ms"), frozenset("t")}


def write_feed(tmp_path: Path) -> Path:
    items = "".join(
        f"<item><title>{title}</title><link>https://example.com/{origin}</link>"
        f"<description>{lead}{' It added details on the recovery.' * (origin == 'c')}"
        f"</description><source url='https://{source.replace(' ', '')}.example'>{source}</source>"
        f"<pubDate>{(MONDAY + timedelta(hours=hours)):%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for origin, source, title, lead, hours in TOLD
    )
    feed = tmp_path / "news.rss"
    feed.write_text(f"<rss version='2.0'><channel><title>News</title>{items}</channel></rss>")
    return feed


def test_the_best_told_story_leads_and_the_others_are_also_covered_by(tmp_path: Path) -> None:
    feed = write_feed(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--all", "--out", str(out), str(feed)])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    stories = [s for section in document["sections"] for s in section["stories"]]
    assert len(stories) == 4
    outage = next(s for s in stories if len(s["items"]) == 3)
    # the fullest text leads; the others follow with the similarity that joined them
    assert outage["title"] == "Power failure blamed for Borealis cloud downtime"
    assert outage["sources"] == ["Tech Post", "Wire One", "Daily Ledger"]
    assert outage["items"][0]["similarity"] == 1.0
    assert all(0.38 <= item["similarity"] < 1.0 for item in outage["items"][1:])
    text = (out / "digest.txt").read_text(encoding="utf-8")
    assert "Also covered by Wire One, Daily Ledger" in text and "3 sources" in text
    markdown = (out / "digest.md").read_text(encoding="utf-8")
    assert "_Also covered by [Wire One](<https://example.com/a>), [Daily Ledger](" in markdown
    html = (out / "digest.html").read_text(encoding="utf-8")
    assert 'Also covered by <a href="https://example.com/a"' in html
    # The email opens with the most-covered events: here the outage, told three times, and
    # the funding round, told twice.
    top = text.split("TOP STORIES\n-----------\n", 1)[1].split("\n\n", 1)[0]
    assert top.startswith("* Power failure blamed for Borealis cloud downtime (3 sources,")
    assert "(2 sources," in top and top.count("* ") == 2
    assert "## Top stories" in markdown and ">Top stories</h2>" in html
    config = tmp_path / "sources.yaml"
    config.write_text("limits: {top_stories: 0}\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "--all", "--config", str(config), "--out", str(out), str(feed)]
    )
    assert result.exit_code == 0, result.output
    assert "TOP STORIES" not in (out / "digest.txt").read_text(encoding="utf-8")


def test_a_sources_unrelated_stories_in_another_language_stay_apart() -> None:
    """The vectors are an English model's: in another language every headline looks alike
    to it, until what the source's stories share is taken out."""
    told = [
        (
            "p1",
            "Governo aprova novo orçamento para a saúde esta quarta-feira",
            "O Conselho de Ministros aprovou esta quarta-feira mais verbas para os hospitais.",
        ),
        (
            "p2",
            "Tempestade provoca cheias no norte do país",
            "A chuva forte desta quarta-feira deixou várias estradas cortadas no distrito.",
        ),
        (
            "p3",
            "Clube de futebol anuncia novo treinador para a época",
            "O presidente do clube apresentou esta quarta-feira o treinador que chega de Espanha.",
        ),
        (
            "p4",
            "Preço dos combustíveis volta a subir na próxima semana",
            "Os condutores vão pagar mais pelo gasóleo e pela gasolina a partir de segunda-feira.",
        ),
        (
            "p5",
            "Escritora portuguesa vence prémio literário internacional",
            "O júri destacou esta quarta-feira o romance sobre a emigração dos anos sessenta.",
        ),
    ]
    stories = [story(origin, "Jornal Diário", title, lead, 1) for origin, title, lead in told]
    assert groups(merge_events([Cluster(s) for s in stories])) == {
        frozenset([o]) for o, _, _ in told
    }


def test_explain_says_why_a_story_is_where_it_is_and_what_was_not_merged(tmp_path: Path) -> None:
    feed = write_feed(tmp_path)
    result = CliRunner().invoke(main, ["explain", "borealis outage knocks", "--all", str(feed)])
    assert result.exit_code == 0, result.output
    text = result.output
    # the query names an item; the explanation is of its event, led by the fullest telling
    assert text.startswith("Power failure blamed for Borealis cloud downtime\n")
    assert "Section: Outages" in text and "outages: " in text and '"outage"' in text
    assert "Items merged into it (3):" in text
    assert "Daily Ledger: Borealis outage knocks thousands of websites offline" in text
    assert "similarity 0." in text and "(>= 0.38 joins)" in text
    nearest = text.split("Nearest stories not merged", 1)[1].splitlines()[1:]
    assert len(nearest) == 3
    assert all(float(line.split()[0]) < 0.38 for line in nearest)
    assert any("chip supply deal" in line for line in nearest)
    missing = CliRunner().invoke(main, ["explain", "no such story", "--all", str(feed)])
    assert missing.exit_code == 1 and "no story's title or origin holds" in missing.output


def test_a_theme_defined_by_its_description_alone_is_matched_by_meaning(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        "themes:\n"
        "  weather:\n"
        "    title: Weather\n"
        "    description: Storms, rain, floods, heat waves and the forecast.\n"
        "  football:\n"
        "    title: Football\n"
        "    description: Matches, goals, clubs, players and the league table.\n",
        encoding="utf-8",
    )
    folder = tmp_path / "in"
    folder.mkdir()
    stories = {
        "storm.md": (
            "Heavy rain floods the coast as the storm moves inland",
            "Rivers burst their banks overnight and forecasters expect more rain.",
        ),
        "match.md": (
            "Late goal lifts the club to the top of the league",
            "The striker scored in the final minute and the players celebrated.",
        ),
        "recipe.md": (
            "A quick way with lentils",
            "Cook the lentils with onion and garlic, then season to taste.",
        ),
    }
    for name, (title, text) in stories.items():
        body = f"{text} " * 3
        (folder / name).write_text(f'---\ntitle: "{title}"\n---\n\n{body}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--all", "--config", str(config), "--out", str(out), str(folder)]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    placed = {
        story["title"]: (section["theme"], story["reasons"][0])
        for section in document["sections"]
        for story in section["stories"]
    }
    theme, reason = placed["Heavy rain floods the coast as the storm moves inland"]
    assert theme == "weather" and reason.startswith("closest to Weather: 'Storms, rain")
    assert placed["Late goal lifts the club to the top of the league"][0] == "football"
    assert placed["A quick way with lentils"] == (
        "other",
        "no theme's keywords matched strongly enough; no theme's description is close enough",
    )


def test_the_lead_and_the_similarities_do_not_depend_on_order_or_on_exact_copies() -> None:
    first = story("x1", "Wire One", "Borealis cloud suffers six-hour outage", "", 0)
    second = story("x2", "Daily Ledger", "Borealis cloud outage: six hours down", "", 0)
    leads = {
        merge_events([Cluster(a), Cluster(b)])[0].lead.origin
        for a, b in ((first, second), (second, first))
    }
    assert leads == {"x1"}  # a tie in text and time is broken by origin, not by place
    # The fullest telling is an exact copy of another item: that item joined as a copy.
    copy = Story(
        **{
            **{f: getattr(first, f) for f in first.__slots__},
            "origin": "x1-copy",
            "body": (*first.body, "And a longer second telling of the same text."),
        }
    )
    merged = merge_events([Cluster(first, (copy,)), Cluster(second)])
    assert len(merged) == 1 and merged[0].lead.origin == "x1-copy"
    joined = dict(zip((s.origin for s in merged[0].items), merged[0].joined, strict=True))
    assert joined["x1"] == 1.0 and joined["x2"] < 1.0


def test_figures_agree_whatever_their_thousands_separator() -> None:
    one = story(
        "k1",
        "Wire One",
        "Kessling to cut 1,200 jobs as orders slow",
        "The robot maker said it would cut 1,200 jobs across its plants.",
        0,
    )
    two = story(
        "k2",
        "Gazette",
        "Kessling will cut 1200 jobs, blaming weak orders",
        "The company is cutting 1200 jobs after orders slowed this year.",
        2,
    )
    assert groups(merge_events([Cluster(one), Cluster(two)])) == {frozenset(["k1", "k2"])}
