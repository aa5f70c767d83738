"""No input crashes a reader or the normalizer: random bytes, truncated files, deep nesting,
huge lines and broken XML are read or skipped with a reason. Property-based (hypothesis)."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import SourceError
from digest.gather.files import read_file
from digest.normalize import normalize

SUFFIXES = [".txt", ".md", ".html", ".eml", ".xml", ".rss", ".atom", ".json", ""]
SAMPLES = sorted((Path(__file__).parent / "fixtures").glob("*/*.*"))
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def read_all_the_way(path: Path) -> None:
    """Read a file and normalize what it gives; only SourceError (a skip) may come out."""
    try:
        documents = read_file(path, path.name)
    except SourceError as exc:
        assert exc.message  # a reason a person can read
        return
    for document in documents:
        result = normalize(document, UTC)
        assert result.stories or result.reason


@FAST
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_escape_a_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    read_all_the_way(path)


@FAST
@given(sample=st.sampled_from(SAMPLES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_real_inputs_are_read_or_skipped(
    tmp_path: Path, sample: Path, cut: float
) -> None:
    data = sample.read_bytes()
    path = tmp_path / sample.name
    path.write_bytes(data[: int(len(data) * cut)])
    read_all_the_way(path)


@FAST
@given(text=st.text(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_text_in_any_wrapper(tmp_path: Path, text: str, suffix: str) -> None:
    wrappers = {
        ".html": f"<html><body><h2>{text}</h2><p>{text}</p></body></html>",
        ".xml": f"<?xml version='1.0'?><rss><channel><item><title>{text}</title></item></channel></rss>",
        ".md": f"---\ntitle: {text[:40]}\n---\n# {text}\n\n{text}",
        ".eml": f"From: a@b.example\nSubject: {text[:60]}\n\n{text}",
    }
    path = tmp_path / f"input{suffix}"
    path.write_text(wrappers.get(suffix, text), encoding="utf-8", errors="surrogatepass")
    read_all_the_way(path)


def test_deeply_nested_html_and_huge_lines(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text(
        "<html><body>" + "<div>" * 20000 + "<p>text</p>" + "</div>" * 20000 + "</body></html>"
    )
    read_all_the_way(deep)
    huge = tmp_path / "huge.txt"
    huge.write_text("A Title\n\n" + "word " * 400_000 + "end.\n")
    read_all_the_way(huge)


def test_broken_xml_and_entity_bombs_are_skipped_or_contained(tmp_path: Path) -> None:
    for name, text in {
        "cut.xml": "<?xml version='1.0'?><rss><channel><item><title>half",
        "tags.rss": "<rss><channel><item><title>a</titl></item></rss>",
        "quad.xml": "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a '" + "x" * 1000 + "'>"
        "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]>"
        "<rss><channel><item><title>&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;</title></item></channel></rss>",
    }.items():
        path = tmp_path / name
        path.write_text(text)
        read_all_the_way(path)
