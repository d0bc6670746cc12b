"""Ruby and Bash."""

from __future__ import annotations

import json
import shlex
from typing import Any, ClassVar

from robotui.emulator.code.base import Language, pascal
from robotui.emulator.code.topics import Topic

__all__ = ["Bash", "Ruby"]


class Ruby(Language):
    """Ruby, tested with minitest."""

    key = "ruby"
    name = "Ruby"
    fence = "ruby"
    ext = "rb"
    comment = "#"
    functions: ClassVar[dict[str, str]] = {
        "reverse": """# The text reversed character by character (Ruby strings know UTF-8).
def {name}(text)
  text.reverse
end
""",
        "palindrome": """# True if the text reads the same both ways, ignoring case and punctuation.
def {name}(text)
  kept = text.downcase.scan(/[[:alnum:]]/)
  kept == kept.reverse
end
""",
        "fibonacci": """# The n-th Fibonacci number, with {name}(0) == 0.
def {name}(n)
  a, b = 0, 1
  n.times { a, b = b, a + b }
  a
end
""",
        "factorial": """# n! for n >= 0 (Ruby integers never overflow).
def {name}(n)
  (1..n).reduce(1, :*)
end
""",
        "prime": """# True if n is a prime number.
def {name}(n)
  return false if n < 2

  (2..Integer.sqrt(n)).none? { |d| (n % d).zero? }
end
""",
        "fizzbuzz": """# "Fizz", "Buzz", "FizzBuzz", or n itself as a string.
def {name}(n)
  word = ""
  word += "Fizz" if (n % 3).zero?
  word += "Buzz" if (n % 5).zero?
  word.empty? ? n.to_s : word
end
""",
        "sort": """# A sorted copy of the numbers; the receiver is left unchanged.
def {name}(numbers)
  numbers.sort
end
""",
        "sum": """# The sum of the numbers (0 for an empty array).
def {name}(numbers)
  numbers.sum
end
""",
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "str":
            return json.dumps(value, ensure_ascii=False)
        return super().literal(value, kind)

    def program(self, topic: Topic) -> str:
        name = self.function_name(topic)
        printer = "p" if topic.returns == "list" else "puts"
        if self.loops(topic):
            body = f"  ({topic.demo[0]}..{topic.demo[-1]}).each {{ |n| puts {name}(n) }}\n"
        else:
            body = "".join(f"  {printer} {self.call(topic, v)}\n" for v in topic.words(True))
        return (
            "# frozen_string_literal: true\n\n"
            f"{self.function_source(topic)}\n"
            f"if __FILE__ == $PROGRAM_NAME\n{body}end\n"
        )

    def run_command(self, topic: Topic) -> str:
        return f"ruby {self.file_name(topic)}"

    def hello(self) -> tuple[str, str, str]:
        return "hello.rb", 'puts "Hello, world!"\n', "ruby hello.rb"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"# {summary[0].upper() + summary[1:]}.\n"
            f"def {name}(input)\n"
            "  # Tell me the input and the expected output, and I'll fill this in.\n"
            f'  raise NotImplementedError, "{name} is not implemented yet"\n'
            "end\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        return f"test_{topic.file_stem}.rb"

    def test_source(self, topic: Topic) -> str:
        name = self.function_name(topic)
        checks = "".join(
            f"    assert_equal {self.literal(expected, topic.returns)}, "
            f"{name}({self.literal(given, topic.param)})\n"
            for given, expected in topic.test_cases(True)
        )
        return (
            "# frozen_string_literal: true\n\n"
            'require "minitest/autorun"\n'
            f'require_relative "{topic.file_stem}"\n\n'
            f"class {pascal(topic.file_stem)}Test < Minitest::Test\n"
            f"  def test_{name}\n{checks}  end\nend\n"
        )

    def test_command(self, topic: Topic) -> str:
        return f"ruby {self.test_file_name(topic)}"

    def test_output(self, topic: Topic) -> str:
        count = len(topic.test_cases(True))
        return (
            "Run options: --seed 40213\n\n# Running:\n\n.\n\n"
            f"Finished in 0.000913s, 1095.2903 runs/s, {count * 1095.2903:.4f} assertions/s.\n\n"
            f"1 runs, {count} assertions, 0 failures, 0 errors, 0 skips"
        )


class Bash(Language):
    """Bash functions that print their result (or succeed/fail for yes/no questions)."""

    key = "bash"
    name = "Bash"
    fence = "bash"
    ext = "sh"
    comment = "#"
    unicode = False
    functions: ClassVar[dict[str, str]] = {
        "reverse": """# {name} TEXT: prints TEXT reversed.
{name}() {
  local text=$1 reversed="" i
  for (( i = ${#text} - 1; i >= 0; i-- )); do
    reversed+=${text:i:1}
  done
  printf '%s\\n' "$reversed"
}
""",
        "palindrome": """# {name} TEXT: succeeds if TEXT reads the same both ways,
# ignoring case and punctuation.
{name}() {
  local kept reversed="" i
  kept=$(printf '%s' "$1" | tr -cd '[:alnum:]' | tr '[:upper:]' '[:lower:]')
  for (( i = ${#kept} - 1; i >= 0; i-- )); do
    reversed+=${kept:i:1}
  done
  [[ $kept == "$reversed" ]]
}
""",
        "fibonacci": """# {name} N: prints the N-th Fibonacci number ({name} 0 prints 0).
{name}() {
  local a=0 b=1 i
  for (( i = 0; i < $1; i++ )); do
    (( b = a + b, a = b - a ))
  done
  echo "$a"
}
""",
        "factorial": """# {name} N: prints N! (exact up to 20! in Bash's 64-bit arithmetic).
{name}() {
  local result=1 k
  for (( k = 2; k <= $1; k++ )); do
    (( result *= k ))
  done
  echo "$result"
}
""",
        "prime": """# {name} N: succeeds if N is a prime number.
{name}() {
  local n=$1 d
  (( n < 2 )) && return 1
  for (( d = 2; d * d <= n; d++ )); do
    (( n % d == 0 )) && return 1
  done
  return 0
}
""",
        "fizzbuzz": """# {name} N: prints Fizz, Buzz, FizzBuzz, or N itself.
{name}() {
  local n=$1 word=""
  (( n % 3 == 0 )) && word+=Fizz
  (( n % 5 == 0 )) && word+=Buzz
  echo "${word:-$n}"
}
""",
        "sort": """# {name} N...: prints the numbers in ascending order, on one line.
{name}() {
  (( $# )) || { echo; return; }
  printf '%s\\n' "$@" | sort -n | paste -sd ' ' -
}
""",
        "sum": """# {name} N...: prints the sum of the numbers (0 when there are none).
{name}() {
  local total=0 n
  for n in "$@"; do
    total=$(( total + n ))
  done
  echo "$total"
}
""",
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "list":
            return " ".join(str(item) for item in value)
        if kind == "str":
            return shlex.quote(value) if value else '""'
        return str(value)

    def call(self, topic: Topic, value: Any) -> str:
        argument = self.literal(value, topic.param)
        return f"{self.function_name(topic)} {argument}".rstrip()

    def show(self, value: Any, kind: str) -> str:
        if kind == "list":
            return " ".join(str(item) for item in value)
        return super().show(value, kind)

    def _printed(self, topic: Topic, value: Any) -> str:
        if topic.returns == "bool":
            return f"$({self.call(topic, value)} && echo true || echo false)"
        return f"$({self.call(topic, value)})"

    def program(self, topic: Topic) -> str:
        name = self.function_name(topic)
        if self.loops(topic):
            body = (
                f'  for n in {{{topic.demo[0]}..{topic.demo[-1]}}}; do\n    {name} "$n"\n  done\n'
            )
        elif topic.returns == "bool":
            body = "".join(
                f"  if {self.call(topic, v)}; then echo true; else echo false; fi\n"
                for v in topic.words(False)
            )
        else:
            body = "".join(f"  {self.call(topic, v)}\n" for v in topic.words(False))
        return (
            "#!/usr/bin/env bash\nset -euo pipefail\n\n"
            f"{self.function_source(topic)}\n"
            f'if [[ "${{BASH_SOURCE[0]}}" == "$0" ]]; then\n{body}fi\n'
        )

    def run_command(self, topic: Topic) -> str:
        return f"bash {self.file_name(topic)}"

    def hello(self) -> tuple[str, str, str]:
        return "hello.sh", '#!/usr/bin/env bash\necho "Hello, world!"\n', "bash hello.sh"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"# {name} INPUT: {summary}.\n"
            f"{name}() {{\n"
            "  # Tell me the input and the expected output, and I'll fill this in.\n"
            f'  echo "{name}: not implemented yet" >&2\n'
            "  return 1\n"
            "}\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        return f"test_{topic.file_stem}.sh"

    def test_source(self, topic: Topic) -> str:
        checks = "".join(
            f"check {shlex.quote(self.call(topic, given))} "
            f"{shlex.quote(self.show(expected, topic.returns)) or chr(34) * 2} "
            f'"{self._printed(topic, given)}"\n'
            for given, expected in topic.test_cases(False)
        )
        return (
            "#!/usr/bin/env bash\nset -uo pipefail\n"
            f'source "$(dirname "$0")/{self.file_name(topic)}"\n\n'
            "failures=0\n"
            "check() {  # check NAME EXPECTED ACTUAL\n"
            '  if [[ $2 == "$3" ]]; then\n'
            '    echo "ok - $1"\n'
            "  else\n"
            "    echo \"not ok - $1: expected '$2', got '$3'\"\n"
            "    failures=$((failures + 1))\n"
            "  fi\n"
            "}\n\n"
            f"{checks}"
            'exit "$failures"\n'
        )

    def test_command(self, topic: Topic) -> str:
        return f"bash {self.test_file_name(topic)}"

    def test_output(self, topic: Topic) -> str:
        return "\n".join(f"ok - {self.call(topic, given)}" for given, _ in topic.test_cases(False))
