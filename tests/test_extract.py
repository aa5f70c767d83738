from datetime import UTC

from digest.normalize.extract import is_metadata_line, pull_metadata, read_metadata, summarize


def test_labeled_lines_give_date_source_and_url_and_leave_the_text() -> None:
    text = "Title\n\nBody text here.\n\n1. Primary source: Harbor Gazette\nPublished: 2026-10-02T08:00:00\nURL: https://example.org/a"
    meta, rest = pull_metadata(text, UTC)
    assert meta.source == "Harbor Gazette"
    assert meta.published is not None and meta.published.date().isoformat() == "2026-10-02"
    assert meta.url == "https://example.org/a"
    assert "Published" not in rest and "Primary source" not in rest


def test_written_by_names_the_author() -> None:
    meta, _ = pull_metadata(
        "Title\n\nBody.\n\nWritten by\n\nMaya Chen\n\nMaya writes about ports.", UTC
    )
    assert meta.author == "Maya Chen"


def test_bylines_in_their_common_shapes() -> None:
    assert read_metadata(["By Priya Raman | Nov 12, 2026"], UTC)[0] == "Priya Raman"
    assert read_metadata(["Tomas Berg··6 min read"], UTC) == ("Tomas Berg", None)
    author, date = read_metadata(["By Lena Ortiz", "Updated Nov. 6, 2026, 9:14 a.m. ET"], UTC)
    assert author == "Lena Ortiz" and date is not None and date.day == 6


def test_metadata_lines_are_told_from_prose() -> None:
    assert is_metadata_line("By Ana Ruiz")
    assert is_metadata_line("Tuesday, March 3, 2026")
    assert is_metadata_line("The Orbit Weekly — Issue #57")
    assert not is_metadata_line("By Tuesday the company had restored service to every customer.")


def test_summary_prefers_the_articles_own_quick_summary() -> None:
    paragraphs = [
        "A short standfirst about ports and trains that is long enough to count.",
        "Ports reopened after the strike ended. Trains ran late all week. Freight recovered.",
        "Other text that should not be used for the summary at all, not even a bit.",
    ]
    assert summarize(paragraphs, {1: "Quick summary"}).startswith(
        "Ports reopened after the strike ended."
    )
    assert summarize(paragraphs, {}).startswith("A short standfirst")


def test_summary_is_two_or_three_sentences() -> None:
    paragraph = " ".join(
        f"Sentence number {n} says something about the port strike today." for n in range(8)
    )
    summary = summarize([paragraph], {})
    assert 2 <= summary.count(".") <= 3
