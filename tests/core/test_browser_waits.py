"""The browser tests wait for the next page the one way that cannot race.

`page.wait_for_load_state()` after a click that submits a form or follows a link returns at once while the old page is
still shown (it is loaded), and the assertion after it then reads the old page: a test that passes or fails with the
machine's load (it failed CI once: the login page's "wrong password" alert). A click or key press that loads a page
goes inside `with page.expect_navigation():`, which listens before the click; an element that appears on the same page
is awaited with `expect(locator)`. This test reads the browser tests' source and refuses the racy idiom wherever it is.
"""

import ast
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
ACTIONS = {"click", "dblclick", "press", "check", "select_option", "set_input_files"}


def _called(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        function = statement.value.func
        if isinstance(function, ast.Attribute):
            return function.attr
    return None


def racy_waits(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if not isinstance(statements, list):
                continue
            for before, after in zip(statements, statements[1:], strict=False):
                if _called(before) in ACTIONS and _called(after) == "wait_for_load_state":
                    found.append(f"{filename}:{after.lineno}")
    return found


def test_the_checker_finds_the_racy_idiom_and_passes_the_safe_one():
    racy = "def t(page):\n    page.locator('#go').click()\n    page.wait_for_load_state()\n"
    safe = "def t(page):\n    with page.expect_navigation():\n        page.locator('#go').click()\n"
    after_goto = "def t(page):\n    page.goto('/')\n    page.wait_for_load_state('networkidle')\n"
    assert racy_waits(racy, "racy.py") == ["racy.py:3"]
    assert racy_waits(safe, "safe.py") == [] and racy_waits(after_goto, "goto.py") == []


def test_no_browser_test_waits_for_the_load_state_after_a_click():
    files = sorted(BROWSER_TESTS.glob("*.py"))
    assert files, BROWSER_TESTS
    found = [hit for path in files for hit in racy_waits(path.read_text(encoding="utf-8"), path.name)]
    assert not found, "wrap the click in `with page.expect_navigation():` instead: " + ", ".join(found)
