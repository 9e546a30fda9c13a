#!/usr/bin/env python3
"""The include side of DESIGN.md's layering: a file may include only headers of its own
layer or of layers below it. (The link graph enforces the same for symbols.)

    base <- wire <- crypto <- engine <- io <- control <- (apps)
Inside wire, the protocol folders may use inet and base; family may use them all."""
import pathlib
import re
import sys

ORDER = ["base", "wire", "crypto", "engine", "services", "io", "control"]
WIRE_LOWER = {"inet": [], "asip": ["inet"], "ipv8": ["inet"], "ipxl": ["inet"], "ipv45": ["inet"],
              "family": ["inet", "asip", "ipv8", "ipxl", "ipv45"],
              "build": ["inet", "asip", "ipv8", "ipxl", "ipv45"],
              "dissect": ["inet", "asip", "ipv8", "ipxl", "ipv45"]}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(rel: pathlib.PurePath):
    return rel.parts[0]


def main(src: str) -> int:
    root = pathlib.Path(src)
    errors = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        rel = path.relative_to(root)
        me = layer_of(rel)
        for inc in INCLUDE.findall(path.read_text()):
            target = pathlib.PurePath(inc)
            them = target.parts[0]
            if them not in ORDER:
                continue
            if ORDER.index(them) > ORDER.index(me):
                errors.append(f"{rel}: includes {inc} from a higher layer ({them} above {me})")
            elif (me == "wire" and them == "wire" and len(rel.parts) > 2 and len(target.parts) > 2
                  and not path.name.endswith("_test.cc")):  # tests may use sibling helpers (build/)
                mine, theirs = rel.parts[1], target.parts[1]
                if theirs != mine and theirs not in WIRE_LOWER.get(mine, []):
                    errors.append(f"{rel}: wire/{mine} may not include wire/{theirs} ({inc})")
    for e in errors:
        print(e)
    print(f"layering: {len(errors)} violation(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "src"))
