import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from digest.blocks import to_lines
from digest.config import load_config
from digest.errors import ConfigError
from digest.resources import sample_config


def test_the_shipped_sources_yaml_is_valid_and_has_the_default_themes() -> None:
    config = load_config(sample_config())
    assert [theme.name for theme in config.themes] == [
        "competition",
        "outages",
        "governance",
        "launches",
        "money",
    ]
    assert config.window == timedelta(days=7)
    assert config.sources[0].take_all and config.sources[0].location.endswith("seeds")
    assert config.fallback.name == "other"


def test_paths_are_relative_to_the_config_file(
    write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    config = load_config(
        write_config("sources:\n  - path: articles/\n    name: Saved\noutput: build\n")
    )
    assert config.sources[0].location == str(tmp_path / "articles")
    assert config.sources[0].label == "articles/" and config.sources[0].name == "Saved"
    assert config.output_dir == tmp_path / "build"


def test_every_problem_is_reported_at_once_with_file_line_and_key(
    write_config: Callable[[str], Path],
) -> None:
    path = write_config(
        "title: Weekly\n"
        "window: fortnight\n"
        "timezone: Mars/Olympus\n"
        "sources:\n"
        "  - path: a/\n"
        "  - feed: ftp://example.com/feed\n"
        "limits: {stories_per_theme: 0, top_stories: -1}\n"
        "themes:\n"
        "  money:\n"
        "    keywords: []\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = caught.value.problems
    assert (
        "sources.yaml:2: window: expected a duration like 7d, 2w, 24h or 'all', got 'fortnight'"
        in problems
    )
    assert any(p.startswith("sources.yaml:3: timezone:") for p in problems)
    assert any(p.startswith("sources.yaml:6: sources[1].feed:") for p in problems)
    assert any(p.startswith("sources.yaml:7: limits.stories_per_theme:") for p in problems)
    assert any(p.startswith("sources.yaml:7: limits.top_stories: expected a") for p in problems)
    assert any(p.startswith("sources.yaml:10: themes.money.keywords:") for p in problems)
    assert caught.value.exit_code == 2


def test_broken_yaml_names_the_line(write_config: Callable[[str], Path]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config("title: x\nsources: [a, b\n"))
    assert caught.value.problems[0].startswith("sources.yaml:3:")


def test_unknown_keys_are_warnings_not_errors(
    write_config: Callable[[str], Path], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        config = load_config(
            write_config("title: x\ncolour: blue\nsources:\n  - path: a\n    depth: 2\n")
        )
    assert "sources.yaml:2: colour: unknown key, ignored" in config.warnings
    assert "sources.yaml:5: sources[0].depth: unknown key, ignored" in config.warnings
    assert "colour" in caplog.text


def test_themes_can_be_added_renamed_and_dropped(write_config: Callable[[str], Path]) -> None:
    config = load_config(
        write_config(
            "themes:\n  chips:\n    title: Silicon\n    keywords: [wafer, foundry]\nfallback:\n  title: Misc\n"
        )
    )
    assert [(theme.name, theme.title) for theme in config.all_themes] == [
        ("chips", "Silicon"),
        ("other", "Misc"),
    ]


def test_without_a_themes_key_the_default_themes_apply(write_config: Callable[[str], Path]) -> None:
    assert len(load_config(write_config("title: Just a title\n")).themes) == 5


def test_date_order_decides_ambiguous_numeric_dates(write_config: Callable[[str], Path]) -> None:
    assert load_config(write_config("date_order: day-first\n")).dayfirst is True
    assert load_config(write_config("title: x\n")).dayfirst is False
    with pytest.raises(ConfigError, match="date_order: expected month-first or day-first"):
        load_config(write_config("date_order: sideways\n"))


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8)
)


def test_yaml_aliases_are_refused_with_their_line(write_config: Callable[[str], Path]) -> None:
    with pytest.raises(ConfigError, match=r"sources.yaml:3: not valid YAML: aliases"):
        load_config(write_config("title: x\n" + ALIAS_BOMB))


def test_an_alias_bomb_in_front_matter_costs_the_header_not_the_article(tmp_path: Path) -> None:
    from digest.gather.markdown import read_markdown
    from digest.models import Hints

    text = "---\ntitle: Bomb\n" + ALIAS_BOMB + "---\n\n# Data Hall Outage\n\nThe operator said.\n"
    documents = read_markdown(text.encode(), "bomb.md", Hints())
    assert len(documents) == 1 and "The operator said." in to_lines(documents[0].blocks)


EMAIL = (
    "email:\n"
    '  from: "Team <digest@example.com>"\n'
    "  to: [reader@example.com]\n"
    "  subject: {subject}\n"
    "  smtp: {{host: 127.0.0.1, port: 2525, security: none, timeout: {timeout}}}\n"
)


@pytest.mark.parametrize(
    ("setting", "line", "key", "words"),
    [
        ({"timeout": "abc"}, 7, "email.smtp.timeout", "expected seconds"),
        ({"timeout": "-5"}, 7, "email.smtp.timeout", "expected seconds"),
        ({"subject": '"{title:>300000000}"'}, 6, "email.subject", "unknown placeholder"),
        ({"subject": '"{title.__class__.__mro__}"'}, 6, "email.subject", "unknown placeholder"),
        ({"subject": '"{title}\\r\\nBcc: all@example.com"'}, 6, "email.subject", "one line"),
    ],
)
def test_bad_email_values_are_config_errors_with_line_and_key(
    write_config: Callable[[str], Path], setting: dict[str, str], line: int, key: str, words: str
) -> None:
    values = {"subject": '"{title}: issue {number}"', "timeout": "30", **setting}
    path = write_config("title: x\nsources: [a]\n" + EMAIL.format(**values))
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert f"sources.yaml:{line}: {key}: " in str(raised.value) and words in str(raised.value)


def test_a_title_with_a_line_break_and_a_bad_regex_keyword_are_config_errors(
    write_config: Callable[[str], Path],
) -> None:
    path = write_config(
        'title: "Weekly\\r\\nBcc: everyone@example.com"\n'
        "themes:\n  money:\n    title: Money\n    keywords: [funding, 're:(unclosed']\n"
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert "sources.yaml:1: title: expected a non-empty string on one line" in message
    assert "sources.yaml:5: themes.money.keywords: 're:(unclosed' is not a valid regular" in message


def test_the_subject_is_filled_by_substitution_only() -> None:
    from datetime import UTC, datetime

    from digest.mailer import subject_line

    when = datetime(2026, 11, 20, tzinfo=UTC)
    assert (
        subject_line("{title}: issue {number}, {date}", "W", 3, when, "p")
        == "W: issue 3, 20 Nov 2026"
    )
    assert subject_line("{title} {x} {{", "W", 3, when, "p") == "W {x} {{"


def test_a_login_over_an_unencrypted_connection_to_another_host_is_refused(
    write_config: Callable[[str], Path],
) -> None:
    smtp = (
        "  smtp: {{host: {host}, port: 25, security: none, username: me, password_env: P{extra}}}\n"
    )
    email = 'email:\n  from: "T <t@example.com>"\n  to: [r@example.com]\n'
    with pytest.raises(ConfigError, match=r"sends the password unencrypted to mail\.example\.com"):
        load_config(
            write_config("title: x\n" + email + smtp.format(host="mail.example.com", extra=""))
        )
    for host, extra in (("127.0.0.1", ""), ("mail.example.com", ", allow_plaintext_auth: true")):
        config = load_config(
            write_config("title: x\n" + email + smtp.format(host=host, extra=extra))
        )
        assert config.email is not None and config.email.smtp.username == "me"
