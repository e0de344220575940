#!/usr/bin/env python3
"""cairn's benchmarks, side by side with DVC in one run; writes bench/RESULTS.md.

  CAIRN=.build/release/cairn DVC=.venv/bin/dvc python3 bench/bench.py [--quick] [--only NAME ...]

Workloads come from bench/gen.py (seeded): W1 one 2 GiB file, W2 100,000 files of 1-8 KiB.
"Cold" means an empty cache and state with a warm page cache (the data is read once before timing).
Repeated, cheap commands are timed with hyperfine (median); one-shot commands that change the repo
are timed once each after their preparation, with peak RSS from wait4(). --quick scales the data
down (W1 256 MiB, W2 10,000 files) for a smoke run; its figures are not the issue's figures.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def env_for(work):
    env = dict(os.environ)
    env.update({
        "HOME": work, "XDG_CONFIG_HOME": os.path.join(work, "xdg"), "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
        "DVC_NO_ANALYTICS": "1", "DVC_SITE_CACHE_DIR": os.path.join(work, "dvc-site"),
        "DVC_GLOBAL_CONFIG_DIR": os.path.join(work, "dvc-global"),
        "DVC_SYSTEM_CONFIG_DIR": os.path.join(work, "dvc-system"),
    })
    return env


class Bench:
    def __init__(self, cairn, dvc, work, quick):
        self.cairn, self.dvc, self.work, self.quick = cairn, dvc, work, quick
        self.env = env_for(work)
        self.rows = []  # (section, label, cairn seconds, other seconds, other label, cairn rss, other rss, note)

    # -- process helpers -------------------------------------------------------------------------
    def sh(self, command, cwd):
        subprocess.run(command, shell=True, cwd=cwd, env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def once(self, argv, cwd):
        """Runs argv once; returns (seconds, peak RSS in MB). Fails loudly on a non-zero exit."""
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
        if proc.returncode not in (0, 1):
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(argv)}\n{err}")
        return elapsed, usage.ru_maxrss / 1024.0

    def shell_once(self, command, cwd):
        start = time.perf_counter()
        self.sh(command, cwd)
        return time.perf_counter() - start, None

    def hyperfine(self, commands, cwd, runs=10, warmup=2):
        """Median seconds per command (shell strings), measured in one hyperfine run."""
        out = os.path.join(self.work, "hyperfine.json")
        # -N: no intermediate shell, so start-up figures are the command's own.
        subprocess.run(["hyperfine", "-N",
                        "--warmup", str(warmup), "--runs", str(runs), "--export-json", out, *commands],
                       cwd=cwd, env=self.env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as handle:
            return [result["median"] for result in json.load(handle)["results"]]

    def rss(self, argv, cwd):
        return self.once(argv, cwd)[1]

    def add_row(self, section, label, ours, theirs=None, theirs_label="DVC 3.67.1", ours_rss=None,
                theirs_rss=None, note=""):
        self.rows.append((section, label, ours, theirs, theirs_label, ours_rss, theirs_rss, note))
        ratio = f"{theirs / ours:.1f}x" if theirs and ours else "-"
        print(f"  {label:<48} cairn {ours:8.3f}s   {theirs_label} {theirs if theirs else float('nan'):8.3f}s   {ratio}",
              flush=True)

    # -- repositories ----------------------------------------------------------------------------
    def fresh_repo(self, name, tool, cache_type=None):
        # A new folder each time: deleting 100,000-file trees mid-run (with the file system's online discard)
        # slows whatever is timed next. Old runs are cleared once, before anything is measured.
        self.repos = getattr(self, "repos", 0) + 1
        path = os.path.join(self.work, "runs", f"{self.repos:02d}-{name}")
        os.makedirs(path)
        self.sh("git init -q -b main", path)
        self.sh(f"{tool} init -q", path)
        if cache_type:
            self.sh(f"{tool} config cache.type {cache_type}", path)
        self.sh("git add -A && git commit -qm init", path)
        return path

    def place_data(self, repo, source):
        """Copies a generated workload into a repo (hard links would share inodes with the source)."""
        self.sh(f"cp -r {source}/. {repo}/", self.work)
        # Warm page cache ("cold" means an empty cache and state, not a cold disk), and no write-back of the copy
        # (or of a previous repo's deletion) left to run while the next command is timed.
        self.sh(f"find {repo} -type f -not -path '*/.git/*' -not -path '*/.dvc/*' -exec cat {{}} + > /dev/null", self.work)
        self.settle()

    def settle(self):
        self.sh("sync", self.work)
        time.sleep(3)

    # -- workloads -------------------------------------------------------------------------------
    def startup(self):
        print("start-up", flush=True)
        cairn_repo = self.fresh_repo("empty-cairn", self.cairn)
        dvc_repo = self.fresh_repo("empty-dvc", self.dvc) if self.dvc else None
        ours = self.hyperfine([f"{self.cairn} status"], cairn_repo, runs=30, warmup=3)[0]
        theirs = self.hyperfine([f"{self.dvc} status"], dvc_repo, runs=5, warmup=1)[0] if dvc_repo else None
        self.add_row("Start-up", "`status` in an empty repo", ours, theirs, note="target <= 20 ms")

    def w1(self):
        print("W1", flush=True)
        data = os.path.join(self.work, "w1-data")
        if not os.path.exists(os.path.join(data, "big.bin")):
            self.sh(f"W1_MIB={256 if self.quick else 2048} {sys.executable} {HERE}/gen.py w1 {data}", self.work)
        big = os.path.join(data, "big.bin")
        self.sh(f"cat {big} > /dev/null", self.work)
        md5 = self.shell_once(f"md5sum {big}", self.work)[0]
        md5_cp = self.shell_once(f"md5sum {big} && cp {big} {self.work}/w1-copy && rm {self.work}/w1-copy", self.work)[0]
        for cache_type, baseline, baseline_label in (("hardlink", md5, "`md5sum`"), (None, md5_cp, "`md5sum; cp`")):
            repo = self.fresh_repo("w1-cairn", self.cairn, cache_type)
            self.sh(f"cp {big} {repo}/big.bin && cat {repo}/big.bin > /dev/null", self.work)
            seconds, rss = self.once([self.cairn, "add", "big.bin"], repo)
            label = f"W1 `add` 2 GiB, cache.type={cache_type or 'reflink,copy'}"
            self.add_row("W1 (one 2 GiB file)", label, seconds, baseline, baseline_label, rss,
                         note="target: no slower than the baseline; memory flat")
            if self.dvc:
                drepo = self.fresh_repo("w1-dvc", self.dvc, cache_type)
                self.sh(f"cp {big} {drepo}/big.bin && cat {drepo}/big.bin > /dev/null", self.work)
                dseconds, drss = self.once([self.dvc, "add", "big.bin"], drepo)
                self.add_row("W1 (one 2 GiB file)", label + " vs DVC", seconds, dseconds, ours_rss=rss, theirs_rss=drss)

    def w2(self):
        print("W2", flush=True)
        data = os.path.join(self.work, "w2-data")
        if not os.path.exists(os.path.join(data, "data")):
            self.sh(f"W2_FILES={10000 if self.quick else 100000} {sys.executable} {HERE}/gen.py w2 {data}", self.work)
        section = "W2 (100,000 files of 1-8 KiB)"
        tools = [("cairn", self.cairn)] + ([("dvc", self.dvc)] if self.dvc else [])
        results = {}
        for cache_type in (None, "hardlink"):
            suffix = f", cache.type={cache_type}" if cache_type else ""
            for name, tool in tools:
                repo = self.fresh_repo(f"w2-{name}", tool, cache_type)
                self.place_data(repo, data)
                results[(name, "add" + suffix)] = self.once([tool, "add", "data"], repo)
                if cache_type:
                    continue
                self.sh("git add -A && git commit -qm data", repo)
                results[(name, "status")] = self.once([tool, "status"], repo)
                runs = 10 if name == "cairn" else 3
                results[(name, "status-median")] = (self.hyperfine([f"{tool} status"], repo, runs=runs, warmup=1)[0], None)
                self.settle()
                self.sh(f"{sys.executable} {HERE}/gen.py touch-one .", repo)
                results[(name, "status-one")] = self.once([tool, "status"], repo)
                results[(name, "add-one")] = self.once([tool, "add", "data"], repo)
                self.sh("git add -A && git commit -qm one", repo)
                results[(name, "gc")] = self.once([tool, "gc", "-w", "-f"], repo)
                self.sh("rm -rf data", repo)
                self.settle()
                results[(name, "checkout")] = self.once([tool, "checkout"], repo)
                self.sh("rm -rf data", repo)
                self.settle()
                self.sh(f"{tool} config cache.type hardlink", repo)
                results[(name, "checkout-hardlink")] = self.once([tool, "checkout"], repo)
        self.settle()
        cp_al = self.shell_once(f"cp -al {data}/data {self.work}/runs/w2-cpal", self.work)[0]
        self.settle()
        cp_r = self.shell_once(f"cp -r {data}/data {self.work}/runs/w2-cpr", self.work)[0]
        labels = [
            ("add", "W2 `add` (cold), default cache.type", "target >= 4x DVC"),
            ("add, cache.type=hardlink", "W2 `add` (cold), cache.type=hardlink", "target >= 10x DVC"),
            ("status", "W2 `status`, nothing changed (first run)", "target <= 0.5 s"),
            ("status-median", "W2 `status`, nothing changed (median)", "target <= 0.5 s"),
            ("status-one", "W2 `status` after changing one file", "reads one file"),
            ("add-one", "W2 `add` after changing one file", "target <= 1 s"),
            ("gc", "W2 `gc -w`, one unused object", "target <= 1 s"),
            ("checkout", "W2 `checkout` after `rm -rf`, copy", "target >= 5x DVC"),
            ("checkout-hardlink", "W2 `checkout` after `rm -rf`, hardlink", "close to `cp -al`"),
        ]
        for key, label, note in labels:
            ours, ours_rss = results[("cairn", key)]
            theirs, theirs_rss = results.get(("dvc", key), (None, None))
            self.add_row(section, label, ours, theirs, "DVC 3.67.1", ours_rss, theirs_rss, note)
        self.add_row(section, "reference: `cp -r` of the tree", results[("cairn", "checkout")][0], cp_r, "`cp -r`")
        self.add_row(section, "reference: `cp -al` of the tree", results[("cairn", "checkout-hardlink")][0], cp_al,
                     "`cp -al`")

    # -- report ----------------------------------------------------------------------------------
    def write(self, path):
        lines = ["# Benchmark results", "",
                 f"Measured by `make bench` (bench/bench.py) on {time.strftime('%Y-%m-%d')}, "
                 f"{os.cpu_count()} cores, {'QUICK (scaled-down) run' if self.quick else 'full workloads'}. "
                 "cairn and DVC 3.67.1 run side by side in one run on the same data; ratio = other / cairn "
                 "(higher is better for cairn). RSS = peak resident set size.", ""]
        section = None
        for row in self.rows:
            sec, label, ours, theirs, theirs_label, ours_rss, theirs_rss, note = row
            if sec != section:
                section = sec
                lines += ["", f"## {sec}", "",
                          "| step | cairn | other | ratio | cairn RSS | other RSS | note |",
                          "|---|---:|---:|---:|---:|---:|---|"]
            fmt = lambda s: f"{s * 1000:.0f} ms" if s is not None and s < 1 else (f"{s:.2f} s" if s is not None else "-")
            mb = lambda m: f"{m:.0f} MB" if m else "-"
            ratio = f"{theirs / ours:.1f}x" if theirs and ours else "-"
            other = f"{fmt(theirs)} ({theirs_label})" if theirs is not None else "-"
            lines.append(f"| {label} | {fmt(ours)} | {other} | {ratio} | {mb(ours_rss)} | {mb(theirs_rss)} | {note} |")
        with open(path, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", default=["startup", "w1", "w2"])
    parser.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args()
    cairn = os.path.abspath(os.environ.get("CAIRN", os.path.join(ROOT, ".build/release/cairn")))
    dvc = os.environ.get("DVC", os.path.join(ROOT, ".venv/bin/dvc"))
    dvc = os.path.abspath(dvc) if dvc and os.path.exists(dvc) else None
    if not os.path.exists(cairn):
        raise SystemExit(f"no cairn binary at {cairn}: run `make build` first")
    if dvc is None:
        print("DVC not found: measuring cairn alone (make bench installs it into .venv)", file=sys.stderr)
    work = os.environ.get("BENCH_DIR") or os.path.join(HERE, "work")
    os.makedirs(work, exist_ok=True)
    runs = os.path.join(work, "runs")
    if os.path.exists(runs):
        subprocess.run(["chmod", "-R", "u+w", runs], check=False)
        shutil.rmtree(runs)
    subprocess.run(["sync"], check=False)
    time.sleep(5)
    bench = Bench(cairn, dvc, work, args.quick)
    for name in args.only:
        getattr(bench, name)()
    bench.write(args.out)


if __name__ == "__main__":
    main()
