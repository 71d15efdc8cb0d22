"""Every command of README.md works exactly as written, from a newcomer's shell.

The commands are read from README.md when the tests run, never copied here:

- every line of every ```sh block (`\\` continuations joined, `# comments` dropped);
- the inline code spans of the "Other commands" table that start with `.venv/bin/`, `make ` or
  `scripts/`.

Each one is then, by these rules, in this order:

1. not run, when its section is in NOT_RUN_SECTIONS or the command is in NOT_RUN: each says why
   and, where there is one, which test covers it instead;
2. a synopsis when it has an UPPERCASE placeholder word (FILE, NAME, FIELD=HEADER) or `[…]`:
   `<the words before the first placeholder or option> --help` is run instead, and must
   succeed and mention every `--option` of the synopsis;
3. run as written, from the checkout's root, in a clean environment (only PATH, HOME and LANG:
   no DJANGO_DEBUG, SECRET_KEY or DATABASE_URL, so the checkout's .env is what configures
   it), against the development database of the local cluster. It must exit with status 0 and
   print what CHECKS expects. A long-running one (LONG_RUNNING) is started, checked, stopped;
   an interactive one (STDIN) is fed its input. A command that changes data (CHANGES_DATA) is
   run twice, and the second run must report nothing created, updated, closed, new or changed.
   A command reading ../shared/data is skipped, saying why, when that file is absent.

A README command none of this matches fails its test, so a new command cannot be forgotten.
"""

import os
import re
import shlex
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, shared_file

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
# A newcomer's shell: nothing the Makefile or the test run would have exported.
CLEAN_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(Path.home()), "LANG": "C.UTF-8"}
TABLE_PREFIXES = (".venv/bin/", "make ", "scripts/")

PRODUCTION = "Running it in production"
NOT_RUN_SECTIONS = {
    PRODUCTION: (
        "shell for a production host (exports, gunicorn, a service), not for a checkout",
        "tests/config/test_settings.py::test_check_deploy_is_clean_under_production_settings",
    ),
}
NOT_RUN = {
    "make test": ("it is this suite (with the browser tests)", None),
    "make stop": ("it would stop the database this suite uses", None),
    "make bench": (
        "minutes long and not part of the suite; docs/benchmarks.md records its runs",
        None,
    ),
    "make format": (
        "it rewrites the working tree's files; `make lint`, run here, checks the same rules",
        None,
    ),
    "make messages": (
        "it rewrites locale/fr; the same extraction runs on a copy instead",
        "tests/config/test_translations.py::test_catalog_covers_every_string_in_the_code",
    ),
    "scripts/vendor.sh": (
        "it rewrites static/vendor from the npm registry (network access); the files it "
        "wrote are committed",
        None,
    ),
}
# Started, checked when this marker appears in their output, then stopped (SIGTERM).
LONG_RUNNING = {
    # make run serves on PORT (README, Configuration); the test gives it a free one.
    "make run": "Demonstration accounts (password: demo)",
    ".venv/bin/python manage.py db_worker --queue-name imports,default": "Starting worker",
}
STDIN = {"scripts/localdb.sh psql": "SELECT postgis_version();\n"}
# What the output of a command run as written must contain (regular expressions).
CHECKS = {
    "make setup": [r"postal areas loaded|No .*canada_fsa_centroids\.csv", r"Sign in as analyst"],
    "make lint": [r"All checks passed!", r"files? already formatted"],
    "scripts/localdb.sh psql": [r"USE_GEOS=1"],
    ".venv/bin/python manage.py db_worker --queue-name imports,default": [r"imports,default"],
    ".venv/bin/python manage.py refresh_opening_periods": [r"Opening periods recomputed for \d+"],
    ".venv/bin/python manage.py load_demo": [r"Demonstration service points: \d+"],
    ".venv/bin/python manage.py import_servicepoints": [
        r"Rows: \d+; errors: 0",
        r"Applied \(import run|Dry run: nothing was changed",
    ],
}
# Run twice, the second run changing nothing (a dry run changes nothing the first time).
CHANGES_DATA = re.compile(r"^make setup$|manage\.py (import_|load_)(?!.*--dry-run)")
# Counts of changes: in "3 created, 0 updated, 0 closed" and "New: 0, changed: 0".
CHANGE_COUNTS = re.compile(r"(\d+) (?:created|updated|closed)\b|\b(?:New|changed): (\d+)")
PLACEHOLDER = re.compile(r"(?<![\w-])[A-Z][A-Z0-9_]{2,}(?![\w-])")
ENV_ASSIGNMENT = re.compile(r"^(?:[A-Za-z_]\w*=\S*\s+)+")
SHARED_PATH = re.compile(r"\.\./shared/data/([\w.-]+)")


def strip_comment(line):
    """The line without its `# comment` (a `#` starting a word, outside quotes)."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip()
    return line.rstrip()


def readme_commands(text):
    """(section, command) for every command the README tells the reader to type, once each
    (in the section where it first appears)."""
    commands, section, fence, pending = [], "", None, ""
    for line in text.splitlines():
        if fence is None and line.startswith("## "):
            section = line[3:].strip()
        if line.startswith("```"):
            fence = line[3:].strip() if fence is None else None
            continue
        if fence == "sh":
            pending += line.rstrip()
            if pending.endswith("\\"):
                pending = pending[:-1].rstrip() + " "
                continue
            command = " ".join(strip_comment(pending).split())
            pending = ""
            if command:
                commands.append((section, command))
        elif fence is None and section == "Other commands" and line.startswith("|"):
            for span in re.findall(r"`([^`]+)`", line):
                if span.startswith(TABLE_PREFIXES):
                    # A `|` inside a table cell is written `\|`.
                    commands.append((section, span.replace("\\|", "|")))
    first = {}
    for section, command in commands:
        first.setdefault(command, section)
    return [(section, command) for command, section in first.items()]


def is_synopsis(command):
    words = ENV_ASSIGNMENT.sub("", command)
    return "[" in words or "…" in words or bool(PLACEHOLDER.search(words))


def help_command(synopsis):
    """The synopsis's command words (before the first placeholder or option), with --help."""
    words = []
    for word in shlex.split(synopsis.replace("…", "")):
        if word.startswith(("-", "[")) or PLACEHOLDER.search(word):
            break
        words.append(word)
    return shlex.join([*words, "--help"])


def check_for(command):
    for prefix, patterns in CHECKS.items():
        if command == prefix or command.startswith(prefix + " "):
            return patterns
    return []


def with_shared_data(command):
    """The command reading the shared data folder where it is; skip when a file is absent."""
    for name in SHARED_PATH.findall(command):
        shared_file(name)
    return SHARED_PATH.sub(lambda match: str(SHARED_DATA / match[1]), command)


def run(command, *, env=None, stdin=None, timeout=300):
    result = subprocess.run(
        ["/bin/bash", "-c", command],
        cwd=ROOT,
        env={**CLEAN_ENV, **(env or {})},
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{command} exited with {result.returncode}:\n{output}"
    return output


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def started(command, marker, env, timeout=180):
    """A long-running command in a process group of its own, once `marker` is in its output
    (the lines so far are yielded, and grow); the whole group is stopped on leaving."""
    process = subprocess.Popen(
        ["/bin/bash", "-c", command],
        cwd=ROOT,
        env={**CLEAN_ENV, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        while not any(marker in line for line in lines):
            assert process.poll() is None, f"{command} stopped:\n{''.join(lines)}"
            assert time.monotonic() < deadline, f"{command}: no {marker!r}:\n{''.join(lines)}"
            time.sleep(0.1)
        yield lines
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=5)


def fetch(url, deadline):
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def set_up():
    """`make setup` once, as a newcomer would before typing anything else (it writes .env)."""
    return run("make setup")


def test_readme_has_commands_in_its_shape():
    """The README starts with make run / make test, and the rules find what they should."""
    assert COMMANDS[:2] == [("", "make run"), ("", "make test")]
    assert any(section == "Other commands" for section, _command in COMMANDS)
    assert any(section == PRODUCTION for section, _command in COMMANDS)
    assert any(is_synopsis(command) for _section, command in COMMANDS)


def test_not_run_tables_name_real_commands_and_tests():
    """No stale entry: each names a README command, and each cited test exists."""
    commands = {command for _section, command in COMMANDS}
    sections = {section for section, _command in COMMANDS}
    for command in [*NOT_RUN, *LONG_RUNNING, *STDIN]:
        assert command in commands, f"{command!r} is no longer in README.md"
    assert set(NOT_RUN_SECTIONS) <= sections
    for _reason, test in [*NOT_RUN.values(), *NOT_RUN_SECTIONS.values()]:
        if test:
            path, name = test.split("::")
            assert f"def {name}(" in (ROOT / path).read_text(), f"{test} does not exist"


def test_production_block_is_checked_by_the_deploy_check():
    """The production lines are not run here; their `check --deploy` is, under production
    settings, by the test that NOT_RUN_SECTIONS names."""
    production = [command for section, command in COMMANDS if section == PRODUCTION]
    assert any("manage.py check --deploy" in command for command in production)
    assert "gunicorn config.wsgi" in " ".join(production)


# Every README command but those the NOT_RUN tables explain (and
# test_not_run_tables_name_real_commands_and_tests checks): a new command is run unless it is
# added there with its reason.
RUN = [
    (section, command)
    for section, command in COMMANDS
    if section not in NOT_RUN_SECTIONS and command not in NOT_RUN
]


@pytest.mark.parametrize(
    ("section", "command"), RUN, ids=[command[:60] for _section, command in RUN]
)
def test_readme_command(section, command, request):
    request.getfixturevalue("set_up")
    if is_synopsis(command):
        output = run(help_command(command), timeout=120)
        for option in re.findall(r"--[a-z][\w-]*", command):
            assert option in output, f"{help_command(command)} does not mention {option}"
        return
    runnable = with_shared_data(command)
    if command in LONG_RUNNING:
        env = {"PORT": str(free_port())} if command == "make run" else {}
        with started(runnable, LONG_RUNNING[command], env) as lines:
            if command == "make run":
                check_make_run(lines, int(env["PORT"]))
            output = "".join(lines)
    elif command in STDIN:
        output = run(runnable, stdin=STDIN[command])
    else:
        # The set_up fixture was make setup's first run; other commands get theirs here.
        if CHANGES_DATA.search(command) and command != "make setup":
            run(runnable)
        output = run(runnable)
        if CHANGES_DATA.search(command):
            assert_nothing_changed(command, output)
    for pattern in check_for(command):
        assert re.search(pattern, output), f"{command}: no {pattern!r} in:\n{output}"


def assert_nothing_changed(command, output):
    counts = [int(a or b) for a, b in CHANGE_COUNTS.findall(output)]
    assert counts, f"{command} reports no counts:\n{output}"
    assert not any(counts), f"{command} changed something when run again:\n{output}"


def check_make_run(lines, port):
    """`make run` prints what the README's "What you see" says, and serves the site."""
    text = README.read_text(encoding="utf-8")
    shown = text.split("`make run` prints:", 1)[1].split("```", 2)[1]
    for line in shown.strip().splitlines():
        assert line.replace(":8000", f":{port}") in "".join(lines), "".join(lines)
    status, page = fetch(f"http://127.0.0.1:{port}/en/", time.monotonic() + 60)
    assert status == 200
    assert "Service Network Map" in page and 'name="password"' in page
