#!/usr/bin/env python3
"""Seeded workload generator for cairn's benchmarks (standard library only).

  gen.py w1 DIR   one 2 GiB file DIR/big.bin (pseudo-random, seed 1)
  gen.py w2 DIR   100,000 files of 1-8 KiB (~450 MB) in nested folders under DIR/data (seed 2)
  gen.py touch-one DIR   rewrites one W2 file with new content (same seed every time)

Sizes can be scaled down for a quick run with W1_MIB and W2_FILES in the environment.
"""
import os
import random
import sys


def w1(root: str) -> None:
    mib = int(os.environ.get("W1_MIB", "2048"))
    rng = random.Random(1)
    block = rng.randbytes(1 << 20)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "big.bin"), "wb") as out:
        # One random MiB stamped with its index keeps generation fast while no two MiB are identical.
        for index in range(mib):
            out.write(index.to_bytes(8, "little") + block[8:])


def w2_paths(count: int):
    for index in range(count):
        top, mid, leaf = index // 10000, (index // 100) % 100, index % 100
        yield index, os.path.join("data", f"shard-{top:02d}", f"part-{mid:02d}", f"file-{leaf:03d}.bin")


def w2(root: str) -> None:
    count = int(os.environ.get("W2_FILES", "100000"))
    rng = random.Random(2)
    pool = rng.randbytes(16 << 20)
    for index, rel in w2_paths(count):
        path = os.path.join(root, rel)
        if index % 100 == 0:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        size = rng.randint(1024, 8192)
        start = rng.randrange(0, len(pool) - size)
        with open(path, "wb") as out:
            out.write(index.to_bytes(8, "little") + pool[start:start + size - 8])


def touch_one(root: str) -> None:
    path = os.path.join(root, "data", "shard-00", "part-42", "file-042.bin")
    with open(path, "ab") as out:
        out.write(b"changed\n")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("w1", "w2", "touch-one"):
        sys.exit(__doc__)
    {"w1": w1, "w2": w2, "touch-one": touch_one}[sys.argv[1]](sys.argv[2])
