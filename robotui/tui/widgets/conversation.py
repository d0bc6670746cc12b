"""`ConversationView`: the whole conversation as one scrolling Line-API widget.

Thousands of child widgets make every frame re-arrange all of them (a 2,000-event
turn as widgets: 130–380 ms per key press here). Instead each block is rendered
to lines once, when it arrives or changes, and only the visible lines are drawn:
the cost of a frame does not depend on how long the conversation is.

Selection: `]`/`[` move between the selectable things (code blocks, commands,
outputs, diffs, collapsible blocks); enter expands or collapses; `c` copies;
`s` saves; `i` puts the selection into the prompt. A click selects, and the
`[copy] [save] [insert]` buttons on code headers act directly.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from robotui.tui.palette import Palette

if TYPE_CHECKING:
    from robotui.client import events as ev
    from robotui.tui.blocks import Block
    from robotui.tui.builder import BlockBuilder
    from robotui.tui.parts import Item

GUTTER = 2
# Fence labels of text that is not a program: outputs, logs, sessions.
PLAIN_LANGUAGES = frozenset({"", "text", "console", "output", "log", "markdown"})


@dataclass
class Rendered:
    """A block drawn at one width: its lines and what each line belongs to."""

    width: int
    version: int
    expanded: bool
    selected: int | None
    strips: list[Strip] = field(default_factory=list)
    line_items: list[int] = field(default_factory=list)  # index into block.items, or -1
    line_toggles: list[bool] = field(default_factory=list)


class ConversationView(ScrollView, can_focus=True):
    """The conversation: prompts, the agent's work, notes; scrolls and follows."""

    DEFAULT_CSS = """
    ConversationView {
        background: $background;
        scrollbar-gutter: stable;
        scrollbar-background: $background;
        scrollbar-background-hover: $background;
        scrollbar-background-active: $background;
        scrollbar-color: $panel-lighten-1;
        scrollbar-color-hover: $panel-lighten-2;
        scrollbar-color-active: $primary;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS = [
        Binding("]", "select_next", "Next block", id="blocks.next"),
        Binding("[", "select_previous", "Previous block", id="blocks.previous"),
        Binding("enter,space", "toggle", "Expand/collapse", id="blocks.toggle"),
        Binding("c", "item('copy')", "Copy", id="blocks.copy"),
        Binding("s", "item('save')", "Save…", id="blocks.save"),
        Binding("i", "item('insert')", "To prompt", id="blocks.insert"),
        Binding("escape", "clear_selection", "Deselect", show=False, id="blocks.deselect"),
    ]

    class ItemAction(Message):
        """The person asked to copy, save or insert an item."""

        def __init__(self, action: str, item: Item) -> None:
            super().__init__()
            self.action = action
            self.item = item

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.blocks: list[Block] = []
        self._builder: BlockBuilder | None = None
        self._hidden: list[Block] = []  # earlier blocks of a loaded conversation
        self._rendered: list[Rendered | None] = []
        self._offsets: list[int] = []
        self._height = 0
        self.selected: tuple[int, int] | None = None  # (block index, target index)
        self._palette: Palette | None = None
        self._base_style: Style | None = None
        self._welcome: RenderableType | None = None
        self._welcome_strips: list[Strip] | None = None
        self._render_width = 0
        self._follow = True
        self._dirty: set[int] = set()
        self._flush_scheduled = False

    # ----------------------------------------------------------- content API

    @property
    def builder(self) -> BlockBuilder:
        """Turns events into blocks (imported on first use: rich.markdown is not cheap)."""
        if self._builder is None:
            from robotui.tui.builder import BlockBuilder

            self._builder = BlockBuilder(self.blocks)
        return self._builder

    @property
    def base_style(self) -> Style:
        """The widget's background as a Rich style (cached: `rich_style` is costly)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base_style = None

    @property
    def palette(self) -> Palette:
        if self._palette is None:
            self._palette = Palette.from_variables(
                self.app.theme_variables, self.app.current_theme.dark
            )
        return self._palette

    def set_welcome(self, renderable: RenderableType | None) -> None:
        """What the empty conversation shows."""
        self._welcome = renderable
        self._welcome_strips = None
        self.refresh()

    def clear(self) -> None:
        self.blocks.clear()
        self._builder = None
        self._dirty.clear()
        self._hidden = []
        self._rendered.clear()
        self._offsets.clear()
        self._height = 0
        self.selected = None
        self._follow = True
        self._update_virtual_size(follow=False)
        self.scroll_to(y=0, animate=False, immediate=True)

    def add_prompt(self, prompt: str, agent: str = "") -> None:
        """Start a turn with the person's prompt."""
        self._laid_out(self.builder.prompt(prompt, agent))

    def add_event(self, event: ev.Event) -> None:
        """Show one event: a new block, or an update of the block it answers."""
        placed = self.builder.event(event)
        if placed is not None:
            self._laid_out(placed[0])

    def end_turn(self, status: str, detail: str = "") -> None:
        """The turn ended: settle what still waits, and say how it ended if not well."""
        for index in self.builder.end_turn(status, detail):
            self._laid_out(index)

    def load(self, blocks: list[Block], *, screens: int = 2) -> None:
        """Show a stored conversation from its end: only enough blocks to fill
        `screens` screens are laid out now; earlier ones when the person scrolls up."""
        self.clear()
        self._hidden = list(blocks)
        need = screens * max(self.size.height, 20)
        while self._hidden and self._height < need:
            self.load_earlier(4)
        self._scroll_to_end()

    @property
    def hidden_count(self) -> int:
        """Blocks of a loaded conversation not laid out yet (above the top)."""
        return len(self._hidden)

    def load_earlier(self, count: int = 120) -> None:
        """Lay out up to `count` more of the hidden earlier blocks, keeping the view still."""
        self.flush()
        if not self._hidden:
            return
        earlier = self._hidden[-count:]
        del self._hidden[-count:]
        self.blocks[:0] = earlier
        self._rendered[:0] = [None] * len(earlier)
        added = 0
        offsets = []
        for index in range(len(earlier)):
            offsets.append(added)
            added += len(self._render(index).strips)
        self._offsets = offsets + [offset + added for offset in self._offsets]
        self._height += added
        if self.selected is not None:
            self.selected = (self.selected[0] + len(earlier), self.selected[1])
        self._builder = None
        self.virtual_size = Size(self._content_width(), self._height)
        self.scroll_to(y=self.scroll_y + added, animate=False, immediate=True)
        self.refresh()

    def _laid_out(self, index: int) -> None:
        """Block `index` is new (the last) or changed: lay it out at the next flush.

        Coalescing matters under a firehose: many events arrive between two frames,
        and an action and its observation then cost one rendering, not two.
        """
        if index == len(self._rendered):
            self._offsets.append(self._height)
            self._rendered.append(None)
            self._height += 1  # a placeholder height until the flush
            previous = index - 1
            if previous >= 0 and self.blocks[previous].quiet and not self.blocks[index].quiet:
                # A run of quiet lines ends: the last of them now gets its blank line.
                self._rendered[previous] = None
                self._dirty.add(previous)
        self._dirty.add(index)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.call_later(self.flush)

    @property
    def laid_out(self) -> bool:
        """Nothing waits for a flush: the offsets and lines match the blocks."""
        return not self._dirty and not self._flush_scheduled

    def flush(self) -> None:
        """Render what changed since the last flush and fix the offsets after it."""
        self._flush_scheduled = False
        if not self._dirty:
            return
        follow = self._at_bottom()
        first = min(self._dirty)
        self._dirty.clear()
        height = self._offsets[first]
        for index in range(first, len(self.blocks)):
            self._offsets[index] = height
            height += len(self._render(index).strips)
        self._height = height
        self._update_virtual_size(follow)

    def last_item(self, kind: str | None = "code", *, program: bool = False) -> Item | None:
        """The most recent item of `kind` (any kind if None); with `program`, only
        code in a programming language (not a fenced output or plain text)."""
        for block in reversed(self.blocks):
            for item in reversed(block.items):
                if kind is not None and item.kind != kind:
                    continue
                if program and item.language in PLAIN_LANGUAGES:
                    continue
                return item
        return None

    @property
    def selected_item(self) -> Item | None:
        if self.selected is None:
            return None
        index, target = self.selected
        items = self.blocks[index].items
        return items[target] if target < len(items) else None

    @property
    def line_count(self) -> int:
        return self._height

    # --------------------------------------------------------------- layout

    def _block_changed(self, index: int) -> None:
        follow = self._at_bottom()
        following = index + 1
        end = self._offsets[following] if following < len(self._offsets) else self._height
        old_height = end - self._offsets[index]
        delta = len(self._render(index).strips) - old_height
        if delta:
            for later in range(following, len(self._offsets)):
                self._offsets[later] += delta
            self._height += delta
        self._update_virtual_size(follow)

    def _update_virtual_size(self, follow: bool) -> None:
        self.virtual_size = Size(self._content_width(), self._height)
        if follow:
            self._scroll_to_end()
        self.refresh()

    def _scroll_to_end(self) -> None:
        """Scroll to the last line after the next refresh, when the new virtual size
        is laid out. Forced: the deferred scroll can run before Textual has shown the
        scrollbar the new size needs, and is then skipped unless forced (the view
        stopped following when a turn's output first outgrew the screen)."""
        self.scroll_end(animate=False, immediate=False, x_axis=False, force=True)

    def _at_bottom(self) -> bool:
        return self._follow

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(20, width)

    def _render(self, index: int) -> Rendered:
        """Draw block `index` at the current width (cached until it changes)."""
        block = self.blocks[index]
        width = self._content_width()
        selected = self.selected[1] if self.selected and self.selected[0] == index else None
        cached = self._rendered[index]
        if (
            cached is not None
            and cached.width == width
            and cached.version == block.version
            and cached.expanded == block.expanded
            and cached.selected == selected
        ):
            return cached
        rendered = Rendered(width, block.version, block.expanded, selected)
        console = self.app.console
        options = console.options.update(width=width - GUTTER, height=None, highlight=False)
        items = block.items
        base = self.base_style
        for part in block.parts(self.palette):
            item_index = items.index(part.item) if part.item in items else -1
            marker = "▌ " if selected is not None and item_index == selected else "  "
            if selected is not None and not items and part.toggle:
                marker = "▌ "
            gutter = Segment(marker, base + self.palette.selected)
            # render_lines applies `base` (the background) to every segment itself.
            for line in console.render_lines(part.renderable, options, style=base, pad=True):
                line.insert(0, gutter)
                rendered.strips.append(Strip(line, width))
                rendered.line_items.append(item_index)
                rendered.line_toggles.append(part.toggle)
        if not block.quiet or (index + 1 < len(self.blocks) and not self.blocks[index + 1].quiet):
            rendered.strips.append(Strip.blank(width, base))
            rendered.line_items.append(-1)
            rendered.line_toggles.append(False)
        self._rendered[index] = rendered
        return rendered

    def _relayout(self) -> None:
        """Recompute every block's height (after a resize or a theme change)."""
        self.flush()
        anchor = self._block_at(int(self.scroll_y)) if self.blocks else 0
        follow = self._at_bottom()
        self._height = 0
        for index in range(len(self.blocks)):
            self._offsets[index] = self._height
            self._height += len(self._render(index).strips)
        self.virtual_size = Size(self._content_width(), self._height)
        if follow:
            self._scroll_to_end()
        elif self.blocks:
            self.scroll_to(y=self._offsets[anchor], animate=False, immediate=True)
        self.refresh()

    def _block_at(self, line: int) -> int:
        return max(0, bisect_right(self._offsets, line) - 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Follow new output only while the person is at the bottom.
        self._follow = new_value >= self.max_scroll_y - 1
        if new_value <= 0 and self._hidden:
            # Reached the top of what is laid out: bring in the earlier part.
            self.call_after_refresh(self.load_earlier)

    def on_resize(self, event: events.Resize) -> None:
        if self._content_width() != self._render_width:
            self._render_width = self._content_width()
            self._welcome_strips = None
            if self.blocks:
                self._relayout()

    def refresh_theme(self) -> None:
        """Redraw everything in the current theme's colours."""
        self._palette = None
        self._base_style = None
        self._rendered = [None] * len(self.blocks)
        self._welcome_strips = None
        self._relayout()

    # ------------------------------------------------------------ painting

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_y) + y
        if not self.blocks:
            return self._welcome_line(y, width)
        if line >= self._height:
            return Strip.blank(width, self.base_style)
        index = self._block_at(line)
        rendered = self._render(index)
        offset = line - self._offsets[index]
        if offset >= len(rendered.strips):  # heights changed under us: draw blank this frame
            return Strip.blank(width, self.base_style)
        return rendered.strips[offset].crop_extend(0, width, self.base_style)

    def _welcome_line(self, y: int, width: int) -> Strip:
        if self._welcome is None:
            return Strip.blank(width, self.base_style)
        if self._welcome_strips is None:
            console = self.app.console
            options = console.options.update(width=max(20, width - 4), height=None)
            lines = console.render_lines(self._welcome, options, pad=False)
            top = max(1, (self.size.height - len(lines)) // 3)
            base = self.base_style
            self._welcome_strips = [Strip.blank(width, base)] * top + [
                Strip([Segment("  "), *line]).apply_style(base) for line in lines
            ]
        if y < len(self._welcome_strips):
            return self._welcome_strips[y].crop_extend(0, width, self.base_style)
        return Strip.blank(width, self.base_style)

    # ----------------------------------------------------------- selection

    def _targets(self, index: int) -> int:
        block = self.blocks[index]
        if block.items:
            return len(block.items)
        return 1 if block.collapsible else 0

    def _select(self, selection: tuple[int, int] | None) -> None:
        previous = self.selected
        self.selected = selection
        for index in {previous[0] if previous else None, selection[0] if selection else None}:
            if index is not None and index < len(self.blocks):
                self._render(index)
        if selection is not None:
            self._scroll_to_selection()
        self.refresh()

    def _scroll_to_selection(self) -> None:
        assert self.selected is not None
        index, target = self.selected
        rendered = self._render(index)
        lines = [
            number
            for number, item in enumerate(rendered.line_items)
            if item == target or (not self.blocks[index].items and rendered.line_toggles[number])
        ] or [0]
        start = self._offsets[index] + lines[0]
        end = self._offsets[index] + lines[-1] + 1
        height = self.scrollable_content_region.height
        if start < self.scroll_y:
            self.scroll_to(y=max(0, start - 1), animate=False, immediate=True)
        elif end > self.scroll_y + height:
            self.scroll_to(
                y=max(0, min(start - 1, end - height + 1)), animate=False, immediate=True
            )

    def action_select_next(self) -> None:
        self.flush()
        index, target = self.selected or (self._block_at(int(self.scroll_y)), -1)
        if index < len(self.blocks) and target + 1 < self._targets(index):
            self._select((index, target + 1))
            return
        for later in range(index + 1, len(self.blocks)):
            if self._targets(later):
                self._select((later, 0))
                return
        self.app.bell()

    def action_select_previous(self) -> None:
        self.flush()
        if self.selected is None:
            bottom = int(self.scroll_y) + self.scrollable_content_region.height
            index = min(len(self.blocks), self._block_at(bottom) + 1)
            target = 0
        else:
            index, target = self.selected
            if target > 0:
                self._select((index, target - 1))
                return
        for earlier in range(index - 1, -1, -1):
            count = self._targets(earlier)
            if count:
                self._select((earlier, count - 1))
                return
        self.app.bell()

    def action_clear_selection(self) -> None:
        if self.selected is None:
            self.screen.focus_next()  # escape leaves the conversation for the prompt
            return
        self._select(None)

    def action_toggle(self) -> None:
        if self.selected is None:
            return
        self.toggle_block(self.selected[0])

    def toggle_block(self, index: int) -> None:
        self.flush()
        block = self.blocks[index]
        if not block.collapsible:
            return
        block.expanded = not block.expanded
        if self.selected and self.selected[0] == index and self._targets(index) <= self.selected[1]:
            self.selected = (index, 0) if self._targets(index) else None
        self._block_changed(index)

    def action_item(self, action: str) -> None:
        item = self.selected_item
        if item is None:
            self.notify("Select a code block first: ] and [ move between them", timeout=3)
            return
        self.post_message(self.ItemAction(action, item))

    # --------------------------------------------------------------- mouse

    def on_click(self, event: events.Click) -> None:
        self.flush()
        offset = event.get_content_offset(self)
        if offset is None or not self.blocks:
            return
        line = int(self.scroll_y) + offset.y
        if line >= self._height:
            return
        index = self._block_at(line)
        rendered = self._render(index)
        row = line - self._offsets[index]
        if row >= len(rendered.line_items):
            return
        item_index = rendered.line_items[row]
        if rendered.line_toggles[row]:
            self.toggle_block(index)
            return
        if item_index < 0:
            return
        self._select((index, item_index))
        button = event.style.meta.get("button") if event.style else None
        if button:
            self.post_message(self.ItemAction(button, self.blocks[index].items[item_index]))


class Stopwatch:
    """Tells a long loop when to give the event loop a turn."""

    def __init__(self, budget: float = 0.012) -> None:
        self.budget = budget
        self._since = time.perf_counter()

    def due(self) -> bool:
        now = time.perf_counter()
        if now - self._since >= self.budget:
            self._since = now
            return True
        return False


__all__ = ["ConversationView", "Stopwatch"]
