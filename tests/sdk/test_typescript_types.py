"""TypeScript types generated from openapi.yaml compile against a small typed usage file.

Runs what `make types` runs: openapi-typescript (pinned in package.json and package-lock.json,
installed by `npm ci`), then `tsc --noEmit` over sdk/typescript/usage.ts.
"""

import shutil
import subprocess

import pytest

from tests.live_server import PROJECT_DIR

NODE_BIN = PROJECT_DIR / "node_modules" / ".bin"


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def node_tools():
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (NODE_BIN / "openapi-typescript").exists():
        result = run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
        assert result.returncode == 0, result.stdout + result.stderr


def test_generated_types_compile_with_the_typed_usage_file(node_tools, tmp_path):
    types = PROJECT_DIR / "build" / "types" / "eventsapi.d.ts"

    generated = run(str(NODE_BIN / "openapi-typescript"), "openapi.yaml", "-o", str(types))
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "export interface components" in types.read_text()

    compiled = run(str(NODE_BIN / "tsc"), "--noEmit", "-p", "sdk/typescript")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
