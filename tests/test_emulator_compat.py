"""Any existing client of the real service works against the emulator unchanged.

This drives the emulator with raw httpx in exactly the sequence of the seed's
provider (gpt4free's `RobocodersAPI`): GET /auth and parse `pre#token`, GET
/create-session with the bearer token, POST /chat, yield `args.content` or
`message` of every line, and when an agent message says `wait_for_response`,
POST `continue` right away — while the first response is still open — and
stream that too before reading on.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
from bs4 import BeautifulSoup


async def seed_provider(base_url: str, prompt: str, agent: str) -> AsyncIterator[str]:
    """The seed provider's generator, minus its cache file, against `base_url`."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(600)) as session:
        page = await session.get(
            f"{base_url}/auth",
            headers={"accept": "text/html,application/xhtml+xml", "user-agent": "Mozilla/5.0"},
        )
        assert page.status_code == 200
        token = BeautifulSoup(page.text, "html.parser").find("pre", id="token").text.strip()
        created = await session.get(
            f"{base_url}/create-session", headers={"Authorization": f"Bearer {token}"}
        )
        assert created.status_code == 200
        sid = created.json().get("sid")
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        data = {"sid": sid, "prompt": prompt, "agent": agent}
        async with session.stream("POST", f"{base_url}/chat", headers=headers, json=data) as r:
            assert r.status_code == 200
            async for line in r.aiter_lines():
                if not line:
                    continue
                response_data = json.loads(line)
                message = response_data.get("args", {}).get("content") or response_data.get(
                    "message", ""
                )
                if message:
                    yield message
                if response_data.get("action") == "message" and response_data.get("args", {}).get(
                    "wait_for_response"
                ):
                    again = {"sid": sid, "prompt": "continue", "agent": agent}
                    async with session.stream(
                        "POST", f"{base_url}/chat", headers=headers, json=again
                    ) as continued:
                        assert continued.status_code == 200
                        async for continue_line in continued.aiter_lines():
                            if continue_line:
                                continue_data = json.loads(continue_line)
                                continue_message = continue_data.get("args", {}).get(
                                    "content"
                                ) or continue_data.get("message", "")
                                if continue_message:
                                    yield continue_message


async def test_the_seed_provider_gets_a_complete_answer(emulator):
    texts = [
        text
        async for text in seed_provider(
            emulator, "Write a function in Go that reverses a string", "GeneralCodingAgent"
        )
    ]
    assert texts[0] == "Agent state changed to init"
    assert texts[1] == "Write a function in Go that reverses a string"  # the echoed prompt
    body = "\n".join(texts)
    assert "func reverseString(s string) string" in body  # the file written
    assert "Command `cd /workspace && go run reverse.go` executed with exit code 0." in body
    assert "## `reverseString` in Go" in body  # the final answer
    assert texts[-1] == "I wrote the function and checked its output."


async def test_the_seed_provider_crosses_the_resource_limit(emulator):
    texts = [
        text
        async for text in seed_provider(
            emulator, "The tests are failing, please fix the bug", "RepoAgent"
        )
    ]
    limit = [i for i, text in enumerate(texts) if text.startswith("I've reached the resource")]
    assert len(limit) == 1
    after = texts[limit[0] + 1 :]
    # The continue's stream: its echo, the rest of the work, the summary, the finish.
    assert after[0] == "continue"
    assert any(text.startswith("## Fixed: `slugify`") for text in after)
    assert after[-1] == "Fixed slugify; all 9 tests pass."
    # The continued turn was the rest of the work, not a repeat of it.
    assert sum(text.startswith("## Fixed: `slugify`") for text in texts) == 1
    assert texts.count("Reading file: /workspace/textkit/textkit/slug.py") == 1


async def test_the_seed_provider_gets_a_front_end_build_with_its_browser_check(emulator):
    texts = [
        text
        async for text in seed_provider(
            emulator, "Build a landing page for a coffee shop", "FrontEndAgent"
        )
    ]
    body = "\n".join(texts)
    assert "<h1>Coffee shop</h1>" in body
    assert "Clicking “See what's new” scrolls to the cards ✓" in body  # BrowsingAgent's report
    assert texts[-1] == "Built and checked the landing page."
