"""The command lines `make fuzz` runs (tools/fuzz.py), built without a server or schemathesis run."""

import ast
import tomllib

import pytest
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES

from tools import fuzz

URL = "http://127.0.0.1:8000"


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


@pytest.fixture(autouse=True)
def reports(tmp_path, monkeypatch):
    monkeypatch.setattr(fuzz, "REPORTS", tmp_path)
    return tmp_path


def test_ci_profile_is_the_default_and_runs_both_modes():
    settings = fuzz.settings_from({})
    assert (settings.profile, settings.examples, settings.max_time) == ("ci", 10, None)
    assert settings.runs == ("positive", "negative")
    assert settings.seed == "20210906"


def test_empty_variables_count_as_unset():
    # make exports an unset variable as an empty one.
    empty = {"FUZZ_PROFILE": "", "FUZZ_EXAMPLES": "", "FUZZ_MAX_TIME": "", "FUZZ_SEED": "", "FUZZ_RUNS": ""}
    assert fuzz.settings_from(empty) == fuzz.settings_from({})


def test_nightly_profile_and_overrides():
    nightly = fuzz.settings_from({"FUZZ_PROFILE": "nightly"})
    assert (nightly.examples, nightly.max_time) == (500, 1200)
    custom = fuzz.settings_from({"FUZZ_PROFILE": "nightly", "FUZZ_EXAMPLES": "50", "FUZZ_MAX_TIME": "0"})
    assert (custom.examples, custom.max_time) == (50, None)
    assert fuzz.settings_from({"FUZZ_RUNS": "negative"}).runs == ("negative",)


@pytest.mark.parametrize("environ", [{"FUZZ_PROFILE": "weekly"}, {"FUZZ_RUNS": "positive,neg"}])
def test_unknown_profile_or_run_is_refused(environ):
    with pytest.raises(SystemExit):
        fuzz.settings_from(environ)


def test_both_runs_share_checks_seed_and_examples_and_differ_in_mode():
    settings = fuzz.settings_from({"FUZZ_SEED": "7", "FUZZ_ARGS": "--include-path-regex /events/"})
    positive = fuzz.schemathesis_command(URL, "token", "positive", settings)
    negative = fuzz.schemathesis_command(URL, "token", "negative", settings)
    for command in (positive, negative):
        assert option(command, "--seed") == "7"
        assert option(command, "--max-examples") == "10"
        assert option(command, "--url") == URL
        assert command[-2:] == ["--include-path-regex", "/events/"]
        assert "--max-time" not in command
        # Every check comes from schemathesis.toml's [checks]: `--checks all` would override
        # the operation-level exception there.
        assert "--checks" not in command
    assert (option(positive, "--mode"), option(positive, "--phases")) == (
        "positive",
        "examples,coverage,fuzzing,stateful",
    )
    assert (option(negative, "--mode"), option(negative, "--phases")) == ("negative", "coverage,fuzzing")
    assert option(positive, "--report-dir") != option(negative, "--report-dir")


def test_nightly_commands_carry_the_time_budget():
    settings = fuzz.settings_from({"FUZZ_PROFILE": "nightly"})
    for run in fuzz.RUNS:
        command = fuzz.schemathesis_command(URL, "token", run, settings)
        assert option(command, "--max-examples") == "500"
        assert option(command, "--max-time") == "1200"


def test_negative_run_reads_the_config_with_error_feedback_off(reports):
    settings = fuzz.settings_from({})
    positive = fuzz.schemathesis_command(URL, "token", "positive", settings)
    negative = fuzz.schemathesis_command(URL, "token", "negative", settings)
    assert option(positive, "--config-file") == str(fuzz.PROJECT_DIR / "schemathesis.toml")
    path = option(negative, "--config-file")
    assert path == str(reports / "negative" / "schemathesis.toml")
    with open(path, "rb") as file:
        config = tomllib.load(file)
    assert config["phases"]["fuzzing"]["error-feedback"]["enabled"] is False
    assert config["checks"] == tomllib.loads((fuzz.PROJECT_DIR / "schemathesis.toml").read_text())["checks"]


def test_negative_expectations_are_schemathesis_default_plus_four():
    config = tomllib.loads((fuzz.PROJECT_DIR / "schemathesis.toml").read_text())
    assert config["checks"]["enabled"] is True
    statuses = config["checks"]["negative_data_rejection"]["expected-statuses"]
    assert statuses == [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "410", "412", "413", "414"]


def test_exit_code_is_the_first_failure():
    assert fuzz.exit_code([0, 0]) == 0
    assert fuzz.exit_code([0, 1]) == 1
    assert fuzz.exit_code([2, 1]) == 2


def test_serialized_ast_parse_still_parses(monkeypatch):
    monkeypatch.setattr(ast, "parse", ast.parse)  # restored after the test
    fuzz.serialize_ast_parse()
    assert ast.parse.__wrapped__ is not ast.parse
    assert isinstance(ast.parse("lambda x: x", mode="eval").body, ast.Lambda)
