"""Production settings: ``manage.py check --deploy`` is clean with the documented variables."""

import secrets
import subprocess
import sys

import pytest

from tests.live_server import PROJECT_DIR, server_environment


def production_environment(tmp_path, **overrides: str) -> dict[str, str]:
    env = server_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "api.example.org",
        "EVENTSAPI_HTTPS": "true",
    }
    return env | overrides


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_reports_nothing_with_the_documented_production_variables(tmp_path):
    result = check_deploy(production_environment(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_also_passes_behind_a_tls_terminating_proxy(tmp_path):
    result = check_deploy(production_environment(tmp_path, EVENTSAPI_BEHIND_PROXY="true"))

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "warning"),
    [("EVENTSAPI_HTTPS", "false", "security.W004"), ("DEBUG", "true", "security.W018")],
)
def test_check_deploy_fails_when_a_production_variable_is_missing(tmp_path, variable, value, warning):
    result = check_deploy(production_environment(tmp_path, **{variable: value}))

    assert result.returncode != 0
    assert warning in result.stdout + result.stderr
