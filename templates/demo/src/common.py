"""Small helpers shared by the demo pipeline's stages (standard library only)."""

import csv
import json
import os
import sys

LABELS = ["setosa", "versicolor", "virginica"]


def read_params() -> dict:
    """The parsed params.yaml: a tiny reader for its flat `key: value` / one-level nested layout."""
    params: dict = {}
    section = None
    with open("params.yaml") as handle:
        for raw in handle:
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            key, _, value = line.strip().partition(":")
            value = value.strip()
            if line.startswith(" ") and section is not None:
                params[section][key] = parse_scalar(value)
            elif value:
                section = None
                params[key] = parse_scalar(value)
            else:
                section = key
                params[key] = {}
    return params


def parse_scalar(text: str):
    """A YAML scalar as Python: bool, int, float or str."""
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip("'\"")


def read_rows(path: str) -> list:
    """Rows of a CSV file with a header, as dicts."""
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: str, header: list, rows: list) -> None:
    """Writes a CSV file with a header, creating its folder."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_json(path: str, value) -> None:
    """Writes indented JSON with a final newline."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as handle:
        json.dump(value, handle, indent=2, sort_keys=True)
        handle.write("\n")


def log(message: str) -> None:
    """One progress line on stdout (cairn shows it under the stage)."""
    print(message)
    sys.stdout.flush()
