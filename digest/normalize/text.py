"""Small text primitives shared by the normalize stage: blocks, lines, sentences, word shapes."""

from __future__ import annotations

import re
import unicodedata

BULLET = re.compile(r"^\s*(?:[•●▪◦‣·*+\-–—]|\d{1,2}[.)]|[a-z][.)])\s+")
_TERMINAL = re.compile(r"[.!?…。！？｡][\"'”’)\]」』）]*$")
_WORD = re.compile(r"[\w’'&$%.-]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Words that stay lowercase in Title Case headings.
_MINOR = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "nor",
        "of",
        "on",
        "onto",
        "or",
        "over",
        "per",
        "so",
        "than",
        "that",
        "the",
        "their",
        "to",
        "up",
        "upon",
        "via",
        "vs",
        "vs.",
        "with",
        "within",
        "without",
    ]
)
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "e.g",
        "i.e",
        "fig",
        "approx",
        "est",
        "dept",
        "gen",
        "gov",
        "sen",
        "rep",
        "col",
        "lt",
        "sgt",
        "mt",
        "ft",
        "ave",
    ]
)


def tidy(text: str) -> str:
    """NFC, LF line ends, no control or zero-width characters, single spaces, no trailing blanks."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def blocks(text: str) -> list[list[str]]:
    """Split text into blocks of non-empty lines separated by blank lines."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def is_hard_wrapped(block: list[str]) -> bool:
    """Lines cut at a fixed width (about 60-80 characters) rather than one line per paragraph."""
    if len(block) < 3:
        return False
    body = [line for line in block[:-1] if not is_bullet(line)]
    if len(body) < 2 or max(len(line) for line in block) > 90:
        return False
    return sum(1 for line in body if 50 <= len(line) <= 82) >= 0.7 * len(body)


def join_blocks(found: list[list[str]]) -> str:
    """Inverse of blocks()."""
    return "\n\n".join("\n".join(block) for block in found)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


# Scripts written without spaces between words (Chinese, Japanese kana and kanji, Thai,
# Lao, Khmer, Myanmar): there a word is counted per two characters, so length rules hold.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)


def word_count(text: str) -> int:
    """Whitespace-separated words, with text in scripts that put no spaces between words
    counted at two characters a word: cheap, and close enough for every threshold here."""
    if text.isascii() or not _UNSPACED.search(text):
        return len(text.split())
    spaced = sum(1 for token in text.split() if not _UNSPACED.search(token))
    return spaced + (len(_UNSPACED.findall(text)) + 1) // 2


def ends_sentence(text: str) -> bool:
    """Whether the line ends like a sentence (., !, ?, … possibly inside quotes)."""
    return bool(_TERMINAL.search(text.rstrip()))


def is_bullet(line: str) -> bool:
    return bool(BULLET.match(line))


def strip_bullet(line: str) -> str:
    return BULLET.sub("", line, count=1).strip()


def title_case_ratio(text: str) -> float:
    """Share of non-minor words that start with a capital or digit (1.0 for Title Case)."""
    significant = [word for word in words(text) if word.lower() not in _MINOR]
    if not significant:
        return 0.0
    capital = sum(1 for word in significant if word[0].isupper() or word[0].isdigit())
    return capital / len(significant)


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations, initials and decimals intact."""
    found: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])", text):
        before = text[start : match.start() + 1]
        last = before.rsplit(None, 1)[-1].lower().rstrip(".!?…")
        if text[match.start()] == "." and (
            last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())
        ):
            continue
        found.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        found.append(tail)
    return found


def clip(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters on a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"
