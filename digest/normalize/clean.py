"""Boilerplate stripping: pure str -> str.

The rules describe the *shapes* of site and newsletter furniture (a share bar is a short line
naming several networks; a subscribe box is a short run of pitch lines; a sponsor block is a
catchy one-liner over a paragraph that sells something), never the exact phrases of one site.
"""

from __future__ import annotations

import re

from digest.normalize.text import blocks, is_bullet, join_blocks, word_count

_SOCIAL = (
    "share",
    "tweet",
    "twitter",
    "facebook",
    "linkedin",
    "reddit",
    "whatsapp",
    "telegram",
    "pinterest",
    "bluesky",
    "mastodon",
    "threads",
    "email",
    "e-mail",
    "copy link",
    "print",
    "hacker news",
    "flipboard",
    "pocket",
    "messenger",
)

_JUNK_LINE = re.compile(
    r"""^(?:
        back(?:\s+to\s+top)?|top|to\ top|scroll\ to\ top|go\ to\ top|return\ to\ top|↑.*|
        home|menu|skip\ to\ (?:main\ )?content|next(?:\ article|\ story|\ post)?|
        prev(?:ious)?(?:\ article|\ story|\ post)?|
        advertisement|advert|ad|ads|sponsored(?:\ content)?|paid\ (?:post|content)|promoted|
        (?:story|article|text)\ continues\ (?:below|after\ (?:the\ )?(?:ad|advertisement))(?:\ advertisement)?|
        continue\ reading(?:\ below)?|keep\ (?:reading|scrolling)|read\ more|read\ (?:the\ )?full\ (?:story|article|post)|
        more\ (?:stories|news|from\ us)|see\ more|load\ more|show\ more|view\ more|view\ all|
        subscribe(?:\ now|\ today|\ for\ free)?|sign\ up(?:\ now|\ for\ free|\ today)?|log\ ?in|sign\ in|
        click\ here|learn\ more|follow\ us(?:\ on\ .*)?|download\ the\ app|get\ the\ app|
        listen(?:\ to\ (?:this|the)\ (?:article|story|episode))?|play|pause|
        \d+\s*(?:min(?:ute)?s?|m)\.?\s*read|
        (?:in\ )?partnership\ with.*|presented\ by.*|sponsored\ by.*|together\ with.*|
        brought\ to\ you\ by.*|powered\ by.*|in\ collaboration\ with.*|
        (?:share|forward)\ (?:this|it)(?:\ (?:issue|email|newsletter|post|story|article|with\ a\ friend))?.*|
        (?:was\ )?(?:this|the)\ (?:email|newsletter)\ forwarded\ to\ you.*|view\ (?:this\ email\ )?in\ (?:your\ )?browser|
        (?:manage|update)\ (?:your\ )?(?:preferences|subscription|email\ settings).*|unsubscribe.*|
        (?:make\ sure\ to\ |don'?t\ forget\ to\ |be\ sure\ to\ )?(?:check\ out|watch|listen\ to|catch)\ (?:our|the)\ (?:latest|newest|new)\ .*|
        all\ rights\ reserved.*|©.*|copyright\ ©?\s*\d{4}.*|privacy\ policy.*|terms\ (?:of\ (?:use|service)|&\ conditions).*|
        (?:photo|image|picture|illustration|graphic|credit|photograph|video)s?(?:\ credit)?\s*:.*|
        (?:source|via)\s*:\s*(?:getty|shutterstock|reuters|ap\b|afp|unsplash).*|
        (?:getty\ images|shutterstock|unsplash|ap\ photo).*|
        comments?|\d+\s+comments?|leave\ a\ (?:comment|reply)|
        tags?\s*:.*|filed\ under\s*:?.*|categor(?:y|ies)\s*:.*|
        [-=_*•·~#]{3,}|(?:\*\s*){3,}|(?:•\s*){3,}
    )[\s.!:→»›↗]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Signals of a paragraph that sells something instead of reporting; counted as distinct hits.
_PROMO_SIGNALS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bnewsletters?\b",
        r"\bsubscri(?:be|bed|bers?|ption)\b|\bunsubscribe\b",
        r"\bjoin\b[^.]{0,60}\b(?:readers|subscribers|professionals|members|people|others|founders|engineers|developers)\b"
        r"|[\d.,]+\s*(?:million|m|k|thousand)?\+?\s+(?:readers|subscribers)",
        r"\bsign[- ]?up\b|\bregister (?:now|today|for free)\b",
        r"\bno spam\b|\bspam[- ]free\b|\bno noise\b",
        r"\binbox(?:es)?\b",
        r"\bsponsor(?:ed|s)?\b|\badvertis(?:ement|ing|e with us)\b|\bpaid partnership\b",
        r"\bfree trial\b|\btry (?:it )?(?:for )?free\b|\bget started\b|\bstart (?:your |for )?free\b|"
        r"\bpromo code\b|\buse code\b|\d+% off\b|\bdiscount\b|\bdownload (?:now|the app|it)\b|\bbook a demo\b",
        r"\byour (?:inbox|day|morning|week|feed|career|team's)\b|\byou(?:'ll| will) (?:get|love|learn)\b",
        r"\b(?:click|tap) here\b|\blearn more\b|\bfind out more\b|\bcheck (?:it|them|us) out\b",
        r"\b(?:read|trusted|loved|used) by\b",
        r"\b(?:one|an?) (?:honest |short |quick )?email (?:a|per|every) (?:week|day|morning)\b"
        r"|\b(?:weekly|daily) (?:email|digest|briefing|roundup|newsletter)\b",
        r"\bfree\b",
        r"\bpodcast\b|\bwebinar\b|\blatest (?:video|episode)\b|\bsubscribe on\b",
        r"\bunsubscribe anytime\b|\bcancel anytime\b",
        r"\b\d+ questions\b|\bquiz\b|\bscore\b.*\bget\b|\bget (?:a|your) (?:free |personali[sz]ed )",
    )
)

# A heading that opens the end matter of a page: everything from it on is furniture.
_TAIL_ANCHOR = re.compile(
    r"^(?:written by|about the authors?|about the writer|more from (?:the )?(?:author|us|this author)|"
    r"related(?: articles| posts| stories| coverage| reading| content| links)?|"
    r"(?:you|you'll) (?:might|may) also (?:like|enjoy)|recommended(?: for you| reading)?|"
    r"most (?:read|popular|viewed)|trending(?: now)?|popular (?:posts|stories|now)|"
    r"(?:comments|leave a (?:comment|reply)|join the (?:conversation|discussion))|"
    r"references|sources|further reading|citations|bibliography|notes and sources|"
    r"share this (?:article|story|post)|about (?:us|the publication)|"
    r"(?:more|other) (?:stories|articles|news) (?:you|from)\b.*)[\s.:]*$",
    re.IGNORECASE,
)

# An image caption glued onto the heading after it: "...in a city.The Next Heading".
_GLUED_CAPTION = re.compile(
    r"^(?P<caption>.{20,}?[a-z0-9%)\]’”])[.!](?P<heading>[A-Z“\"‘'][^.!?]{8,})$"
)

_SHORT_BLOCK_WORDS = 25


def clean(text: str) -> str:
    """Remove boilerplate lines and blocks; keep the article's own text and layout."""
    found = blocks(text)
    found = _cut_tail_anchor(found)
    found = [kept for block in found if (kept := _clean_block(block))]
    found = _drop_promo_blocks(found)
    found = _trim_tail(found)
    return join_blocks(found)


def is_junk_line(line: str) -> bool:
    """Whether a single line is furniture wherever it appears (nav, share bar, ad label, ...)."""
    return bool(_JUNK_LINE.match(line)) or _is_share_bar(line) or _is_call_to_action(line)


def _is_call_to_action(line: str) -> bool:
    """A short button-like line ending in an arrow: "Try the tool →"."""
    return line.rstrip().endswith(("→", "»", "›", "↗", ">>")) and word_count(line) <= 10


def promo_score(text: str) -> int:
    """How many distinct selling signals a paragraph carries."""
    return sum(1 for signal in _PROMO_SIGNALS if signal.search(text))


def is_promo(text: str) -> bool:
    """Whether a paragraph sells something (a newsletter, a tool, a sponsor) instead of reporting."""
    score = promo_score(text)
    return score >= 2 if word_count(text) <= 90 else score >= 3


def unglue_caption(line: str) -> str:
    """Drop an image caption glued onto the front of a heading."""
    match = _GLUED_CAPTION.match(line)
    if match and word_count(match.group("heading")) <= 16:
        return match.group("heading").strip()
    return line


def _is_share_bar(line: str) -> bool:
    if len(line) > 80:
        return False
    lowered = line.lower()
    hits = sum(1 for name in _SOCIAL if name in lowered)
    return hits >= 2 or (
        hits == 1 and lowered.startswith(("share", "tweet")) and word_count(line) <= 4
    )


def _clean_block(block: list[str]) -> list[str]:
    kept = []
    for line in block:
        if is_junk_line(line):
            continue
        kept.append(unglue_caption(line) if len(block) == 1 else line)
    return kept


def _cut_tail_anchor(found: list[list[str]]) -> list[list[str]]:
    """Cut at the last end-matter heading (bio, related, references) in the last third."""
    total = sum(word_count(" ".join(block)) for block in found)
    seen = 0
    cut = len(found)
    for index, block in enumerate(found):
        first = block[0]
        if (
            index > 0
            and seen >= total * 0.5
            and _TAIL_ANCHOR.match(first)
            and _rest_is_minor(found[index:], block)
        ):
            cut = index
            break
        seen += word_count(" ".join(block))
    return found[:cut]


def _rest_is_minor(rest: list[list[str]], anchor: list[str]) -> bool:
    """End matter is short lines and lists, not more article: no long paragraphs follow."""
    long_paragraphs = sum(
        1 for block in rest for line in block if word_count(line) > 60 and not is_bullet(line)
    )
    return long_paragraphs <= 1


def _drop_promo_blocks(found: list[list[str]]) -> list[list[str]]:
    """Drop promo paragraphs and the catchy one-line heading sitting right above each."""
    drop: set[int] = set()
    for index, block in enumerate(found):
        text = " ".join(block)
        if is_promo(text):
            drop.add(index)
            if index > 0 and _is_one_liner(found[index - 1]) and (index - 1) not in drop:
                drop.add(index - 1)
    return [block for index, block in enumerate(found) if index not in drop]


def _is_one_liner(block: list[str]) -> bool:
    return len(block) == 1 and word_count(block[0]) <= 12 and not is_bullet(block[0])


def _trim_tail(found: list[list[str]]) -> list[list[str]]:
    """Drop the run of short pitch lines at the end once furniture has been seen there.

    Works backwards from the end: short blocks are dropped while they sit among junk; the
    first real paragraph or list stops it.
    """
    end = len(found)
    while end > 0:
        block = found[end - 1]
        text = " ".join(block)
        if any(is_bullet(line) for line in block) or word_count(text) > _SHORT_BLOCK_WORDS:
            break
        if not _looks_like_pitch(block):
            break
        end -= 1
    return found[:end]


def _looks_like_pitch(block: list[str]) -> bool:
    """A short trailing block that is a pitch, a call to action or a label, not a sentence of news."""
    text = " ".join(block)
    if promo_score(text) >= 1:
        return True
    return (
        len(block) == 1
        and not block[0].rstrip().endswith((".", "”", '"'))
        and word_count(text) <= 8
    )
