import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from digest.classify import Tokens, classify, compile_keywords, sections
from digest.config import load_config
from digest.models import Cluster, Story, Theme
from digest.resources import sample_config

OTHER = Theme("other", "Also Noted")
THEMES = (
    Theme("outages", "Outages", keywords=("outage*", "went down", "status page")),
    Theme("money", "Money", keywords=("funding", "IPO", r"re:\$\d+")),
)


def test_keywords_match_words_phrases_wildcards_acronyms_and_regexes() -> None:
    matcher = compile_keywords(("outage*", "went down", "IPO", "lost connection*", r"re:\$\d+"))
    text = "Outages: it went  down before the IPO (not ipo) at $5; users lost connections, no shoutages"
    assert matcher.find(Tokens.of(text)) == {
        "outages": 1,
        "went down": 1,
        "ipo": 1,
        "$5": 1,
        "lost connections": 1,
    }


def test_primary_theme_reasons_and_secondary_themes(make_story: Callable[..., Story]) -> None:
    story = make_story(
        title="Payments site went down during its IPO week",
        summary="An outage hit the service.",
        body=("The status page showed an outage for hours.", "The IPO raised $500 of funding."),
    )
    entry = classify(Cluster(story), THEMES, OTHER)
    assert entry.themes == ("outages", "money")
    assert entry.reasons[0].startswith("outages (score ")
    assert 'title says "went down"' in entry.reasons[0]


def test_a_story_matching_nothing_goes_to_the_fallback_with_a_reason(
    make_story: Callable[..., Story],
) -> None:
    entry = classify(
        Cluster(make_story(title="A quiet conference", body=("People met and talked.",))),
        THEMES,
        OTHER,
    )
    assert entry.themes == ("other",) and "no theme" in entry.reasons[0]


def test_sections_follow_theme_order_and_cap_what_the_email_shows(
    make_story: Callable[..., Story],
) -> None:
    entries = [
        classify(
            Cluster(make_story(key=str(n), title=f"Outage number {n}", body=("outage",) * n)),
            THEMES,
            OTHER,
        )
        for n in range(1, 4)
    ]
    built = sections(entries, (*THEMES, OTHER), limit=2)
    assert [section.theme.name for section in built] == ["outages"]
    assert [entry.shown for entry in built[0].entries] == [True, True, False]
    assert [entry.cluster.lead.title for entry in built[0].entries] == [
        "Outage number 3",
        "Outage number 2",
        "Outage number 1",
    ]


def test_default_themes_place_typical_stories(make_story: Callable[..., Story]) -> None:
    config = load_config(sample_config())
    cases = {
        "outages": (
            "Checkout service down for six hours",
            "Card payments failed with server errors; the status page was slow to admit the incident.",
        ),
        "money": (
            "Robotics startup raises $95M Series C",
            "The funding round values the company at $1.2 billion, investors said.",
        ),
        "governance": (
            "Regulator opens probe into chatbot maker",
            "The watchdog is investigating compliance with the new AI law.",
        ),
        "launches": (
            "Lab unveils an open-weight coding model",
            "The new model is available today in preview.",
        ),
        "competition": (
            "Robot maker hires away a rival's team",
            "The poaching deepens the talent war between competitors.",
        ),
    }
    for theme, (title, text) in cases.items():
        story = make_story(title=title, summary=text, body=(text,))
        assert classify(Cluster(story), config.themes, config.fallback).themes[0] == theme, title


def test_the_reasons_are_the_same_in_every_run(tmp_path: Path) -> None:
    """Keyword hits come out of set operations, whose order follows the string hash seed;
    two runs of the same build must still write the same reasons, word for word."""
    inputs = Path(__file__).parent / "fixtures" / "shapes"
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed, DIGEST_TIMEZONE="UTC")
        command = ["build", str(inputs), "--all", "--format", "json", "--out", str(out)]
        subprocess.run(
            [sys.executable, "-m", "digest", *command],
            env=env,
            capture_output=True,
            check=True,
        )
        data = json.loads((out / "digest.json").read_text())
        outputs.append(
            [
                (story["title"], story["reasons"])
                for section in data["sections"]
                for story in section["stories"]
            ]
        )
    assert outputs[0] == outputs[1]
    assert any(reasons for _, reasons in outputs[0])
