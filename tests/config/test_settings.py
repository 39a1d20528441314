"""The settings module itself, loaded in a fresh interpreter with a given environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "EMAIL_URL", "EMAIL_HOST", "PRODUCTION", "SECRET_KEY"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.MAILERS['default']['BACKEND'], s.LANGUAGE_CODE, s.TIME_ZONE, "
        "s.CELERY_BROKER_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("EMAIL_URL", "ftp://x", "unknown scheme 'ftp'"),
        ("DATABASE_CONN_MAX_AGE", "soon", "DATABASE_CONN_MAX_AGE='soon' is not a whole number"),
    ],
)
def test_a_bad_value_stops_start_up_with_a_message(variable, value, message):
    result = load_settings(**{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = load_settings(PRODUCTION="1")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when PRODUCTION=1" in result.stderr


def test_defaults_need_no_services():
    result = load_settings(REDIS_URL="", CELERY_BROKER_URL="filesystem://")
    assert result.returncode == 0, result.stderr
    debug, backend, language, zone, broker = result.stdout.split()
    assert (debug, language, zone) == ("False", "nb", "Europe/Oslo")
    assert backend.endswith("console.EmailBackend")
    assert broker == "filesystem://"


def test_the_beat_schedule_is_the_one_the_architecture_notes_list():
    """Every task beat runs is listed in docs/ARCHITECTURE.md, and nothing else."""
    import re
    from pathlib import Path

    from django.conf import settings

    from config.celery import app

    notes = (Path(__file__).resolve().parents[2] / "docs" / "ARCHITECTURE.md").read_text()
    section = notes.split("### The beat schedule", 1)[1].split("\n#", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", section, re.M))
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert documented == scheduled
    app.loader.import_default_modules()
    assert scheduled <= set(app.tasks), "a scheduled task that no module defines"
