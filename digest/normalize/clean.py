"""Boilerplate stripping: pure str -> str.

The rules describe the *shapes* of site and newsletter furniture (a share bar is a short line
naming several networks; a subscribe box is a short run of pitch lines; a sponsor block is a
catchy one-liner over a paragraph that sells something), never the exact phrases of one site.
"""

from __future__ import annotations

import re
from functools import lru_cache

from digest.normalize.extract import is_metadata_line
from digest.normalize.promo import is_promo, promo_score
from digest.normalize.text import (
    blocks,
    ends_sentence,
    is_bullet,
    is_hard_wrapped,
    join_blocks,
    strip_bullet,
    word_count,
)

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
        continue\ reading(?:\ below)?|keep\ (?:reading|scrolling)|read\ more(?:\ (?:at|on|here)\b.*)?|
        (?:partner|sponsor|sponsored|ad|advert|advertisement|promoted|presented\ by)\s*:\s.{0,300}|read\ (?:the\ )?full\ (?:story|article|post)|
        more\ (?:stories|news|from\ us)|see\ more|load\ more|show\ more|view\ more|view\ all|
        subscribe(?:\ now|\ today|\ for\ free)?|sign\ up(?:\ now|\ for\ free|\ today)?|log\ ?in|sign\ in|
        click\ here|learn\ more|follow\ us(?:\ on\ .*)?|download\ the\ app|get\ the\ app|
        listen(?:\ to\ (?:this|the)\ (?:article|story|episode))?|play|pause|
        \d+\s*(?:min(?:ute)?s?|m)\.?\s*read|
        (?:in\ )?partnership\ with.*|presented\ by.*|sponsored\ by.*|together\ with.*|
        brought\ to\ you\ by.*|powered\ by.*|in\ collaboration\ with.*|
        (?:this\ (?:issue|edition|newsletter|email|episode)\ is\ )?(?:made\ possible|supported|underwritten|sponsored|presented|brought\ to\ you)\ by.*|
        (?:share|forward)\ (?:this|it)(?:\ (?:issue|email|newsletter|post|story|article|with\ a\ friend))?.*|
        (?:was\ )?(?:this|the)\ (?:email|newsletter)\ forwarded\ to\ you.*|forwarded\ this\b.*|view\ (?:this\ email\ )?in\ (?:your\ )?browser|
        (?:manage|update)\ (?:your\ )?(?:preferences|subscription|email\ settings).*|unsubscribe.*|
        (?:make\ sure\ to\ |don'?t\ forget\ to\ |be\ sure\ to\ )?(?:check\ out|watch|listen\ to|catch)\ (?:our|the)\ (?:latest|newest|new)\ .*|
        all\ rights\ reserved.*|©.*|copyright\ ©?\s*\d{4}.*|privacy\ policy.*|terms\ (?:of\ (?:use|service)|&\ conditions).*|
        (?:photo|image|picture|illustration|graphic|credit|photograph|video)s?(?:\ credit)?\s*:.*|
        (?:source|via)\s*:\s*(?:getty|shutterstock|reuters|ap\b|afp|unsplash).*|
        (?:getty\ images|shutterstock|unsplash|ap\ photo).*|
        comments?|\d+\s+comments?|leave\ a\ (?:comment|reply)|
        that'?s\ (?:it|all|the\ \w+|your\ \w+)\ for\ (?:this|today|now|the\ week)\b.*|see\ you\ (?:next|tomorrow|on|then|soon)\b.*|
        until\ next\ (?:time|week)\b.*|thanks\ for\ reading\b.*|(?:hit|just\ hit)\ reply\b.*|reply\ to\ this\ email\b.*|
        got\ a\ tip\b.*|p\.?\ ?s\.?\ .*|(?:you\ are|you're)\ receiving\ this\b.*|you\ received\ this\b.*|
        this\ email\ was\ sent\ to\b.*|forwarded\ this\ (?:email|newsletter)\b.*|
        sign\ up\ here\b.*|already\ (?:a\ subscriber|have\ an\ account|subscribed)\b.*|need\ help\b.*|
        enter\ your\ email(?:\ address)?|your\ email(?:\ address)?|email\ address|by\ subscribing\b.*|cancel\ anytime\b.*|
        subscriber\ exclusive|enjoy(?:ing|ed)?\ (?:this|the|reading)\ (?:issue|newsletter|email|post)?\b.*|
        pass\ (?:it|this)\ (?:along|on)\b.*|know\ someone\ who\b.*|
        (?:previous|next|prev|older|newer)\ (?:post|article|story|entry)\s*:.*|subscribers?\ only\b.*|sign\ in\ to\ (?:continue|read)\b.*|accept(?:\ all)?(?:\ cookies)?|
        reject(?:\ all|\ non-essential)?|(?:cookie|privacy)\ (?:settings|preferences|policy)\b.*|we\ use\ cookies\b.*|
        (?:a\ )?(?:quick\ |short\ )?(?:word|message|note)s?\ from\ (?:our|this\ week's|today's|the)\ (?:sponsors?|backers?|partners?)|
        (?:our\ )?sponsors?|partner\ content|sponsored\ content|paid\ post|promoted\ content|
        (?:edited|compiled|curated|produced)\ by\b.*|work\ email|
        .{0,80}\baffiliate\ (?:links?|commissions?|partners?)\b.*|
        in\ this\ (?:issue|edition|email)|in\ today's\ (?:issue|edition|email)|(?:table\ of\ )?contents|
        (?:sign\ me\ up|join\ (?:now|free|us|the\ list|the\ newsletter)|get\ the\ newsletter|subscribe\ here)|
        (?:quote|chart|number|stat|tweet|meme|poll|question)\ of\ the\ (?:day|week|issue|month)|today's\ poll|
        (?:having\ trouble\ (?:reading|viewing)|(?:can'?t|cannot)\ see\ (?:the\ )?images)\b.*|
        (?:open|read|view)\ (?:the|this)\ (?:web\ version|issue\ online|email\ online|newsletter\ online)\b.*|
        add\ us\ to\ your\ (?:contacts|address\ book|safe\ senders)\b.*|view\ (?:online|in\ browser)|
        you\ are\ here\b.*|member-only\ story|open\ in\ app|write|follow|following|listen|text\ to\ speech|
        top\ highlight|reading\ time\b.*|reuse\ this\ content|explore\ more\ on\ these\ topics|
        (?:related|see\ also|also\ read|read\ also|recommended|must\ read)\s*:.*|>>?\s*sponsored\b.*|
        error\ 404|404|page\ not\ found|the\ post\ .{1,300}\ appeared\ first\ on\ .*|now\ playing\b.*|up\ next\b.*|watch(?:\ the)?\ (?:trailer|video|clip)\b.*|listen\ to\ (?:this|the)\ (?:article|story|episode|post)\b.*|
        we\ value\ your\ privacy|your\ privacy\ (?:choices|matters|settings|options)|privacy\ (?:choices|settings|options)|
        manage\ (?:options|cookies|consent|choices|settings)|(?:cookie|consent)\ (?:banner|notice|settings)|
        [\d\s.,:/|·•–—-]*|
        tags?\s*:.*|filed\ under\s*:?.*|categor(?:y|ies)\s*:.*|
        [-=_*•·~#]{3,}|(?:\*\s*){3,}|(?:•\s*){3,}
    )[\s.!:→»›↗]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Furniture that can sit anywhere in a line, tried only when a cheap keyword test passes:
# a caption ending in its credit, a "you signed up at" footer, a publisher line.
_JUNK_INSIDE = re.compile(
    r"\b(?:photograph|photo|image|illustration|picture)(?: credit)?\s*:\s*[^.]{2,60}$"
    r"|\bsigned up (?:at|for|on)\b"
    r"|\b(?:is (?:a publication of|published by)|registered in england|registered office|company (?:no|number))\b",
    re.IGNORECASE,
)
_INSIDE_KEYS = (
    "photo",
    "image",
    "illustration",
    "picture",
    "signed up",
    "publi",
    "registered",
    "company",
)

# A label line that makes its whole (short) block furniture: polls, podcasts, replays, quotes.
_BLOCK_LABEL = re.compile(
    r"^\W*(?:(?:new\ )?on\ the\ [\w'’ ]{0,40}podcast|(?:this\ week's\ |today's\ |the\ )?podcast|watch\ the\ (?:replay|video|recording)|"
    r"keep\ (?:scrolling|reading)|share\ this\ (?:issue|email|newsletter|post)|jobs?\ board|"
    r"(?:quote|chart|number|stat|tweet|meme|poll|question)\ of\ the\ (?:day|week|issue|month)|today's\ poll|"
    r"sponsored(?:\ content)?|partner\ content|paid\ post|promoted|advertisement|"
    r"(?:a\ )?(?:quick\ |short\ )?(?:word|message|note)s?\ from\ (?:our|this\ week's|today's|the)\ (?:sponsors?|backers?|partners?)|"
    r"in\ this\ (?:issue|edition|email)|in\ today's\ (?:issue|edition|email)|what\ you\ get|"
    r"(?:more|other)\ (?:stories|reads)\ (?:you|from|we)\b.*|before\ you\ go|one\ more\ thing|housekeeping)"
    r"\b[\s.:!→»]*",
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR_LINE = re.compile(r"^\s*[-=_*•·~#╔╗╚╝═║┌┐└┘─│]{3,}\s*$")
_GREETING = re.compile(
    r"^(?:good\ (?:morning|afternoon|evening)|hey|hi|hello|howdy|greetings|welcome(?:\ back)?(?:\ to)?|"
    r"happy\ (?:mon|tues|wednes|thurs|fri|satur|sun)day|dear\ (?:readers?|friends|subscribers))\b",
    re.IGNORECASE | re.VERBOSE,
)
_SPONSOR_NAME = re.compile(
    r"^(?:in\ partnership\ with|presented\ by|together\ with|brought\ to\ you\ by|sponsored\ by|powered\ by|"
    r"(?:this\ (?:issue|edition|newsletter|email|episode)\ is\ )?(?:made\ possible|supported|underwritten|sponsored|presented|brought\ to\ you)\ by)"
    r"\s*:?\s*(?P<name>[A-Z0-9][\w.&'’-]*(?:\s[A-Z0-9][\w.&'’-]*){0,2})?\s*$",
    re.IGNORECASE | re.VERBOSE,
)
_NAV_WORDS = frozenset(
    "home news markets business technology tech opinion sports sport podcasts podcast video videos "
    "climate politics world culture science newsletters newsletter search menu subscribe login "
    "health travel style arts economy finance lifestyle fintech banking payments crypto insurtech "
    "funding rounds jobs careers events agenda speakers sponsors venue faq register pricing docs "
    "blog about contact products solutions customers company resources analysis features reviews "
    "deals policy archive topics latest popular trending shop store help support status partners "
    "investors press media games gaming energy ai cloud security data &".split()
)
_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){1,4}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Way|Drive|Dr\.?|Place|Square|Suite)\b"
)


# A heading that opens the end matter of a page: everything from it on is furniture.
_TAIL_ANCHOR = re.compile(
    r"^(?:written by(?: [A-Z][\w.'’-]*){0,4}|about the authors?|about the writer|"
    r"more (?:from|in|on|by) [\w'’ .-]{1,40}?\s*[→»›]?|more (?:briefs|stories|news|posts|articles)\s*[→»›]?|"
    r"related(?: articles| posts| stories| coverage| reading| content| links)?|"
    r"(?:you|you'll) (?:might|may) also (?:like|enjoy)|recommended(?: for you| reading)?|"
    r"most (?:read|popular|viewed)|trending(?: now)?|popular (?:posts|stories|now)|"
    r"(?:comments|leave a (?:comment|reply)|join the (?:conversation|discussion))|"
    r"(?:references|sources|further reading|citations|bibliography|notes|links)(?:\s+(?:and|&)\s+(?:further reading|notes|references|sources|links|citations))?|"
    r"\d+\s+comments?|comments?\s*\(\d+\)|media (?:contact|inquiries|enquiries)|press contact|contacts?|"
    r"forward-looking statements|cautionary (?:note|statement)s?(?: regarding .{0,40})?|safe harbou?r statement|"
    r"about [A-Z][\w.&' -]{1,40}|###|ready for more\??|\d+\s+(?:replies|responses)|discussion(?: about this post)?|"
    r"share this (?:article|story|post)|about (?:us|the publication)|"
    r"(?:more|other) (?:stories|articles|news) (?:you|from)\b.*)[\s.:]*$",
    re.IGNORECASE,
)
# An article's own apparatus: in a marked document (the extractor already chose the main
# content) these are the author's text, kept as Readability keeps them; in plain text they
# are where a saved page's furniture begins as often as not.
_APPARATUS = re.compile(
    r"^(?:references|sources|further reading|citations|bibliography|notes|see also)\b",
    re.IGNORECASE,
)
# "About Acme Corp" is end matter only with a capitalised name after it (not "about the deal").
_ABOUT_NAME = re.compile(r"^[Aa]bout (?:(?i:us|the (?:authors?|writer|publication))|[A-Z])")

# An image caption glued onto the heading after it: "...in a city.The Next Heading".
_GLUED_CAPTION = re.compile(
    r"^(?P<caption>.{20,}?[a-z0-9%)\]’”])[.!](?P<heading>[A-Z“\"‘'][^.!?]{8,})$"
)

_GLUE_POINT = re.compile(r"[a-z0-9%)\]’”.][.!]?[A-Z“\"‘'][a-z]")
# "...at the office. Photo: Vello / Kanaal FinanceAmsterdam-based Vello has raised": a caption
# and its credit glued onto the paragraph after it.
_CREDITED_CAPTION = re.compile(
    r"^.{0,300}?\b(?:Photograph|Photo|Image|Illustration|Picture|Credit)s?(?: credit)?\s*:\s*"
    r"[^.:]{2,60}?[a-z)]\.?(?P<rest>[A-Z][a-z].{40,})$"
)
_SHORT_BLOCK_WORDS = 25


def strip_boilerplate(text: str, marked: bool = False) -> str:
    """Remove boilerplate lines and blocks; keep the article's own text and layout.

    A `marked` text (read from HTML or Markdown) is one whose extractor or author already
    chose the text and marked its headings: there only `#` lines are headings (end matter
    starts at one), and the rules that guess a page's layout from saved text do not run: no
    table of contents, labelled block, greeting or glued caption is looked for, no paragraph
    is dropped for sounding like a pitch and no line for reading like a button. Measured on
    real pages those rules only ever cut article text there ("Learn more about the debugger"
    in a list of tools). Sponsor sections are still told by their labels, and furniture
    lines by their shapes."""
    found = blocks(text)
    sponsors = _sponsor_names(found)
    found = _cut_tail_anchor(found, marked)
    if not marked:
        found = [block for block in found if not _is_labeled_block(block)]
        found = _drop_table_of_contents(found)
        found = _one_line_per_block(found)
    found = _drop_sponsor_sections(found, sponsors)
    found = [kept for block in found if (kept := _clean_block(block, marked))]
    if not marked:
        found = _drop_greeting(found)
        found = _drop_promo_blocks(found)
    found = [kept for block in found if (kept := [line for line in block if line != _BUTTON])]
    found = _trim_tail(found)
    return join_blocks(found)


@lru_cache(maxsize=16384)
def is_junk_line(line: str) -> bool:
    """Whether a single line is furniture wherever it appears (nav, share bar, ad label, ...)."""
    if len(line) > 400:  # furniture is short; a long line is prose
        return False
    if word_count(line) > 45:  # furniture is short; a long line is prose (a consent banner aside)
        return word_count(line) <= 80 and bool(_CONSENT_PARAGRAPH.search(line))
    if is_metadata_line(line):  # a byline or a date line is about the article, not furniture
        return False
    lowered = line.lower()
    if any(key in lowered for key in _INSIDE_KEYS) and _JUNK_INSIDE.search(line):
        return word_count(line) <= 40
    # "— A word from our sponsor —" and "🤝 Presented by X" are labels too.
    bare = _undecorate(line)
    return (
        bool(_JUNK_LINE.match(line))
        or bool(bare and bare != line and _JUNK_LINE.match(bare))
        or _is_consent(line)
        or _is_share_bar(line)
        or _is_call_to_action(line)
        or _is_menu(line)
        or (
            any(c.isdigit() for c in line)
            and word_count(line) <= 20
            and not line.endswith(".")
            and bool(_ADDRESS.search(line))
        )
    )


_CONSENT_WORDS = frozenset(
    "accept agree reject refuse decline allow all only necessary essential manage options adjust "
    "preferences settings cookies cookie let me decide pick customize customise continue without "
    "accepting save choices and i consent".split()
)
_CONSENT_PARAGRAPH = re.compile(
    r"\b(?:cookies|identifiers|small (?:data )?files|tracking technologies|similar technologies)\b"
    r".{0,160}\b(?:your (?:device|computer|browser|preferences)|measure|personali[sz]e|tailor|ads\b|adverts|"
    r"advertising|essential|analytics|interested in|improve (?:our|the|your))",
    re.IGNORECASE,
)


def _is_consent(line: str) -> bool:
    """A cookie banner's text or its row of buttons ("Allow all  Only necessary  Let me pick")."""
    lowered = line.lower()
    if len(line) <= 120 and any(word in lowered for word in _CONSENT_BUTTONS):
        words = re.findall(r"[a-z']+", lowered)
        if 2 <= len(words) <= 12 and all(word in _CONSENT_WORDS for word in words):
            return True
    if not any(word in lowered for word in _CONSENT_TOPICS):
        return False
    return word_count(line) <= 80 and bool(_CONSENT_PARAGRAPH.search(line))


_CONSENT_BUTTONS = (
    "accept",
    "allow",
    "agree",
    "reject",
    "refuse",
    "decline",
    "manage",
    "necessary",
    "essential",
)
_CONSENT_TOPICS = ("cookie", "identifier", "small", "tracking", "technologies")


_TOOLBAR_VERBS = frozenset(
    "print download cite gift listen save share email copy bookmark follow comment subscribe".split()
)
_TOOLBAR_WORDS = _TOOLBAR_VERBS | frozenset(
    "this page pdf article link min mins minutes story the to comments x".split()
)
_DECORATION = re.compile(r"^[^\w\"“‘'(]+|[^\w.!?)\"”’']+$")


def _undecorate(line: str) -> str:
    """A short line without leading emoji, dashes or arrows and trailing decoration."""
    if len(line) > 120:  # labels are short; the end-anchored pattern is slow on long lines
        return line
    return _DECORATION.sub("", line)


_MENU_SPLIT = re.compile(r"\s+[|·•/›»]\s+|\s*\|\s*")


def _is_menu(line: str) -> bool:
    """A run of section names ("Home Markets Technology Opinion") or a "·"/"|"-separated footer."""
    parts = [part for part in _MENU_SPLIT.split(line) if part]
    if len(parts) >= 2 and all(word_count(part) <= 12 for part in parts):
        junk = sum(1 for part in parts if is_junk_line(part) or part.lower() in _NAV_WORDS)
        if junk * 2 >= len(parts):
            return True
    crumbs = [part for part in re.split(r"\s+[/›»>]\s+", line) if part]
    if (
        len(crumbs) >= 2
        and all(word_count(part) <= 3 for part in crumbs)
        and not ends_sentence(line)
    ):
        return True  # a breadcrumb trail: "Blog / Product updates"
    tokens = line.lower().split()
    if len(tokens) >= 4 and sum(1 for token in tokens if token in _NAV_WORDS) >= len(tokens) * 0.6:
        return True
    # An article toolbar: "Print this page Download PDF Cite this", "Gift this article Listen (5 min) Save".
    words = re.findall(r"[a-z]+", line.lower())
    actions = {word for word in words if word in _TOOLBAR_WORDS}
    return (
        len(words) >= 3
        and len(actions & _TOOLBAR_VERBS) >= 2
        and len([w for w in words if w in _TOOLBAR_WORDS]) >= 0.7 * len(words)
    )


def _is_call_to_action(line: str) -> bool:
    """A short button-like line ending in an arrow: "Try the tool →"."""
    return line.rstrip().endswith(("→", "»", "›", "↗", ">>")) and word_count(line) <= 10


def unglue_caption(line: str) -> str:
    """Drop an image caption glued onto the front of a heading or a paragraph."""
    if not _GLUE_POINT.search(line):  # captions join the next line with no space between
        return line
    match = _GLUED_CAPTION.match(line) if len(line) <= 400 else None
    if match and word_count(match.group("heading")) <= 16:
        return match.group("heading").strip()
    credited = (
        "Photo" in line
        or "Image" in line
        or "Credit" in line
        or "Illustration" in line
        or "Picture" in line
    )
    match = _CREDITED_CAPTION.match(line) if credited else None
    if match:
        return match.group("rest").strip()
    return line


_SHARE_FILLER = frozenset("x on via this article story post page link copy the it".split())


def _is_share_bar(line: str) -> bool:
    if len(line) > 80 or line.rstrip().endswith((".", "?", "!")):
        return False
    lowered = line.lower()
    hits = sum(1 for name in _SOCIAL if name in lowered)
    leftover = lowered
    for name in _SOCIAL:
        leftover = leftover.replace(name, " ")
    others = re.findall(r"\w+", leftover)
    if len([word for word in others if word not in _SHARE_FILLER]) > 2:
        return False
    return hits >= 2 or (
        hits == 1 and lowered.startswith(("share", "tweet")) and word_count(line) <= 4
    )


_BUTTON = "\x00button"  # stands in for a removed call to action until the promo rules have run


# "...The post <title> appeared first on <site>." run into the entry's last paragraph.
_APPEARED_FIRST = re.compile(r"\s*The post .{1,200}? appeared first on .{1,80}?\.?\s*$")
# "...a shortage of carriages. Continue reading →" / "[…] Read more": a feed's teaser tail.
_TEASER_TAIL = re.compile(
    r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…)?\s*(?:continue reading|read more|keep reading|read the (?:full|rest)\b[^.]{0,30})"
    r"[^.!?]{0,40}?(?:→|»|›|\.\.\.|…)?\s*$",
    re.IGNORECASE,
)


def _clean_block(block: list[str], marked: bool = False) -> list[str]:
    kept = []
    for line in block:
        if "appeared first on" in line[-300:]:
            line = line[:-300] + _APPEARED_FIRST.sub("", line[-300:])
        if len(line) > 40 and ("read" in line[-60:].lower()):
            # Only the end of the line can hold the teaser; the pattern is not run over the rest.
            line = (line[:-120] + _TEASER_TAIL.sub("", line[-120:])) or line
        if not marked and (
            _is_call_to_action(line) or (_is_call_to_action_line([line]) and len(block) == 1)
        ):
            kept.append(_BUTTON)
            continue
        if is_junk_line(line):
            continue
        kept.append(line if marked else unglue_caption(line))
    return kept


def _cut_tail_anchor(found: list[list[str]], marked: bool = False) -> list[list[str]]:
    """Cut at the last end-matter heading (bio, related, references) in the last third."""
    total = sum(word_count(" ".join(block)) for block in found)
    seen = 0
    cut = len(found)
    for index, block in enumerate(found):
        first = block[0].lstrip("#").strip()  # "## 14 comments" is the same anchor
        if (
            index > 0
            and (not marked or block[0].startswith("#"))
            and seen >= total * 0.5
            and _TAIL_ANCHOR.match(first)
            and not (marked and _APPARATUS.match(first))
            and (not first.lower().startswith("about ") or _ABOUT_NAME.match(first))
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
    """Drop promo paragraphs, the catchy one-liner above each and the call to action below."""
    drop: set[int] = set()
    for index, block in enumerate(found):
        text = " ".join(block)
        if (
            _is_call_to_action_line(block)
            and index > 0
            and promo_score(" ".join(found[index - 1])) >= 1
        ):
            # "👉 Claim your spot" under a pitch: the pitch, its catchy headline and the button go.
            drop.update({index, index - 1})
            if index > 1 and _is_one_liner(found[index - 2]):
                drop.add(index - 2)
            continue
        if len(block) > 1 and _is_call_to_action_line(block[-1:]) and promo_score(text) >= 1:
            drop.add(index)  # a pitch that ends in its own button
            if index > 0 and _is_one_liner(found[index - 1]):
                drop.add(index - 1)
            continue
        if is_promo(text) and not _opens_a_story(found, index):
            drop.add(index)
            if index > 0 and _is_one_liner(found[index - 1]) and (index - 1) not in drop:
                drop.add(index - 1)
            after = found[index + 1] if index + 1 < len(found) else None
            # The button under a pitch goes too ("Start your 30-day free trial today").
            if (
                after
                and _is_one_liner(after)
                and (_is_call_to_action_line(after) or promo_score(after[0]) >= 1)
            ):
                drop.add(index + 1)
    return [block for index, block in enumerate(found) if index not in drop]


_IMPERATIVE = re.compile(
    r"^[\W_]*(?:claim|start|book|try|get|grab|sign|join|register|reserve|subscribe|shop|buy|order|"
    r"request|schedule|download|unlock|upgrade|apply|discover|explore|see|learn|save)\b",
    re.IGNORECASE,
)


def _is_call_to_action_line(block: list[str]) -> bool:
    """A button-like line: a short imperative with no full stop ("Claim your spot")."""
    return (
        len(block) == 1
        and bool(_IMPERATIVE.match(block[0]))  # anchored: fails at the first word
        and word_count(block[0]) <= 6
        and not block[0].rstrip().endswith((".", "?"))
    )


def _opens_a_story(found: list[list[str]], index: int) -> bool:
    """A paragraph followed by a long reporting paragraph is the start of a story, not an ad:
    an ad is followed by its button, a new headline, or nothing."""
    following = found[index + 1] if index + 1 < len(found) else None
    if following is None:
        return False
    text = " ".join(following)
    return word_count(text) >= 25 and not is_promo(text)


def _is_one_liner(block: list[str]) -> bool:
    """A single short line: a headline (numbered ones too), a label, a closing remark."""
    if len(block) != 1 or word_count(block[0]) > 16:
        return False
    return not is_bullet(block[0]) or bool(re.match(r"^\s*\d{1,2}[.)]\s", block[0]))


def _trim_tail(found: list[list[str]]) -> list[list[str]]:
    """Drop the run of short pitch lines at the end once furniture has been seen there.

    Works backwards from the end: short blocks are dropped while they sit among junk; the
    first real paragraph or list stops it.
    """
    end = len(found)
    while end > 0:
        block = found[end - 1]
        text = " ".join(block)
        if _is_link_grid(block):
            end -= 1
            continue
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
        len(block) <= 3
        and not any(line.rstrip().endswith((".", "”", '"')) for line in block)
        and all(word_count(line) <= 8 for line in block)
    )


def _one_line_per_block(found: list[list[str]]) -> list[list[str]]:
    """Text saved from a web page puts headline, pitch, button and next story on consecutive
    lines; each line is its own block so the block rules see them apart. Hard-wrapped text
    (a plain-text email) keeps its blocks, since its lines are pieces of paragraphs."""
    result: list[list[str]] = []
    for block in found:
        if len(block) == 1 or is_hard_wrapped(block):
            result.append(block)
        else:
            result.extend([line] for line in block)
    return result


def _is_link_grid(block: list[str]) -> bool:
    """A site footer or menu: four or more short lines, none of them a sentence."""
    return len(block) > 3 and all(
        word_count(line) <= 8 and not ends_sentence(line) for line in block
    )


def _is_labeled_block(block: list[str]) -> bool:
    """A block headed by a furniture label (poll, podcast, quote of the week) is furniture."""
    lines = [line for line in block if not _SEPARATOR_LINE.match(line)]
    if len(lines) < 2 or not _BLOCK_LABEL.match(lines[0]):
        return False
    return word_count(" ".join(lines[1:])) <= 60


def _sponsor_names(found: list[list[str]]) -> set[str]:
    """Names from "Together with Acme" / "Presented by" lines (or the line after a bare label)."""
    names: set[str] = set()
    lines = [_undecorate(line) for block in found for line in block]
    for index, line in enumerate(lines):
        match = _SPONSOR_NAME.match(line)
        if not match:
            continue
        name = match.group("name")
        if not name and index + 1 < len(lines) and word_count(lines[index + 1]) <= 3:
            name = lines[index + 1]
        if name and len(name) >= 3:
            names.add(name.strip())
    return names


def _drop_sponsor_sections(found: list[list[str]], sponsors: set[str]) -> list[list[str]]:
    """Drop blocks that name the sponsor, and the section after a mid-issue "Sponsored" label."""
    kept: list[list[str]] = []
    skipping = False
    ad_heading_seen = False
    labels = sum(1 for block in found if len(block) == 1 and _is_sponsor_label(block[0]))
    for index, block in enumerate(found):
        text = " ".join(block)
        if len(block) == 1 and _SPONSOR_NAME.match(_undecorate(block[0])):
            continue
        if labels >= _AD_SLOTS and len(block) == 1 and _is_sponsor_label(block[0]):
            continue  # a label that recurs marks an ad slot (an image left out), not a section
        if (
            sponsors
            and index > 0
            and any(name.lower() in text.lower() for name in sponsors)
            and word_count(text) <= 120
        ):
            if kept and _is_one_liner(kept[-1]):
                kept.pop()
            continue
        if len(block) == 1 and _is_sponsor_label(block[0]) and index > 1:
            skipping, ad_heading_seen = True, False
            continue
        if skipping:
            # The ad runs from the label to the next headline that opens a story; its own
            # headline (the first one-liner after the label) is part of the ad.
            opens_story = _is_one_liner(block) and _next_is_paragraph(found, index)
            if opens_story and ad_heading_seen:
                skipping = False
                kept.append(block)
            ad_heading_seen = True
            continue
        kept.append(block)
    return kept


# A page that repeats its "Advertisement" label this often marks ad slots between its own
# paragraphs; a newsletter labels its one or two sponsored sections.
_AD_SLOTS = 3


def _next_is_paragraph(found: list[list[str]], index: int) -> bool:
    following = found[index + 1] if index + 1 < len(found) else None
    return following is not None and word_count(" ".join(following)) > 15


def _is_sponsor_label(line: str) -> bool:
    return bool(_SPONSOR_LABEL.match(line.strip(" —–-*•·|>#=_~")))


_SPONSOR_LABEL = re.compile(
    r"^\W*(?:sponsored|(?:a )?(?:quick |short )?(?:word|message|note)s? from|advertisement|"
    r"partner content|paid post|(?:our )?sponsors?)\b",
    re.I,
)


def _drop_greeting(found: list[list[str]]) -> list[list[str]]:
    """A newsletter's opening hello ("Good morning, builders. ...") is not news."""
    for index, block in enumerate(found[:12]):
        if len(block) == 1 and _GREETING.match(block[0]) and word_count(block[0]) <= 80:
            return found[:index] + found[index + 1 :]
    return found


def _drop_table_of_contents(found: list[list[str]]) -> list[list[str]]:
    """A run of two or more entries (a bulleted list, or a block of short lines) that all
    reappear later as lines of their own is a table of contents."""
    last_seen: dict[str, int] = {}
    for index, block in enumerate(found):
        for line in block:
            last_seen[line.strip().lower()] = index
    kept = []
    for index, block in enumerate(found):
        if len(block) >= 2 and all(word_count(line) <= 16 for line in block):
            entries = [_strip(line).lower() for line in block]
            repeated = sum(1 for entry in entries if last_seen.get(entry, -1) > index)
            if repeated >= 0.6 * len(entries):
                continue
        kept.append(block)
    return kept


def _strip(line: str) -> str:
    return strip_bullet(line).strip()
