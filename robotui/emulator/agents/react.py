"""The React components FrontEndAgent writes (`{TITLE}` is the page's title)."""

from __future__ import annotations

__all__ = ["REACT_APPS"]

REACT_APPS = {
    "landing": """import "./App.css";

const FEATURES = [
  { title: "Fast", text: "Loads in a blink, even on a slow connection." },
  { title: "Friendly", text: "Readable, accessible, and keyboard-friendly." },
  { title: "Local", text: "Built by people who live around the corner." },
];

export default function App() {
  const scrollToFeatures = () =>
    document.getElementById("features").scrollIntoView({ behavior: "smooth" });

  return (
    <>
      <header className="hero">
        <h1>{TITLE}</h1>
        <p>Made with care, every single day.</p>
        <button type="button" onClick={scrollToFeatures}>See what's new</button>
      </header>
      <main id="features" className="cards">
        {FEATURES.map((feature) => (
          <article className="card" key={feature.title}>
            <h2>{feature.title}</h2>
            <p>{feature.text}</p>
          </article>
        ))}
      </main>
    </>
  );
}
""",
    "todo": """import { useState } from "react";
import "./App.css";

export default function App() {
  const [tasks, setTasks] = useState([]);
  const [draft, setDraft] = useState("");
  const left = tasks.filter((task) => !task.done).length;

  function addTask(event) {
    event.preventDefault();
    const title = draft.trim();
    if (!title) return;
    setTasks([...tasks, { id: crypto.randomUUID(), title, done: false }]);
    setDraft("");
  }

  function toggle(id) {
    setTasks(tasks.map((task) => (task.id === id ? { ...task, done: !task.done } : task)));
  }

  return (
    <main className="todo">
      <h1>{TITLE}</h1>
      <form onSubmit={addTask}>
        <input
          id="new-task"
          type="text"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="What needs doing?"
          aria-label="New task"
        />
        <button id="add-task" type="submit">Add</button>
      </form>
      <ul>
        {tasks.map((task) => (
          <li key={task.id} className={task.done ? "done" : ""}>
            <input type="checkbox" checked={task.done} onChange={() => toggle(task.id)} />
            <span>{task.title}</span>
          </li>
        ))}
      </ul>
      <p className="count" aria-live="polite">
        {left} {left === 1 ? "task" : "tasks"} left
      </p>
    </main>
  );
}
""",
    "form": """import { useState } from "react";
import "./App.css";

const EMAIL = /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/;

export default function App() {
  const [values, setValues] = useState({ name: "", email: "", password: "" });
  const [error, setError] = useState("");
  const [done, setDone] = useState(false);

  const update = (field) => (event) => setValues({ ...values, [field]: event.target.value });

  function submit(event) {
    event.preventDefault();
    if (!EMAIL.test(values.email.trim())) return setError("Please enter a valid email address.");
    if (values.password.length < 8) return setError("The password needs at least 8 characters.");
    setError("");
    setDone(true);
  }

  if (done) return <p className="success">Welcome aboard, {values.name || "friend"}! ✓</p>;

  return (
    <form className="signup" onSubmit={submit} noValidate>
      <h1>{TITLE}</h1>
      <label>Name <input id="name" value={values.name} onChange={update("name")} /></label>
      <label>
        Email
        <input id="email" type="email" value={values.email} onChange={update("email")}
          aria-invalid={error.includes("email")} />
      </label>
      <label>
        Password
        <input
          id="password"
          type="password"
          value={values.password}
          onChange={update("password")}
        />
      </label>
      <p className="error" role="alert">{error}</p>
      <button id="submit" type="submit">Create account</button>
    </form>
  );
}
""",
}
