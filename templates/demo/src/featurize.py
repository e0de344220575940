"""featurize: picks the first N features, optionally adds their squares, and standardises them
with the training split's mean and standard deviation.

Reads prepared/{train,test}.csv, writes features/{train,test}.csv.
"""

import math
import os

from common import log, read_params, read_rows, write_rows


def expand(row: dict, count: int, squares: bool) -> list:
    """The feature vector of one prepared row."""
    values = [float(row[f"f{index + 1}"]) for index in range(count)]
    return values + [value * value for value in values] if squares else values


def main() -> None:
    params = read_params()["featurize"]
    count = max(1, min(4, int(params["features"])))
    squares = bool(params["squares"])
    splits = {split: read_rows(os.path.join("prepared", f"{split}.csv")) for split in ("train", "test")}
    vectors = {split: [expand(row, count, squares) for row in rows] for split, rows in splits.items()}

    columns = len(vectors["train"][0])
    means = [sum(vector[j] for vector in vectors["train"]) / len(vectors["train"]) for j in range(columns)]
    deviations = [
        math.sqrt(sum((vector[j] - means[j]) ** 2 for vector in vectors["train"]) / len(vectors["train"])) or 1.0
        for j in range(columns)
    ]
    header = [f"x{j}" for j in range(columns)] + ["label"]
    for split, rows in splits.items():
        scaled = [
            [round((value - means[j]) / deviations[j], 6) for j, value in enumerate(vector)] + [row["label"]]
            for vector, row in zip(vectors[split], rows)
        ]
        write_rows(os.path.join("features", f"{split}.csv"), header, scaled)
    log(f"featurize: {columns} features per row")


if __name__ == "__main__":
    main()
