#!/usr/bin/env python3
"""Drives the real `mapl` REPL through a pseudo-terminal, as a person would type.

Usage: pty_session.py MAPL_BINARY [REPOSITORY_ROOT]

Checks line editing end to end: the prompt and the continuation prompt, a multi-line
declaration, a query printing a table, Tab completion (a name, a field after '.',
a meta command, a list of candidates), Ctrl-R history search, Ctrl-C clearing a
line and stopping an endless loop with the session intact, Ctrl-D leaving with the
history saved, and the history coming back in a second session.

Waits are event-driven (until the expected text appears, at most a few seconds),
so the whole script takes about a second. Exit status 0 when every check passes;
otherwise it prints what failed and the screen so far, and exits 1.
"""

import os
import pty
import re
import select
import shutil
import signal
import sys
import tempfile
import termios
import time

TIMEOUT = 10.0  # seconds to wait for any one expected text (generous for slow CI)


class Failure(Exception):
    pass


class Terminal:
    """A child process on a pseudo-terminal, with expect-style helpers."""

    def __init__(self, argv, env, cwd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        self.screen = ""  # everything the child wrote, escape codes included
        self.mark = 0     # where the next expect starts looking

    def _read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return None
        if not data:
            return None
        self.screen += data.decode("utf-8", errors="replace")
        return True

    def expect(self, text, what=None, timeout=TIMEOUT):
        """Waits until `text` appears after the mark; moves the mark past it."""
        deadline = time.time() + timeout
        while True:
            found = self.screen.find(text, self.mark)
            if found >= 0:
                self.mark = found + len(text)
                return
            left = deadline - time.time()
            if left <= 0 or self._read(min(left, 0.2)) is None and self.screen.find(text, self.mark) < 0:
                raise Failure(f"expected {what or repr(text)}; screen after the mark: {self.screen[self.mark:]!r}")

    def type(self, keys, editing=True):
        """Types keys. With `editing`, first waits until libedit has the terminal
        (echo off): keys typed before that would be echoed twice, once by the tty."""
        if editing:
            deadline = time.time() + TIMEOUT
            while termios.tcgetattr(self.fd)[3] & termios.ECHO:
                if time.time() > deadline:
                    raise Failure("the line editor never took the terminal")
                self._read(0.01)
        os.write(self.fd, keys.encode("utf-8"))

    def settle(self, quiet=0.15):
        """Reads until the child has been quiet for a moment."""
        while self._read(quiet):
            pass

    def wait_exit(self):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.05):
                    pass
                return os.waitstatus_to_exitcode(status)
            self._read(0.05)
        os.kill(self.pid, signal.SIGKILL)
        raise Failure("the REPL did not exit")


def visible(text):
    """The screen text without escape sequences and carriage returns."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z@]|\r|\x07|\x08", "", text)


def main():
    binary = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    home = tempfile.mkdtemp(prefix="mapl-pty-")
    history = os.path.join(home, "state", "history")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,               # no ~/.editrc of the person running the tests
        "TERM": "xterm",
        "MAPL_HISTORY": history,
        "MAPL_TODAY": "2026-11-22",
        "NO_COLOR": "1",
    }
    checks = []
    session = None
    try:
        # --- first session -------------------------------------------------------
        session = Terminal([binary, "repl", "Tests/repl/account.mapl"], env, root)
        t = session
        t.expect("Ctrl-D leaves.", "the banner")
        t.expect("mapl> ", "the first prompt")

        # A multi-line declaration: continuation prompts until the block closes.
        t.type("fn double(x) {\r")
        t.expect("  ... ", "a continuation prompt after an open block")
        t.type("  return x * 2\r")
        t.expect("  ... ")
        t.type("}\r")
        t.expect("mapl> ")
        t.type("double(21)\r")
        t.expect("42\r\n", "the value of double(21)")
        t.expect("mapl> ")
        checks.append("multi-line declaration and a call")

        # The multi-line entry is one history entry: Up twice (past double(21)) recalls
        # all of it, and Enter declares it again: no error, as its last line `}` alone
        # would give.
        t.type("\x1b[A\x1b[A")
        t.settle()
        t.type("\r")
        t.expect("mapl> ", "the prompt after the recalled declaration")
        t.settle()
        t.type("double(5)\r")
        t.expect("10\r\n", "double(5) after the recalled declaration")
        recalled = visible(t.screen[t.screen.rfind("42"):])
        if "error" in recalled:
            raise Failure(f"the recalled multi-line entry failed: {recalled!r}")
        t.expect("mapl> ")
        checks.append("a multi-line entry is one history entry, recalled whole")

        # Emacs keys and arrows edit the line; multi-byte text edits as characters.
        t.type("2 * 4\x01")        # Ctrl-A: to the start of the line
        t.type("1 + \r")
        t.expect("9\r\n", "1 + 2 * 4 after Ctrl-A")
        t.expect("mapl> ")
        t.type("21\x1b[D3\r")     # Left arrow, then insert
        t.expect("231\r\n", "an insertion after the Left arrow")
        t.expect("mapl> ")
        t.type("\"café ✓✓\x08\"\r")  # Backspace removes one character, not one byte
        t.expect("\"café ✓\"\r\n", "a multi-byte string edited")
        t.expect("mapl> ")
        checks.append("emacs keys, arrows and multi-byte editing")

        # A query: a list of records prints as a table.
        t.type("opportunities\r")
        t.expect("probability", "the table header")
        t.expect("EMEA rollout", "a table row")
        t.expect("mapl> ")
        checks.append("query printed as a table")

        # Tab completes a unique name, a field after '.', and a meta command.
        t.type("close_r\t")
        t.expect("atio", "close_r completed to close_ratio")
        t.type("\r")
        t.expect("30%", "the value of close_ratio")
        t.expect("mapl> ")
        t.type("opportunities[0].pro\t")
        t.expect("bability", "the field completed to probability")
        t.type("\r")
        t.expect("80%")
        t.expect("mapl> ")
        t.type(":sh\t")
        t.expect("ow ", ":sh completed to :show")
        t.type("goal\r")
        t.expect("$2,500,000")
        t.expect("mapl> ")
        checks.append("Tab completion of a name, a field and a meta command")

        # Tab on an ambiguous word lists the candidates.
        t.type("clos\t")
        t.expect("closing_soon", "the list of candidates")
        t.expect("mapl> clos", "the prompt and line redrawn below the list")
        t.settle()
        t.type("\x15")  # Ctrl-U: clear the line
        t.settle()
        checks.append("Tab lists ambiguous candidates")

        # Ctrl-R searches the history.
        t.type("\x12double(2")
        t.expect("21)", "Ctrl-R found the earlier line")
        t.type("\r")
        t.expect("42\r\n", "the recalled line ran again")
        t.expect("mapl> ")
        checks.append("Ctrl-R history search")

        # Ctrl-C while typing drops the line, and the half-typed let never ran.
        t.type("let xyzzy = 1")
        t.settle()
        t.type("\x03")
        t.expect("^C", "Ctrl-C echoed")
        t.expect("mapl> ")
        t.type("xyzzy\r")
        t.expect("undefined name 'xyzzy'", "the cleared line did not run")
        t.expect("mapl> ")
        # ... and in the middle of a multi-line input it drops all of it.
        t.type("let pending = [\r")
        t.expect("  ... ")
        t.type("\x03")
        t.expect("mapl> ", "the primary prompt after Ctrl-C in a continuation")
        checks.append("Ctrl-C clears the line")

        # Ctrl-C stops a loop that spends its time in the plan's rules (export() runs
        # them): a rule that is interrupted stops, and so does the loop.
        t.type("fn spin(n) => if n == 0 { 0 } else { spin(n - 1) }\r")
        t.expect("mapl> ")
        t.type("rule busy for o in opportunities { expect: spin(3000) < 0 }\r")
        t.expect("mapl> ")
        t.type("while true { let doc = export(\"markdown\") }\r")
        t.settle(0.3)
        for attempt in range(5):
            t.type("\x03", editing=False)
            try:
                t.expect("interrupted", "the loop over export() was interrupted", timeout=2.0)
                break
            except Failure:
                if attempt == 4:
                    raise
        t.expect("mapl> ")
        checks.append("Ctrl-C interrupts a loop running the plan's rules")

        # Ctrl-C stops an endless loop; the session keeps its names.
        t.type("while true { }\r")
        t.settle(0.3)
        # During the evaluation the tty is in cooked mode. On a very slow machine the
        # first Ctrl-C could land before the loop starts, so it is pressed again.
        for attempt in range(5):
            t.type("\x03", editing=False)
            try:
                t.expect("interrupted", "the loop was interrupted", timeout=2.0)
                break
            except Failure:
                if attempt == 4:
                    raise
        t.expect("mapl> ")
        t.type("double(gap / $1k)\r")
        t.expect("320\r\n", "the session is intact after the interrupt")
        t.expect("mapl> ")
        checks.append("Ctrl-C interrupts while true { }")

        # Ctrl-D on an empty line leaves, with the history saved.
        t.type("\x04")
        status = t.wait_exit()
        if status != 0:
            raise Failure(f"exit status {status} after Ctrl-D")
        with open(history, encoding="utf-8", errors="replace") as file:
            saved = file.read()
        if "double(21)" not in saved:
            raise Failure(f"history file lacks double(21): {saved!r}")
        checks.append("Ctrl-D leaves; history saved to MAPL_HISTORY")
        first_screen = visible(t.screen)
        # The table reached the screen as clean, aligned lines.
        if "name                        value  probability  close" not in first_screen:
            raise Failure("the table header is not one aligned line")
        if os.environ.get("MAPL_PTY_TRANSCRIPT"):
            with open(os.environ["MAPL_PTY_TRANSCRIPT"], "w", encoding="utf-8") as file:
                file.write(first_screen)

        # --- second session: the history is back ----------------------------------
        session = Terminal([binary], env, root)
        t = session
        t.expect("mapl> ")
        t.type("let x = 5\r")
        t.expect("mapl> ")
        t.type("\x1b[A\x1b[A")  # Up twice: back past `let x = 5` to the last line of session one
        t.expect("double(gap / $1k)", "Up recalled a line from the previous session")
        t.type("\x15x * 2\r")
        t.expect("10\r\n")
        t.expect("mapl> ")
        t.type(":quit\r")
        if t.wait_exit() != 0:
            raise Failure("nonzero exit after :quit")
        checks.append("history persists across sessions; :quit leaves")

    except Failure as failure:
        print("FAIL:", failure)
        if session is not None:
            print("---- screen (escape codes removed) ----")
            print(visible(session.screen))
            try:
                os.kill(session.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    for check in checks:
        print("ok:", check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
