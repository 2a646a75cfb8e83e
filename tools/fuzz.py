"""Schemathesis against a live server: ``make fuzz`` (CI size) or ``make fuzz-nightly`` (deep).

Starts gunicorn (DEBUG off, as in production) on a fresh SQLite file with every migration
applied and the Panjshir fixture loaded, adds a user in both the ``editors`` and
``verifiers`` groups with a token, and runs ``schemathesis run`` twice over every operation of
the schema the server serves, each time with every check and the same fixed seed:

- the positive run (``--mode positive``): schema-valid data through the examples, coverage,
  fuzzing and stateful phases;
- the negative run (``--mode negative``): schema-violating data through the coverage and
  fuzzing phases (the schema's examples are valid data, and a stateful scenario of invalid
  steps creates nothing for its links to follow), judged by the published schema alone
  (error feedback off: ``NEGATIVE_CONFIG``). What counts as rejecting invalid data is
  schemathesis's default plus 410, 412, 413 and 414 (``schemathesis.toml`` says why).

Each run gets a disposable token of its own for ``DELETE /api/v1/auth/token/``, and
schemathesis imports this module as its hooks for ``serialize_ast_parse()``.

Both runs always run and print their summary; the exit code is the first non-zero one of the
two (schemathesis's own), so ``make fuzz`` fails when either run does.

Profiles (``FUZZ_PROFILE``):

- ``ci`` (the default, ``make fuzz``): 10 examples per operation in each run, no time budget.
  The single ``--mode all`` run this replaces drew its 20 examples from positive and negative
  data alike, so the budget is the same 20 per operation, now split evenly and on purpose.
- ``nightly`` (``make fuzz-nightly`` or ``FUZZ_PROFILE=nightly make fuzz``): 500 examples per
  operation in each run and a time budget of 1200 s per run (``--max-time``: schemathesis
  stops a run there, and until then repeats the fuzzing and stateful phases with new data),
  so about 40 minutes in all.

Environment: ``FUZZ_EXAMPLES`` (examples per operation in each run; overrides the profile's),
``FUZZ_MAX_TIME`` (seconds per run; overrides the profile's, ``0`` for none), ``FUZZ_SEED``
(default 20210906), ``FUZZ_WORKERS`` (default 2), ``FUZZ_ARGS`` (extra arguments for both
runs, e.g. ``--include-path-regex /events/``), ``FUZZ_RUNS`` (``positive,negative`` by
default; ``negative`` runs only that one). Reports (JUnit XML, a pytest file reproducing
failures) go to ``build/fuzz/positive/`` and ``build/fuzz/negative/``.
"""

import ast
import functools
import os
import shlex
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
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
DEFAULT_SEED = "20210906"
HOOKS_VARIABLE = "SCHEMATHESIS_HOOKS"


@dataclass(frozen=True)
class Profile:
    examples: int  # per operation, in each run
    max_time: int | None  # seconds per run


PROFILES = {
    "ci": Profile(examples=10, max_time=None),
    "nightly": Profile(examples=500, max_time=1200),
}


@dataclass(frozen=True)
class Run:
    mode: str  # schemathesis's --mode
    phases: tuple[str, ...]
    config: str = ""  # TOML appended to schemathesis.toml for this run alone


# schemathesis's error feedback reads the server's 400 messages and writes what it infers into
# the schema it generates from. For valid data that only steers generation past the server's
# rules; for invalid data it makes the inference the judge of what is invalid, and an inference
# can be wrong: DRF's "Enter a valid URL." for a source's archived_url became `format: uri` on the
# whole property, over the oneOf that also admits "" (no archive), and "" was then sent as
# invalid data, accepted (201) and reported. The negative run judges by the published schema.
NEGATIVE_CONFIG = """
# Appended by tools/fuzz.py for the negative run: invalid data is judged by the published
# schema alone, not by what error feedback infers from the server's 400s (see NEGATIVE_CONFIG).
[phases.fuzzing.error-feedback]
enabled = false
"""

RUNS = {
    "positive": Run("positive", ("examples", "coverage", "fuzzing", "stateful")),
    "negative": Run("negative", ("coverage", "fuzzing"), config=NEGATIVE_CONFIG),
}


@dataclass(frozen=True)
class Settings:
    profile: str
    examples: int
    max_time: int | None
    seed: str
    workers: str
    runs: tuple[str, ...]
    extra_args: tuple[str, ...]


def settings_from(environ: os._Environ | dict[str, str]) -> Settings:
    """What the FUZZ_* variables ask for; an empty variable (as make exports one) is unset."""
    name = environ.get("FUZZ_PROFILE") or "ci"
    if name not in PROFILES:
        raise SystemExit(f"FUZZ_PROFILE={name!r}: expected one of {', '.join(PROFILES)}")
    profile = PROFILES[name]
    examples = int(environ.get("FUZZ_EXAMPLES") or profile.examples)
    max_time = environ.get("FUZZ_MAX_TIME")
    runs = tuple(run.strip() for run in (environ.get("FUZZ_RUNS") or ",".join(RUNS)).split(","))
    if not set(runs) <= set(RUNS):
        raise SystemExit(f"FUZZ_RUNS={environ['FUZZ_RUNS']!r}: expected some of {', '.join(RUNS)}")
    return Settings(
        profile=name,
        examples=examples,
        max_time=profile.max_time if not max_time else (int(max_time) or None),
        seed=environ.get("FUZZ_SEED") or DEFAULT_SEED,
        workers=environ.get("FUZZ_WORKERS") or "2",
        runs=runs,
        extra_args=tuple(shlex.split(environ.get("FUZZ_ARGS", ""))),
    )


def config_file(run: str) -> Path:
    """schemathesis.toml, or for a run with settings of its own a copy with them appended."""
    base = PROJECT_DIR / "schemathesis.toml"
    if not RUNS[run].config:
        return base
    path = REPORTS / run / "schemathesis.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base.read_text() + RUNS[run].config)
    return path


def schemathesis_command(server_url: str, token: str, run: str, settings: Settings) -> list[str]:
    """The ``schemathesis run`` command line of one run (``positive`` or ``negative``)."""
    mode, phases = RUNS[run].mode, RUNS[run].phases
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config_file(run)),
        "run",
        f"{server_url}/api/schema/?format=json",
        "--url",
        server_url,
        # Every check: schemathesis.toml turns them all on, not `--checks all`, which would also
        # override the one operation-level exception there (use_after_free on history reads).
        "--mode",
        mode,
        "--phases",
        ",".join(phases),
        "--max-examples",
        str(settings.examples),
        "--seed",
        settings.seed,
        "--workers",
        settings.workers,
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
        str(REPORTS / run),
        "--no-color",
    ]
    if settings.max_time:
        command += ["--max-time", str(settings.max_time)]
    return command + list(settings.extra_args)


def exit_code(codes: list[int]) -> int:
    """The first failing run's exit code, or 0 when every run passed."""
    return next((code for code in codes if code != 0), 0)


def serialize_ast_parse() -> None:
    """Let one thread at a time run ``ast.parse``: a workaround for CPython 3.11.

    CPython 3.11 keeps the AST constructor's recursion depth in interpreter-wide state, so two
    threads parsing at once (a garbage collection mid-parse lets the other thread run) can fail
    with ``SystemError: AST constructor recursion depth mismatch`` (python/cpython#106905).
    Hypothesis parses a module's source to describe a lambda in it, and schemathesis's two
    workers did so together, on its coverage module: "GET /api/v1/changes/: Runtime Error"
    in the negative run. schemathesis imports this module as its hooks (SCHEMATHESIS_HOOKS) and
    so gets this lock before its workers start.
    """
    parse = ast.parse
    lock = threading.RLock()

    @functools.wraps(parse)
    def serialized(*args, **kwargs):
        with lock:
            return parse(*args, **kwargs)

    ast.parse = serialized


def _last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def main() -> int:
    settings = settings_from(os.environ)
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
        token = _last_line(manage("shell", "-c", CREATE_USER, env=env))
        # DELETE /api/v1/auth/token/ revokes the token it is sent (schemathesis.toml): each run
        # gets one of its own, so the negative run's is not one the positive run revoked.
        disposable = {run: _last_line(manage("shell", "-c", CREATE_TOKEN, env=env)) for run in settings.runs}
        # Throttling is not under test here (its 429 is declared); the fuzzer's rate would trip it.
        unthrottled = {
            "EVENTSAPI_THROTTLE_USER": "1000000/minute",
            "EVENTSAPI_THROTTLE_ANON": "1000000/minute",
        }
        codes = []
        with live_api(database_url, folder, workers=2, threads=2, extra_env=unthrottled) as server:
            for run in settings.runs:
                (REPORTS / run).mkdir(parents=True, exist_ok=True)
                command = schemathesis_command(server.url, token, run, settings)
                print(f"\n# The {run} run ({settings.profile} profile)", flush=True)
                print("$", shlex.join(command).replace(token, "<token>"), flush=True)
                log_start = len(server.log().splitlines())
                run_env = {
                    **os.environ,
                    "FUZZ_DISPOSABLE_TOKEN": disposable[run],
                    HOOKS_VARIABLE: __spec__.name,  # tools.fuzz: serialize_ast_parse() below
                }
                result = subprocess.run(command, cwd=PROJECT_DIR, env=run_env, check=False)
                codes.append(result.returncode)
                if result.returncode != 0:
                    lines = server.log().splitlines()[log_start:]
                    errors = [line for line in lines if '"level": "ERROR"' in line]
                    print(
                        f"The server logged {len(errors)} errors during the {run} run:",
                        *errors[-50:],
                        sep="\n",
                        file=sys.stderr,
                    )
    verdicts = ", ".join(
        f"{run} {'passed' if code == 0 else f'FAILED (exit {code})'}"
        for run, code in zip(settings.runs, codes, strict=True)
    )
    print(f"\nfuzz, {settings.profile} profile, {settings.examples} examples per operation: {verdicts}")
    return exit_code(codes)


if __name__ == "__main__":
    sys.exit(main())
elif __name__ == os.environ.get(HOOKS_VARIABLE):  # imported by schemathesis as its hooks module
    serialize_ast_parse()
