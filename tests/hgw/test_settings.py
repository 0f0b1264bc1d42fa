"""Production settings pass Django's deployment checks; bad configuration fails loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!vP9zL0m@R4tY8wN3bC6dF1gH5jK0sA2eU7iO9pQ4rT6yW8xZ1cV3bN5mL",
    "ALLOWED_HOSTS": "hgw.example.nl",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a process needs to start; nothing of the test run's own configuration.
    environment = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "override, message",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be at least 50"),
        ({"DEBUG": "perhaps"}, "DEBUG='perhaps' is not a boolean"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five' is not a whole number"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be one of"),
    ],
)
def test_bad_configuration_fails_loudly(override, message):
    result = _manage("check", **(PRODUCTION_ENV | override))
    assert result.returncode != 0
    assert message in result.stderr


def test_missing_secret_key_in_production_fails_loudly():
    env = dict(PRODUCTION_ENV)
    del env["SECRET_KEY"]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
