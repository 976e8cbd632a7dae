#!/usr/bin/env python3
"""Makes small seeds from a big rulebook: drops comments, `help` texts and
English titles, shortens non-ASCII strings to "t", and writes one rulebook
per area (header, facts, lets and scoring kept) beside the whole shrunk
book. Small seeds keep libFuzzer fast (-max_len) while still reaching
the checker and evaluator. Usage: shrink_seed.py BOOK.eco OUT_PREFIX"""
import re
import sys

STRING = r'"(?:[^"\\\n]|\\.)*"'


def shrink(text: str) -> str:
    out = []
    for line in text.split("\n"):
        # Drop a `//` comment outside strings.
        code, in_string, i = [], False, 0
        while i < len(line):
            c = line[i]
            if in_string and c == "\\":
                code.append(line[i:i + 2]); i += 2; continue
            if c == '"':
                in_string = not in_string
            if not in_string and line.startswith("//", i):
                break
            code.append(c); i += 1
        line = "".join(code).rstrip()
        line = re.sub(r"\s+help\s+" + STRING, "", line)
        line = re.sub(r"\s+en\s+" + STRING, "", line)
        line = re.sub(STRING, lambda m: m.group(0) if m.group(0).isascii() else '"t"', line)
        line = re.sub(r"^\s+", lambda m: " " * (len(m.group(0)) // 2), line)
        if line.strip():
            out.append(line)
    return "\n".join(out) + "\n"


def words(lines):
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", "\n".join(lines)))


def prune(common, area):
    """Keeps only the facts and lets the area (or scoring) reads."""
    facts, lets, rest, i = [], [], [], 0
    while i < len(common):
        line = common[i]
        if line == " facts {":
            j = i + 1
            while common[j] != " }":
                k = j + 1
                while not re.match(r"^  [a-z_]", common[k]) and common[k] != " }":
                    k += 1
                name = common[j].strip().split(":")[0]
                facts.append((name, common[j:k]))
                j = k
            i = j + 1
            continue
        if line.startswith(" let "):
            k = i + 1
            while k < len(common) and not re.match(r"^ [a-z]", common[k]):
                k += 1
            lets.append((line.split()[1], common[i:k]))
            i = k
            continue
        rest.append(line)
        i += 1
    scoring = [l for l in rest if not re.match(r"^ (version|effective|use|ref) ", l)]
    used = words(area) | words(scoring)
    changed = True
    while changed:
        changed = False
        for name, body in lets:
            if name in used and not words(body) <= used:
                used |= words(body)
                changed = True
    kept_lets = [l for name, body in lets if name in used for l in body]
    kept_facts = [l for name, body in facts if name in used for l in body]
    header = [l for l in rest if re.match(r"^ (version|effective|use|ref) ", l)]
    return header + [" facts {"] + kept_facts + [" }"] + kept_lets + scoring


def main():
    src, prefix = sys.argv[1], sys.argv[2]
    small = shrink(open(src, encoding="utf-8").read())
    open(prefix + "all.eco", "w", encoding="utf-8").write(small)
    lines = small.split("\n")
    # Top-level items start with one space of indentation after shrinking.
    starts = [i for i, l in enumerate(lines) if re.match(r"^ [a-z]", l)]
    close = max(i for i, l in enumerate(lines) if l == "}")
    items = [(s, (starts[k + 1] if k + 1 < len(starts) else close)) for k, s in enumerate(starts)]
    head = lines[:starts[0]] if starts else []
    common = [l for s, e in items if not lines[s].startswith(" area ") for l in lines[s:e]]
    areas = [(s, e) for s, e in items if lines[s].startswith(" area ")]
    for n, (s, e) in enumerate(areas):
        area = lines[s:e]
        ids = set(re.findall(r"clause (\w+)", "\n".join(area)))
        points = sum(float(p) for p in re.findall(r" points ([0-9.]+)", "\n".join(area)))
        scale = f"{points:g}"
        fixed = []
        for l in prune(common, area):
            l = re.sub(r"^(  scale )\S+", lambda m: m.group(1) + scale, l)
            # vetoed(ID, ...) may name clauses of other areas.
            l = re.sub(r"vetoed\(([^)]*)\)", lambda m: "vetoed" if not set(re.findall(r"\w+", m.group(1))) <= ids else m.group(0), l)
            fixed.append(l)
        body = head + fixed + area + ["}"]
        open(f"{prefix}area{n + 1}.eco", "w", encoding="utf-8").write("\n".join(body) + "\n")


main()
