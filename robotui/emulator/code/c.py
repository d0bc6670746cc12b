"""C."""

from __future__ import annotations

from typing import Any, ClassVar

from robotui.emulator.code.base import Language
from robotui.emulator.code.topics import Topic

__all__ = ["C"]


class C(Language):
    """C: byte strings, `gcc -Wall -Wextra`, tests that include the program."""

    key = "c"
    name = "C"
    fence = "c"
    ext = "c"
    unicode = False
    functions: ClassVar[dict[str, str]] = {
        "reverse": """/* A newly allocated copy of `text`, reversed (ASCII); the caller frees it. */
char *{name}(const char *text) {
    size_t length = strlen(text);
    char *reversed = malloc(length + 1);
    if (reversed == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < length; i++) {
        reversed[i] = text[length - 1 - i];
    }
    reversed[length] = '\\0';
    return reversed;
}
""",
        "palindrome": """\
/* True if `text` reads the same both ways (case and punctuation ignored). */
bool {name}(const char *text) {
    size_t i = 0, j = strlen(text);
    while (i < j) {
        if (!isalnum((unsigned char)text[i])) {
            i++;
        } else if (!isalnum((unsigned char)text[j - 1])) {
            j--;
        } else if (tolower((unsigned char)text[i]) != tolower((unsigned char)text[j - 1])) {
            return false;
        } else {
            i++;
            j--;
        }
    }
    return true;
}
""",
        "fibonacci": """/* The n-th Fibonacci number, with {name}(0) == 0. */
unsigned long long {name}(unsigned n) {
    unsigned long long a = 0, b = 1;
    for (unsigned i = 0; i < n; i++) {
        unsigned long long next = a + b;
        a = b;
        b = next;
    }
    return a;
}
""",
        "factorial": """/* n! for n >= 0; 20! is the largest that fits in 64 bits. */
unsigned long long {name}(unsigned n) {
    unsigned long long result = 1;
    for (unsigned k = 2; k <= n; k++) {
        result *= k;
    }
    return result;
}
""",
        "prime": """/* True if n is a prime number. */
bool {name}(unsigned long n) {
    if (n < 2) {
        return false;
    }
    for (unsigned long d = 2; d * d <= n; d++) {
        if (n % d == 0) {
            return false;
        }
    }
    return true;
}
""",
        "fizzbuzz": """/* "Fizz", "Buzz", "FizzBuzz", or n as text (valid until the next call). */
const char *{name}(int n) {
    static char buffer[16];
    if (n % 15 == 0) return "FizzBuzz";
    if (n % 3 == 0) return "Fizz";
    if (n % 5 == 0) return "Buzz";
    snprintf(buffer, sizeof buffer, "%d", n);
    return buffer;
}
""",
        "sort": """static int compare_ints(const void *left, const void *right) {
    int a = *(const int *)left, b = *(const int *)right;
    return (a > b) - (a < b);
}

/* Returns a newly allocated, sorted copy of the `count` numbers; the caller frees it. */
int *{name}(const int *numbers, size_t count) {
    int *sorted = malloc(count * sizeof *sorted);
    if (sorted == NULL) {
        return NULL;
    }
    memcpy(sorted, numbers, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, compare_ints);
    return sorted;
}
""",
        "sum": """/* The sum of the `count` numbers (0 when there are none). */
long {name}(const int *numbers, size_t count) {
    long total = 0;
    for (size_t i = 0; i < count; i++) {
        total += numbers[i];
    }
    return total;
}
""",
    }
    includes: ClassVar[dict[str, tuple[str, ...]]] = {
        "reverse": ("stdlib.h", "string.h"),
        "palindrome": ("ctype.h", "stdbool.h", "string.h"),
        "prime": ("stdbool.h",),
        "sort": ("stdlib.h", "string.h"),
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "list":
            if not value:
                return "NULL, 0"
            return "(int[]){" + ", ".join(map(str, value)) + f"}}, {len(value)}"
        return super().literal(value, kind)

    def _header(self, topic: Topic, extra: tuple[str, ...] = ()) -> str:
        names = sorted({"stdio.h", *self.includes.get(topic.key, ()), *extra})
        return "".join(f"#include <{name}>\n" for name in names)

    def _print(self, topic: Topic, value: Any, pad: str = "    ") -> str:
        call = self.call(topic, value)
        if topic.key == "reverse":
            return f"{pad}char *reversed = {call};\n{pad}puts(reversed);\n{pad}free(reversed);\n"
        if topic.returns == "str":
            return f"{pad}puts({call});\n"
        if topic.returns == "bool":
            return f'{pad}puts({call} ? "true" : "false");\n'
        if topic.returns == "list":
            return (
                f"{pad}int *sorted = {call};\n"
                f"{pad}print_numbers(sorted, {len(value)});\n{pad}free(sorted);\n"
            )
        if topic.key == "sum":
            return f'{pad}printf("%ld\\n", {call});\n'
        return f'{pad}printf("%llu\\n", {call});\n'

    def _main_body(self, topic: Topic) -> str:
        name = self.function_name(topic)
        if self.loops(topic):
            return (
                f"    for (int n = {topic.demo[0]}; n <= {topic.demo[-1]}; n++) {{\n"
                f"        puts({name}(n));\n    }}\n"
            )
        values = topic.words(False)
        if topic.returns == "list" or topic.key == "reverse":
            # Each demo declares a variable, so each gets a block of its own.
            return "".join(
                "    {\n" + self._print(topic, value, "        ") + "    }\n" for value in values
            )
        return "".join(self._print(topic, value) for value in values)

    def program(self, topic: Topic) -> str:
        helper = ""
        if topic.returns == "list":
            helper = (
                "static void print_numbers(const int *numbers, size_t count) {\n"
                '    printf("[");\n'
                "    for (size_t i = 0; i < count; i++) {\n"
                '        printf(i ? ", %d" : "%d", numbers[i]);\n'
                "    }\n"
                '    printf("]\\n");\n'
                "}\n\n"
            )
        return (
            f"{self._header(topic)}\n{self.function_source(topic)}\n{helper}"
            f"int main(void) {{\n{self._main_body(topic)}    return 0;\n}}\n"
        )

    def run_command(self, topic: Topic) -> str:
        stem = topic.file_stem
        return f"gcc -Wall -Wextra -O2 -o {stem} {self.file_name(topic)} && ./{stem}"

    def hello(self) -> tuple[str, str, str]:
        source = (
            '#include <stdio.h>\n\nint main(void) {\n    puts("Hello, world!");\n    return 0;\n}\n'
        )
        return "hello.c", source, "gcc -Wall -o hello hello.c && ./hello"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"/* {summary[0].upper() + summary[1:]}.\n"
            "   Tell me the input and the expected output, and I'll fill this in. */\n"
            f"int {name}(const char *input, char *output, size_t size);\n"
        )

    # Tests compile the program with UNIT_TEST defined, so its main() steps aside.
    def prepare_for_tests(self, topic: Topic, source: str) -> str:
        return source.replace("int main(", "#ifndef UNIT_TEST\nint main(", 1).rstrip("\n") + (
            "\n#endif\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        return f"test_{topic.file_stem}.{self.ext}"

    def _check(self, topic: Topic, given: Any, expected: Any) -> str:
        call = self.call(topic, given)
        if topic.returns == "str" and topic.key == "reverse":
            return (
                f"    {{\n        char *got = {call};\n"
                f"        assert(strcmp(got, {self.literal(expected, 'str')}) == 0);\n"
                "        free(got);\n    }\n"
            )
        if topic.returns == "str":
            return f"    assert(strcmp({call}, {self.literal(expected, 'str')}) == 0);\n"
        if topic.returns == "bool":
            return f"    assert({'' if expected else '!'}{call});\n"
        if topic.returns == "list":
            wanted = "(int[]){" + ", ".join(map(str, expected)) + "}"
            return (
                f"    {{\n        int *got = {call};\n"
                f"        assert(memcmp(got, {wanted}, {len(expected)} * sizeof *got) == 0);\n"
                "        free(got);\n    }\n"
            )
        suffix = "ULL" if topic.returns == "int" and topic.key != "sum" else ""
        return f"    assert({call} == {expected}{suffix});\n"

    def _cases(self, topic: Topic) -> tuple[tuple[Any, Any], ...]:
        # A C array literal cannot be empty.
        return tuple(
            case
            for case in topic.test_cases(False)
            if not (topic.returns == "list" and not case[1])
        )

    def test_source(self, topic: Topic) -> str:
        checks = "".join(
            self._check(topic, given, expected) for given, expected in self._cases(topic)
        )
        return (
            f"#include <assert.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
            f'#include "{self.file_name(topic)}"\n\n'
            f"int main(void) {{\n{checks}"
            f'    puts("all {len(self._cases(topic))} checks passed ✓");\n    return 0;\n}}\n'
        )

    def test_command(self, topic: Topic) -> str:
        stem = f"test_{topic.file_stem}"
        return f"gcc -Wall -Wextra -DUNIT_TEST -o {stem} {self.test_file_name(topic)} && ./{stem}"

    def test_output(self, topic: Topic) -> str:
        return f"all {len(self._cases(topic))} checks passed ✓"
