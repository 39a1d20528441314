"""What the knowledge tests start from: the gatherings tests' gathering."""

from tests.gatherings.conftest import gathering  # noqa: F401 (a fixture)
