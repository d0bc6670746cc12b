"""What the scripted agents show is true: their programs compile and print what the
emulator says they print, their tests pass, and the RepoAgent's repository really
fails before the fix and passes after it.

Toolchains missing on this machine are skipped. By default two topics run with the
quick toolchains; `ROBOTUI_EMULATOR_TOOLCHAINS=all` runs every topic with every
toolchain found (rustc, javac and g++ included), about half a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from robotui.emulator.agents import textkit
from robotui.emulator.code import LANGUAGES, TOPICS

ALL_TOOLCHAINS = os.environ.get("ROBOTUI_EMULATOR_TOOLCHAINS") == "all"
# Read before the autouse fixture moves HOME: rustup keeps its toolchains there.
TOOL_ENV = {
    **os.environ,
    "RUSTUP_HOME": os.environ.get("RUSTUP_HOME", str(Path.home() / ".rustup")),
    "CARGO_HOME": os.environ.get("CARGO_HOME", str(Path.home() / ".cargo")),
    # pytest without the plugins of this venv starts in a fraction of the time.
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
}
TOOLS = {
    "python": ("python3", True),
    "javascript": ("node", True),
    "bash": ("bash", True),
    "c": ("gcc", True),
    "cpp": ("g++", ALL_TOOLCHAINS),
    "rust": ("rustc", ALL_TOOLCHAINS),
    "java": ("javac", ALL_TOOLCHAINS),
}


def runnable(language: str) -> pytest.MarkDecorator:
    tool, enabled = TOOLS[language]
    return pytest.mark.skipif(
        not enabled or shutil.which(tool) is None,
        reason=f"{tool} missing" if enabled else "set ROBOTUI_EMULATOR_TOOLCHAINS=all",
    )


CASES = [
    pytest.param(language, topic, marks=runnable(language), id=f"{language}-{topic}")
    for language in TOOLS
    for topic in TOPICS
    if ALL_TOOLCHAINS or topic in ("reverse", "sort")
]


def sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=120, env=TOOL_ENV
    )


@pytest.mark.parametrize(("language_key", "topic_key"), CASES)
def test_programs_print_what_the_agent_shows(tmp_path, language_key, topic_key):
    language, topic = LANGUAGES[language_key], TOPICS[topic_key]
    (tmp_path / language.file_name(topic)).write_text(language.program(topic))
    result = sh(language.run_command(topic), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == language.demo_output(topic)


@pytest.mark.parametrize(("language_key", "topic_key"), CASES)
def test_generated_tests_pass(tmp_path, language_key, topic_key):
    language, topic = LANGUAGES[language_key], TOPICS[topic_key]
    if language_key == "java":
        pytest.skip("needs the JUnit console jar")
    if (
        language_key == "python"
        and subprocess.run([sys.executable, "-c", "import pytest"], capture_output=True).returncode
    ):
        pytest.skip("pytest not importable by python3")
    source = language.prepare_for_tests(topic, language.program(topic))
    (tmp_path / language.file_name(topic)).write_text(source)
    if language.test_file_name(topic) != language.file_name(topic):
        (tmp_path / language.test_file_name(topic)).write_text(language.test_source(topic))
    command = language.test_command(topic).replace("python3 -m", f"{sys.executable} -m")
    result = sh(command, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    if language_key in ("c", "cpp", "bash"):
        assert result.stdout.rstrip("\n") == language.test_output(topic)


# Enough of JUnit 5 to compile and run the generated tests without downloading it.
JUNIT_STUB = {
    "org/junit/jupiter/api/Test.java": """package org.junit.jupiter.api;
import java.lang.annotation.*;
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Test {}
""",
    "org/junit/jupiter/api/Assertions.java": """package org.junit.jupiter.api;
public final class Assertions {
    static void check(boolean same, Object e, Object a) {
        if (!same) throw new AssertionError(e + " != " + a);
    }
    public static void assertEquals(int e, int a) { check(e == a, e, a); }
    public static void assertEquals(long e, long a) { check(e == a, e, a); }
    public static void assertEquals(double e, double a) { check(e == a, e, a); }
    public static void assertEquals(Object e, Object a) {
        check(java.util.Objects.equals(e, a), e, a);
    }
    public static void assertArrayEquals(int[] e, int[] a) {
        check(java.util.Arrays.equals(e, a), e, a);
    }
}
""",
    "RunTests.java": """import java.lang.reflect.*;
public class RunTests {
    public static void main(String[] args) throws Exception {
        Class<?> tests = Class.forName(args[0]);
        Constructor<?> make = tests.getDeclaredConstructor();
        make.setAccessible(true);
        int passed = 0;
        for (Method method : tests.getDeclaredMethods()) {
            if (method.isAnnotationPresent(org.junit.jupiter.api.Test.class)) {
                method.setAccessible(true);
                method.invoke(make.newInstance());
                passed++;
            }
        }
        if (passed == 0) throw new AssertionError("no tests");
        System.out.println(passed + " passed");
    }
}
""",
}


@pytest.mark.parametrize(
    "topic_key",
    [
        pytest.param(key, marks=runnable("java"))
        for key in TOPICS
        if ALL_TOOLCHAINS or key == "sort"
    ],
)
def test_generated_java_tests_pass_against_a_junit_stand_in(tmp_path, topic_key):
    language, topic = LANGUAGES["java"], TOPICS[topic_key]
    for name, source in JUNIT_STUB.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    (tmp_path / language.file_name(topic)).write_text(language.program(topic))
    (tmp_path / language.test_file_name(topic)).write_text(language.test_source(topic))
    test_class = language.test_file_name(topic).removesuffix(".java")
    result = sh(
        "javac -d out $(find . -name '*.java') && java -cp out RunTests " + test_class, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "1 passed"


def _checkout(root: Path, fixed: bool) -> Path:
    for path, content in textkit.FILES.items():
        target = root / path.removeprefix(textkit.REPO + "/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    if fixed:
        (root / "textkit" / "slug.py").write_text(textkit.FIXED_SLUG)
    return root


@pytest.mark.parametrize("fixed", [False, True], ids=["before", "after"])
def test_the_repository_fails_before_the_fix_and_passes_after(tmp_path, fixed):
    root = _checkout(tmp_path, fixed)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**TOOL_ENV, "PYTHONPATH": str(root)},
        timeout=120,
    )
    if fixed:
        assert result.returncode == 0, result.stdout
        assert "9 passed" in result.stdout
    else:
        assert result.returncode == 1
        assert "1 failed, 8 passed" in result.stdout
        assert "AssertionError: assert 'hello---world' == 'hello-world'" in result.stdout
        assert "AssertionError: assert 'hello---world' == 'hello-world'" in textkit.failing_run()
