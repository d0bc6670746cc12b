"""SQL: a schema, sample data and a query chosen by the prompt, run on a real SQLite."""

from __future__ import annotations

import random
import re
import sqlite3
from typing import TYPE_CHECKING

from robotui.emulator import steps
from robotui.emulator.agents.common import fenced
from robotui.emulator.intent import Intent
from robotui.emulator.steps import Plan, Step

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = ["sql_plan"]
SCHEMA = """CREATE TABLE customers (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    country TEXT NOT NULL
);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    placed_on   TEXT NOT NULL
);

INSERT INTO customers (id, name, country) VALUES
    (1, 'Ada Lovelace', 'UK'),
    (2, 'Grace Hopper', 'US'),
    (3, 'Линус Торвальдс', 'FI'),
    (4, 'Margaret Hamilton', 'US'),
    (5, 'Guido van Rossum', 'NL');

INSERT INTO orders (customer_id, total_cents, placed_on) VALUES
    (1, 12500, '2024-11-02'), (1, 4300, '2024-11-20'), (2, 99900, '2024-10-15'),
    (2, 1500, '2024-12-01'), (3, 25000, '2024-12-03'), (4, 7800, '2024-09-28'),
    (4, 64000, '2024-12-05'), (4, 2100, '2024-12-08'), (5, 18900, '2024-11-11');
"""

_QUERIES: tuple[tuple[str, str, str], ...] = (
    (
        r"\btop\b|\bbest\b|\bbiggest\b|most",
        "the top 3 customers by total spent",
        """SELECT c.name,
       COUNT(o.id)                        AS orders,
       printf('%.2f', SUM(o.total_cents) / 100.0) AS total_spent
FROM customers AS c
JOIN orders AS o ON o.customer_id = c.id
GROUP BY c.id
ORDER BY SUM(o.total_cents) DESC
LIMIT 3;""",
    ),
    (
        r"\bcount|\bhow many|per country|by country",
        "how many customers and orders each country has",
        """SELECT c.country,
       COUNT(DISTINCT c.id) AS customers,
       COUNT(o.id)          AS orders
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id
GROUP BY c.country
ORDER BY orders DESC, c.country;""",
    ),
    (
        r"month|monthly|per month",
        "revenue per month",
        """SELECT substr(placed_on, 1, 7)                  AS month,
       COUNT(*)                                  AS orders,
       printf('%.2f', SUM(total_cents) / 100.0) AS revenue
FROM orders
GROUP BY month
ORDER BY month;""",
    ),
    (
        r"",
        "every customer with their number of orders and total spent",
        """SELECT c.name,
       c.country,
       COUNT(o.id)                                           AS orders,
       printf('%.2f', COALESCE(SUM(o.total_cents), 0) / 100.0) AS total_spent
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id
GROUP BY c.id
ORDER BY c.name;""",
    ),
)


def _column_mode(header: list[str], rows: list[tuple[object, ...]]) -> str:
    """sqlite3's `.mode column` with headers."""
    table = [header, *[[str(value) for value in row] for row in rows]]
    widths = [max(len(row[index]) for row in table) for index in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def sql_plan(intent: Intent, conversation: Conversation, rng: random.Random) -> Plan:
    """Schema, seed data and a query chosen by the prompt; the output is SQLite's own."""
    lowered = intent.text.lower()
    _, description, query = next(q for q in _QUERIES if re.search(q[0], lowered))
    database = sqlite3.connect(":memory:")
    try:
        database.executescript(SCHEMA)
        cursor = database.execute(query)
        header = [column[0] for column in cursor.description]
        output = _column_mode(header, cursor.fetchall())
    finally:
        database.close()
    conversation.files["/workspace/schema.sql"] = SCHEMA
    conversation.files["/workspace/query.sql"] = query + "\n"
    work: list[Step] = [
        steps.think(f"I'll model a small shop in SQLite and write a query for {description}."),
        steps.write("/workspace/schema.sql", SCHEMA),
        steps.write("/workspace/query.sql", query + "\n"),
        steps.run(
            "cd /workspace && sqlite3 shop.db < schema.sql && "
            "sqlite3 -header -column shop.db < query.sql",
            output,
            seconds=0.6,
        ),
    ]
    message = (
        f"## Query: {description}\n\n"
        f"{fenced(query, 'sql')}\n\n"
        f"Against the sample data in `schema.sql` (5 customers, 9 orders):\n\n"
        f"{fenced(output, 'text')}\n\n"
        "- Money is stored in **cents** (`INTEGER`) to avoid floating-point rounding.\n"
        "- `LEFT JOIN` keeps customers without orders; `JOIN` would drop them."
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish("Query written and checked against SQLite.")],
        ending="finished",
        memory={
            "language": None,
            "path": "/workspace/query.sql",
            "summary": f"wrote a SQL query for {description}",
        },
    )
