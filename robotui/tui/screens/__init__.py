"""The app's screens."""

from __future__ import annotations

from textual.screen import Screen


def gone(screen: Screen) -> bool:
    """The screen is closing or being removed (the app quits, the screen was
    dismissed): a worker back from a thread or the network stops, rather than
    reach for widgets that are no longer there. (Textual reports a node that is
    being removed as not displayed.)"""
    return not screen.is_attached or not screen.display
