"""Saved web pages -> Document. The one owner of trafilatura.

trafilatura finds the article's main text (dropping navigation, cookie banners, ads, "most
read" lists, comments and footers) and its metadata (og:title, article:published_time,
<time datetime>, rel=canonical, JSON-LD). Chosen over readability-lxml (weaker metadata, no
date extraction) and jusText (paragraph classification only, no metadata): best quality in
its own published benchmarks, pure Python over lxml, no models or downloads. Its Markdown
output keeps headings, so a saved newsletter page with stories under h2/h3 is split like
any other newsletter.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from datetime import UTC, date, timedelta
from typing import Any

from digest.dates import parse_date
from digest.errors import SourceError
from digest.gather.decode import decode
from digest.gather.markdown import markdown_blocks
from digest.gather.markup import html_blocks
from digest.models import HEADING, Block, Document, Hints
from digest.normalize.sections import (
    ISSUE_NUMBER,
    is_newsletter,
    is_roundup,
    letters,
    within,
)

log = logging.getLogger(__name__)

# trafilatura logs every page it finds little in at WARNING; that is our skip reason to give.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def read_html(data: bytes, origin: str, hints: Hints) -> list[Document]:
    """A saved web page: its main text and metadata."""
    markup = decode(data)
    blocks, found = page_blocks(markup)
    merged = Hints(
        title=found.title or hints.title,
        author=found.author or hints.author,
        published=found.published or hints.published,
        url=found.url or hints.url,
        source=found.source or hints.source,
        modified=hints.modified,
        article=found.article,
    )
    return [Document(merged.source, origin, "html", blocks, merged)]


def _headings(blocks: tuple[Block, ...]) -> int:
    return sum(1 for block in blocks if block.kind == HEADING)


def _story_headings(blocks: tuple[Block, ...]) -> int:
    """Headings directly over a paragraph of fifteen words or more."""
    return sum(
        1
        for block, after in itertools.pairwise(blocks)
        if block.kind == HEADING and after.kind != HEADING and len(after.text.split()) >= 15
    )


def page_blocks(markup: str) -> tuple[tuple[Block, ...], Hints]:
    """(the page's main content as blocks, its metadata)."""
    import trafilatura  # imported here: heavy (lxml), and only HTML inputs need it

    def extract(precise: bool) -> tuple[Block, ...]:
        found: str | None = trafilatura.extract(
            markup,
            output_format="markdown",
            include_formatting=True,
            include_comments=False,
            include_links=True,
            include_tables=True,
            favor_precision=precise,
            favor_recall=not precise,
        )
        return markdown_blocks(found) if found else ()

    whole = html_blocks(markup)
    try:
        tree = _tree(markup)
        structured = _structured_data(tree) if tree is not None else []
        declared = _declares_article(tree, structured)
        wider = extract(precise=False)
        # The extractor finds the main content but drops link lists, a roundup's very
        # stories; it keeps their headings. So the page's own sections under the headings
        # it kept are its main content with every list whole.
        main = within(whole, {block.text for block in wider if block.kind == HEADING})
        # A page whose main content shows several stories (a roundup of linked items, or,
        # on a page that does not call itself one article, headlines that are links of
        # their own) is read from those sections; the story finder knows the sections
        # that are not stories.
        roundup = is_roundup(main)
        if roundup or (not declared and is_newsletter(wider)):
            blocks = main if roundup else wider
            article = False
        else:
            blocks = extract(precise=True)
            # A newsletter page keeps its stories under h2/h3 outside any <article>; the
            # precise pass can drop those headlines. When the wider pass finds more of them,
            # use it: the furniture rules downstream take out what it lets in.
            several = markup.lower().count("<h2") + markup.lower().count("<h3") >= 2
            if several and wider and _headings(wider) >= _headings(blocks) + 2:
                blocks = wider
            if not blocks:
                blocks = whole  # no main content found: let the furniture rules judge
            elif not declared and len(re.findall(r"<h[23][\s>]", markup, re.IGNORECASE)) >= 3:
                # A newsletter page (one that does not call itself an article) whose headlines
                # the extractor dropped: when the page has three or more headings over real
                # paragraphs and the extract kept under half of them, take the page's visible
                # blocks; the furniture rules judge the rest. Not when the extract holds the
                # page's one <h1> and the head names it: then the extract is that article and
                # the other headings are its sidebars.
                storied = _story_headings(whole)
                if storied >= 3 and _headings(blocks) * 2 < storied:
                    headline = _one_h1_title(tree)
                    if headline is None or not any(
                        block.kind == HEADING and letters(block.text) == headline
                        for block in blocks
                    ):
                        blocks = whole
            article = declared
        # htmldate drops dates after "today" by the machine's clock; a page published in a
        # time zone ahead of ours can be dated tomorrow, so allow two days of slack.
        latest = (date.today() + timedelta(days=2)).isoformat()
        meta = trafilatura.extract_metadata(
            markup,
            date_config={"original_date": True, "extensive_search": True, "max_date": latest},
        )
    except (ValueError, TypeError, RecursionError) as exc:
        raise SourceError(f"unreadable HTML: {exc}") from exc
    title = _title(getattr(meta, "title", None) if meta else None, tree)
    site = (getattr(meta, "sitename", None) or None) if meta else None
    if title and site:
        title = _without_site(title, site)
    published = None
    if meta and getattr(meta, "date", None):
        published = parse_date(str(meta.date), UTC)
    return blocks, Hints(
        title=title or None,
        author=_named_author(tree, structured) or _shown_author(meta, tree),
        published=published,
        url=(getattr(meta, "url", None) or None) if meta else None,
        source=site,
        article=article,
    )


def _without_site(title: str, site: str) -> str:
    """'Headline - Site' or 'Headline | Site' -> 'Headline', when the tail names the site."""
    for mark in (" - ", " | ", " – ", " — ", " :: ", " · "):
        head, found, tail = title.rpartition(mark)
        if found and head.strip() and tail.strip().lower() == site.strip().lower():
            return head.strip()
    return title


# Schema.org types of a page that is one piece of writing.
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "report",
    "review",
    "socialmediaposting",
}


def _tree(markup: str) -> Any:
    """The page's DOM (lxml), or None when lxml cannot parse it."""
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(markup)
    except (ValueError, TypeError, RecursionError, lxml_html.etree.ParserError):
        return None


def _title(found: str | None, tree: Any) -> str | None:
    """The page's title: the extractor's, when the page's head says it too (a <title> or
    og:title that holds it as at least half of itself); otherwise the <title>. The
    extractor falls back to the first <h1> when there is no og:title, and an <h1> the head
    does not repeat is often a section's name ("Health Center", "About This Site")."""
    if tree is None:
        return found
    own = [" ".join(text.split()) for text in tree.xpath("//head/title/text()")[:1]]
    key = letters(found or "")
    if key and (not any(map(letters, own + _og_titles(tree))) or _in_head(key, tree)):
        return found
    return own[0] if own and own[0] else found


def _one_h1_title(tree: Any) -> str | None:
    """The letters of the page's only <h1>, when its head's title says the same (as at
    least half of itself): the page's own headline."""
    if tree is None:
        return None
    h1s = tree.xpath("//h1")
    if len(h1s) != 1:
        return None
    key = letters(h1s[0].text_content())
    return key if key and _in_head(key, tree) else None


def _in_head(key: str, tree: Any) -> bool:
    """Whether the head's <title> or og:title holds these letters as at least half of itself."""
    heads = tree.xpath("//head/title/text()")[:1] + _og_titles(tree)
    return any(key in head and 2 * len(key) >= len(head) for head in map(letters, heads) if head)


def _og_titles(tree: Any) -> list[str]:
    return [str(value) for value in tree.xpath('//meta[@property="og:title"]/@content')]


def _named_author(tree: Any, structured: list[object]) -> str | None:
    """The author the page names in its own `<meta name="author">`, when that is a name
    (not a link). The extractor looks there too, but sets aside a name written without
    spaces (Chinese, Japanese) and then takes what an "author" box in the body holds, often
    only its label ("作者：", "Author:")."""
    if tree is None:
        return None
    for value in tree.xpath('//meta[@name="author"]/@content'):
        if name := _a_name(value):
            return name
    # Then the page's structured data: JSON-LD names its author even when that is an
    # organisation, which the extractor passes over; then the Open Graph article author.
    nodes = _nodes_by_id(structured)
    for data in structured:
        if found := _jsonld_author(data, nodes):
            return found
    for value in tree.xpath(
        '//meta[@property="article:author" or @name="article:author"'
        ' or @property="og:article:author"]/@content'
    ):
        if name := _a_name(value):
            return name
    return None


def _shown_author(meta: Any, tree: Any) -> str | None:
    """The extractor's author, unless the page shows that text only in its site header or
    navigation (a "Username" sign-in label); then the page's "By ..." byline, if any."""
    value = getattr(meta, "author", None) if meta else None
    found = str(value) if value else None
    if not found or tree is None:
        return found
    shown = tree.xpath("//body//*[normalize-space(text()) = $name]", name=found)
    if not shown or not all(_in_site_furniture(element) for element in shown):
        return found
    for element in tree.xpath('//body//*[contains(@class, "byline")]'):
        text = " ".join(element.text_content().split())
        if text[:3].lower() == "by " and (name := _a_name(text[3:])):
            return name
    return None


def _in_site_furniture(element: Any) -> bool:
    """Inside a <nav>, or a <header> that is the site's rather than an article's."""
    ancestors = [ancestor.tag for ancestor in element.iterancestors()]
    return "nav" in ancestors or ("header" in ancestors and "article" not in ancestors)


_CDATA = re.compile(r"^(?://|/\*)?\s*<!\[CDATA\[\s*(?:\*/)?|(?://|/\*)?\s*\]\]>\s*(?:\*/)?$")


def _structured_data(tree: Any) -> list[object]:
    """The page's JSON-LD documents, parsed; one that does not parse is passed over."""
    found = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        # Some sites wrap it in a CDATA section, as XHTML once asked, often inside a comment.
        text = _CDATA.sub("", script.strip())
        try:
            found.append(json.loads(text, strict=False))  # raw newlines inside strings
        except (ValueError, RecursionError):
            continue
    return found


def _a_name(value: object) -> str | None:
    """A metadata value that is a name: not a link or an address, at most eight words."""
    name = " ".join(str(value).split())
    if name and "://" not in name and "@" not in name and len(name.split()) <= 8:
        return name
    return None


def _nodes_by_id(structured: list[object]) -> dict[str, dict[str, Any]]:
    """The JSON-LD nodes a page's structured data names by "@id" (top level and @graph):
    an author is often given only as {"@id": ...}, a reference to one of them."""
    found: dict[str, dict[str, Any]] = {}
    for data in structured:
        for node in data if isinstance(data, list) else [data]:
            if not isinstance(node, dict):
                continue
            graph = node.get("@graph")
            for each in [node, *(graph if isinstance(graph, list) else [])]:
                if isinstance(each, dict) and isinstance(each.get("@id"), str):
                    found.setdefault(each["@id"], each)
    return found


def _jsonld_author(node: object, nodes: dict[str, dict[str, Any]], depth: int = 0) -> str | None:
    """The author names of the first top-level JSON-LD node (or @graph node) that names
    one; authors nested deeper (a review's, a comment's) are not the page's. An author
    given only by "@id" is the node of that id in `nodes`."""
    if depth > 3:
        return None
    if isinstance(node, list):
        return next(
            (found for item in node if (found := _jsonld_author(item, nodes, depth + 1))), None
        )
    if not isinstance(node, dict):
        return None
    author = node.get("author")
    people = author if isinstance(author, list) else [author]
    names = [_person_name(person, nodes) for person in people]
    found = ", ".join(name for name in names if name)
    return found or (_jsonld_author(node["@graph"], nodes, depth + 1) if "@graph" in node else None)


def _person_name(person: object, nodes: dict[str, dict[str, Any]]) -> str | None:
    """A JSON-LD author's name: a string, a node with a name, or a reference to one."""
    if isinstance(person, dict) and "name" not in person and isinstance(person.get("@id"), str):
        person = nodes.get(person["@id"], person)
    if isinstance(person, dict):
        person = person.get("name")
    return _a_name(person) if isinstance(person, str) else None


def _declares_article(tree: Any, structured: list[object]) -> bool:
    """Whether the page is one article, subheadings and all: a saved page is, unless it
    says it is something else (an og:type or JSON-LD type that is not an article), or its
    title numbers it as a newsletter issue (a newsletter's web archive page says og:type
    article too, and its sections are its stories)."""
    if tree is None:
        return False
    og = " ".join(tree.xpath('//meta[@property="og:type"]/@content')).strip().lower()
    types: set[str] = set()
    for data in structured:
        _collect_types(data, types)
    if og and not og.startswith("article") and not types & _ARTICLE_TYPES:
        return False
    titles = tree.xpath("//title/text()") + tree.xpath('//meta[@property="og:title"]/@content')
    titles += [h.text_content() for h in tree.xpath("//h1")]
    return not any(ISSUE_NUMBER.search(title) for title in titles)


def _collect_types(node: object, types: set[str], depth: int = 0) -> None:
    """The @type values at the top of JSON-LD and in its @graph."""
    if depth > 3:
        return
    if isinstance(node, list):
        for item in node:
            _collect_types(item, types, depth + 1)
    elif isinstance(node, dict):
        kind = node.get("@type")
        for value in kind if isinstance(kind, list) else [kind]:
            if isinstance(value, str):
                types.add(value.lower())
        if "@graph" in node:
            _collect_types(node["@graph"], types, depth + 1)
