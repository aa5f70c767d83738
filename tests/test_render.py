"""Rendering: exact text and Markdown goldens for a fixed digest, HTML structure, escaping,
template overrides and template errors."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.errors import RenderError
from digest.models import Cluster, Digest, Entry, Period, Section, Skipped, Story, Theme
from digest.render import render

GOLDEN = Path(__file__).parent / "golden" / "render"
COMPETITION = Theme("competition", "Competition")
OUTAGES = Theme("outages", "Outages")


def story(n: int, **fields: object) -> Story:
    values: dict[str, object] = {
        "key": f"k{n}",
        "origin": f"in/{n}.txt",
        "title": f"Story number {n}",
        "summary": f"Summary {n}: what happened, in two sentences that are long enough to wrap across the plain-text column limit.",
        "body": ("Body.",),
        "url": f"https://example.com/{n}",
        "source": "Example Times",
        "author": "Ana Ruiz",
        "published": datetime(2026, 11, 17, tzinfo=UTC),
    }
    values.update(fields)
    return Story(**values)  # type: ignore[arg-type]


def fixed_digest(**overrides: object) -> Digest:
    entries = (
        Entry(
            Cluster(story(1)),
            ("competition", "money"),
            ('competition (score 5): title says "rival"',),
            5.0,
        ),
        Entry(Cluster(story(2, url=None, author=None)), ("competition",), ("r",), 3.0),
        Entry(Cluster(story(3)), ("competition",), ("r",), 2.0, shown=False),
    )
    values: dict[str, object] = {
        "title": "The Test Weekly",
        "period": Period(datetime(2026, 11, 14, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)),
        "generated_at": datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
        "sections": (
            Section(COMPETITION, entries),
            Section(OUTAGES, (Entry(Cluster(story(4, source=None)), ("outages",), ("r",), 4.0),)),
        ),
        "skipped": (Skipped("in/empty.txt", "empty file"),),
    }
    values.update(overrides)
    return Digest(**values)  # type: ignore[arg-type]


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_text_version_matches_the_golden_and_wraps_at_72() -> None:
    text = render(fixed_digest()).text
    check_golden("digest.txt", text)
    assert max(len(line) for line in text.splitlines()) <= 72
    assert "[1] https://example.com/1" in text and "Story number 2" in text


def test_markdown_version_matches_the_golden() -> None:
    check_golden("digest.md", render(fixed_digest()).markdown)


def test_html_has_one_h1_an_h2_per_theme_and_an_h3_per_shown_story() -> None:
    html = render(fixed_digest()).html
    assert len(re.findall(r"<h1\b", html)) == 1
    assert re.findall(r"<h2\b[^>]*>([^<]+)</h2>", html) == ["Competition", "Outages"]
    assert len(re.findall(r"<h3\b", html)) == 3
    assert '<a href="https://example.com/1"' in html and "Story number 3" not in html
    assert "1 more story on Competition in the next issue" in html
    assert "fonts.googleapis" not in html and "<mj-" not in html
    # The preheader: hidden text at the top of the body.
    assert "Story number 1 · Story number 2" in html


def test_article_text_cannot_inject_markup() -> None:
    evil = story(
        1,
        title='<script>alert(1)</script>"><img src=x>',
        summary="a <b>bold</b> & claim",
        url="javascript:alert(1)",
        source="<i>Src</i>",
    )
    digest = fixed_digest(
        sections=(Section(COMPETITION, (Entry(Cluster(evil), ("competition",), ("r",), 1.0),)),)
    )
    rendered = render(digest)
    assert (
        "<script>" not in rendered.html
        and "<img src=x>" not in rendered.html
        and "<b>bold" not in rendered.html
    )
    assert "&lt;script&gt;" in rendered.html and "javascript:" not in rendered.html
    assert "\\<script\\>" in rendered.markdown


def test_json_follows_the_public_contract() -> None:
    document = json.loads(render(fixed_digest()).json)
    assert document["schema_version"] == 1
    assert document["period"] == {
        "start": "2026-11-14T00:00:00+00:00",
        "end": "2026-11-21T00:00:00+00:00",
    }
    stories = document["sections"][0]["stories"]
    assert [s["shown"] for s in stories] == [True, True, False]
    assert stories[0]["themes"] == ["competition", "money"] and stories[0]["reasons"]
    assert stories[0]["published"] == "2026-11-17"
    assert stories[0]["items"] == [
        {
            "title": "Story number 1",
            "origin": "in/1.txt",
            "url": "https://example.com/1",
            "source": "Example Times",
            "published": "2026-11-17",
            "text": "Body.",
            "similarity": 1.0,
        }
    ]
    assert stories[0]["sources"] == ["Example Times"]
    assert stories[0]["text"] == "Body."
    assert document["skipped"] == [{"origin": "in/empty.txt", "reason": "empty file"}]


def test_a_template_in_the_user_folder_overrides_the_default(tmp_path: Path) -> None:
    (tmp_path / "email.txt.j2").write_text(
        "Custom: {{ title }} ({{ story_count }})\n", encoding="utf-8"
    )
    rendered = render(fixed_digest(), tmp_path)
    assert rendered.text == "Custom: The Test Weekly (3)\n"
    assert "<h1" in rendered.html  # the other templates still come from the project


def test_template_errors_name_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "email.txt.j2").write_text("line one\n{{ title }\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"email\.txt\.j2, line 2"):
        render(fixed_digest(), tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "email.txt.j2").write_text("ok\n\n{{ no_such_name }}\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"email\.txt\.j2, line 3: 'no_such_name' is undefined"):
        render(fixed_digest(), other)


def many(count: int, per_theme: int) -> Digest:
    themes = [Theme(f"t{n}", f"Theme {n}") for n in range(6)]
    long_summary = (
        "A summary sentence that is about as long as a real one in a digest, with names & figures. "
        * 5
    ).strip()
    sections = []
    for index, theme in enumerate(themes):
        entries = tuple(
            Entry(
                Cluster(
                    story(
                        index * 100 + n,
                        summary=long_summary,
                        title=f"Story {index}-{n} with a realistic headline length",
                    )
                ),
                (theme.name,),
                ("r",),
                1.0,
                shown=n < per_theme,
            )
            for n in range(count // 6)
        )
        sections.append(Section(theme, entries))
    return fixed_digest(sections=tuple(sections))


def test_a_30_story_issue_fits_the_budget_and_a_60_story_one_says_what_it_left_out() -> None:
    url = "https://example.com/digest/1.html"
    thirty = render(many(30, per_theme=10), full_issue_url=url)
    assert len(thirty.html.encode()) <= 90_000 and thirty.html.count("<h3") == 30
    sixty = render(many(60, per_theme=10), full_issue_url=url)  # the email cap shows 10 of 10
    assert len(sixty.html.encode()) <= 102_000
    capped = render(many(60, per_theme=5), full_issue_url=url)
    assert "30 more stories in the full issue" in capped.html and f'href="{url}"' in capped.html
    huge = render(many(180, per_theme=30), full_issue_url=url)  # past the budget: trimmed
    size, shown = len(huge.html.encode()), huge.html.count("<h3")
    assert size <= 90_000 and shown < 180
    assert f"{180 - shown} more stories in the full issue" in huge.html
    assert f"{180 - shown} more stories in the full issue" in huge.text.replace("\n", " ")
    assert len(json.loads(huge.json)["sections"][0]["stories"]) == 30  # the JSON keeps them all


def test_the_email_has_the_client_survival_kit() -> None:
    html = render(fixed_digest()).html
    assert '<html lang="en"' in html
    assert (
        'name="color-scheme" content="light dark"' in html and "prefers-color-scheme: dark" in html
    )
    assert "[data-ogsc]" in html
    assert 'name="format-detection" content="telephone=no, date=no, address=no, email=no' in html
    assert "\u034f\u200c\u00a0" * 20 in html  # the preheader's padding
    assert "fonts.googleapis" not in html and "@import" not in html


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_colours_of_the_email_meet_4_5_to_1_in_both_modes() -> None:
    template = (Path(__file__).resolve().parent.parent / "templates" / "email.mjml.j2").read_text()
    light = [("#1f2328", "#ffffff"), ("#57606a", "#ffffff"), ("#0b57d0", "#ffffff")]
    dark = [("#e6edf3", "#161b22"), ("#a8b3bd", "#161b22"), ("#8ab4f8", "#161b22")]
    for foreground, background in light + dark:
        assert foreground in template and (background in template or background == "#ffffff")
        assert _contrast(foreground, background) >= 4.5, (foreground, background)
