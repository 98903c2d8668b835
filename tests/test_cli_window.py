"""`caregiver-app [options]` (the window): its options read without every command's
parser, exactly as the whole parser reads them."""

from __future__ import annotations

import pytest

from caregiver_app import cli


@pytest.mark.parametrize("argv", [
    [],
    ["--demo"],
    ["--data-dir", "/records", "--verbose", "--at-login", "--quit-when-idle"],
    ["--data-dir=/records", "--demo"],
    ["--data-dir", "first", "--data-dir", "second"],  # the last one counts
    ["--data-dir="], ["--data-dir", ""], ["--data-dir=a=b"],
    ["--demo", "--demo", "--verbose"],
])
def test_the_windows_options_read_as_the_whole_parser_reads_them(argv):
    window = cli.window_options(argv)
    assert window is not None
    args, rest = cli.build_parser().parse_known_args(argv)
    assert vars(window) == vars(args) and rest == []
    assert list(vars(window)) == list(vars(args))  # (the same order, for a repr)
    assert cli.parse_args(argv) == (args, [])


@pytest.mark.parametrize("argv", [
    ["--dem"], ["--data"],  # abbreviations: argparse's own rules
    ["-h"], ["--help"], ["--version"],
    ["print", "checklist"], ["--demo", "export", "--json", "x.json"],
    ["--data-dir"], ["--data-dir", "-records"], ["--data-dir", "--demo"],
    ["-platform", "offscreen"], ["--style=fusion"], ["--"], [""],
])
def test_anything_else_is_left_to_the_whole_parser(argv):
    assert cli.window_options(argv) is None


def test_an_option_for_qt_is_still_left_over_for_it():
    args, rest = cli.parse_args(["--demo", "--style=fusion"])
    assert args.demo and args.command is None and rest == ["--style=fusion"]


def test_a_command_is_still_read_by_its_own_parser():
    args, rest = cli.parse_args(["--data-dir", "/records", "export", "--json", "x.json"])
    assert args.command == "export" and args.data_dir == "/records" and rest == []
    assert callable(args.func)


def test_a_mistyped_option_still_gets_the_whole_parsers_message(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.parse_args(["--data-dir"])
    assert stop.value.code == 2
    assert "--data-dir: expected one argument" in capsys.readouterr().err
