"""devdata (seed_synthetic) is for development, tests and benchmarks: production leaves it out."""

import subprocess
import sys

import pytest

from tests.live_server import PROJECT_DIR, SECRET_KEY

PRINT_APPS = "import eventsapi.settings as s; print('devdata' in s.INSTALLED_APPS)"


@pytest.mark.parametrize(
    ("environment", "installed"),
    [
        ({"DEBUG": "false"}, "False"),
        ({"DEBUG": "true"}, "True"),
        ({"DEBUG": "false", "EVENTSAPI_DEVDATA": "true"}, "True"),
    ],
)
def test_devdata_is_installed_only_in_debug_or_when_asked_for(tmp_path, environment, installed):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": SECRET_KEY,
        "EVENTSAPI_VAR_DIR": str(tmp_path),
        **environment,
    }

    result = subprocess.run(
        [sys.executable, "-c", PRINT_APPS],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == installed
