"""Loaded by pytest (`-p shishi.pytest_plugin` in pyproject.toml) to prepare var/ before
pytest-django starts Django: the test databases and the SQLite task queue are files there, and
the settings only read var/ (see `core.instance`)."""

import pytest

from shishi.core.instance import ensure_var_dir


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before every plain implementation, pytest-django's included.
    ensure_var_dir()
    return (yield)
