#!/usr/bin/env python3
"""Check docs/LAB4.md (the lab 4 handout mapped onto this tree) against the source.

Usage: conf/lab4-doc-check.py [--fix] [DOC]      (DOC: default docs/LAB4.md)
       conf/lab4-doc-check.py --self-test       (tests --fix on a scratch copy)

Run from anywhere; paths are relative to the repository root (this script's
parent directory). Python 3 standard library only.

Source links
------------
A source link is a Markdown link whose text is `PATH:N` and whose target is
`../PATH#LN` (the document lives in docs/), followed by white space (a line
break too) and a name in backticks. Two forms:

  [kern/pmap.cc:123](../kern/pmap.cc#L123) `mmio_map_region`
      A definition link. Line 123 of kern/pmap.cc must contain the identifier
      mmio_map_region (as a whole word), and must be the one line of the file
      that defines it (see "Definitions" below).

  [kern/trap.cc:262](../kern/trap.cc#L262) `e->env_tf = *tf` in `trap`
      A use link: a place inside a function (or label, or macro). Line 262
      must contain the text `e->env_tf = *tf` verbatim, and must be the only
      line of the body of `trap` (see "Bodies") that contains it.

Only C, C++ and assembly files can be linked this way (the rules below are
theirs); a link to any other file is reported.

Checked for every source link: PATH exists, the PATH and N in the text equal
the PATH and N in the target, N is a line of the file, and the rule of its
form holds. So every link that passes can also be relocated by --fix when
the code moves.

Definitions
-----------
In C and C++ files (.c .cc .h .hh) comments and string contents are blanked
first (// and /* */, also across lines). A line defines NAME if it is:
  - `#define NAME` (function-like or not); or
  - a line starting in column 0, not with `#`, `extern`, `return`,
    `typedef` or `static_assert`, and
      - a function definition: NAME followed by `(` (spaces allowed) on a
        line that does not end in `;` (the return type may be on the line
        before; a declaration `void f(void);` ends in `;` and does not
        count), or
      - a global variable or constant: NAME followed by `=` (not `==`),
        `;`, `[` or `{`, or written `(*NAME)` (a function pointer):
        `Env *envs;`, `constinit Gatedesc idt[256] = {};`,
    where what precedes NAME on the line, once balanced parentheses are
    dropped (`alignas(PGSIZE)`, `__attribute__((...))`), holds no `(`, `=`
    or `{` (else NAME is used in an expression there, not declared); or
      - a type definition: `struct NAME`, `class NAME`, `union NAME` or
        `enum NAME` on a line that does not end in `;`.
In assembly files (.S) only /* */ comments are blanked, and a line defines
NAME if it is `#define NAME`, the label `NAME:` (leading blanks allowed) or
`.macro NAME`.

Bodies
------
The body of a function, label or macro NAME is the span starting at its
definition line: in C and C++, up to the `}` matching the first `{` at or
after that line (for a #define: the line and its backslash continuations);
in assembly, up to the line before the next label, `.macro` or `#define`
(or `.endm` for a .macro).

Entries
-------
The document must have one heading `### Exercise N` for each N in 1..15 and
one heading `### Question N` for each N in 1..4 (text may follow N, e.g.
`### Exercise 1: mmio_map_region`), each at most once, each section (up to
the next heading) holding at least one source link. It must contain the line
`<!-- LAB 4: staff only -->` exactly once, followed by the staff appendix,
which needs a heading `### Answer to question N` for N in 1..4, each with a
source link too. Other relative links (`[x](../README.md)`, `[y](GRADERS.md)`)
must name files that exist.

Output: one line per problem, `DOC:LINE: message`, and exit status 1; or one
line `DOC: OK (...)` and exit status 0.

--fix
-----
Rewrites, in place, the line numbers of source links that are stale: for a
definition link, to the file's one definition line of NAME; for a use link,
to the one line of FUNC's body that contains the text. When there is not
exactly one candidate, the link is left alone and reported (the script never
guesses). A link whose text and target disagree gets the target's path and
line in both. Then it checks again, as without --fix, and exits accordingly.

--self-test
-----------
Copies the document and the files it links to a scratch directory, adds
three lines to the top of every linked source file, and checks that --fix
moves every link by exactly three lines and leaves nothing to report; then
adds a second definition of a linked name and checks that --fix reports it
and leaves that link alone. `./grade-lab4 lab4-doc-fix` runs it.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOC = "docs/LAB4.md"
STAFF_MARKER = "<!-- LAB 4: staff only -->"
EXERCISES = range(1, 16)
QUESTIONS = range(1, 5)

# Anything that looks like a line link, to find the ones that miss the form.
ANY_LINE_LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*#L\d+\)")
SOURCE_LINK = re.compile(
    r"\[(?P<tpath>[^\]:\s]+):(?P<tline>\d+)\]"
    r"\(\.\./(?P<path>[^)#\s]+)#L(?P<line>\d+)\)"
    r"(?:\s+`(?P<name>[^`\n]+)`(?:\s+in\s+`(?P<func>[A-Za-z_]\w*)`)?)?")
OTHER_LINK = re.compile(r"\]\((?P<target>[^)\s#]+)(?:#[^)\s]*)?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ENTRY = re.compile(r"^#{3}\s+(Exercise|Question|Answer to question)\s+(\d+)\b")
IDENT = re.compile(r"^[A-Za-z_]\w*$")

C_SUFFIXES = {".c", ".cc", ".h", ".hh"}
ASM_SUFFIXES = {".S"}


def blank_comments(lines, line_comments=True):
    """The lines with comments (and, in C, string contents) replaced by
    spaces, so that names inside them do not count. Keeps line numbers."""
    out = []
    in_block = False
    for line in lines:
        res = []
        i = 0
        quote = None
        while i < len(line):
            c = line[i]
            two = line[i:i + 2]
            if in_block:
                if two == "*/":
                    in_block = False
                    res.append("  ")
                    i += 2
                else:
                    res.append(" ")
                    i += 1
            elif quote:
                if c == "\\":
                    res.append("  ")
                    i += 2
                    continue
                if c == quote:
                    quote = None
                    res.append(c)
                else:
                    res.append(" ")
                i += 1
            elif two == "/*":
                in_block = True
                res.append("  ")
                i += 2
            elif two == "//" and line_comments:
                break
            elif c in "\"'" and line_comments:
                quote = c
                res.append(c)
                i += 1
            else:
                res.append(c)
                i += 1
        out.append("".join(res).rstrip())
    return out


def declarator_prefix(text: str) -> bool:
    """Can text come before the name a declaration declares? Not if, with
    balanced (...) groups (attributes, alignas) dropped, it holds a `(`, `=`
    or `{`: then the name is used in an expression or a body."""
    prev = None
    while prev != text:
        prev, text = text, re.sub(r"\([^()]*\)", "", text)
    return not re.search(r"[(={]", text)


class Source:
    """One source file, its comment-free text, and its definitions."""

    def __init__(self, path: Path):
        self.lines = path.read_text(errors="replace").splitlines()
        self.asm = path.suffix in ASM_SUFFIXES
        self.c = path.suffix in C_SUFFIXES
        # In .S files `//` is not a comment everywhere and quotes are rare:
        # blank only /* */ comments there.
        self.code = blank_comments(self.lines, line_comments=not self.asm)

    def defines(self, i: int, name: str) -> bool:
        """Does line i (0-based) define name (module docstring, Definitions)?"""
        line = self.code[i]
        n = re.escape(name)
        if re.match(rf"\s*#\s*define\s+{n}\b", line):
            return True
        if self.asm:
            return bool(re.match(rf"\s*{n}:", line) or re.match(rf"\s*\.macro\s+{n}\b", line))
        if not self.c or not line or line[0].isspace() or line[0] == "#":
            return False
        if re.match(r"(extern|return|typedef|static_assert)\b", line):
            return False
        if re.match(rf"(struct|class|union|enum)\s+(\[\[[^\]]*\]\]\s*)?{n}\b", line):
            return not line.endswith(";")
        m = re.search(rf"(?<![\w.>]){n}\s*\(", line)
        if m and declarator_prefix(line[:m.start()]):
            return not line.endswith(";")
        m = re.search(rf"(?<![\w.>]){n}\s*(=(?!=)|;|\[|\{{)|\(\*\s*{n}\s*\)", line)
        return bool(m and declarator_prefix(line[:m.start()]))

    def definitions(self, name: str) -> list:
        """0-based lines that define name."""
        return [i for i in range(len(self.lines)) if self.defines(i, name)]

    def body(self, start: int) -> range:
        """0-based line range of the body whose definition is line start."""
        if re.match(r"\s*#\s*define\b", self.code[start]):
            end = start
            while end + 1 < len(self.lines) and self.lines[end].endswith("\\"):
                end += 1
            return range(start, end + 1)
        if self.asm:
            macro = re.match(r"\s*\.macro\b", self.code[start])
            end = start + 1
            while end < len(self.lines):
                line = self.code[end]
                if macro and re.match(r"\s*\.endm\b", line):
                    return range(start, end + 1)
                if not macro and (re.match(r"\s*[A-Za-z_.$][\w.$]*:", line) or
                                  re.match(r"\s*(\.macro\b|#\s*define\b)", line)):
                    break
                end += 1
            return range(start, end)
        depth = 0
        opened = False
        for i in range(start, len(self.lines)):
            for c in self.code[i]:
                if c == "{":
                    depth += 1
                    opened = True
                elif c == "}":
                    depth -= 1
                    if opened and depth == 0:
                        return range(start, i + 1)
            if not opened and self.code[i].rstrip().endswith(";"):
                break   # a declaration, not a definition with a body
        return range(start, start + 1)


class Checker:
    """The checks (and --fix) of one document; source paths are relative to root."""

    def __init__(self, doc: Path, root: Path = ROOT):
        self.doc = doc
        self.root = root
        self.doc_name = str(doc.relative_to(root)) if doc.is_relative_to(root) else str(doc)
        self.text = doc.read_text()
        self.problems = []
        self.sources = {}

    def problem(self, lineno: int, msg: str):
        self.problems.append(f"{self.doc_name}:{lineno}: {msg}")

    def source(self, path: str):
        if path not in self.sources:
            p = self.root / path
            self.sources[path] = Source(p) if p.is_file() else None
        return self.sources[path]

    def locate(self, m) -> tuple:
        """(1-based line the link should name, or None; problem text or None)."""
        src = self.source(m["path"])
        name, func = m["name"], m["func"]
        if func is None:
            if not IDENT.match(name):
                return None, f"`{name}` is not an identifier (a use link needs ` in `FUNC``)"
            defs = src.definitions(name)
            if len(defs) != 1:
                where = ", ".join(str(d + 1) for d in defs) or "none"
                return None, (f"{m['path']}: not exactly one definition of {name} "
                              f"(found: {where})")
            return defs[0] + 1, None
        defs = src.definitions(func)
        if len(defs) != 1:
            where = ", ".join(str(d + 1) for d in defs) or "none"
            return None, f"{m['path']}: not exactly one definition of {func} (found: {where})"
        body = src.body(defs[0])
        hits = [i for i in body if name in src.lines[i]]
        if len(hits) != 1:
            where = ", ".join(str(h + 1) for h in hits) or "none"
            return None, (f"{m['path']}: `{name}` is not on exactly one line of {func} "
                          f"(lines {body.start + 1}-{body.stop}; found: {where})")
        return hits[0] + 1, None

    def check_link(self, m, lineno: int):
        """Problems of one source link; returns the line it should name or None."""
        path, n = m["path"], int(m["line"])
        if m["tpath"] != path or m["tline"] != m["line"]:
            self.problem(lineno, f"link text {m['tpath']}:{m['tline']} differs from "
                         f"target ../{path}#L{m['line']}")
        if m["name"] is None:
            self.problem(lineno, f"{path}:{n}: no `name` in backticks right after the link")
            return None
        src = self.source(path)
        if src is None:
            self.problem(lineno, f"{path}: no such file")
            return None
        if not 1 <= n <= len(src.lines):
            self.problem(lineno, f"{path}:{n}: the file has {len(src.lines)} lines")
        want, err = self.locate(m)
        if err:
            self.problem(lineno, err)
            return None
        if want != n:
            name = m["name"]
            self.problem(lineno, f"{path}:{n}: stale: `{name}` "
                         f"{'is defined' if m['func'] is None else 'is'} at line {want}"
                         f"{'' if m['func'] is None else ' in ' + m['func']} (--fix rewrites it)")
        return want

    def lineno(self, offset: int) -> int:
        """1-based document line of a character offset."""
        return self.text.count("\n", 0, offset) + 1

    def check(self) -> int:
        """Check everything; returns the number of source links."""
        links = list(SOURCE_LINK.finditer(self.text))
        spans = [m.span() for m in links]
        for a in ANY_LINE_LINK.finditer(self.text):
            if not any(s <= a.start() < e for s, e in spans):
                self.problem(self.lineno(a.start()),
                             f"{a.group(0)}: not of the form [PATH:N](../PATH#LN)")
        for m in links:
            self.check_link(m, self.lineno(m.start()))
        for m in OTHER_LINK.finditer(self.text):
            target = m["target"]
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue   # http:, mailto:, an anchor in this document
            if not (self.doc.parent / target).exists():
                self.problem(self.lineno(m.start()), f"link target {target}: no such file")
        self.check_entries(self.text.splitlines())
        return len(links)

    def check_entries(self, lines):
        markers = [i for i, line in enumerate(lines, 1) if line.strip() == STAFF_MARKER]
        if len(markers) != 1:
            self.problem(markers[1] if len(markers) > 1 else 1,
                         f"need the line {STAFF_MARKER} exactly once (found {len(markers)})")
        staff_from = markers[0] if markers else len(lines) + 1
        # Sections: heading line -> (kind, number, links in it).
        seen = {}
        current = None
        for lineno, line in enumerate(lines, 1):
            if HEADING.match(line):
                current = None
                e = ENTRY.match(line)
                if e:
                    kind, num = e[1], int(e[2])
                    if kind == "Answer to question" and lineno < staff_from:
                        self.problem(lineno, "an answer before the staff-only marker")
                    if kind != "Answer to question" and lineno > staff_from:
                        self.problem(lineno, f"{kind} {num} inside the staff appendix")
                    key = (kind, num)
                    if key in seen:
                        self.problem(lineno, f"{kind} {num} again (first at line "
                                     f"{seen[key][0]})")
                    else:
                        seen[key] = [lineno, 0]
                        current = key
            elif current and SOURCE_LINK.search(line):
                seen[current][1] += 1
        for kind, nums in (("Exercise", EXERCISES), ("Question", QUESTIONS),
                           ("Answer to question", QUESTIONS)):
            for num in nums:
                if (kind, num) not in seen:
                    self.problem(len(lines), f"no heading '### {kind} {num}'")
                elif seen[(kind, num)][1] == 0:
                    self.problem(seen[(kind, num)][0], f"{kind} {num}: no source link")
            for key, (lineno, _) in seen.items():
                if key[0] == kind and key[1] not in nums:
                    self.problem(lineno, f"{kind} {key[1]}: the handout has no such entry")

    def fix(self) -> int:
        """Rewrite stale line numbers; returns how many links changed."""
        pieces = []
        pos = 0
        changed = 0
        for m in SOURCE_LINK.finditer(self.text):
            if m["name"] is None or self.source(m["path"]) is None:
                continue
            want, err = self.locate(m)
            if err:
                continue    # reported by the check that follows
            if want == int(m["line"]) and m["tline"] == m["line"] and m["tpath"] == m["path"]:
                continue
            pieces.append(self.text[pos:m.start()])
            pieces.append(f"[{m['path']}:{want}](../{m['path']}#L{want})")
            pos = m.end("line") + 1     # past the target's ")"
            changed += 1
        pieces.append(self.text[pos:])
        if changed:
            self.text = "".join(pieces)
            self.doc.write_text(self.text)
        return changed


def self_test() -> int:
    """Exercise --fix on a scratch copy of the document and the files it links:
    lines inserted at the top of every linked file must be followed exactly, and
    a second definition of a linked name must be reported, not guessed at."""
    import shutil
    import tempfile
    failures = []
    doc = ROOT / DEFAULT_DOC
    with tempfile.TemporaryDirectory(prefix="lab4-doc-") as tmp:
        tmp = Path(tmp)
        links = list(SOURCE_LINK.finditer(doc.read_text()))
        paths = sorted({m["path"] for m in links if (ROOT / m["path"]).is_file()})
        others = set()
        for m in OTHER_LINK.finditer(doc.read_text()):
            target = (doc.parent / m["target"]).resolve()
            if target.is_file() and target.is_relative_to(ROOT):
                others.add(str(target.relative_to(ROOT)))
        for path in sorted({DEFAULT_DOC, *paths, *others}):
            (tmp / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / path, tmp / path)
        scratch_doc = tmp / DEFAULT_DOC
        # 1. Every linked file gains three lines at the top (a comment, a
        # blank line, a declaration that must not count as a definition).
        for path in paths:
            f = tmp / path
            head = "/* self-test */\n\n" + ("" if f.suffix in ASM_SUFFIXES else
                                             "int lab4_doc_self_test(void);\n")
            f.write_text(head + ("\n" if f.suffix in ASM_SUFFIXES else "") + f.read_text())
        checker = Checker(scratch_doc, tmp)
        changed = checker.fix()
        after = Checker(scratch_doc, tmp)
        after.check()
        moved = [m for m in SOURCE_LINK.finditer(scratch_doc.read_text())]
        if changed != len(links) or after.problems:
            failures.append(f"after shifting every file by 3 lines, --fix rewrote {changed} "
                            f"of {len(links)} links; problems left: {after.problems[:3]}")
        for old, new in zip(links, moved):
            if int(new["line"]) != int(old["line"]) + 3:
                failures.append(f"{old['path']}:{old['line']} `{old['name']}` moved to "
                                f"{new['line']}, not {int(old['line']) + 3}")
                break
        # 2. A second definition of a linked name: reported, left alone.
        first = next(m for m in moved if m["func"] is None and m["path"].endswith(".cc"))
        f = tmp / first["path"]
        f.write_text(f.read_text() + f"\nvoid {first['name']}(int self_test)\n{{\n}}\n")
        f.write_text("\n" + f.read_text())
        before = scratch_doc.read_text()
        checker = Checker(scratch_doc, tmp)
        checker.fix()
        again = Checker(scratch_doc, tmp)
        again.check()
        expect = f"not exactly one definition of {first['name']}"
        if not any(expect in p for p in again.problems):
            failures.append(f"a second definition of {first['name']} in {first['path']} "
                            f"was not reported ({again.problems[:3]})")
        link = first.group(0)
        if before.count(link) != scratch_doc.read_text().count(link):
            failures.append(f"--fix changed the link to {first['name']} although it has "
                            "two definitions")
    for f in failures:
        print(f"self-test: {f}")
    if failures:
        return 1
    print(f"self-test: OK (--fix followed {len(links)} links over {len(paths)} shifted files "
          "and refused an ambiguous one)")
    return 0


def main(argv) -> int:
    if argv == ["--self-test"]:
        return self_test()
    args = [a for a in argv if a != "--fix"]
    fixing = len(args) != len(argv)
    if any(a.startswith("-") for a in args) or len(args) > 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    doc = (Path.cwd() / args[0]).resolve() if args else ROOT / DEFAULT_DOC
    if not doc.is_file():
        print(f"{doc}: no such file")
        return 1
    checker = Checker(doc)
    if fixing:
        changed = checker.fix()
        print(f"{checker.doc_name}: {changed} line number(s) rewritten")
        # Check again from scratch: what could not be fixed is reported there.
        checker = Checker(doc)
    nlinks = checker.check()
    for p in checker.problems:
        print(p)
    if checker.problems:
        return 1
    print(f"{checker.doc_name}: OK ({nlinks} source links, exercises "
          f"{EXERCISES.start}-{EXERCISES.stop - 1}, questions "
          f"{QUESTIONS.start}-{QUESTIONS.stop - 1} and their answers)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
