"""The reports tests count what the appeals tests build: their desk and the hand-computed
March of appeals/tests/test_metrics.py."""

from shishi.appeals.tests.conftest import categories, desk  # noqa: F401
from shishi.appeals.tests.test_metrics import march  # noqa: F401
