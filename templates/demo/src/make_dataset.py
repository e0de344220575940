"""Writes a small, reproducible dataset of CSV shards (standard library only).

Usage: python3 src/make_dataset.py OUT_DIR [--rows N] [--seed S]
"""

import argparse
import csv
import os
import random


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    species = ["setosa", "versicolor", "virginica"]
    shards = {split: [] for split in ("train", "test")}
    for index in range(args.rows):
        label = rng.choice(species)
        centre = species.index(label) * 1.5
        row = [index] + [round(centre + rng.gauss(0, 0.6), 3) for _ in range(4)] + [label]
        shards["test" if index % 5 == 0 else "train"].append(row)

    for split, rows in shards.items():
        folder = os.path.join(args.out_dir, split)
        os.makedirs(folder, exist_ok=True)
        # Several shards per split so the dataset is a directory of many files, as real ones are.
        for shard in range(4):
            path = os.path.join(folder, f"part-{shard:03d}.csv")
            with open(path, "w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["id", "f1", "f2", "f3", "f4", "label"])
                writer.writerows(rows[shard::4])
    print(f"wrote {args.rows} rows to {args.out_dir}/")


if __name__ == "__main__":
    main()
