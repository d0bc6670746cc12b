"""Colours for the conversation's renderables, taken from the current Textual theme.

The conversation is drawn as Rich renderables (cheap to keep, cheap to scroll),
so they cannot use Textual CSS variables; this turns the theme into Rich styles.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from textual.color import Color


@dataclass(frozen=True)
class Palette:
    """Rich styles for every kind of thing the conversation shows."""

    dark: bool
    text: Style
    muted: Style
    faint: Style
    accent: Style
    primary: Style
    success: Style
    error: Style
    warning: Style
    user_text: Style
    code_background: str
    header: Style
    button: Style
    selected: Style
    code_theme: str

    @classmethod
    def from_variables(cls, variables: dict[str, str], dark: bool) -> Palette:
        """Build from `App.theme_variables` (colours may carry alpha: blend them)."""
        background = Color.parse(variables.get("background", "#121212"))
        foreground = Color.parse(variables.get("foreground", "#e0e0e0"))

        def color(name: str, fallback: str) -> str:
            try:
                parsed = Color.parse(variables.get(name, fallback))
            except Exception:
                parsed = Color.parse(fallback)
            return background.blend(parsed, parsed.a).with_alpha(1.0).hex

        muted = background.blend(foreground, 0.62).hex
        faint = background.blend(foreground, 0.42).hex
        surface = color("surface", "#1e1e1e")
        panel = color("panel", "#242f38")
        primary = color("primary", "#0178d4")
        accent = color("accent", "#fea62b")
        return cls(
            dark=dark,
            text=Style(color=foreground.hex),
            muted=Style(color=muted),
            faint=Style(color=faint),
            accent=Style(color=accent),
            primary=Style(color=color("text-primary", primary), bold=True),
            success=Style(color=color("text-success", "#8ad4a1")),
            error=Style(color=color("text-error", "#d17e92")),
            warning=Style(color=color("text-warning", "#ffc473")),
            user_text=Style(color=foreground.hex, bold=True),
            code_background=surface,
            header=Style(color=muted, bgcolor=panel),
            button=Style(color=color("text-accent", accent), bgcolor=panel, bold=True),
            selected=Style(color=accent, bold=True),
            code_theme="monokai" if dark else "friendly",
        )
