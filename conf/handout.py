#!/usr/bin/env python3
"""Cut the student tree of lab 4 from this (solution) tree.

Usage:
  conf/handout.py --check            check every marker in the tree
  conf/handout.py OUTDIR             write the student tree to OUTDIR
  conf/handout.py --restore OUTDIR   put the solution regions back into the
                                     student tree at OUTDIR (for testing:
                                     the result is this tree, byte for byte)

Markers. A marker is a line holding only a comment (after leading blanks):
`//`, `#` or `<!-- ... -->`, whose text is one of

  LAB 4: solution            starts an exercise region (the lab's own work)
  LAB 4 CHALLENGE: solution  starts a challenge region (code beyond the lab)
  LAB 4: answer              starts an answer region: a comment that answers
                             one of the handout's questions or tells how the
                             solution works (no stub; the student tree has
                             nothing in its place)
  LAB 4: stub                optional, inside a region: what follows, up to
                             the end marker, is the student's version
  LAB 4: end                 ends the region

Each line of a stub is written as a comment, `//| code` (or `#| code`), so
the solution tree does not compile it; the student tree gets `code` with
the line's leading blanks. In the student tree a region becomes the stub's
lines between two comment lines, "LAB 4: Your code here." and "LAB 4: end
of your code." (a challenge region: "LAB 4 CHALLENGE: the handout's
version" and "LAB 4 CHALLENGE: end"), with the start marker's indentation
and comment leader, so --restore can find each region again. Markdown files may also hold the line
`<!-- LAB 4: staff only -->`: everything from it to the end of the file
is left out of the student tree.

Source links in Markdown files (docs/LAB4.md's `[PATH:N](../PATH#LN)`
followed by a name in backticks, see conf/lab4-doc-check.py) are
rewritten for the student tree: N becomes the line's number in the
student's file, and a link into a region (whose line the student does not
have, and whose quote would give code away) or into a solution-only file
becomes just the name of the function it was in (`NAME` in `FN`: `FN`; a
definition: its `NAME`).

Files the student tree leaves out (solution-only tests and tools) are
listed in SOLUTION_ONLY below. The tree's files are those `git ls-files`
lists, or, without git, those .gitignore does not exclude.

Exit status: 0; 1 with one line per problem (unbalanced or unknown
markers, a --restore that finds a different tree); 2 on a bad command
line.
"""
import os
import fnmatch
import re
import shutil
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Our hostile programs, the bench and their tools: the student does not
# get them (grade-lab4 marks their tests as solution regions too).
SOLUTION_ONLY = [
    "user/bench.cc", "conf/bench.py",
    "user/fuzz.cc", "user/pageleak.cc", "user/envexhaust.cc",
    "user/cowisolate.cc", "user/cowpaths.cc", "user/ipcstress.cc",
    "user/smprace.cc", "user/destroyrace.cc", "user/stoprace.cc",
    "user/sforkmix.cc",
]

MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<lead>//|#|<!--)\s*"
                    r"(?P<text>LAB 4[^>]*?)\s*(?:-->)?\s*$")
KINDS = {
    "LAB 4: solution": ("begin", "exercise"),
    "LAB 4 CHALLENGE: solution": ("begin", "challenge"),
    "LAB 4: answer": ("begin", "answer"),
    "LAB 4: stub": ("stub", None),
    "LAB 4: end": ("end", None),
    "LAB 4: staff only": ("staff", None),
}
STUDENT_BEGIN = {"exercise": "LAB 4: Your code here.",
                 "challenge": "LAB 4 CHALLENGE: the handout's version"}
STUDENT_END = {"exercise": "LAB 4: end of your code.",
               "challenge": "LAB 4 CHALLENGE: end"}


class Problem(Exception):
    """A marker error; the message names the file and line."""


def comment(indent, lead, text):
    return f"{indent}<!-- {text} -->" if lead == "<!--" else f"{indent}{lead} {text}"


def marker(line):
    """(kind, region type, indent, comment leader) of a marker line, or None.
    A line that looks like a LAB 4 marker but is none raises Problem."""
    m = MARKER.match(line)
    if not m:
        return None
    text = m.group("text")
    if text not in KINDS:
        if text in STUDENT_BEGIN.values() or text in STUDENT_END.values():
            return ("student", None, m.group("indent"), m.group("lead"))
        raise Problem(f"unknown marker {text!r}")
    kind, region = KINDS[text]
    return (kind, region, m.group("indent"), m.group("lead"))


def parse(path, lines):
    """Split a solution file into plain text and regions. Returns a list of
    str (a line) and dict (a region: type, indent, lead, solution lines with
    their markers, stub lines) items, and whether a staff-only line starts
    the file's tail (its index, or None)."""
    items, region, staff = [], None, None
    for n, line in enumerate(lines, 1):
        try:
            m = marker(line.rstrip("\n"))
        except Problem as e:
            raise Problem(f"{path}:{n}: {e}")
        where = f"{path}:{n}"
        if m and m[0] == "student":
            raise Problem(f"{where}: a student-tree marker in the solution tree")
        if region is None:
            if not m:
                items.append(line)
            elif m[0] == "begin":
                region = {"type": m[1], "indent": m[2], "lead": m[3],
                          "text": [line], "stub": None, "start": where}
            elif m[0] == "staff":
                if not path.endswith(".md"):
                    raise Problem(f"{where}: 'staff only' is for Markdown files")
                staff = len(items)
                items.append(line)
            else:
                raise Problem(f"{where}: {m[0]} marker outside a region")
            continue
        region["text"].append(line)
        if not m:
            if region["stub"] is not None:
                code = line.lstrip(" \t")
                prefix = region["lead"] + "|"
                if not code.startswith(prefix):
                    raise Problem(f"{where}: a stub line must start with {prefix!r}")
                body = code[len(prefix):]
                body = body[1:] if body.startswith(" ") else body
                region["stub"].append(line[:len(line) - len(code)] + body)
            continue
        if m[0] == "stub":
            if region["type"] == "answer":
                raise Problem(f"{where}: an answer region has no stub")
            if region["stub"] is not None:
                raise Problem(f"{where}: a second stub marker in one region")
            region["stub"] = []
        elif m[0] == "end":
            if region["stub"] is None:
                region["stub"] = []
            items.append(region)
            region = None
        else:
            raise Problem(f"{where}: {m[0]} marker inside the region "
                          f"started at {region['start']}")
    if region is not None:
        raise Problem(f"{region['start']}: region never ends")
    return items, staff


SOURCE_LINK = re.compile(r"\[(?P<path>[^\]\s:]+):(?P<n>\d+)\]\(\.\./(?P=path)#L(?P=n)\)"
                         r"\s+`(?P<name>[^`]+)`(?:\s+in\s+`(?P<fn>[^`]+)`)?")


def line_maps(files):
    """For each parsed file: ({solution line: student line} for the lines
    outside regions, set of solution lines inside regions), 1-based."""
    maps = {}
    for rel, items, staff in files:
        if items is None:
            continue
        to_student, in_region, sol, stu = {}, set(), 1, 1
        for i, item in enumerate(items):
            if staff is not None and i >= staff:
                break
            if isinstance(item, str):
                to_student[sol] = stu
                sol, stu = sol + 1, stu + 1
                continue
            in_region.update(range(sol, sol + len(item["text"])))
            sol += len(item["text"])
            if item["type"] != "answer":
                stu += len(item["stub"]) + 2
        maps[rel] = (to_student, in_region)
    return maps


def student_links(text, maps):
    """text (a Markdown file's) with its source links rewritten for the
    student tree (see the module's doc)."""
    def rewrite(m):
        path, n = m.group("path"), int(m.group("n"))
        if path in SOLUTION_ONLY:
            return f"`{m.group('fn') or m.group('name')}`"
        if path not in maps:
            return m.group(0)
        to_student, in_region = maps[path]
        if n in in_region or n not in to_student:
            return f"`{m.group('fn') or m.group('name')}`"
        k = to_student[n]
        link = f"[{path}:{n}](../{path}#L{n})"
        return f"[{path}:{k}](../{path}#L{k})" + m.group(0)[len(link):]
    return SOURCE_LINK.sub(rewrite, text)


def student_text(rel, items, staff, maps):
    """The student tree's version of a parsed file, as one string."""
    text = "".join(student_lines(items, staff))
    return student_links(text, maps) if rel.endswith(".md") else text


def student_lines(items, staff, keep=frozenset()):
    """The student tree's lines of a parsed file. Regions whose index among
    the file's regions is in `keep` stay as in the solution (for tests that
    put exercises back one at a time)."""
    out, region = [], -1
    for i, item in enumerate(items):
        if staff is not None and i >= staff:
            break
        if isinstance(item, str):
            out.append(item)
            continue
        region += 1
        if region in keep:
            out.extend(item["text"])
            continue
        ind, lead, kind = item["indent"], item["lead"], item["type"]
        if kind == "answer":
            continue
        out.append(comment(ind, lead, STUDENT_BEGIN[kind]) + "\n")
        out.extend(item["stub"])
        out.append(comment(ind, lead, STUDENT_END[kind]) + "\n")
    return out


def ignored(rel, patterns):
    """Does .gitignore pattern list `patterns` (the simple forms this tree's
    .gitignore uses: /name, name/, *.ext, with * and ?) cover rel?"""
    parts = rel.split("/")
    for pat in patterns:
        anchored, pat = pat.startswith("/"), pat.strip("/")
        names = parts[:1] if anchored else parts
        if any(fnmatch.fnmatchcase(n, pat) for n in names):
            return True
    return False


def tracked_files():
    """The tree's files: what git tracks, or, outside a git checkout (a
    copied or unpacked tree, no git installed), every file .gitignore does
    not exclude."""
    try:
        out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], check=True,
                             capture_output=True, text=True).stdout
        return [f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        pass
    with open(os.path.join(ROOT, ".gitignore")) as f:
        patterns = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    patterns.append("/.git")
    files = []
    for top, dirs, names in os.walk(ROOT):
        for name in names:
            rel = os.path.relpath(os.path.join(top, name), ROOT)
            if not ignored(rel, patterns):
                files.append(rel)
    return sorted(files)


def is_text(path):
    with open(path, "rb") as f:
        return b"\0" not in f.read(8192)


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.readlines()


def solution_files():
    """(relative path, parsed items, staff index) of every tracked text file."""
    result = []
    for rel in tracked_files():
        path = os.path.join(ROOT, rel)
        if not os.path.isfile(path) or not is_text(path):
            result.append((rel, None, None))
            continue
        items, staff = parse(rel, read_lines(path))
        result.append((rel, items, staff))
    return result


def cut(outdir):
    files = solution_files()
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    regions = 0
    maps = line_maps(files)
    for rel, items, staff in files:
        if rel in SOLUTION_ONLY:
            continue
        dst = os.path.join(outdir, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        src = os.path.join(ROOT, rel)
        if items is None:
            shutil.copy2(src, dst)
            continue
        regions += sum(1 for i in items if not isinstance(i, str))
        with open(dst, "w", encoding="utf-8", newline="") as f:
            f.write(student_text(rel, items, staff, maps))
        shutil.copymode(src, dst)
    tarball = outdir.rstrip("/") + ".tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(outdir, arcname=os.path.basename(outdir.rstrip("/")))
    print(f"handout: {outdir} and {tarball}: {regions} regions cut, "
          f"{len(SOLUTION_ONLY)} solution-only files left out")


def restore_file(items, staff, student):
    """The solution file rebuilt from its student version (a list of lines):
    the text outside regions, which must be the solution's, and each region
    from this tree. Returns the lines, or None if the student file is not
    the cut of this one."""
    out, k = [], 0
    for i, item in enumerate(items):
        if staff is not None and i >= staff:
            out.extend(x for x in items[staff:] if isinstance(x, str))
            break
        if isinstance(item, str):
            if k >= len(student) or student[k] != item:
                return None
            out.append(item)
            k += 1
            continue
        out.extend(item["text"])
        if item["type"] == "answer":
            continue
        end = comment(item["indent"], item["lead"], STUDENT_END[item["type"]]) + "\n"
        begin = comment(item["indent"], item["lead"], STUDENT_BEGIN[item["type"]]) + "\n"
        if k >= len(student) or student[k] != begin or end not in student[k:]:
            return None
        k = student.index(end, k) + 1
    return out if k == len(student) else None


def restore(outdir):
    """Put the solution regions back into the student tree's files and
    compare each result with this tree's file."""
    problems = []
    files = solution_files()
    maps = line_maps(files)
    for rel, items, staff in files:
        if rel in SOLUTION_ONLY or items is None:
            continue
        student = read_lines(os.path.join(outdir, rel))
        if rel.endswith(".md"):
            # Its links were rewritten: it must be exactly what cut() writes.
            if "".join(student) != student_text(rel, items, staff, maps):
                problems.append(f"{rel}: the student file is not this file's cut")
                continue
            student = student_lines(items, staff)
        rebuilt = restore_file(items, staff, student)
        if rebuilt is None:
            problems.append(f"{rel}: the student file is not this file's cut")
        elif "".join(rebuilt) != "".join(read_lines(os.path.join(ROOT, rel))):
            problems.append(f"{rel}: restored file differs from the solution")
    for p in problems:
        print(f"handout: {p}")
    return 1 if problems else 0


def main(argv):
    try:
        if argv == ["--check"]:
            files = solution_files()
            n = sum(1 for _, items, _ in files if items
                    for i in items if not isinstance(i, str))
            print(f"handout: markers OK ({n} regions)")
            return 0
        if len(argv) == 2 and argv[0] == "--restore":
            return restore(argv[1])
        if len(argv) == 1 and not argv[0].startswith("-"):
            cut(argv[0])
            return 0
    except Problem as e:
        print(f"handout: {e}")
        return 1
    print("usage: conf/handout.py --check | OUTDIR | --restore OUTDIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
