from digest.normalize.text import blocks, clip, sentences, tidy, title_case_ratio


def test_tidy_normalizes_line_ends_spaces_and_invisible_characters() -> None:
    assert tidy("a\r\nb\u00a0 c\u200b\rd  ") == "a\nb c\nd"


def test_blocks_split_on_blank_lines_only() -> None:
    assert blocks("one\ntwo\n\n\nthree\n") == [["one", "two"], ["three"]]


def test_sentences_keep_abbreviations_decimals_and_initials() -> None:
    text = "It fell from 83.3% to 68.3%. The U.S. team, led by J. Smith, agreed. Mr. Lee did not."
    assert sentences(text) == [
        "It fell from 83.3% to 68.3%.",
        "The U.S. team, led by J. Smith, agreed.",
        "Mr. Lee did not.",
    ]


def test_sentences_split_after_quotes_and_questions() -> None:
    assert sentences('He said "no." Why? Because.') == ['He said "no."', "Why?", "Because."]


def test_title_case_ratio_ignores_minor_words() -> None:
    assert title_case_ratio("What the Code Red Actually Means") == 1.0
    assert title_case_ratio("why this matters for buyers") == 0.0


def test_clip_cuts_on_a_word_boundary() -> None:
    assert clip("alpha beta gamma delta", 12) == "alpha beta…"
    assert clip("short", 12) == "short"
