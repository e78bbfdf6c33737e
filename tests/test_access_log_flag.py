"""The per-call access log is opt-in: off at the default INFO level, on with --access-log / ZTN_ACCESS_LOG."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from ztn import cli

ACCESS = logging.getLogger("ztn.access")


@pytest.fixture(autouse=True)
def _restore_level() -> Iterator[None]:
    level = ACCESS.level
    yield
    ACCESS.setLevel(level)


def test_access_log_is_off_by_default_even_at_info() -> None:
    cli._configure_logging("INFO")
    assert not ACCESS.isEnabledFor(logging.INFO)


def test_access_log_flag_turns_it_on_even_at_warning() -> None:
    cli._configure_logging("WARNING", access_log=True)
    assert ACCESS.isEnabledFor(logging.INFO)


def test_flag_and_environment_reach_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = cli.argparse.ArgumentParser()
    cli._common(parser)
    assert cli._settings(parser.parse_args([])).access_log is False
    assert cli._settings(parser.parse_args(["--access-log"])).access_log is True
    monkeypatch.setenv("ZTN_ACCESS_LOG", "1")
    parser = cli.argparse.ArgumentParser()
    cli._common(parser)
    assert cli._settings(parser.parse_args([])).access_log is True
    assert cli._settings(parser.parse_args(["--no-access-log"])).access_log is False
