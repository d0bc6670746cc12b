"""C++: C's program and test layout, with the standard library's types."""

from __future__ import annotations

from typing import Any, ClassVar

from robotui.emulator.code.base import Language
from robotui.emulator.code.c import C
from robotui.emulator.code.topics import Topic

__all__ = ["Cpp"]


class Cpp(C):
    """C++17 with the standard library, built by `g++`."""

    key = "cpp"
    name = "C++"
    fence = "cpp"
    ext = "cpp"
    functions: ClassVar[dict[str, str]] = {
        "reverse": """// Returns `text` reversed byte by byte (fine for ASCII).
std::string {name}(const std::string& text) {
    return std::string(text.rbegin(), text.rend());
}
""",
        "palindrome": """// True if `text` reads the same both ways, ignoring case and punctuation.
bool {name}(const std::string& text) {
    std::string kept;
    for (unsigned char c : text) {
        if (std::isalnum(c)) {
            kept.push_back(static_cast<char>(std::tolower(c)));
        }
    }
    return std::equal(kept.begin(), kept.begin() + kept.size() / 2, kept.rbegin());
}
""",
        "fibonacci": """// The n-th Fibonacci number, with {name}(0) == 0.
unsigned long long {name}(unsigned n) {
    unsigned long long a = 0, b = 1;
    for (unsigned i = 0; i < n; ++i) {
        a = std::exchange(b, a + b);
    }
    return a;
}
""",
        "factorial": """// n! for n >= 0; 20! is the largest that fits in 64 bits.
unsigned long long {name}(unsigned n) {
    unsigned long long result = 1;
    for (unsigned k = 2; k <= n; ++k) {
        result *= k;
    }
    return result;
}
""",
        "prime": """// True if n is a prime number.
bool {name}(unsigned long long n) {
    if (n < 2) {
        return false;
    }
    for (unsigned long long d = 2; d * d <= n; ++d) {
        if (n % d == 0) {
            return false;
        }
    }
    return true;
}
""",
        "fizzbuzz": """// "Fizz", "Buzz", "FizzBuzz", or n itself as text.
std::string {name}(int n) {
    if (n % 15 == 0) return "FizzBuzz";
    if (n % 3 == 0) return "Fizz";
    if (n % 5 == 0) return "Buzz";
    return std::to_string(n);
}
""",
        "sort": """\
// A sorted copy of the numbers; taken by value, so the caller's vector is untouched.
std::vector<int> {name}(std::vector<int> numbers) {
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}
""",
        "sum": """// The sum of the numbers (0 for an empty vector).
long long {name}(const std::vector<int>& numbers) {
    return std::accumulate(numbers.begin(), numbers.end(), 0LL);
}
""",
    }
    includes: ClassVar[dict[str, tuple[str, ...]]] = {
        "reverse": ("string",),
        "palindrome": ("algorithm", "cctype", "string"),
        "fibonacci": ("utility",),
        "fizzbuzz": ("string",),
        "sort": ("algorithm", "vector"),
        "sum": ("numeric", "vector"),
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "list":
            return "{" + ", ".join(map(str, value)) + "}"
        return Language.literal(self, value, kind)

    def _header(self, topic: Topic, extra: tuple[str, ...] = ()) -> str:
        names = sorted({"iostream", *self.includes.get(topic.key, ()), *extra})
        return "".join(f"#include <{name}>\n" for name in names)

    def _main_body(self, topic: Topic) -> str:
        name = self.function_name(topic)
        if self.loops(topic):
            return (
                f"    for (int n = {topic.demo[0]}; n <= {topic.demo[-1]}; ++n) {{\n"
                f"        std::cout << {name}(n) << '\\n';\n    }}\n"
            )
        lines = []
        for value in topic.words(False):
            call = self.call(topic, value)
            if topic.returns == "list":
                lines.append(f"    print({call});\n")
            else:
                lines.append(f"    std::cout << {call} << '\\n';\n")
        prefix = "    std::cout << std::boolalpha;\n" if topic.returns == "bool" else ""
        return prefix + "".join(lines)

    def program(self, topic: Topic) -> str:
        helper = ""
        if topic.returns == "list":
            helper = (
                "void print(const std::vector<int>& numbers) {\n"
                "    std::cout << '[';\n"
                "    for (std::size_t i = 0; i < numbers.size(); ++i) {\n"
                '        std::cout << (i ? ", " : "") << numbers[i];\n'
                "    }\n"
                '    std::cout << "]\\n";\n'
                "}\n\n"
            )
        return (
            f"{self._header(topic)}\n{self.function_source(topic)}\n{helper}"
            f"int main() {{\n{self._main_body(topic)}    return 0;\n}}\n"
        )

    def run_command(self, topic: Topic) -> str:
        stem = topic.file_stem
        return f"g++ -std=c++17 -Wall -Wextra -O2 -o {stem} {self.file_name(topic)} && ./{stem}"

    def hello(self) -> tuple[str, str, str]:
        source = (
            '#include <iostream>\n\nint main() {\n    std::cout << "Hello, world!\\n";\n'
            "    return 0;\n}\n"
        )
        return "hello.cpp", source, "g++ -std=c++17 -o hello hello.cpp && ./hello"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"// {summary[0].upper() + summary[1:]}.\n"
            "// Tell me the input and the expected output, and I'll fill this in.\n"
            f"std::string {name}(const std::string& input);\n"
        )

    def prepare_for_tests(self, topic: Topic, source: str) -> str:
        return source.replace("int main(", "#ifndef UNIT_TEST\nint main(", 1).rstrip("\n") + (
            "\n#endif\n"
        )

    def _check(self, topic: Topic, given: Any, expected: Any) -> str:
        call = self.call(topic, given)
        if topic.returns == "list":
            wanted = "std::vector<int>" + self.literal(expected, "list")
            return f"    assert(({call} == {wanted}));\n"
        if topic.returns == "bool":
            return f"    assert({'' if expected else '!'}{call});\n"
        wanted = self.literal(expected, topic.returns)
        if topic.returns == "int" and topic.key != "sum":
            wanted += "ULL"
        return f"    assert({call} == {wanted});\n"

    def _cases(self, topic: Topic) -> tuple[tuple[Any, Any], ...]:
        return topic.test_cases(False)

    def test_source(self, topic: Topic) -> str:
        checks = "".join(
            self._check(topic, given, expected) for given, expected in self._cases(topic)
        )
        return (
            "#include <cassert>\n\n"
            f'#include "{self.file_name(topic)}"\n\n'
            f"int main() {{\n{checks}"
            f'    std::cout << "all {len(self._cases(topic))} checks passed ✓\\n";\n'
            "    return 0;\n}\n"
        )

    def test_command(self, topic: Topic) -> str:
        stem = f"test_{topic.file_stem}"
        return (
            f"g++ -std=c++17 -Wall -Wextra -DUNIT_TEST -o {stem} {self.test_file_name(topic)}"
            f" && ./{stem}"
        )
