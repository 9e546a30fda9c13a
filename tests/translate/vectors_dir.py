"""Finds the shared vectors (../shared next to the source tree, or NEXTIP_SHARED_DIR)."""
import os
import pathlib


def find(explicit, sub):
    candidates = []
    if explicit:
        candidates.append(pathlib.Path(explicit))
    if os.environ.get("NEXTIP_SHARED_DIR"):
        candidates.append(pathlib.Path(os.environ["NEXTIP_SHARED_DIR"]) / sub)
    src = pathlib.Path(__file__).resolve().parents[2]
    candidates += [src.parent / "shared" / sub, pathlib.Path("/work/shared") / sub]
    for c in candidates:
        if (c / "manifest.tsv").is_file():
            return c
    return None
