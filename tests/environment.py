"""Test-run environment, loaded as a plugin (`-p tests.environment`) before pytest-django
reads the settings."""

import os

# Tests run against the development configuration (Django's test runner still forces
# DEBUG off while tests run); production settings are checked in a subprocess.
os.environ.setdefault("DJANGO_DEBUG", "1")
# Background tasks run in the test's own process unless a test asks for the database backend.
os.environ.setdefault("TASKS_BACKEND", "immediate")
