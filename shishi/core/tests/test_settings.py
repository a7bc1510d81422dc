"""Settings read the environment strictly and write nothing; `shishi` prepares var/ itself."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from shishi import settings as project_settings


def run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shishi.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("1", True), ("TRUE", True), (" yes ", True), ("On", True)],
        *[("0", False), ("false", False), ("NO", False), ("off", False)],
    ],
)
def test_env_bool_reads_the_usual_words_in_any_case(monkeypatch, raw, expected):
    monkeypatch.setenv("SHISHI_TEST_FLAG", raw)

    assert project_settings.env_bool("SHISHI_TEST_FLAG", default=not expected) is expected


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_env_bool_unset_or_empty_gives_the_default(monkeypatch, raw):
    monkeypatch.delenv("SHISHI_TEST_FLAG", raising=False)
    if raw is not None:
        monkeypatch.setenv("SHISHI_TEST_FLAG", raw)

    assert project_settings.env_bool("SHISHI_TEST_FLAG", default=True) is True
    assert project_settings.env_bool("SHISHI_TEST_FLAG", default=False) is False


def test_env_bool_refuses_a_typo_naming_the_variable_and_the_accepted_words(monkeypatch):
    monkeypatch.setenv("SHISHI_HTTPS", "ture")

    with pytest.raises(ImproperlyConfigured) as refused:
        project_settings.env_bool("SHISHI_HTTPS")

    assert "SHISHI_HTTPS='ture'" in str(refused.value)
    assert "1/0, true/false, yes/no or on/off" in str(refused.value)


def test_a_typo_in_a_flag_stops_the_settings_from_loading(tmp_path):
    result = run("import shishi.settings", SHISHI_HTTPS="ture", SHISHI_VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "SHISHI_HTTPS='ture'" in result.stderr


def test_loading_the_settings_writes_nothing(tmp_path):
    var = tmp_path / "var"

    result = run(
        "from django.conf import settings; print(settings.VAR_DIR, len(settings.SECRET_KEY))",
        SHISHI_VAR_DIR=str(var),
        SHISHI_SECRET_KEY="",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(var), "86"]  # a key for this process only
    assert not var.exists()


def test_the_shishi_command_creates_var_and_a_private_key_that_lasts(tmp_path):
    var = tmp_path / "var"
    print_key = "from django.conf import settings; print(settings.SECRET_KEY)"

    first = run(
        f"import sys; sys.argv = ['shishi', 'shell', '-c', {print_key!r}]; "
        "from shishi.__main__ import main; main()",
        SHISHI_VAR_DIR=str(var),
        SHISHI_SECRET_KEY="",
    )
    again = run(
        f"import django; django.setup(); {print_key}", SHISHI_VAR_DIR=str(var), SHISHI_SECRET_KEY=""
    )

    assert first.returncode == 0, first.stderr
    assert (var / "static").is_dir()
    key_file = var / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first.stdout.split()[-1] == again.stdout.strip() == key_file.read_text()
