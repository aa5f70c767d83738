"""Whether a paragraph sells something (a newsletter, a tool, a sponsor, an event) instead of
reporting: distinct selling signals, counted cheaply. Pure str -> value."""

from __future__ import annotations

import re
from functools import lru_cache

from digest.normalize.text import word_count

# Signals that a paragraph sells something (a newsletter, a tool, a sponsor) instead of
# reporting: (strong, trigger words, pattern). Strong ones are rare in news; weak ones
# ("free", "you", a cadence) are common in honest news too and never count alone.
_SIGNAL_TABLE: tuple[tuple[bool, tuple[str, ...], str], ...] = (
    (True, ("newsletter", "newsletters"), r"\bnewsletters?\b"),
    (True, ("subscribe", "unsubscribe"), r"\bsubscribe\b|\bunsubscribe\b"),
    (
        True,
        ("join", "readers", "subscribers"),
        r"\bjoin\b[^.]{0,30}?\b[\d,.]+\s*(?:million|m|k|thousand)?\+?\s+\w+"
        r"|\bjoin\b[^.]{0,60}\b(?:readers|subscribers|professionals|members|people|others|founders|engineers|developers)\b"
        r"|\b[\d.,]+\s*(?:million|m|k|thousand)?\+?\s+(?:readers|subscribers)",
    ),
    (True, ("sign", "signup", "register"), r"\bsign[- ]?up\b|\bregister (?:now|today|for free)\b"),
    (True, ("spam", "noise", "fluff"), r"\bno spam\b|\bspam[- ]free\b|\bno noise\b|\bno fluff\b"),
    (True, ("inbox", "inboxes"), r"\binbox(?:es)?\b"),
    (
        True,
        ("sponsor", "sponsored", "sponsors", "advertisement", "advertise", "paid"),
        r"\bsponsor(?:ed|s)?\b|\badvertisement\b|\badvertise with us\b|\bpaid partnership\b",
    ),
    (
        True,
        (
            "trial",
            "try",
            "started",
            "start",
            "promo",
            "code",
            "off",
            "discount",
            "download",
            "demo",
        ),
        r"\bfree trial\b|\btry (?:it )?(?:for )?free\b|\bget started\b|\bstart (?:your |for )?free\b"
        r"|\bpromo code\b|\buse code\b|\d+% off\b|\bdiscount\b|\bdownload (?:now|the app|it)\b|\bbook a demo\b",
    ),
    (
        True,
        ("your", "you"),
        r"\byour (?:inbox|day|morning|week|feed|career|team's)\b|\byou(?:'ll| will) (?:get|love|learn)\b",
    ),
    (
        True,
        ("click", "tap", "learn", "find", "check"),
        r"\b(?:click|tap) here\b|\blearn more\b|\bfind out more\b|\bcheck (?:it|them|us) out\b",
    ),
    (True, ("read", "trusted", "loved", "used"), r"\b(?:read|trusted|loved|used) by\b"),
    (
        True,
        ("email", "weekly", "daily"),
        r"\b(?:one|an?) (?:honest |short |quick )?email (?:a|per|every) (?:week|day|morning)\b"
        r"|\b(?:weekly|daily) (?:email|digest|briefing|roundup|newsletter)\b",
    ),
    (True, ("anytime",), r"\bunsubscribe anytime\b|\bcancel anytime\b"),
    (
        True,
        ("questions", "quiz", "score", "personalised", "personalized"),
        r"\b\d+ questions\b|\bquiz\b|\bscore\b.*\bget\b|\bget (?:a|your) (?:free |personali[sz]ed )",
    ),
    (
        True,
        (
            "teams",
            "companies",
            "startups",
            "engineers",
            "developers",
            "customers",
            "businesses",
            "brands",
        ),
        r"\b[\d,.]+\+?\s*(?:million\s+|k\s+)?(?:teams|companies|startups|engineers|developers|customers|businesses|brands)\b"
        r"[^.]{0,30}\b(?:use|uses|run|trust|rely|love|build)\b",
    ),
    (
        True,
        ("trial", "demo", "spin", "plan", "tier", "account"),
        r"\btrial\b|\bbook a (?:[\w-]+ )?demo\b|(?<![-\w])free (?:plan|tier|account)\b|\bspin up\b",
    ),
    (
        True,
        ("ticket", "tickets", "rsvp", "save", "early", "join", "meetup", "livestream", "register"),
        r"\btickets?\b|\brsvp\b|\bsave your (?:seat|spot|place)\b|\bearly[- ]bird\b|\bjoin us\b|\bmeetup\b",
    ),
    (
        True,
        ("sign", "log", "only", "continue"),
        r"\bsign in\b|\blog in\b|\bsubscribers? only\b|\bcontinue reading\b",
    ),
    (
        True,
        ("partners", "device", "consent", "personalised", "personalized", "cookie", "cookies"),
        r"\bwe and (?:our )?\d+ (?:of our )?partners\b|\bon your device\b|\bconsent\b"
        r"|\bpersonali[sz]ed (?:ads|adverts|advertising|content)\b|\bcookie (?:policy|settings|preferences)\b",
    ),
    (
        True,
        ("refer", "referral", "referrals", "referred"),
        r"\brefer(?:ral)?s?\b[^.]{0,60}\b(?:friends?|colleagues?|reward|send you|get|unlock|earn)\b"
        r"|\brefer \d+\b",
    ),
    (False, ("free",), r"(?<![-\w])free\b"),
    (
        False,
        ("subscribed", "subscriber", "subscribers", "subscription", "subscriptions"),
        r"\bsubscri(?:bed|bers?|ptions?)\b",
    ),
    (
        False,
        ("podcast", "webinar", "latest"),
        r"\bpodcast\b|\bwebinar\b|\blatest (?:video|episode)\b|\bsubscribe on\b",
    ),
    (False, ("you", "your"), r"\byour\b|\byou(?:'re|'ll)?\b"),
    (False, ("cookie", "cookies"), r"\bcookies?\b"),
    (
        False,
        ("every", "twice"),
        r"\bevery (?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\bevery (?:week|morning)\b|\btwice a week\b",
    ),
)
_SIGNALS = tuple(
    (strong, frozenset(triggers), re.compile(pattern, re.IGNORECASE))
    for strong, triggers, pattern in _SIGNAL_TABLE
)
# A signal's pattern runs only when one of its trigger words occurs in the paragraph: one
# word-set intersection (in C) skips nearly every pattern for nearly every paragraph.
_TRIGGERS = frozenset(word for _, found, _ in _SIGNAL_TABLE for word in found)
_LETTERS = re.compile(r"[a-z]+")


def promo_score(text: str) -> int:
    """How many distinct selling signals a paragraph carries."""
    strong, weak = _signals(text)
    return strong + weak


@lru_cache(maxsize=4096)
def _signals(text: str) -> tuple[int, int]:
    """How many distinct strong and weak selling signals the text carries."""
    present = _TRIGGERS.intersection(_LETTERS.findall(text.lower()))
    if not present:
        return 0, 0
    strong = weak = 0
    for is_strong, triggers, pattern in _SIGNALS:
        if not triggers.isdisjoint(present) and pattern.search(text):
            if is_strong:
                strong += 1
            else:
                weak += 1
    return strong, weak


def is_promo(text: str) -> bool:
    """Whether a paragraph sells something (a newsletter, a tool, a sponsor) instead of reporting.

    Needs a strong signal (subscribe, trial, sponsor, "join N readers", ...): "free" and "you"
    alone are common in honest news.
    """
    words = word_count(text)
    if words > 150:  # an ad is short; a long paragraph is reporting
        return False
    strong, weak = _signals(text)
    if words <= 90:
        return strong >= 2 or (strong >= 1 and weak >= 1)
    return strong >= 2 and strong + weak >= 3
