"""Every input kind a curator saves, through a real build: Markdown with front matter, saved web
pages (an article and a newsletter), a multipart .eml newsletter, Windows-1252 with CRLF, an
empty file and a subscribe page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.blocks import to_lines
from digest.cli import main
from digest.gather.files import read_file

INPUTS = Path(__file__).parent / "fixtures" / "inputs"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        main,
        ["build", str(INPUTS), "--all", "--format", "json", "--format", "txt", "--out", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    document["_text"] = (out / "digest.txt").read_text(encoding="utf-8")
    return document


def stories(built: dict) -> dict[str, dict]:
    found = {}
    for section in built["sections"]:
        for story in section["stories"]:
            for item in story["items"]:
                found[Path(item["origin"]).name] = {**story, "theme": section["theme"]}
    return found


def test_every_kind_gives_its_stories_once(built: dict) -> None:
    assert sorted(stories(built)) == [
        "dock-digest.html#1",
        "dock-digest.html#2",
        "dock-digest.html#3",
        "ferry-page.html",
        "harbour-brief.md#1",
        "harbour-brief.md#2",
        "harbour-brief.md#3",
        "quay-letter.eml#1",
        "quay-letter.eml#2",
        "tidal-turbines.md",
        "toll-road-1252.txt",
    ]
    assert {Path(skip["origin"]).name: skip["reason"] for skip in built["skipped"]} == {
        "empty.txt": "empty file",
        "subscribe-page.txt": "no article text: only page furniture (subscribe box, navigation, ads)",
    }


def test_markdown_front_matter_gives_the_fields_and_the_h1_is_not_body(built: dict) -> None:
    story = stories(built)["tidal-turbines.md"]
    assert story["title"] == "Tidal turbines clear their first full winter"
    assert (story["author"], story["published"], story["source"], story["url"]) == (
        "Hana Sato",
        "2026-11-16",
        "Coastline Energy Review",
        "https://coast.example/tidal-winter",
    )
    assert (
        story["summary"].startswith("A row of four tidal turbines") and "**" not in story["summary"]
    )


def test_saved_page_uses_its_metadata_and_leaves_the_furniture(built: dict) -> None:
    story = stories(built)["ferry-page.html"]
    assert story["title"] == "Ferry operator pauses booking app after outage"
    assert (story["author"], story["published"], story["source"]) == (
        "Jo Park",
        "2026-11-17",
        "Isles Gazette",
    )
    assert story["url"] == "https://isles.example/news/ferry-app" and story["theme"] == "outages"
    for furniture in (
        "cookies",
        "Most read",
        "Council approves",
        "Terrible service",
        "Sign up free",
    ):
        assert furniture not in json.dumps(built) and furniture not in built["_text"]


def test_newsletter_page_and_email_are_split_without_their_ads_and_footers(built: dict) -> None:
    found = stories(built)
    assert (
        found["dock-digest.html#2"]["title"]
        == "Customs system outage strands lorries at the border"
    )
    letter = found["quay-letter.eml#1"]
    assert letter["title"] == "Cable ship repairs the island link ahead of schedule"
    assert letter["source"] == "The Quay Letter" and letter["published"] == "2026-11-19"
    everything = json.dumps(built) + built["_text"]
    for furniture in (
        "Routewise",
        "View this email",
        "View in browser",
        "Refer a friend",
        "Unsubscribe",
        "Cable ship finishes early, crane deal agreed",
    ):
        assert furniture not in everything


def test_windows_1252_and_crlf_come_out_clean(built: dict) -> None:
    story = stories(built)["toll-road-1252.txt"]
    assert story["author"] == "Ana Ruiz"
    assert "\u2014" in story["summary"] and "\u2019" in story["summary"]
    assert "\ufffd" not in json.dumps(built) and "\r" not in story["summary"]


def test_content_beats_a_wrong_suffix(tmp_path: Path) -> None:
    misnamed = tmp_path / "ferry.txt"
    misnamed.write_bytes((INPUTS / "ferry-page.html").read_bytes())
    (document,) = read_file(misnamed, "ferry.txt")
    assert document.format == "html" and document.hints.author == "Jo Park"
    no_suffix = tmp_path / "letter"
    no_suffix.write_bytes((INPUTS / "quay-letter.eml").read_bytes())
    assert read_file(no_suffix, "letter")[0].format == "email"


def test_stories_of_one_page_do_not_share_its_url(built: dict) -> None:
    found = stories(built)
    for name in ("dock-digest.html#1", "dock-digest.html#2", "dock-digest.html#3"):
        assert found[name]["url"] is None and len(found[name]["items"]) == 1


BLOCK_HTML_CLEAN = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "lxml_html_clean" or name == "lxml.html.clean":
            raise ImportError(f"{name} is blocked by this test")
sys.meta_path.insert(0, Block())
from digest.cli import main
main(["build", "--all", "--out", "out", "page.html"])
"""


def test_a_reader_that_cannot_import_what_it_needs_stops_the_build(tmp_path: Path) -> None:
    """A broken install is not a bad input: every page would be skipped as 'unreadable', so the
    build stops and says what is missing instead of exiting 0 with nothing in it."""
    import subprocess
    import sys

    (tmp_path / "page.html").write_text(
        "<html><head><title>A page</title></head><body><article><p>"
        + "Some text of a real article that is long enough to be read as one. " * 8
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_HTML_CLEAN], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "digest is not fully installed: the html reader" in result.stderr
    assert "blocked by this test" in result.stderr and "pip install" in result.stderr
    assert not (tmp_path / "out").exists()


SHORT_HTML_EMAIL = (
    "From: Quay Letter <letter@quay.example>\r\n"
    "To: reader@example.com\r\n"
    "Subject: =?utf-8?q?Ferry_timetable_cut_=E2=80=94_what_changes?=\r\n"
    "Date: Thu, 19 Nov 2026 07:30:00 +0000\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: text/html; charset="utf-8"\r\n'
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<html><body><h1>Ferry timetable cut =E2=80=94 what changes</h1>"
    "<p>The harbour authority said the winter timetable drops the late crossings from =\r\n"
    "December, and commuters will have to take the bus for the last leg home.</p>"
    "<p>The operator blamed a shortage of crew and said the cut would be reviewed in March.</p>"
    "</body></html>\r\n"
)


@pytest.mark.parametrize("name", ["letter.eml", "letter.txt", "letter"])
def test_a_message_whose_html_starts_early_is_read_as_mail(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(SHORT_HTML_EMAIL.encode("ascii"))
    (document,) = read_file(path, name)
    assert document.hints.source == "Quay Letter"
    assert document.hints.published is not None
    assert (
        "From:" not in to_lines(document.blocks)
        and "=E2=80=94" not in to_lines(document.blocks)
        and "=\n" not in to_lines(document.blocks)
    )
    assert "\u2014 what changes" in to_lines(document.blocks)


def test_header_like_openings_that_are_not_mail_are_not_read_as_mail() -> None:
    from digest.gather.eml import looks_like_email

    assert not looks_like_email(b"Title: A note\nAuthor: Me\n\nBody text.\n")
    assert not looks_like_email(b"From: the desk of the editor, a few words.\nThis week we look\n")
    assert not looks_like_email(b"---\ntitle: x\ndate: 2026-11-19\n---\n\n# x\n")
    assert not looks_like_email(b"<!doctype html><html><body><p>Date: today</p></body></html>")
    assert looks_like_email(b"From me@x Thu Nov 19 07:30:00 2026\nFrom: me@x\nDate: Thu\n\nhi\n")


def test_hostile_urls_never_reach_an_output_as_links(tmp_path: Path) -> None:
    body = (
        "The operator said a cooling failure took two data halls offline for most of the "
        "night, and the outage hit checkout pages for several large retailers.\n\nEngineers "
        "restored the chillers by dawn, and the company promised a full incident report."
    )
    (tmp_path / "in").mkdir()
    for name, url in {
        "break.md": "https://example.com/x>) [click me](javascript:alert(1)) <",
        "script.md": "javascript:alert(1)",
        "parens.md": "https://example.com/wiki/Outage_(2026)>",
    }.items():
        (tmp_path / "in" / name).write_text(
            f'---\ntitle: "Outage {name}"\nurl: "{url}"\n---\n\nIn {name[:-3]}: {body}\n',
            encoding="utf-8",
        )
    result = CliRunner().invoke(
        main, ["build", "--all", "--out", str(tmp_path / "out"), str(tmp_path / "in")]
    )
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "out" / "digest.md").read_text(encoding="utf-8")
    html = (tmp_path / "out" / "digest.html").read_text(encoding="utf-8")
    assert "javascript:" not in markdown and "javascript:" not in html
    assert "[click me]" not in markdown
    assert "(<https://example.com/wiki/Outage_%282026%29%3E>)" in markdown
    document = json.loads((tmp_path / "out" / "digest.json").read_text(encoding="utf-8"))
    stories = [story for section in document["sections"] for story in section["stories"]]
    # The three tell one event (one story, three items); each item keeps only a safe URL.
    items = [item["url"] for story in stories for item in story["items"]]
    assert len(items) == 3 and items.count(None) == 2
    urls = [story["url"] for story in stories] + items
    assert all(u is None or u.startswith("https://") for u in urls)


ARTICLE_PAGE = """<!doctype html><html><head><title>Cooling failure takes two halls offline | Example Wire</title>
<meta property="og:type" content="{og}"><meta property="og:site_name" content="Example Wire">
<meta property="og:title" content="Cooling failure takes two halls offline | Example Wire">
</head><body><article><h1>Cooling failure takes two halls offline</h1>
<p>The operator said a cooling failure took two data halls offline for most of the night, and
the outage hit checkout pages for several large retailers before service was restored.</p>
<h2>{h1}</h2><p>Engineers found that a chiller controller had rebooted into a safe mode that kept
the pumps idle, and the backup units did not start because of a wiring fault in the panel.</p>
<h2>{h2}</h2><p>Retailers said the outage cost them most of a night of orders, and two of them
asked the operator for credits under their service agreements, which it said it would honour.</p>
<h2>{h3}</h2><p>The company promised a full incident report within a week, including the timeline
of the failover, the wiring fault and the changes it will make to the way backups are tested.</p>
</article></body></html>"""


def test_a_page_that_declares_one_article_is_one_story_subheadings_and_all(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        ARTICLE_PAGE.format(og="article", h1="What failed", h2="Who was hit", h3="What comes next"),
        encoding="utf-8",
    )
    (document,) = read_file(path, "page.html")
    assert (
        document.hints.article and document.hints.title == "Cooling failure takes two halls offline"
    )
    from datetime import UTC

    from digest.normalize import normalize

    (story,) = normalize(document, UTC).stories
    assert story.title == "Cooling failure takes two halls offline"
    assert "wiring fault in the panel" in " ".join(story.body)


def test_headings_that_are_links_keep_their_urls_and_og_type_article_keeps_one_story(
    tmp_path: Path,
) -> None:
    from digest.blocks import heading_link

    path = tmp_path / "page.html"
    linked = [
        f'<a href="https://example.com/{n}">{n} story headline</a>' for n in ("one", "two", "three")
    ]
    path.write_text(
        ARTICLE_PAGE.format(og="article", h1=linked[0], h2=linked[1], h3=linked[2]), "utf-8"
    )
    (document,) = read_file(path, "page.html")
    # A list article (linked headings over paragraphs) that calls itself one article is one.
    assert document.hints.article
    assert {(block.text, url) for block in document.blocks if (url := heading_link(block))} >= {
        (f"{n} story headline", f"https://example.com/{n}") for n in ("two", "three")
    }
    path.write_text(ARTICLE_PAGE.format(og="website", h1="a", h2="b", h3="c"), "utf-8")
    assert not read_file(path, "page.html")[0].hints.article


CHINESE_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>港口起重机软件故障导致停工六小时</title></head>
<body><article><h1>港口起重机软件故障导致停工六小时</h1>
<p>周四上午，港口的起重机控制系统出现软件故障，集装箱装卸因此中断了大约六个小时。运营方表示，工程师在下午撤回了一次系统更新，起重机随后恢复了正常工作。</p>
<p>多家船公司说，这次停工让数十艘货船推迟离港，部分货物需要改由其他港口转运。运营方承诺在一周内公布完整的事故报告，并说明今后如何测试更新。</p>
</article></body></html>"""


def test_text_without_spaces_between_words_is_read(tmp_path: Path) -> None:
    from datetime import UTC

    from digest.normalize import normalize
    from digest.normalize.text import word_count

    assert word_count("港口起重机软件故障") == 5 and word_count("two words 港口") == 3
    path = tmp_path / "page.html"
    path.write_text(CHINESE_PAGE, encoding="utf-8")
    (document,) = read_file(path, "page.html")
    (story,) = normalize(document, UTC).stories
    assert story.title == "港口起重机软件故障导致停工六小时"
    assert "撤回了一次系统更新" in " ".join(story.body)


def test_a_markdown_newsletter_split_by_rules_gives_its_stories(tmp_path: Path) -> None:
    from datetime import UTC

    from digest.normalize import normalize

    sections = [
        (
            "Harbour cranes halted by a software fault",
            "a software fault in the crane control system halted container traffic for six hours",
        ),
        (
            "Night trains return to the northern line",
            "the operator brought back its sleeper service after a four-year pause and sold out the first month",
        ),
        (
            "Ferry fares rise for the winter timetable",
            "the island ferry will charge more for cars from December, the company said, blaming the cost of fuel",
        ),
    ]
    body = "\n\n---\n\n".join(
        f"## [{title}](https://example.com/{n})\n\nOn Tuesday {text}. Readers wrote in to say what it meant for them, and we collected the best replies."
        for n, (title, text) in enumerate(sections)
    )
    path = tmp_path / "issue.md"
    path.write_text(
        f"---\ntitle: Harbour Notes - Issue No. 12\n---\n\nThree things from the coast this week.\n\n---\n\n{body}\n",
        "utf-8",
    )
    (document,) = read_file(path, "issue.md")
    stories = normalize(document, UTC).stories
    assert [story.title for story in stories] == [title for title, _ in sections]
    # each headline is a link: it is the story's URL
    assert [story.url for story in stories] == [f"https://example.com/{n}" for n in range(3)]


SECTION_H1_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Ferry operator cancels winter crossings after engine fault</title></head>
<body><header><h1>Travel Desk</h1></header><article>
<p>The ferry operator cancelled every winter crossing on its northern route on Tuesday after
an engine fault left its only vessel in dry dock, stranding commuters on both shores.</p>
<p>Engineers expect the repair to take three weeks, and the operator said it would run a
replacement bus service through the mountain pass until the vessel returns to the water.</p>
<p>Local councils asked the operator to publish a timetable for the buses by Friday, and to
refund the season tickets of passengers who can no longer use the crossing at all.</p>
</article></body></html>"""


def test_a_page_title_the_head_does_not_repeat_gives_way_to_the_head_title(
    tmp_path: Path,
) -> None:
    # Without og:title the extractor takes the first <h1>, here a section's name that the
    # page's <title> does not hold: the <title> names the article.
    path = tmp_path / "page.html"
    path.write_text(SECTION_H1_PAGE, encoding="utf-8")
    (document,) = read_file(path, "page.html")
    assert document.hints.title == "Ferry operator cancels winter crossings after engine fault"
    # When the head repeats the <h1>, the <h1> stays the title.
    page = SECTION_H1_PAGE.replace("Travel Desk", "Ferry operator cancels winter crossings")
    page = page.replace("after engine fault</title>", "after engine fault | Travel Desk</title>")
    path.write_text(page, encoding="utf-8")
    (document,) = read_file(path, "page.html")
    assert document.hints.title == "Ferry operator cancels winter crossings"


def test_a_layout_row_is_read_as_its_cells_and_script_links_leave_only_their_text() -> None:
    from digest.gather.markdown import markdown_blocks
    from digest.models import PARAGRAPH

    blocks = markdown_blocks(
        "| Notes by [the editor](https://example.com/ed) | The [story](<javascript:void(0); >)"
        " begins here. |\n| | |\n"
    )
    assert [(b.kind, b.text) for b in blocks] == [
        (PARAGRAPH, "Notes by the editor"),
        (PARAGRAPH, "The story begins here."),
    ]
    (link,) = blocks[0].links
    assert blocks[0].text[link.start : link.end] == "the editor"
    assert link.url == "https://example.com/ed" and not blocks[1].links


def test_the_author_a_page_names_in_its_head_is_its_author(tmp_path: Path) -> None:
    head = '<meta name="author" content="{}">\n<title>'
    path = tmp_path / "page.html"
    named = SECTION_H1_PAGE.replace("<title>", head.format("林晓雯"), 1)
    # A page's own "author" box can hold a label, not a name.
    named = named.replace("<article>", '<article><p><span id="author_box">Author:</span></p>')
    path.write_text(named, encoding="utf-8")
    assert read_file(path, "page.html")[0].hints.author == "林晓雯"
    # A link in that field is no name: the extractor's own choice stands.
    linked = SECTION_H1_PAGE.replace("<title>", head.format("https://example.com/staff"), 1)
    path.write_text(linked, encoding="utf-8")
    assert read_file(path, "page.html")[0].hints.author != "https://example.com/staff"


SHORT_LINES_PAGE = """<!doctype html><html><head><meta property="og:type" content="article">
<title>Autumn colours at the mountain campsite</title></head><body>
<p><a href="#content">Skip to content</a></p>
<article><h1>Autumn colours at the mountain campsite</h1>
<p><a href="#comments">Jump to comments</a> · <a href="#share">Share</a></p>
<p>A cold front has turned the maples on the far ridge a deep red</p>
<p>The road up winds through clouds that hang low over the valley</p>
<p>The old painted sign at the gate has been replaced by a carved one</p>
<h2>Where to stand for the best view</h2>
<p>Photographers gather by the water trough where the owls are painted</p>
<p>Most of them wait for the light after the rain has stopped falling</p>
</article></body></html>"""


def test_an_article_keeps_its_short_paragraphs_and_its_subheadings(
    tmp_path: Path,
) -> None:
    """A reader that kept the author's markup has said which lines are headings: a short
    paragraph without a full stop (a photo essay, a poem, Chinese prose) is text, its
    subheadings are part of the text."""
    from datetime import UTC

    from digest.normalize import normalize

    path = tmp_path / "page.html"
    path.write_text(SHORT_LINES_PAGE, encoding="utf-8")
    (document,) = read_file(path, "page.html")
    (story,) = normalize(document, UTC).stories
    assert story.title == "Autumn colours at the mountain campsite"
    assert story.body == (
        "A cold front has turned the maples on the far ridge a deep red",
        "The road up winds through clouds that hang low over the valley",
        "The old painted sign at the gate has been replaced by a carved one",
        "Where to stand for the best view",
        "Photographers gather by the water trough where the owls are painted",
        "Most of them wait for the light after the rain has stopped falling",
    )


def test_links_that_only_move_around_the_page_are_not_text(tmp_path: Path) -> None:
    from datetime import UTC

    from digest.normalize import normalize

    path = tmp_path / "saved.md"
    path.write_text(
        "# Night trains return to the northern line\n\n"
        "[Jump to navigation](#nav) [Jump to search](#search)\n\n"
        "The operator will run sleeper services again from March, ten years after the last "
        "one was withdrawn. Tickets go on sale next month, with cabins for two or four.\n\n"
        "- [Timetable](#timetable)\n- [Fares](#fares)\n\n"
        "## Timetable\n\nTrains leave the capital at ten in the evening and arrive at eight "
        "the next morning, with stops at the three largest towns on the way.\n\n"
        "A [placeholder link](#) in running text keeps its text.\n\n"
        "[Sleeper cabins](https://example.com/trains#cabins) "
        "[Station map](https://example.com/trains#map)\n\n"
        "The [older timetables](https://example.com/archive#2015) show the same stops.\n",
        encoding="utf-8",
    )
    path.write_text("---\nurl: https://example.com/trains\n---\n" + path.read_text("utf-8"))
    (document,) = read_file(path, "saved.md")
    (story,) = normalize(document, UTC).stories
    text = "\n".join(story.body)
    assert "Jump to" not in text and "Fares" not in text
    assert "Timetable\nTrains leave the capital" in text
    assert "A placeholder link in running text keeps its text." in text
    # The page's own URL with a place after it is a way around the page too; another
    # page's URL is a link like any other.
    assert "Sleeper cabins" not in text
    assert "The older timetables show the same stops." in text


def test_an_author_named_only_in_structured_data_is_the_author(tmp_path: Path) -> None:
    jsonld = (
        '<script type="application/ld+json">\n<![CDATA[\n{"@context": "https://schema.org",'
        ' "@type": "Article", "author": {"@type": "Organization", "name": "Harbour Wiki'
        ' contributors"}}\n]]>\n</script>\n'
    )
    assert author_with_head(tmp_path, jsonld) == "Harbour Wiki contributors"
    # Yoast-style graphs name the author by reference to a Person node of the same graph.
    graph = (
        '<script type="application/ld+json">{"@graph": [{"@type": "Article", "author": '
        '{"@id": "https://example.com/#/person/1"}}, {"@type": "Person", '
        '"@id": "https://example.com/#/person/1", "name": "Mara Lindqvist"}]}</script>\n'
    )
    assert author_with_head(tmp_path, graph) == "Mara Lindqvist"
    og = '<meta property="og:article:author" content="Port Desk">\n'
    assert author_with_head(tmp_path, og) == "Port Desk"


def author_with_head(tmp_path: Path, head: str) -> str | None:
    """The author read from a page whose head holds `head` before its <title>."""
    path = tmp_path / "page.html"
    path.write_text(SECTION_H1_PAGE.replace("<title>", head + "<title>", 1), encoding="utf-8")
    return read_file(path, "page.html")[0].hints.author


def sidebar_page(h1: str, og: str = "website") -> str:
    sidebar = "".join(
        f'<h3><a href="/issue/{n}">Magazine {n}</a></h3><p>Cover stories of issue {n}: cheap '
        f"laptops compared, scripting the desktop, recovering lost files and more.</p>"
        for n in range(1, 5)
    )
    return (
        f'<!doctype html><html><head><meta property="og:type" content="{og}">'
        "<title>Password manager learns one-time codes | Tech News</title></head><body>"
        f"<main><h1>{h1}</h1><p>08.04.2015 12:46</p>"
        "<p>The desktop version of the password manager now creates one-time codes, a feature "
        "its phone app has had for a year. The update also adds new fields to the vault.</p>"
        "<p>To use the codes, a secret is first scanned from a QR code shown by the service; "
        "the app then shows a new six-digit code every thirty seconds.</p></main>"
        f'<div class="sidebar">{sidebar}</div></body></html>'
    )


def test_a_page_whose_one_h1_is_its_title_is_that_article_not_its_sidebars(
    tmp_path: Path,
) -> None:
    from datetime import UTC

    from digest.normalize import normalize

    path = tmp_path / "page.html"
    path.write_text(sidebar_page("Password manager learns one-time codes"), encoding="utf-8")
    (document,) = read_file(path, "page.html")
    (story,) = normalize(document, UTC).stories
    assert story.title == "Password manager learns one-time codes"
    assert "Magazine" not in " ".join(story.body)


def test_a_marked_heading_that_asks_a_question_is_still_a_heading(tmp_path: Path) -> None:
    from datetime import UTC

    from digest.normalize import normalize

    path = tmp_path / "saved.md"
    path.write_text(
        "# Port closed by the storm\n\n## Can it reopen by Friday?\n\n"
        "Crews were clearing the fallen cranes and the broken gantries from the outer quay all"
        " through the night\n",
        encoding="utf-8",
    )
    (document,) = read_file(path, "saved.md")
    (story,) = normalize(document, UTC).stories
    assert story.summary.startswith("Crews were clearing")
    assert story.body[0] == "Can it reopen by Friday?"


def test_in_a_newsletter_of_told_stories_a_list_of_links_is_one_story_and_a_hashtag_none(
    tmp_path: Path,
) -> None:
    """Ember Times' shape: sections of prose under linked headlines, one section that is a
    list of links (its links are its text, not stories), and a closing section under a
    hashtag ("#ourpaper 📰") that asks readers to write in."""
    from datetime import UTC

    from digest.normalize import normalize

    told = [
        f"## [{title}](https://example.com/{n})\n\nOn Tuesday {text}. Readers wrote in to say "
        "what it meant for them, and we collected the best of their replies here."
        for n, (title, text) in enumerate(
            [
                ("Harbour cranes halted by a fault", "a fault in the crane software stopped work"),
                ("Night trains return to the north", "the sleeper service came back after years"),
                ("Ferry fares rise for the winter", "the island ferry raised its fares for cars"),
                ("Tram line opens to the airport", "the new tram line carried its first riders"),
            ]
        )
    ]
    links = "## Learn more about the harbour in 2026 💡\n\n" + "\n".join(
        f"- [{name}](https://example.com/learn/{n}): a reader's guide, with pictures, to"
        " what goes on at the quay from one tide to the next."
        for n, name in enumerate(["Cranes explained", "How pilots work", "Tides for all"])
    )
    closing = (
        "## [#harbournotes 📰](https://example.com/tags/newsletter)\n\nWant to write for "
        "Harbour Notes? Have a suggestion for next week's issue? Join us on the forum or "
        "write to us, and subscribe to get every issue by e-mail."
    )
    path = tmp_path / "issue.md"
    path.write_text(
        "# Harbour Notes\n\n" + "\n\n".join([*told, links, closing]) + "\n", encoding="utf-8"
    )
    (document,) = read_file(path, "issue.md")
    stories = normalize(document, UTC).stories
    assert [story.title for story in stories] == [
        "Harbour cranes halted by a fault",
        "Night trains return to the north",
        "Ferry fares rise for the winter",
        "Tram line opens to the airport",
        "Learn more about the harbour in 2026 💡",
    ]
    assert "How pilots work" in " ".join(stories[-1].body)
    from digest.normalize.sections import section_role

    assert section_role("#harbournotes 📰") == section_role("📰 #harbournotes") == "hashtag"
    assert section_role("#1 story of the week") is None and section_role("#31") is None


def test_a_page_that_says_it_is_an_article_keeps_its_extract_over_the_pages_sections(
    tmp_path: Path,
) -> None:
    """Only a page that does not call itself an article is read whole when the extractor
    kept fewer of its headed sections (a newsletter's web page): an article's other
    sections are its sidebars."""
    from datetime import UTC

    from digest.normalize import normalize

    path = tmp_path / "page.html"
    path.write_text(sidebar_page("Tech News", og="article"), encoding="utf-8")
    (story,) = normalize(read_file(path, "page.html")[0], UTC).stories
    assert "Magazine" not in " ".join(story.body)
    path.write_text(sidebar_page("Tech News", og="website"), encoding="utf-8")
    stories = normalize(read_file(path, "page.html")[0], UTC).stories
    assert any("Magazine" in story.title for story in stories)


def test_a_features_page_whose_sections_end_on_their_learn_more_links_is_one_story(
    tmp_path: Path,
) -> None:
    from datetime import UTC

    from digest.normalize import normalize

    tools = ["Tide Planner", "Berth Finder", "Crane Log", "Pilot Desk", "Cargo Map", "Quay Clock"]
    sections = "\n\n".join(
        f"## {tool}\n\n- Plan and check the work of the harbour with {tool}, a tool that "
        f"shows what is happening on the water right now.\n"
        f"- [Learn more about {tool}](https://example.com/tools/{n})"
        for n, tool in enumerate(tools)
    )
    path = tmp_path / "features.md"
    path.write_text(
        "# Welcome to the Harbour Suite\n\nGet to know the tools that run a modern port.\n\n"
        + sections
        + "\n",
        encoding="utf-8",
    )
    (story,) = normalize(read_file(path, "features.md")[0], UTC).stories
    assert story.title == "Welcome to the Harbour Suite"
    # A section that holds only its one link is still a roundup's story.
    roundup = "\n\n".join(
        f"### {topic}\n* [{topic} news from the week {n}](https://example.com/{n})"
        for n, topic in enumerate(["Foundation", "Tooling", "Compiler", "Library", "Docs", "Web"])
    )
    path.write_text(f"# Weekly roundup\n\n## Updates\n\n{roundup}\n", encoding="utf-8")
    titles = [story.title for story in normalize(read_file(path, "features.md")[0], UTC).stories]
    assert titles[0] == "Foundation news from the week 0" and len(titles) == 6


def test_a_report_whose_sections_are_named_by_topic_is_one_story(tmp_path: Path) -> None:
    """'These Weeks in the Harbour: Issue 85' under topic headings ('Cranes', 'Pilots')
    is one report; the same issue with headlines over its sections is a newsletter."""
    from datetime import UTC

    from digest.normalize import normalize

    def issue(headings: list[str]) -> str:
        return "# These Weeks in the Harbour: Issue 85\n\n" + "\n\n".join(
            f"## {heading}\n\n- The {heading.lower()} team landed a fix this week that stops "
            "the night shift from losing its logs when the network drops.\n- Thanks to "
            "the volunteers who tested it on the quay."
            for heading in headings
        )

    path = tmp_path / "issue.md"
    path.write_text(issue(["Cranes", "Pilot Boats", "Berths", "Weather Desk"]), "utf-8")
    (story,) = normalize(read_file(path, "issue.md")[0], UTC).stories
    assert story.title == "These Weeks in the Harbour: Issue 85"
    headlines = [
        "Crane software fix stops log loss",
        "Pilot boats get new radios",
        "Berth booking opens to small ships",
        "Weather desk moves to the tower",
    ]
    path.write_text(issue(headlines), "utf-8")
    assert [s.title for s in normalize(read_file(path, "issue.md")[0], UTC).stories] == headlines


def test_an_author_the_page_shows_only_in_its_navigation_gives_way_to_its_byline(
    tmp_path: Path,
) -> None:
    page = SECTION_H1_PAGE.replace(
        "<header>",
        '<header><nav><ul><li><span class="username">Username</span></li></ul></nav>',
        1,
    ).replace("<article>", '<article><p><span class="story-byline">By Ada Lovell</span></p>', 1)
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert read_file(path, "page.html")[0].hints.author == "Ada Lovell"


def test_structured_data_author_is_the_pages_not_a_reviews_and_survives_commented_cdata(
    tmp_path: Path,
) -> None:
    jsonld = (
        '<script type="application/ld+json">//<![CDATA[\n{"@type": "Article", "review": '
        '{"author": {"name": "A Reviewer"}}, "author": [{"name": "Ada Lovell"}, "Bo Quay"]}'
        "\n//]]></script>\n"
    )
    assert author_with_head(tmp_path, jsonld) == "Ada Lovell, Bo Quay"


def test_a_lead_set_as_a_subheading_under_a_named_article_is_text(tmp_path: Path) -> None:
    """The metadata names the article and its first heading is no <h1> (a standfirst set
    as h2): that heading is the article's opening, not a title to drop. An h1 still is."""
    from datetime import UTC

    from digest.normalize import normalize

    lead = "The valley has long been known as the quietest in the region, whatever the season."
    body = (
        "A new count by the park service says visitor numbers doubled in the last five years, "
        "with most of the rise in the winter months, when the ski lifts are running."
    )
    path = tmp_path / "valley.md"
    for mark, kept in (("##", True), ("#", False)):
        path.write_text(
            f"---\ntitle: Visitors double in the quiet valley\n---\n\n{mark} {lead}\n\n{body}\n",
            encoding="utf-8",
        )
        (document,) = read_file(path, "valley.md")
        (story,) = normalize(document, UTC).stories
        assert story.title == "Visitors double in the quiet valley"
        assert (lead in "\n".join(story.body)) is kept


def test_a_role_in_the_newsletters_name_is_not_its_sections_but_a_role_heading_is(
    tmp_path: Path,
) -> None:
    """In "Events Weekly" the word "events" names the newsletter, not its stories; the
    evenings listed under its own "Events" heading are still event listings, not stories."""
    from datetime import UTC

    from digest.normalize import normalize

    body = (
        "The harbour board said on Tuesday that the work would take most of the winter "
        "and cost the port about four million euros in all."
    )
    headlines = ["Crane maker doubles its output", "Port strike ends after a week"]
    told = [f"## [{title}](https://example.com/{n})\n\n{body}" for n, title in enumerate(headlines)]
    told.append(f"## [Pilot boats get new radios](https://example.com/radios)\n\n{body}")
    meetups = "## Events\n\n### [Harbour tech night in Rotterdam](https://example.com/night)\n\n"
    path = tmp_path / "issue.md"
    path.write_text("# Events Weekly\n\n" + "\n\n".join([*told, meetups + body]) + "\n", "utf-8")
    titles = [story.title for story in normalize(read_file(path, "issue.md")[0], UTC).stories]
    assert titles == [*headlines, "Pilot boats get new radios"]
