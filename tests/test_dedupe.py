from collections.abc import Callable

from digest.dedupe import merge_exact
from digest.identity import normalize_url
from digest.models import Story


def test_tracking_parameters_fragments_and_trailing_slashes_do_not_matter() -> None:
    assert (
        normalize_url("http://WWW.Example.com/a/b/?utm_source=x&id=3&fbclid=y#top")
        == "https://example.com/a/b?id=3"
    )


def test_same_url_or_same_text_merge_into_one_cluster(make_story: Callable[..., Story]) -> None:
    a = make_story(origin="a.txt", url="https://example.com/x?utm_medium=mail", body=("One text.",))
    b = make_story(origin="b.txt", url="https://example.com/x/", body=("Another text.",))
    c = make_story(origin="c.txt", url=None, body=("ONE text!",))
    d = make_story(origin="d.txt", url=None, body=("Different words entirely.",))
    clusters = merge_exact([a, b, c, d])
    assert [[s.origin for s in cluster.items] for cluster in clusters] == [
        ["a.txt", "b.txt", "c.txt"],
        ["d.txt"],
    ]
