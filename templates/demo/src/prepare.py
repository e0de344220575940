"""prepare: merges the dataset's CSV shards into one shuffled file per split, clipping outliers.

Reads data/{train,test}/part-*.csv, writes prepared/{train,test}.csv.
"""

import glob
import os
import random

from common import log, read_params, read_rows, write_rows

FEATURES = ["f1", "f2", "f3", "f4"]


def main() -> None:
    params = read_params()
    clip = float(params["prepare"]["clip"])
    rng = random.Random(params["seed"])
    for split in ("train", "test"):
        rows = []
        for shard in sorted(glob.glob(os.path.join("data", split, "part-*.csv"))):
            for row in read_rows(shard):
                values = [max(-clip, min(clip, float(row[name]))) for name in FEATURES]
                rows.append([row["id"]] + values + [row["label"]])
        rows.sort(key=lambda row: int(row[0]))
        rng.shuffle(rows)
        write_rows(os.path.join("prepared", f"{split}.csv"), ["id"] + FEATURES + ["label"], rows)
        log(f"prepare: {len(rows)} {split} rows")


if __name__ == "__main__":
    main()
