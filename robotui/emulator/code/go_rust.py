"""Go and Rust."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from robotui.emulator.code.base import Language, pascal
from robotui.emulator.code.topics import Topic

__all__ = ["Go", "Rust"]


class Go(Language):
    """Go: `package main`, `go run`, `go test` with table-driven tests."""

    key = "go"
    name = "Go"
    fence = "go"
    ext = "go"
    naming = "camel"
    functions: ClassVar[dict[str, str]] = {
        "reverse": """\
// {name} returns s reversed rune by rune, keeping multi-byte characters whole.
func {name}(s string) string {
	runes := []rune(s)
	for i, j := 0, len(runes)-1; i < j; i, j = i+1, j-1 {
		runes[i], runes[j] = runes[j], runes[i]
	}
	return string(runes)
}
""",
        "palindrome": """// {name} reports whether s reads the same both ways (case and punctuation
// are ignored).
func {name}(s string) bool {
	var kept []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			kept = append(kept, r)
		}
	}
	for i, j := 0, len(kept)-1; i < j; i, j = i+1, j-1 {
		if kept[i] != kept[j] {
			return false
		}
	}
	return true
}
""",
        "fibonacci": """// {name} returns the n-th Fibonacci number, with {name}(0) == 0.
func {name}(n int) int {
	a, b := 0, 1
	for i := 0; i < n; i++ {
		a, b = b, a+b
	}
	return a
}
""",
        "factorial": """// {name} returns n! for n >= 0.
func {name}(n int) int {
	result := 1
	for k := 2; k <= n; k++ {
		result *= k
	}
	return result
}
""",
        "prime": """// {name} reports whether n is a prime number.
func {name}(n int) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for d := 3; d*d <= n; d += 2 {
		if n%d == 0 {
			return false
		}
	}
	return true
}
""",
        "fizzbuzz": """// {name} returns "Fizz", "Buzz", "FizzBuzz", or n itself as text.
func {name}(n int) string {
	switch {
	case n%15 == 0:
		return "FizzBuzz"
	case n%3 == 0:
		return "Fizz"
	case n%5 == 0:
		return "Buzz"
	default:
		return strconv.Itoa(n)
	}
}
""",
        "sort": """// {name} returns a sorted copy of numbers; the input is left unchanged.
func {name}(numbers []int) []int {
	sorted := make([]int, len(numbers))
	copy(sorted, numbers)
	sort.Ints(sorted)
	return sorted
}
""",
        "sum": """// {name} returns the sum of numbers (0 for an empty slice).
func {name}(numbers []int) int {
	total := 0
	for _, n := range numbers {
		total += n
	}
	return total
}
""",
    }
    imports: ClassVar[dict[str, tuple[str, ...]]] = {
        "palindrome": ("strings", "unicode"),
        "fizzbuzz": ("strconv",),
        "sort": ("sort",),
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "list":
            return "[]int{" + ", ".join(str(item) for item in value) + "}"
        if kind == "str":
            return json.dumps(value, ensure_ascii=False)
        return super().literal(value, kind)

    def show(self, value: Any, kind: str) -> str:
        if kind == "list":
            return "[" + " ".join(str(item) for item in value) + "]"
        return super().show(value, kind)

    def _import_block(self, names: list[str]) -> str:
        names = sorted(set(names))
        if len(names) == 1:
            return f'import "{names[0]}"\n'
        return "import (\n" + "".join(f'\t"{name}"\n' for name in names) + ")\n"

    def program(self, topic: Topic) -> str:
        name = self.function_name(topic)
        if self.loops(topic):
            body = (
                f"\tfor n := {topic.demo[0]}; n <= {topic.demo[-1]}; n++ {{\n"
                f"\t\tfmt.Println({name}(n))\n\t}}\n"
            )
        else:
            body = "".join(f"\tfmt.Println({self.call(topic, v)})\n" for v in topic.words(True))
        imports = self._import_block(["fmt", *self.topic_imports(topic)])
        return (
            f"package main\n\n{imports}\n{self.function_source(topic)}\nfunc main() {{\n{body}}}\n"
        )

    def run_command(self, topic: Topic) -> str:
        return f"go run {self.file_name(topic)}"

    def hello(self) -> tuple[str, str, str]:
        source = (
            'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, world!")\n}\n'
        )
        return "hello.go", source, "go run hello.go"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"// {name} {summary}.\n"
            f"func {name}(input string) (string, error) {{\n"
            "\t// Tell me the input and the expected output, and I'll fill this in.\n"
            f'\treturn "", errors.New("{name}: not implemented")\n'
            "}\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        return f"{topic.file_stem}_test.go"

    def _go_type(self, kind: str) -> str:
        return {"str": "string", "int": "int", "bool": "bool", "list": "[]int"}[kind]

    def test_source(self, topic: Topic) -> str:
        name = self.function_name(topic)
        param, result = self._go_type(topic.param), self._go_type(topic.returns)
        rows = "".join(
            f"\t\t{{{self.literal(given, topic.param)}, "
            f"{self.literal(expected, topic.returns)}}},\n"
            for given, expected in topic.test_cases(True)
        )
        differs = (
            "!reflect.DeepEqual(got, tt.want)" if topic.returns == "list" else "got != tt.want"
        )
        imports = self._import_block(["testing"] + (["reflect"] if topic.returns == "list" else []))
        verb = "%v" if topic.param == "list" else "%q" if topic.param == "str" else "%d"
        want = (
            "%v" if topic.returns in ("list", "bool") else "%q" if topic.returns == "str" else "%d"
        )
        return (
            f"package main\n\n{imports}\n"
            f"func Test{pascal(topic.stem)}(t *testing.T) {{\n"
            "\ttests := []struct {\n"
            f"\t\tgiven {param}\n"
            f"\t\twant  {result}\n"
            "\t}{\n"
            f"{rows}"
            "\t}\n"
            "\tfor _, tt := range tests {\n"
            f"\t\tif got := {name}(tt.given); {differs} {{\n"
            f'\t\t\tt.Errorf("{name}({verb}) = {want}, want {want}", tt.given, got, tt.want)\n'
            "\t\t}\n"
            "\t}\n"
            "}\n"
        )

    def test_setup(self, topic: Topic) -> list[tuple[str, str]]:
        module = f"example.com/{topic.file_stem}"
        return [
            (
                f"go mod init {module}",
                f"go: creating new go.mod: module {module}\n"
                "go: to add module requirements and sums:\n\tgo mod tidy",
            )
        ]

    def test_command(self, topic: Topic) -> str:
        return "go test -v ./..."

    def test_output(self, topic: Topic) -> str:
        test = f"Test{pascal(topic.stem)}"
        return (
            f"=== RUN   {test}\n--- PASS: {test} (0.00s)\nPASS\n"
            f"ok  \texample.com/{topic.file_stem}\t0.003s"
        )


class Rust(Language):
    """Rust: single files built with `rustc`, unit tests in the same file."""

    key = "rust"
    name = "Rust"
    fence = "rust"
    ext = "rs"
    functions: ClassVar[dict[str, str]] = {
        "reverse": """/// Returns `text` reversed character by character (Unicode scalar values).
fn {name}(text: &str) -> String {
    text.chars().rev().collect()
}
""",
        "palindrome": """/// True if `text` reads the same both ways, ignoring case and punctuation.
fn {name}(text: &str) -> bool {
    let kept: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    kept.iter().eq(kept.iter().rev())
}
""",
        "fibonacci": """/// The n-th Fibonacci number, with `{name}(0) == 0`.
fn {name}(n: u32) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    a
}
""",
        "factorial": """/// `n!` for n >= 0; 20! is the largest that fits in a `u64`.
fn {name}(n: u64) -> u64 {
    (1..=n).product()
}
""",
        "prime": """/// True if `n` is a prime number.
fn {name}(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut divisor = 2;
    while divisor * divisor <= n {
        if n % divisor == 0 {
            return false;
        }
        divisor += 1;
    }
    true
}
""",
        "fizzbuzz": """/// "Fizz", "Buzz", "FizzBuzz", or `n` itself as text.
fn {name}(n: u32) -> String {
    match (n % 3, n % 5) {
        (0, 0) => "FizzBuzz".to_string(),
        (0, _) => "Fizz".to_string(),
        (_, 0) => "Buzz".to_string(),
        _ => n.to_string(),
    }
}
""",
        "sort": """/// A sorted copy of `numbers`; the input is left unchanged.
fn {name}(numbers: &[i64]) -> Vec<i64> {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted
}
""",
        "sum": """/// The sum of `numbers` (0 for an empty slice).
fn {name}(numbers: &[i64]) -> i64 {
    numbers.iter().sum()
}
""",
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "list":
            return "&[" + ", ".join(str(item) for item in value) + "]"
        if kind == "str":
            return json.dumps(value, ensure_ascii=False)
        return super().literal(value, kind)

    def _expected(self, value: Any, kind: str) -> str:
        if kind == "list":
            if not value:
                return "Vec::<i64>::new()"
            return "vec![" + ", ".join(str(item) for item in value) + "]"
        return self.literal(value, kind)

    def program(self, topic: Topic) -> str:
        name = self.function_name(topic)
        pattern = '"{:?}"' if topic.returns == "list" else '"{}"'
        if self.loops(topic):
            body = (
                f"    for n in {topic.demo[0]}..={topic.demo[-1]} {{\n"
                f'        println!("{{}}", {name}(n));\n    }}\n'
            )
        else:
            body = "".join(
                f"    println!({pattern}, {self.call(topic, value)});\n"
                for value in topic.words(True)
            )
        return f"{self.function_source(topic)}\nfn main() {{\n{body}}}\n"

    def run_command(self, topic: Topic) -> str:
        return f"rustc -O {self.file_name(topic)} && ./{topic.file_stem}"

    def hello(self) -> tuple[str, str, str]:
        source = 'fn main() {\n    println!("Hello, world!");\n}\n'
        return "hello.rs", source, "rustc hello.rs && ./hello"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"/// {summary[0].upper() + summary[1:]}.\n"
            f"fn {name}(input: &str) -> Result<String, String> {{\n"
            "    // Tell me the input and the expected output, and I'll fill this in.\n"
            f'    todo!("{name}: {{input}}")\n'
            "}\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        # Rust keeps unit tests in the file they test.
        return self.file_name(topic)

    def _test_module(self, topic: Topic) -> str:
        name = self.function_name(topic)
        checks = "".join(
            f"        assert_eq!({name}({self.literal(given, topic.param)}), "
            f"{self._expected(expected, topic.returns)});\n"
            for given, expected in topic.test_cases(True)
        )
        return (
            "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n"
            f"    #[test]\n    fn {name}_matches_examples() {{\n{checks}    }}\n}}\n"
        )

    def prepare_for_tests(self, topic: Topic, source: str) -> str:
        return source + self._test_module(topic)

    def test_source(self, topic: Topic) -> str:
        return self.prepare_for_tests(topic, self.program(topic))

    def test_command(self, topic: Topic) -> str:
        binary = f"{topic.file_stem}_tests"
        return f"rustc --test {self.file_name(topic)} -o {binary} && ./{binary}"

    def test_output(self, topic: Topic) -> str:
        return (
            "\nrunning 1 test\n"
            f"test tests::{self.function_name(topic)}_matches_examples ... ok\n\n"
            "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; "
            "finished in 0.00s\n"
        )
