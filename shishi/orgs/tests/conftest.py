"""Fixtures shared by the orgs tests (the named people live in shishi/conftest.py)."""
