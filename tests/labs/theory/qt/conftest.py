"""The theory lab's Qt tests use the Qt tier's fixtures (a real window, private settings)."""

from qt.conftest import (  # noqa: F401
    activate,
    make_window,
    private_settings,
    three_clusters,
    unthrottled,
    wait_for_run,
)
