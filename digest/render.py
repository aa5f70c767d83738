"""Stage 5: Digest -> HTML email (Jinja2 + MJML), plain text, Markdown and JSON.

The one owner of jinja2 and mjml. Templates are looked up in the user's templates folder first,
then in the project's own `templates/`, so one file can be overridden by copying it.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import replace
from datetime import datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, TypedDict

import jinja2

from digest.errors import RenderError
from digest.models import Digest, Entry, Period, Rendered, Story
from digest.resources import templates_dir

SCHEMA_VERSION = 1
# Invisible characters after the preheader, so the inbox preview does not run on into the
# email's first lines (combining grapheme joiner, zero-width non-joiner, no-break space).
PREHEADER_PADDING = "\u034f\u200c\u00a0" * 90
HTML_TEMPLATE, TEXT_TEMPLATE, MARKDOWN_TEMPLATE = "email.mjml.j2", "email.txt.j2", "digest.md.j2"


class AlsoContext(TypedDict):
    name: str
    url: str | None


class StoryContext(TypedDict):
    title: str
    url: str | None
    source: str | None
    author: str | None
    date: str | None
    meta: str
    summary: str
    ref: int | None
    themes: list[str]
    # The other sources that told the same event, and how many told it in all.
    also: list[AlsoContext]
    sources: int


class SectionContext(TypedDict):
    theme: str
    title: str
    stories: list[StoryContext]
    hidden: int


class LinkContext(TypedDict):
    ref: int
    url: str


class TopContext(TypedDict):
    title: str
    url: str | None
    sources: int
    section: str


class TemplateContext(TypedDict):
    """Everything a template can use; StrictUndefined makes any other name an error."""

    title: str
    subject: str
    preheader: str
    preheader_padding: str
    lang: str
    period_label: str
    generated_label: str
    story_count: int
    sections: list[SectionContext]
    links: list[LinkContext]
    hidden_total: int
    full_issue_url: str | None
    # The most-covered events of the issue, across themes (told by two sources or more).
    top: list[TopContext]


# Gmail clips a message whose HTML passes 102 KB; the email stays under this budget.
HTML_BUDGET = 90_000


def render(
    digest: Digest, user_templates: Path | None = None, full_issue_url: str | None = None
) -> Rendered:
    """Render every output form of a digest.

    When the HTML would pass the budget, the email (and the text and Markdown versions with
    it) carries fewer stories per theme, lowest-ranked first out, and says how many more are
    in the full issue; the JSON always lists them all.
    """
    environment = _environment(str(user_templates) if user_templates else None)
    shown = digest
    while True:
        context = build_context(shown, full_issue_url)
        html = compile_mjml(_render_template(environment, HTML_TEMPLATE, context))
        if len(html.encode("utf-8")) <= HTML_BUDGET or not any(e.shown for e in shown.entries):
            break
        shown = _trim(shown, len(html.encode("utf-8")))
    return Rendered(
        subject=context["subject"],
        html=html,
        text=_render_template(environment, TEXT_TEMPLATE, context).strip() + "\n",
        markdown=_render_template(environment, MARKDOWN_TEMPLATE, context).strip() + "\n",
        json_parts=json_parts(digest),
        hidden=context["hidden_total"],
        carried=frozenset(entry.cluster.lead.key for entry in shown.entries if entry.shown),
    )


def _trim(digest: Digest, size: int) -> Digest:
    """Hide the lowest-ranked shown stories, from the sections showing the most, in
    proportion to how far over the budget the email is."""
    shown = sum(1 for entry in digest.entries if entry.shown)
    excess = max(1, int(shown * (size - HTML_BUDGET) / size) + 1)
    sections = list(digest.sections)
    for _ in range(min(excess, shown)):
        index = max(range(len(sections)), key=lambda i: (len(sections[i].shown), -i))
        section = sections[index]
        last = max(i for i, entry in enumerate(section.entries) if entry.shown)
        entries = list(section.entries)
        entries[last] = replace(entries[last], shown=False)
        sections[index] = replace(section, entries=tuple(entries))
    return replace(digest, sections=tuple(sections))


def build_context(digest: Digest, full_issue_url: str | None = None) -> TemplateContext:
    """The template context: shown stories only, numbered link references, labels."""
    links: list[LinkContext] = []
    sections: list[SectionContext] = []
    for section in digest.sections:
        stories = []
        for entry in section.shown:
            story = _story_context(entry, digest.generated_at.tzinfo)
            if story["url"]:
                story["ref"] = len(links) + 1
                links.append({"ref": len(links) + 1, "url": story["url"]})
            stories.append(story)
        hidden = len(section.entries) - len(stories)
        sections.append(
            {
                "theme": section.theme.name,
                "title": section.theme.title,
                "stories": stories,
                "hidden": hidden,
            }
        )
    shown = sum(len(section["stories"]) for section in sections)
    period = period_label(digest.period)
    return {
        "title": digest.title,
        "subject": f"{digest.title}: {period}" if period else digest.title,
        "preheader": _preheader(sections),
        "preheader_padding": PREHEADER_PADDING,
        "lang": "en",
        "period_label": period,
        "generated_label": f"Generated by digest on {digest.generated_at:%Y-%m-%d %H:%M %Z}".strip(),
        "story_count": shown,
        "sections": sections,
        "links": links,
        "hidden_total": sum(section["hidden"] for section in sections),
        "full_issue_url": full_issue_url,
        "top": _top_stories(digest),
    }


def _top_stories(digest: Digest) -> list[TopContext]:
    """The events told by the most sources (two at least), the email shows, best first:
    more sources, then stronger theme evidence, then newer."""
    shown = [
        (entry, section.theme.title)
        for section in digest.sections
        for entry in section.entries
        if entry.shown and len(event_sources(entry)) >= 2
    ]

    def rank(pair: tuple[Entry, str]) -> tuple[int, float, float, str]:
        entry = pair[0]
        published = entry.cluster.lead.published
        newest = -published.timestamp() if published else 0.0
        return (-len(event_sources(entry)), -entry.score, newest, entry.cluster.lead.title)

    return [
        {
            "title": entry.cluster.lead.title,
            "url": _safe_url(entry.cluster.lead.url),
            "sources": len(event_sources(entry)),
            "section": title,
        }
        for entry, title in sorted(shown, key=rank)[: digest.top_stories]
    ]


def period_label(period: Period) -> str:
    """ "14 Nov – 21 Nov 2026", "Since 14 Nov 2026", or "All stories"."""
    start, end = period.start, period.end
    if start and end:
        left = f"{start:%-d %b}" if start.year == end.year else f"{start:%-d %b %Y}"
        return f"{left} – {end:%-d %b %Y}"
    if start:
        return f"Since {start:%-d %b %Y}"
    if end:
        return f"Until {end:%-d %b %Y}"
    return "All stories"


def _story_context(entry: Entry, digest_tz: tzinfo | None) -> StoryContext:
    lead = entry.cluster.lead
    local = lead.published.astimezone(digest_tz) if lead.published and digest_tz else lead.published
    date = local.strftime("%-d %b %Y") if local else None
    also = _also_covered(entry)
    sources = len(event_sources(entry)) or 1
    counted = f"{sources} sources" if sources > 1 else None
    return {
        "title": lead.title,
        "url": _safe_url(lead.url),
        "source": lead.source,
        "author": lead.author,
        "date": date,
        "meta": " · ".join(part for part in (lead.source, lead.author, date, counted) if part),
        "summary": lead.summary,
        "ref": None,
        "themes": list(entry.themes),
        "also": also,
        "sources": sources,
    }


def event_sources(entry: Entry) -> list[str]:
    """The distinct sources that told the entry's event, the lead's first."""
    return list(dict.fromkeys(story.source for story in entry.cluster.items if story.source))


def _also_covered(entry: Entry) -> list[AlsoContext]:
    """The other tellers of the event, each named once by its source (else by its item's
    title), with the link of its first item; the lead's own source is not repeated."""
    lead = entry.cluster.lead
    seen = {lead.source or lead.title}
    found: list[AlsoContext] = []
    for story in entry.cluster.duplicates:
        name = story.source or story.title
        if name not in seen:
            seen.add(name)
            found.append({"name": name, "url": _safe_url(story.url)})
    return found


def _safe_url(url: str | None) -> str | None:
    """Only http(s) and mailto links reach a template; `javascript:` and the like never do."""
    if url and re.match(r"^(?:https?://|mailto:)", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def _preheader(sections: list[SectionContext]) -> str:
    titles = [story["title"] for section in sections for story in section["stories"]][:3]
    return " · ".join(titles)[:140] if titles else "No new stories this period."


def forget_templates() -> None:
    """Drop cached template environments, so a template added or removed since is seen
    (Jinja re-reads a changed template by itself, but not one that newly overrides another)."""
    _environment.cache_clear()


@lru_cache(maxsize=8)
def _environment(user_templates: str | None) -> jinja2.Environment:
    """One cached environment per template search path."""
    search = ([user_templates] if user_templates else []) + [str(templates_dir())]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=lambda name: bool(name and name.endswith((".mjml.j2", ".html.j2", ".xml.j2"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["wrap"] = wrap
    environment.filters["md"] = markdown_escape
    return environment


def _render_template(environment: jinja2.Environment, name: str, context: TemplateContext) -> str:
    try:
        return environment.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"template {exc.filename or exc.name or name}, line {exc.lineno}: {exc.message}",
            hint="fix the template, or delete your copy to use the default",
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {name} not found") from exc
    except jinja2.TemplateError as exc:
        filename, line = _template_position(exc.__traceback__, name)
        raise RenderError(
            f"template {filename}, line {line}: {exc}", hint="check the names the template uses"
        ) from exc


def _template_position(trace: TracebackType | None, name: str) -> tuple[str, int | None]:
    """The template file and line a render-time error came from (Jinja keeps them in the traceback)."""
    found: tuple[str, int | None] = (name, None)
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


def compile_mjml(source: str) -> str:
    """MJML -> email HTML, with no web fonts pulled in."""
    import mjml  # imported here: the one place that needs the compiled extension

    try:
        return str(mjml.mjml2html(source, fonts={}))
    except (ValueError, RuntimeError) as exc:
        raise RenderError(f"MJML could not compile the email template: {exc}") from exc


def wrap(text: str, width: int = 72, first: str = "", rest: str = "") -> str:
    """Wrap text for the plain-text email; long URLs are never broken."""
    return textwrap.fill(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def markdown_escape(text: str) -> str:
    """Escape the characters that would turn article text into Markdown syntax or HTML."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", re.sub(r"^([-+])(\s)", r"\\\1\2", escaped))


def to_json(digest: Digest) -> str:
    """The public JSON contract (schema_version 1), documented in the README."""
    return "".join(json_parts(digest))


def json_parts(digest: Digest) -> tuple[str, ...]:
    """The JSON document in pieces, one line per story, each written by the C encoder: the
    pure-Python encoder that `indent` needs took seconds and hundreds of megabytes on a
    large digest, and one joined string is a second copy of it all. One story per line
    still reads and diffs well."""
    digest_tz = digest.generated_at.tzinfo
    head = {
        "schema_version": SCHEMA_VERSION,
        "title": digest.title,
        "period": {"start": _iso(digest.period.start), "end": _iso(digest.period.end)},
        "generated_at": _iso(digest.generated_at),
    }
    parts = ["{\n"]
    parts.extend(f"  {_dumps(key)}: {_dumps(value)},\n" for key, value in head.items())
    parts.append('  "sections": [\n')
    for number, section in enumerate(digest.sections):
        parts.append(
            f'    {{"theme": {_dumps(section.theme.name)}, '
            f'"title": {_dumps(section.theme.title)}, "stories": [\n'
        )
        last = len(section.entries) - 1
        parts.extend(
            f"      {_dumps(_json_story(entry, digest_tz))}{',' if index < last else ''}\n"
            for index, entry in enumerate(section.entries)
        )
        parts.append("    ]}" + (",\n" if number + 1 < len(digest.sections) else "\n"))
    skipped = [{"origin": skip.origin, "reason": skip.reason} for skip in digest.skipped]
    parts.append(f'  ],\n  "skipped": {_dumps(skipped)},\n')
    parts.append(f'  "warnings": {_dumps(list(digest.warnings))}\n}}\n')
    return tuple(parts)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_story(entry: Entry, digest_tz: tzinfo | None) -> dict[str, Any]:
    lead = entry.cluster.lead
    return {
        "title": lead.title,
        "summary": lead.summary,
        "url": lead.url,
        "source": lead.source,
        "author": lead.author,
        "published": _published(lead, digest_tz),
        "published_at": _iso(lead.published),
        "text": _text(lead),
        "dated": _local_date(lead.dated, digest_tz),
        "date_source": lead.date_source,
        "themes": list(entry.themes),
        "reasons": list(entry.reasons),
        "shown": entry.shown,
        "sources": event_sources(entry),
        "items": [
            _json_item(story, digest_tz, similarity)
            for story, similarity in zip(entry.cluster.items, entry.cluster.joined, strict=True)
        ],
    }


def _json_item(story: Story, digest_tz: tzinfo | None, similarity: float) -> dict[str, Any]:
    return {
        "title": story.title,
        "origin": story.origin,
        "url": story.url,
        "source": story.source,
        "published": _published(story, digest_tz),
        "text": _text(story),
        "similarity": similarity,
    }


def _text(story: Story) -> str:
    """The story's cleaned full text, paragraphs separated by blank lines."""
    return "\n\n".join(paragraph.strip() for paragraph in story.body if paragraph.strip())


def _published(story: Story, digest_tz: tzinfo | None) -> str | None:
    """The local date (in the digest's time zone) the story was published, YYYY-MM-DD."""
    return _local_date(story.published, digest_tz)


def _local_date(moment: datetime | None, digest_tz: tzinfo | None) -> str | None:
    if moment is None:
        return None
    local = moment.astimezone(digest_tz) if digest_tz else moment
    return local.date().isoformat()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


ARCHIVE_ISSUE, ARCHIVE_INDEX, ARCHIVE_FEED = (
    "archive-issue.html.j2",
    "archive-index.html.j2",
    "archive-feed.xml.j2",
)


def render_archive_page(
    digest: Digest, user_templates: Path | None, site_title: str, index_href: str, feed_href: str
) -> str:
    """The web page of one issue: every story, also those the email left out."""
    everything = replace(
        digest,
        sections=tuple(
            replace(section, entries=tuple(replace(entry, shown=True) for entry in section.entries))
            for section in digest.sections
        ),
    )
    context: dict[str, Any] = dict(build_context(everything))
    context.update(site_title=site_title, index_href=index_href, feed_href=feed_href)
    environment = _environment(str(user_templates) if user_templates else None)
    return _render_any(environment, ARCHIVE_ISSUE, context)


def render_archive_index(
    issues: list[dict[str, Any]], user_templates: Path | None, site_title: str
) -> str:
    environment = _environment(str(user_templates) if user_templates else None)
    return _render_any(environment, ARCHIVE_INDEX, {"issues": issues, "site_title": site_title})


def render_archive_feed(
    issues: list[dict[str, Any]],
    user_templates: Path | None,
    site_title: str,
    base_url: str,
    updated: str,
) -> str:
    environment = _environment(str(user_templates) if user_templates else None)
    context = {"issues": issues, "site_title": site_title, "base_url": base_url, "updated": updated}
    return _render_any(environment, ARCHIVE_FEED, context).lstrip()


def _render_any(environment: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    return _render_template(environment, name, context)  # type: ignore[arg-type]
