"""Boilerplate stripping, one furniture shape per test, each written fresh for the test."""

from digest.normalize.clean import is_junk_line, strip_boilerplate, unglue_caption
from digest.normalize.promo import is_promo

STORY = (
    "The regional grid operator restored power to most customers by Tuesday evening, "
    "after a transformer fault cut supply to three districts for most of the afternoon."
)


def test_share_bar_shapes_are_junk_even_when_glued_together() -> None:
    assert is_junk_line("ShareFacebook / XLinkedIn")
    assert is_junk_line("Share: Twitter | Facebook | Email")
    assert is_junk_line("Tweet")
    assert not is_junk_line("Facebook's share of the market grew last quarter, analysts said.")


def test_navigation_ad_labels_and_calls_to_action_are_junk() -> None:
    for line in (
        "Back to top",
        "Top",
        "Advertisement",
        "Continue reading below",
        "Read more →",
        "Keep Reading",
        "Try the calculator →",
        "Home Markets Technology Opinion Podcasts",
        "Unsubscribe | Manage preferences | Update your email address",
    ):
        assert is_junk_line(line), line


def test_promo_needs_a_strong_signal_not_just_free_or_you() -> None:
    assert is_promo(
        "Get the five charts that matter every Friday. Join 30,000 analysts who read it."
    )
    assert is_promo("No spam, ever. Unsubscribe anytime.")
    assert not is_promo("The model is free to use, but your prompts are logged by the host.")


def test_subscribe_box_share_bar_and_author_bio_at_the_end_are_removed() -> None:
    text = "\n\n".join(
        [
            "Grid Operator Restores Power",
            STORY,
            STORY.replace("Tuesday", "Wednesday"),
            "Get Smarter About Energy",
            "A weekly email for people who run the grid. No spam, unsubscribe any time.",
            "Take the quiz",
            "Is your utility ready for winter? Answer 5 questions and get a score.",
            "Share:X / Facebook / LinkedIn",
            "About the author",
            "Jo Park",
            "Jo covers utilities from Leeds and has written about energy for a decade.",
        ]
    )
    result = strip_boilerplate(text)
    assert result.startswith("Grid Operator Restores Power")
    assert "Wednesday" in result
    for gone in (
        "Get Smarter",
        "No spam",
        "Take the quiz",
        "Answer 5",
        "Share:",
        "About the author",
        "Jo Park",
    ):
        assert gone not in result


def test_sponsor_block_between_stories_goes_but_both_stories_stay() -> None:
    text = "\n\n".join(
        [
            "First headline here today.",
            STORY,
            "Your inbox deserves better.",
            "Morning Mix is the daily newsletter that 2 million readers open first. Sign up free in ten seconds.",
            "Second headline here today.",
            STORY.replace("regional", "national"),
        ]
    )
    result = strip_boilerplate(text)
    assert "Your inbox" not in result and "Morning Mix" not in result
    assert "First headline" in result and "Second headline" in result and "national" in result


def test_named_sponsor_is_removed_wherever_it_pitches() -> None:
    text = "\n\n".join(
        [
            "Together with Crateful",
            "A Headline About Trains",
            STORY,
            "Crateful Makes Shipping Boring",
            "Crateful prints labels and books couriers in one click for 40,000 shops.",
            "Another Headline About Ports",
            STORY.replace("grid", "port"),
        ]
    )
    result = strip_boilerplate(text)
    assert "Crateful" not in result
    assert "A Headline About Trains" in result and "Another Headline About Ports" in result


def test_mid_issue_sponsored_label_drops_the_ad_section() -> None:
    text = "\n\n".join(
        [
            "Story One Title",
            STORY,
            "Sponsored",
            "Ledgerly Closes Your Books Faster",
            "Ledgerly reconciles invoices for finance teams automatically.",
            "Start your free trial",
            "Story Two Title",
            STORY.replace("three", "four"),
        ]
    )
    result = strip_boilerplate(text)
    assert "Ledgerly" not in result and "Sponsored" not in result and "free trial" not in result
    assert "Story Two Title" in result and "four districts" in result


def test_caption_glued_onto_a_heading_is_cut_off() -> None:
    assert unglue_caption(
        "A crane lifts a turbine blade at the port of Esbjerg.Why Ports Became the Bottleneck"
    ) == ("Why Ports Became the Bottleneck")
    assert unglue_caption("Prices rose 3.5% in October.") == "Prices rose 3.5% in October."


def test_references_list_and_back_top_navigation_are_cut() -> None:
    text = "\n\n".join(
        [
            "Title",
            STORY,
            STORY,
            STORY,
            "Sources",
            "  1. Primary source: Grid Weekly\n  2. Related coverage: example.org",
            "Back\nTop",
        ]
    )
    result = strip_boilerplate(text)
    assert "Sources" not in result and "Related coverage" not in result and "Back" not in result


def test_greeting_sign_off_and_footer_of_a_newsletter_go() -> None:
    text = "\n\n".join(
        [
            "Hi everyone, three stories this week and one of them is about trains.",
            "Headline One Here",
            STORY,
            "That's all for this week. See you Friday.",
            "You are receiving this email because you signed up at example.org.",
        ]
    )
    result = strip_boilerplate(text)
    assert result.startswith("Headline One Here")
    assert "That's all" not in result and "receiving" not in result


def test_table_of_contents_repeating_the_headlines_is_dropped() -> None:
    text = "\n\n".join(
        [
            "  • Trains Are Late\n  • Ports Are Full",
            "Trains Are Late",
            STORY,
            "Ports Are Full",
            STORY,
        ]
    )
    assert "•" not in strip_boilerplate(text)


def test_closing_one_liner_of_a_story_is_kept() -> None:
    text = "\n\n".join(["Headline", STORY, "Worth watching.", "Next Headline", STORY])
    assert "Worth watching." in strip_boilerplate(text)


def test_a_label_that_recurs_marks_ad_slots_and_the_article_around_them_stays() -> None:
    paragraphs = [
        f"Paragraph {word} of the survey describes how the harbour authority rebuilt the "
        f"{word} quay after the storm, and what the repairs cost the town in the end."
        for word in ("one", "two", "three", "four")
    ]
    text = "\n\n".join(part for paragraph in paragraphs for part in ("Advertisement", paragraph))
    result = strip_boilerplate(text)
    assert "Advertisement" not in result
    assert all(paragraph in result for paragraph in paragraphs)


def test_in_marked_text_end_matter_and_contents_are_told_by_headings() -> None:
    """Read from HTML or Markdown, only `#` lines are headings: a sentence that opens with
    "About Lute." is story, and code lines that repeat are no table of contents."""
    query = "SELECT status,\ncount(*) AS entries\nFROM requests"
    text = "\n\n".join(
        [STORY, query, STORY, query, STORY, "About Lute. He felt even worse about that now.", STORY]
    )
    kept = strip_boilerplate(text, marked=True)
    assert kept.count("count(*) AS entries") == 2 and "About Lute." in kept
    related = "\n\n".join([STORY, STORY, "###### Related posts", "• Another story of ours"])
    assert "Another story" not in strip_boilerplate(related, marked=True)
    # Plain text has no marks: there a short line can still be the end-matter heading.
    assert "Another story" not in strip_boilerplate(related.replace("###### ", ""))


def test_a_short_paragraph_wholly_in_bold_is_a_heading_for_the_line_rules() -> None:
    from digest.blocks import to_lines
    from digest.models import PARAGRAPH, Block

    label = Block(PARAGRAPH, "Related posts", lead=len("Related posts"))
    lead_in = Block(PARAGRAPH, "Related posts are below.", lead=len("Related"))
    assert to_lines([label, lead_in]) == "###### Related posts\n\nRelated posts are below."


def test_a_marked_article_keeps_its_own_references_and_what_reads_like_a_pitch() -> None:
    """In HTML or Markdown the extractor (or the author) already chose the text: an article's
    references are its own, a paragraph that only sounds like a pitch stays, and so does a
    "learn more" link it lists. Plain text
    has no such choice made, so there the end-matter and promo rules still cut."""
    references = "• Harbour Board annual report, 2024, p. 12. Retrieved 3 March 2025."
    pitch = (
        "Important: sign up for a free account and subscribe to sync your new profile, "
        "so your bookmarks and history follow you; click here to get started today."
    )
    cited = "\n\n".join([STORY, STORY, STORY, "## References", references])
    assert references in strip_boilerplate(cited, marked=True)
    assert references not in strip_boilerplate(cited.replace("## ", ""))
    sold = "\n\n".join([STORY, STORY, pitch, "Learn more"])
    assert pitch in strip_boilerplate(sold, marked=True)
    assert pitch not in strip_boilerplate(sold)
    linked = "\n\n".join([STORY, "Learn more about the tide tables", STORY])
    assert "tide tables" in strip_boilerplate(linked, marked=True)
    assert "tide tables" not in strip_boilerplate(linked)
