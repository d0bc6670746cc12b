"""The events the emulator streams look exactly like OpenHands 0.15's, numbered,
linked and stamped like the real service's, and the same seed gives the same bytes."""

from __future__ import annotations

import base64
import difflib
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import EmulatorApi, waits

SAMPLE = Path(__file__).parent / "data" / "openhands-0.15-events.ndjson"

# One prompt per agent that, together, touch every kind of event the agents emit.
TOUR = (
    ("GeneralCodingAgent", "Write a function in Python that checks whether a number is prime"),
    ("GeneralCodingAgent", "now add tests for it"),
    ("GeneralCodingAgent", "Build a small API project"),
    ("RepoAgent", "The tests are failing, please fix the bug"),
    ("FrontEndAgent", "Build a todo list component in React"),
)


def kind(event: dict) -> str:
    if "action" in event:
        return f"action:{event['action']}"
    return f"observation:{event['observation']}"


def sample_events() -> dict[str, dict]:
    """The first example of each kind in the protocol's sample file."""
    examples: dict[str, dict] = {}
    for line in SAMPLE.read_text().splitlines():
        event = json.loads(line)
        examples.setdefault(kind(event), event)
    return examples


@pytest.fixture(scope="module")
def tour(shared_emulator) -> list[dict]:
    """Every event of the tour, all responses (continues included), in order."""
    api = EmulatorApi(shared_emulator.base_url)
    events: list[dict] = []
    for agent, prompt in TOUR:
        for turn in api.chat_to_the_end(prompt, agent):
            events += turn
    api.close()
    return events


def test_the_tour_emits_every_kind_the_agents_need(tour):
    kinds = {kind(event) for event in tour}
    expected = {
        "action:change_agent_state",
        "action:message",
        "action:think",
        "action:run",
        "action:run_ipython",
        "action:read",
        "action:write",
        "action:edit",
        "action:browse",
        "action:browse_interactive",
        "action:delegate",
        "action:finish",
        "action:add_task",
        "action:modify_task",
        "observation:agent_state_changed",
        "observation:run",
        "observation:run_ipython",
        "observation:read",
        "observation:write",
        "observation:edit",
        "observation:browse",
        "observation:delegate",
        "observation:error",
    }
    assert expected <= kinds
    exit_codes = {e["extras"]["exit_code"] for e in tour if kind(e) == "observation:run"}
    assert 0 in exit_codes and any(code != 0 for code in exit_codes)
    states = {
        e["extras"]["agent_state"] for e in tour if kind(e) == "observation:agent_state_changed"
    }
    assert {"loading", "init", "running", "awaiting_user_input", "finished"} <= states


def test_events_have_the_sample_files_keys_in_its_order(tour):
    examples = sample_events()
    for event in tour:
        example = examples.get(kind(event))
        if example is None:  # `think` is not in the 0.15 sample
            continue
        # An observation answering an action names it in `cause`, even where the sample's
        # example of that kind happens not to.
        keys = [key for key in event if key not in ("cause", "tool_call_metadata", "timeout")]
        sample_keys = [
            key for key in example if key not in ("cause", "tool_call_metadata", "timeout")
        ]
        assert keys == sample_keys, kind(event)
        part = "args" if "action" in event else "extras"
        assert set(event[part]) == set(example[part]), (kind(event), event[part])


def test_tool_call_metadata_looks_like_the_samples(tour):
    example = sample_events()["action:run"]["tool_call_metadata"]
    with_metadata = [event["tool_call_metadata"] for event in tour if "tool_call_metadata" in event]
    assert with_metadata
    for metadata in with_metadata:
        assert set(metadata) == set(example)
        assert metadata["tool_call_id"].startswith("toolu_01")


def test_ids_count_up_across_the_whole_session(emulator_api):
    first = emulator_api.chat("Write a function in Go that reverses a string")
    second = emulator_api.chat("now add tests for it")
    ids = [event["id"] for event in first + second]
    assert ids == list(range(len(ids)))


def test_observations_name_the_action_they_answer(tour):
    by_id = {event["id"]: event for event in tour}
    answered = [event for event in tour if "observation" in event and "cause" in event]
    assert len(answered) > 20
    for observation in answered:
        action = by_id[observation["cause"]]
        assert "action" in action
        assert action["id"] < observation["id"]
        if observation["observation"] not in ("error", "delegate"):
            # OpenHands answers `browse_interactive` with a `browse` observation.
            assert action["action"].removesuffix("_interactive") == observation["observation"]
    for event in tour:
        if "observation" in event and event["observation"] != "agent_state_changed":
            assert "cause" in event, event


def test_timestamps_are_iso_without_a_zone_and_never_go_back(tour):
    moments = []
    for event in tour:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}", event["timestamp"])
        moments.append(datetime.fromisoformat(event["timestamp"]))
    assert moments == sorted(moments)


def test_a_turn_opens_with_states_and_the_prompt_and_ends_with_a_state(emulator_api):
    events = emulator_api.chat("Write a function in Rust that computes the factorial of n")
    opening = [(kind(e), e.get("extras", {}).get("agent_state")) for e in events[:5]]
    assert opening == [
        ("observation:agent_state_changed", "loading"),
        ("action:change_agent_state", None),
        ("observation:agent_state_changed", "init"),
        ("action:message", None),
        ("observation:agent_state_changed", "running"),
    ]
    assert events[3]["source"] == "user"
    assert events[3]["args"]["content"].startswith("Write a function in Rust")
    assert kind(events[-2]) == "action:finish"
    assert events[-1]["extras"]["agent_state"] == "finished"
    # The next turn of the same session skips the loading.
    later = emulator_api.chat("thanks!")
    assert [kind(e) for e in later[:2]] == ["action:message", "observation:agent_state_changed"]
    assert later[-1]["extras"]["agent_state"] == "awaiting_user_input"


def test_edit_observations_carry_the_exact_unified_diff(tour):
    edits = [event for event in tour if kind(event) == "observation:edit"]
    assert edits
    for edit in edits:
        extras = edit["extras"]
        expected = "\n".join(
            difflib.unified_diff(
                extras["old_content"].splitlines(),
                extras["new_content"].splitlines(),
                fromfile=extras["path"],
                tofile=extras["path"],
                lineterm="",
            )
        )
        assert edit["content"] == expected
        assert extras["prev_exist"] is True


def test_browse_observations_carry_a_real_png_screenshot(tour):
    pages = [event for event in tour if kind(event) == "observation:browse"]
    assert pages
    for page in pages:
        prefix = "data:image/png;base64,"
        assert page["extras"]["screenshot"].startswith(prefix)
        png = base64.b64decode(page["extras"]["screenshot"][len(prefix) :])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_delegation_runs_browsing_agent_and_reports_back(tour):
    delegate = next(event for event in tour if kind(event) == "action:delegate")
    assert delegate["args"]["agent"] == "BrowsingAgent"
    assert delegate["args"]["inputs"]["task"]
    result = next(
        e for e in tour if kind(e) == "observation:delegate" and e["cause"] == delegate["id"]
    )
    assert result["content"].startswith("BrowsingAgent finishes task with content: ")
    assert result["extras"]["outputs"]["content"] in result["content"]
    between = [e for e in tour if delegate["id"] < e["id"] < result["id"]]
    assert {"action:browse", "action:browse_interactive", "action:finish"} <= {
        kind(e) for e in between
    }


def test_a_command_that_never_returns_is_an_error_observation(tour):
    errors = [event for event in tour if kind(event) == "observation:error"]
    assert errors
    assert all("timed out" in error["content"] for error in errors)


def test_the_same_seed_gives_the_same_bytes(start_emulator):
    prompts = ("Write a function in Go that reverses a string", "now add tests for it")

    def run(seed: int) -> list[bytes]:
        api = EmulatorApi(start_emulator(seed=seed).base_url)
        bodies = [api.post_chat(prompt).content for prompt in prompts]
        api.close()
        return bodies

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_pacing_at_speed_one_spreads_a_turn_over_one_to_three_seconds(emulator_api):
    events = emulator_api.chat("Write a function in Go that reverses a string")
    start = datetime.fromisoformat(events[0]["timestamp"])
    end = datetime.fromisoformat(events[-1]["timestamp"])
    # Timestamps follow the pacing a speed-1 server would apply.
    assert 1.0 <= (end - start).total_seconds() <= 3.0


def test_a_long_task_stops_at_the_resource_limit_and_continue_resumes(emulator_api):
    first = emulator_api.chat("Build a CLI todo app with tests")
    assert waits(first)
    stop = first[-2]
    assert stop["source"] == "agent"
    assert stop["args"]["content"].startswith("I've reached the resource limit")
    assert first[-1]["extras"]["agent_state"] == "awaiting_user_input"
    assert not any(kind(e) == "action:finish" for e in first)

    second = emulator_api.chat("continue")
    assert second[0]["id"] == first[-1]["id"] + 1
    assert second[0]["args"]["content"] == "continue"
    assert not waits(second)
    assert kind(second[-2]) == "action:finish"
    assert second[-1]["extras"]["agent_state"] == "finished"
    written = {e["args"]["path"] for e in first + second if kind(e) == "action:write"}
    assert "/workspace/README.md" in written  # the work after the stop was done


def test_continue_with_nothing_to_continue_says_so(emulator_api):
    events = emulator_api.chat("continue")
    reply = events[-2]["args"]["content"]
    assert "nothing to continue" in reply.lower()
    assert not waits(events)
