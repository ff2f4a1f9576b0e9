"""The density lab's Qt tests use the Qt tier's fixtures (a real window, private settings)."""

from qt.conftest import activate, make_window, private_settings, three_clusters  # noqa: F401
