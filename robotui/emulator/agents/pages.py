"""The web pages FrontEndAgent builds: a landing page, a to-do list, a sign-up form,
each in plain HTML/CSS/JS or as a React component, and what a browser shows of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from robotui.emulator.agents.react import REACT_APPS

__all__ = ["Page", "page_for"]


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its files, and what BrowsingAgent sees before and after interacting."""

    kind: str
    title: str
    files: dict[str, str]  # relative path -> content
    shown: str  # the page's text as the browser first renders it
    actions: str  # BrowserGym actions that exercise it
    after: str  # the page's text after those actions
    verdict: str  # what BrowsingAgent reports back


_CSS_BASE = """:root {
  --accent: #1f6feb;
  --ink: #1d2330;
  --muted: #6b7385;
  --surface: #ffffff;
  --radius: 10px;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--ink);
}

* { box-sizing: border-box; }

body { margin: 0; background: #f5f7fb; line-height: 1.5; }

button {
  border: 0;
  border-radius: var(--radius);
  background: var(--accent);
  color: #fff;
  padding: 0.6rem 1.1rem;
  font: inherit;
  cursor: pointer;
}

button:focus-visible, input:focus-visible { outline: 3px solid #9ec5ff; outline-offset: 2px; }

.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
}
"""

_CSS = {
    "landing": """
.hero {
  padding: 4rem 1.5rem;
  text-align: center;
  background: linear-gradient(135deg, #1f3b73, #1f6feb);
  color: #fff;
}
.hero h1 { font-size: clamp(2rem, 6vw, 3.5rem); margin: 0 0 0.5rem; }
.cards {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
  gap: 1rem;
  padding: 2rem 1.5rem;
  max-width: 960px;
  margin: auto;
}
.card {
  background: var(--surface);
  border-radius: var(--radius);
  padding: 1.25rem;
  box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
}
footer { text-align: center; color: var(--muted); padding: 2rem; }
""",
    "todo": """
.todo {
  max-width: 28rem;
  margin: 3rem auto;
  background: var(--surface);
  border-radius: var(--radius);
  padding: 1.5rem;
  box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
}
.todo form { display: flex; gap: 0.5rem; }
.todo input[type="text"] {
  flex: 1;
  padding: 0.6rem;
  border: 1px solid #cfd5e2;
  border-radius: var(--radius);
  font: inherit;
}
.todo ul { list-style: none; padding: 0; }
.todo li { display: flex; align-items: center; gap: 0.5rem; padding: 0.4rem 0; }
.todo li.done span { text-decoration: line-through; color: var(--muted); }
.count { color: var(--muted); font-size: 0.9rem; }
""",
    "form": """
.signup {
  max-width: 24rem;
  margin: 3rem auto;
  background: var(--surface);
  border-radius: var(--radius);
  padding: 1.5rem;
  display: grid;
  gap: 0.75rem;
}
.signup label { display: grid; gap: 0.25rem; font-weight: 600; }
.signup input {
  padding: 0.6rem;
  border: 1px solid #cfd5e2;
  border-radius: var(--radius);
  font: inherit;
}
.signup input[aria-invalid="true"] { border-color: #d1242f; }
.error { color: #d1242f; font-size: 0.9rem; min-height: 1.2em; }
.success { color: #1a7f37; font-weight: 600; }
""",
}


def _head(title: str) -> str:
    """Every page's doctype and head: the same stylesheet and script files."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="stylesheet" href="styles.css">
  <script src="app.js" defer></script>
</head>
"""


def _landing(title: str) -> tuple[str, str]:
    html = (
        _head(title)
        + f"""<body>
  <header class="hero">
    <h1>{title}</h1>
    <p>Made with care, every single day.</p>
    <button id="cta" type="button">See what's new</button>
  </header>
  <main id="features" class="cards">
    <article class="card">
      <h2>Fast</h2>
      <p>Loads in a blink, even on a slow connection.</p>
    </article>
    <article class="card">
      <h2>Friendly</h2>
      <p>Readable, accessible, and keyboard-friendly.</p>
    </article>
    <article class="card">
      <h2>Local</h2>
      <p>Built by people who live around the corner.</p>
    </article>
  </main>
  <footer>© 2024 {title} — all rights reserved</footer>
</body>
</html>
"""
    )
    js = """document.getElementById("cta").addEventListener("click", () => {
  document.getElementById("features").scrollIntoView({ behavior: "smooth" });
});
"""
    return html, js


def _todo_html(title: str) -> tuple[str, str]:
    html = (
        _head(title)
        + f"""<body>
  <main class="todo">
    <h1>{title}</h1>
    <form id="new-task-form">
      <label class="visually-hidden" for="new-task">New task</label>
      <input id="new-task" type="text" placeholder="What needs doing?" required>
      <button id="add-task" type="submit">Add</button>
    </form>
    <ul id="tasks"></ul>
    <p class="count" id="count" aria-live="polite">0 tasks left</p>
  </main>
</body>
</html>
"""
    )
    js = """const form = document.getElementById("new-task-form");
const input = document.getElementById("new-task");
const list = document.getElementById("tasks");
const count = document.getElementById("count");

function updateCount() {
  const left = list.querySelectorAll("li:not(.done)").length;
  count.textContent = `${left} ${left === 1 ? "task" : "tasks"} left`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const title = input.value.trim();
  if (!title) return;
  const item = document.createElement("li");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.addEventListener("change", () => {
    item.classList.toggle("done", box.checked);
    updateCount();
  });
  const text = document.createElement("span");
  text.textContent = title;
  item.append(box, text);
  list.append(item);
  input.value = "";
  updateCount();
});
"""
    return html, js


def _form_html(title: str) -> tuple[str, str]:
    html = (
        _head(title)
        + f"""<body>
  <form class="signup" id="signup" novalidate>
    <h1>{title}</h1>
    <label>Name <input id="name" name="name" autocomplete="name" required></label>
    <label>Email <input id="email" name="email" type="email" autocomplete="email" required></label>
    <label>
      Password
      <input id="password" name="password" type="password" minlength="8" required>
    </label>
    <p class="error" id="error" role="alert"></p>
    <button id="submit" type="submit">Create account</button>
  </form>
</body>
</html>
"""
    )
    js = """const form = document.getElementById("signup");
const error = document.getElementById("error");

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const email = form.email.value.trim();
  const password = form.password.value;
  form.email.setAttribute("aria-invalid", "false");
  if (!/^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(email)) {
    form.email.setAttribute("aria-invalid", "true");
    error.textContent = "Please enter a valid email address.";
    return;
  }
  if (password.length < 8) {
    error.textContent = "The password needs at least 8 characters.";
    return;
  }
  error.textContent = "";
  form.outerHTML = `<p class="success">Welcome aboard, ${form.name.value || "friend"}! ✓</p>`;
});
"""
    return html, js


_BROWSING = {
    "landing": (
        "{title}\nMade with care, every single day.\n[See what's new]\n\nFast\nFriendly\nLocal\n"
        "© 2024 {title} — all rights reserved",
        'click("cta")',
        "Fast — Loads in a blink, even on a slow connection.\n"
        "Friendly — Readable, accessible, and keyboard-friendly.\n"
        "Local — Built by people who live around the corner.",
        "The page renders: hero “{title}”, three feature cards, footer. Clicking “See what's "
        "new” scrolls to the cards ✓. No console errors; the layout holds at 375 px wide.",
    ),
    "todo": (
        "{title}\n[What needs doing?] [Add]\n0 tasks left",
        'fill("new-task", "Buy milk")\nclick("add-task")',
        "{title}\n[What needs doing?] [Add]\n☐ Buy milk\n1 task left",
        "The list works: adding “Buy milk” shows it with a checkbox and the counter reads "
        "“1 task left” ✓. No console errors.",
    ),
    "form": (
        "{title}\nName [ ]\nEmail [ ]\nPassword [ ]\n[Create account]",
        'fill("email", "not-an-email")\nclick("submit")',
        "{title}\nName [ ]\nEmail [not-an-email]\nPassword [ ]\n"
        "Please enter a valid email address.\n[Create account]",
        "Validation works: an invalid email shows “Please enter a valid email address.” and "
        "marks the field invalid ✓. No console errors.",
    ),
}


def _kind(text: str) -> str:
    lowered = text.lower()
    if re.search(r"\btodo\b|to-do|task|checklist|список дел", lowered):
        return "todo"
    if re.search(r"form|sign ?up|signup|login|log in|register|contact|регистрац|форм", lowered):
        return "form"
    return "landing"


def _title(text: str, kind: str) -> str:
    match = re.search(
        r"\bfor (?:an? |the |my |our )?([A-Za-z][\w' &-]{2,40}?)(?=[.,!?]|$| with\b| that\b"
        r"| using\b| in\b| and\b)",
        text,
    )
    if match:
        words = match.group(1).strip()
        return words[0].upper() + words[1:]
    return {"landing": "Northwind Studio", "todo": "Tasks", "form": "Create your account"}[kind]


def page_for(text: str, *, react: bool) -> Page:
    """The page a prompt asks for, as React or plain files."""
    kind = _kind(text)
    title = _title(text, kind)
    css = _CSS_BASE + _CSS[kind]
    if react:
        app = REACT_APPS[kind].replace("{TITLE}", title)
        files = {"src/App.jsx": app, "src/App.css": css}
    else:
        html, js = {"landing": _landing, "todo": _todo_html, "form": _form_html}[kind](title)
        files = {"index.html": html, "styles.css": css, "app.js": js}
    shown, actions, after, verdict = (part.replace("{title}", title) for part in _BROWSING[kind])
    return Page(kind, title, files, shown, actions, after, verdict)
