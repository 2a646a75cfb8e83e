"""Schemathesis against a live server: ``make fuzz`` (CI) or ``FUZZ_EXAMPLES=500 make fuzz``.

Starts gunicorn (DEBUG off, as in production) on a fresh SQLite file with every migration
applied and the Panjshir fixture loaded, adds a user in both the ``editors`` and
``verifiers`` groups with a token, and runs ``schemathesis run`` over every operation of
the schema the server serves, with every check, positive and negative data, a fixed seed
and a bounded number of examples per operation. The exit code is schemathesis's own.

Environment: ``FUZZ_EXAMPLES`` (examples per operation, default 20), ``FUZZ_SEED``
(default 20210906), ``FUZZ_WORKERS`` (default 2), ``FUZZ_MAX_TIME`` (seconds, unset by
default), ``FUZZ_ARGS`` (extra arguments, e.g. ``--include-path-regex /events/``).
Reports (JUnit XML, a pytest file reproducing failures) go to ``build/fuzz/``.
"""

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.live_server import PROJECT_DIR, live_api, manage, server_environment

FIXTURE = "fixtures/panjshir.json"
USERNAME = "fuzz-editor-verifier"
CREATE_USER = f"""
from django.contrib.auth.models import Group, User
from knox.models import AuthToken
from eventsapi.api.permissions import EDITORS_GROUP, VERIFIERS_GROUP
user = User.objects.create_user({USERNAME!r}, password="fuzz-password-not-secret")
for name in (EDITORS_GROUP, VERIFIERS_GROUP):
    user.groups.add(Group.objects.get_or_create(name=name)[0])
print(AuthToken.objects.create(user)[1])
"""
CREATE_TOKEN = f"""
from django.contrib.auth.models import User
from knox.models import AuthToken
print(AuthToken.objects.create(User.objects.get(username={USERNAME!r}))[1])
"""
REPORTS = PROJECT_DIR / "build" / "fuzz"


def schemathesis_command(server_url: str, token: str) -> list[str]:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(PROJECT_DIR / "schemathesis.toml"),
        "run",
        f"{server_url}/api/schema/?format=json",
        "--url",
        server_url,
        "--checks",
        "all",
        "--mode",
        "all",
        "--max-examples",
        os.environ.get("FUZZ_EXAMPLES", "20"),
        "--seed",
        os.environ.get("FUZZ_SEED", "20210906"),
        "--workers",
        os.environ.get("FUZZ_WORKERS", "2"),
        "--header",
        f"Authorization: Token {token}",
        # Send the token above, not generated values for the security schemes (ignored_auth
        # still sends requests without it).
        "--generation-with-security-parameters",
        "false",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--report",
        "junit,pytest",
        "--report-dir",
        str(REPORTS),
        "--no-color",
    ]
    if os.environ.get("FUZZ_MAX_TIME"):
        command += ["--max-time", os.environ["FUZZ_MAX_TIME"]]
    return command + shlex.split(os.environ.get("FUZZ_ARGS", ""))


def main() -> int:
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eventsapi-fuzz-") as tmp:
        folder = Path(tmp)
        database_url = f"sqlite:///{folder / 'db.sqlite3'}"
        # gunicorn --preload imports the app (and prometheus_client) before gunicorn.conf.py's
        # on_starting hook creates the metrics directory.
        (folder / "prometheus").mkdir()
        env = server_environment(database_url, folder)
        manage("migrate", "--no-input", "-v0", env=env)
        manage("loaddata", FIXTURE, "-v0", env=env)
        manage("populate_history", "--auto", env=env)
        token = manage("shell", "-c", CREATE_USER, env=env).strip().splitlines()[-1]
        disposable = manage("shell", "-c", CREATE_TOKEN, env=env).strip().splitlines()[-1]
        # Throttling is not under test here (its 429 is declared); the fuzzer's rate would trip it.
        unthrottled = {
            "EVENTSAPI_THROTTLE_USER": "1000000/minute",
            "EVENTSAPI_THROTTLE_ANON": "1000000/minute",
        }
        with live_api(database_url, folder, workers=2, threads=2, extra_env=unthrottled) as server:
            command = schemathesis_command(server.url, token)
            print("$", shlex.join(command).replace(token, "<token>"), flush=True)
            env = {**os.environ, "FUZZ_DISPOSABLE_TOKEN": disposable}
            result = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
            if result.returncode != 0:
                errors = [line for line in server.log().splitlines() if '"level": "ERROR"' in line]
                print(f"The server logged {len(errors)} errors:", *errors[-50:], sep="\n", file=sys.stderr)
            return result.returncode


if __name__ == "__main__":
    sys.exit(main())
