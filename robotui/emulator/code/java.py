"""Java."""

from __future__ import annotations

from typing import Any, ClassVar

from robotui.emulator.code.base import Language, pascal
from robotui.emulator.code.topics import Topic

__all__ = ["Java"]

JUNIT = "junit-platform-console-standalone-1.11.3.jar"


class Java(Language):
    """Java: one public class per file, JUnit 5 through its console launcher."""

    key = "java"
    name = "Java"
    fence = "java"
    ext = "java"
    naming = "camel"
    functions: ClassVar[dict[str, str]] = {
        "reverse": """\
    /** Reversed by code point: StringBuilder keeps surrogate pairs together. */
    static String {name}(String text) {
        return new StringBuilder(text).reverse().toString();
    }
""",
        "palindrome": """\
    /** True if the text reads the same both ways (case, punctuation ignored). */
    static boolean {name}(String text) {
        String kept = text.toLowerCase().replaceAll("[^\\\\p{L}\\\\p{N}]", "");
        return new StringBuilder(kept).reverse().toString().equals(kept);
    }
""",
        "fibonacci": """    /** The n-th Fibonacci number, with {name}(0) == 0. */
    static long {name}(int n) {
        long a = 0, b = 1;
        for (int i = 0; i < n; i++) {
            long next = a + b;
            a = b;
            b = next;
        }
        return a;
    }
""",
        "factorial": """    /** n! for n >= 0; 20! is the largest that fits in a long. */
    static long {name}(int n) {
        long result = 1;
        for (int k = 2; k <= n; k++) {
            result *= k;
        }
        return result;
    }
""",
        "prime": """    /** True if n is a prime number. */
    static boolean {name}(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
""",
        "fizzbuzz": """    /** "Fizz", "Buzz", "FizzBuzz", or n itself as text. */
    static String {name}(int n) {
        if (n % 15 == 0) return "FizzBuzz";
        if (n % 3 == 0) return "Fizz";
        if (n % 5 == 0) return "Buzz";
        return Integer.toString(n);
    }
""",
        "sort": """    /** A sorted copy of the numbers; the input array is left unchanged. */
    static int[] {name}(int[] numbers) {
        int[] sorted = numbers.clone();
        Arrays.sort(sorted);
        return sorted;
    }
""",
        "sum": """    /** The sum of the numbers (0 for an empty array). */
    static long {name}(int[] numbers) {
        long total = 0;
        for (int n : numbers) {
            total += n;
        }
        return total;
    }
""",
    }

    def class_name(self, topic: Topic) -> str:
        return pascal(topic.file_stem)

    def file_name(self, topic: Topic) -> str:
        return f"{self.class_name(topic)}.java"

    def literal(self, value: Any, kind: str) -> str:
        if kind == "list":
            return "new int[] {" + ", ".join(str(item) for item in value) + "}"
        if kind == "int" and abs(value) > 2**31 - 1:
            return f"{value}L"
        return super().literal(value, kind)

    def program(self, topic: Topic) -> str:
        name = self.function_name(topic)
        if self.loops(topic):
            body = (
                f"        for (int n = {topic.demo[0]}; n <= {topic.demo[-1]}; n++) {{\n"
                f"            System.out.println({name}(n));\n        }}\n"
            )
        else:
            wrap = "Arrays.toString({})" if topic.returns == "list" else "{}"
            body = "".join(
                f"        System.out.println({wrap.format(self.call(topic, value))});\n"
                for value in topic.words(True)
            )
        imports = "import java.util.Arrays;\n\n" if topic.key == "sort" else ""
        return (
            f"{imports}public class {self.class_name(topic)} {{\n"
            f"{self.function_source(topic)}\n"
            "    public static void main(String[] args) {\n"
            f"{body}"
            "    }\n}\n"
        )

    def run_command(self, topic: Topic) -> str:
        return f"javac {self.file_name(topic)} && java {self.class_name(topic)}"

    def hello(self) -> tuple[str, str, str]:
        source = (
            "public class Hello {\n    public static void main(String[] args) {\n"
            '        System.out.println("Hello, world!");\n    }\n}\n'
        )
        return "Hello.java", source, "javac Hello.java && java Hello"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"    /** {summary[0].upper() + summary[1:]}. */\n"
            f"    static String {name}(String input) {{\n"
            "        // Tell me the input and the expected output, and I'll fill this in.\n"
            f'        throw new UnsupportedOperationException("{name} is not implemented yet");\n'
            "    }\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        return f"{self.class_name(topic)}Test.java"

    def test_source(self, topic: Topic) -> str:
        owner, name = self.class_name(topic), self.function_name(topic)
        assertion = "assertArrayEquals" if topic.returns == "list" else "assertEquals"
        checks = "".join(
            f"        {assertion}({self.literal(expected, topic.returns)}, "
            f"{owner}.{name}({self.literal(given, topic.param)}));\n"
            for given, expected in topic.test_cases(True)
        )
        return (
            f"import static org.junit.jupiter.api.Assertions.{assertion};\n\n"
            "import org.junit.jupiter.api.Test;\n\n"
            f"class {owner}Test {{\n"
            "    @Test\n"
            f"    void {name}MatchesExamples() {{\n{checks}    }}\n}}\n"
        )

    def test_setup(self, topic: Topic) -> list[tuple[str, str]]:
        url = (
            "https://repo1.maven.org/maven2/org/junit/platform/"
            f"junit-platform-console-standalone/1.11.3/{JUNIT}"
        )
        return [
            (
                f"curl -sSLO {url} && ls -l {JUNIT}",
                f"-rw-r--r-- 1 openhands openhands 2695331 Dec 10 14:03 {JUNIT}",
            )
        ]

    def test_command(self, topic: Topic) -> str:
        return (
            f"javac -cp {JUNIT} *.java && "
            f"java -jar {JUNIT} --class-path . --select-class {self.class_name(topic)}Test"
        )

    def test_output(self, topic: Topic) -> str:
        owner, name = self.class_name(topic), self.function_name(topic)
        return (
            "╷\n├─ JUnit Jupiter ✔\n"
            f"│  └─ {owner}Test ✔\n"
            f"│     └─ {name}MatchesExamples() ✔\n"
            "└─ JUnit Platform Suite ✔\n\n"
            "Test run finished after 84 ms\n"
            "[         3 containers found      ]\n"
            "[         0 containers skipped    ]\n"
            "[         3 containers started    ]\n"
            "[         0 containers aborted    ]\n"
            "[         3 containers successful ]\n"
            "[         0 containers failed     ]\n"
            "[         1 tests found           ]\n"
            "[         0 tests skipped         ]\n"
            "[         1 tests started         ]\n"
            "[         0 tests aborted         ]\n"
            "[         1 tests successful      ]\n"
            "[         0 tests failed          ]"
        )
