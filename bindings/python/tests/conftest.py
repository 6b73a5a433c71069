"""Fixtures: the bloc command (to compare with), the data directory and one store for all."""

import os
import shutil
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

# The package from this source tree unless the tests are pointed at an installed one.
if not os.environ.get("BLOC_PY_INSTALLED"):
    sys.path.insert(0, os.path.dirname(HERE))

import bloc  # noqa: E402

if os.environ.get("BLOC_PY_INSTALLED") and os.path.abspath(bloc.__file__).startswith(
    os.path.dirname(HERE) + os.sep
):
    raise RuntimeError(f"BLOC_PY_INSTALLED is set but bloc was imported from {bloc.__file__}")


def _cli():
    given = os.environ.get("BLOC_CLI")
    if given:
        return given
    for build in ("build", "build-release"):
        path = os.path.join(ROOT, build, "bloc")
        if os.access(path, os.X_OK):
            return path
    return shutil.which("bloc")


@pytest.fixture(scope="session")
def cli():
    """The bloc command: $BLOC_CLI, else the repository's build tree, else bloc on PATH."""
    path = _cli()
    if not path:
        pytest.skip("no bloc command to compare with (set BLOC_CLI)")
    return path


@pytest.fixture(scope="session")
def store():
    """One store for every test; the CLI is given its directory with --data."""
    with bloc.Store() as st:
        yield st
