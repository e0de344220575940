#!/usr/bin/env python3
"""cairn's benchmarks, side by side with DVC in one run; writes bench/RESULTS.md.

  CAIRN=.build/release/cairn DVC=.venv/bin/dvc python3 bench/bench.py [--quick] [--only NAME ...]

Workloads come from bench/gen.py (seeded): W1 one 2 GiB file, W2 100,000 files of 1-8 KiB; the
pipeline workloads are written here: W3 50 chained `cp` stages, W4 8 independent `sleep 1` stages,
W7 one stage whose dep is a W2-sized directory.
"Cold" means an empty cache and state with a warm page cache (the data is read once before timing).
Repeated, cheap commands are timed with hyperfine (median); one-shot commands that change the repo
are timed once each after their preparation, with peak RSS from wait4(). --quick scales the data
down (W1 256 MiB, W2 10,000 files) for a smoke run; its figures are not the issue's figures.
--smoke checks the pipeline workloads' own machinery with tiny sizes (W3 5 stages, W4 2 stages,
W7 200 files), measuring only the tools given (set CAIRN= to leave cairn out); it writes no RESULTS.md
unless --out is given and works in a temp folder unless BENCH_DIR is set.
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
    def __init__(self, cairn, dvc, work, quick, smoke=False):
        self.cairn, self.dvc, self.work, self.quick, self.smoke = cairn, dvc, work, quick, smoke
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
        nan = float("nan")
        print(f"  {label:<48} cairn {ours if ours is not None else nan:8.3f}s   "
              f"{theirs_label} {theirs if theirs is not None else nan:8.3f}s   {ratio}", flush=True)

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
        time.sleep(0.2 if self.smoke else 3)

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

    # -- pipeline workloads (issue 3) ------------------------------------------------------------
    def pipeline_tools(self):
        """(name, executable) of every tool measured on the pipeline workloads."""
        return [(name, tool) for name, tool in (("cairn", self.cairn), ("dvc", self.dvc)) if tool]

    def pipeline_repo(self, name, tool, files):
        """A fresh repo holding `files` ({relative path: text}), everything committed."""
        repo = self.fresh_repo(name, tool)
        for relative, text in files.items():
            path = os.path.join(repo, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as handle:
                handle.write(text)
        self.sh("git add -A && git commit -qm pipeline", repo)
        return repo

    def median(self, tool_name, command, cwd):
        """Median seconds of a cheap repeated command (fewer runs of the slow tool, and in smoke runs)."""
        if self.smoke:
            return self.hyperfine([command], cwd, runs=2, warmup=0)[0]
        runs, warmup = (15, 2) if tool_name == "cairn" else (3, 1)
        return self.hyperfine([command], cwd, runs=runs, warmup=warmup)[0]

    def pair(self, results, key):
        """(cairn, dvc) figures of one measurement; None where a tool was not measured."""
        return results.get(("cairn", key)), results.get(("dvc", key))

    def w3(self):
        print("W3", flush=True)
        count = 5 if self.smoke else 50
        section = f"W3 ({count} chained stages)"
        stages = []
        files = {"input.txt": "head 0\n"}
        for index in range(count):
            previous = "input.txt" if index == 0 else f"out/s{index - 1:02d}.txt"
            files[f"tiny/d{index:02d}.txt"] = f"tiny dep {index}\n"
            stages.append(
                f"  s{index:02d}:\n    cmd: cp {previous} out/s{index:02d}.txt\n"
                f"    deps:\n    - {previous}\n    - tiny/d{index:02d}.txt\n"
                f"    outs:\n    - out/s{index:02d}.txt\n")
        files["dvc.yaml"] = "stages:\n" + "".join(stages)
        files["out/.keep"] = ""
        results = {}
        for name, tool in self.pipeline_tools():
            repo = self.pipeline_repo(f"w3-{name}", tool, files)
            self.once([tool, "repro"], repo)
            self.sh("git add -A && git commit -qm repro", repo)
            self.settle()
            results[(name, "noop")] = self.median(name, f"{tool} repro", repo)
            results[(name, "status")] = self.median(name, f"{tool} status", repo)
            # The command's own cost: the shell starting `cp` on one stage's files.
            results[(name, "cmd")] = self.median(name, "sh -c 'cp input.txt out/cmd-cost.txt'", repo)
            # A head content never seen before, so no stage can come from the run-cache: all of them run.
            with open(os.path.join(repo, "input.txt"), "w") as handle:
                handle.write(f"head {time.time_ns()}\n")
            self.settle()
            seconds, rss = self.once([tool, "repro"], repo)
            results[(name, "head")] = seconds
            results[(name, "head-rss")] = rss
            results[(name, "overhead")] = max(0.0, (seconds - count * results[(name, "cmd")]) / count)
            with open(os.path.join(repo, "dvc.lock")) as handle:
                runs = handle.read().count("cmd: cp ")
            if runs != count:
                raise SystemExit(f"W3: {name}'s dvc.lock records {runs} of {count} stages")
        rows = [
            ("noop", f"W3 no-op `repro`, {count} chained stages", "target <= 100 ms and >= 20x DVC"),
            ("status", f"W3 `status`, {count} chained stages", "target <= 100 ms and >= 20x DVC"),
            ("head", f"W3 `repro` after changing the head ({count} stages run)", ""),
            ("overhead", "W3 overhead per stage beyond its command", "target <= 5 ms"),
        ]
        for key, label, note in rows:
            ours, theirs = self.pair(results, key)
            rss = self.pair(results, "head-rss") if key == "head" else (None, None)
            self.add_row(section, label, ours, theirs, "DVC 3.67.1", rss[0], rss[1], note)
        ours, theirs = self.pair(results, "cmd")
        self.add_row(section, "reference: one stage's command (`sh -c 'cp …'`)", ours, theirs, "same, DVC's repo")

    def w4(self):
        print("W4", flush=True)
        count = 2 if self.smoke else 8
        section = f"W4 ({count} independent `sleep 1` stages)"
        files = {"dvc.yaml": "stages:\n" + "".join(
            f"  s{index}:\n    cmd: sleep 1 && echo {index} > out{index}.txt\n"
            f"    deps:\n    - dep{index}.txt\n    outs:\n    - out{index}.txt\n" for index in range(count))}
        for index in range(count):
            files[f"dep{index}.txt"] = f"dep {index}\n"
        results = {}
        for name, tool in self.pipeline_tools():
            repo = self.pipeline_repo(f"w4-{name}", tool, files)
            self.once([tool, "repro"], repo)
            self.sh("git add -A && git commit -qm repro", repo)
            self.settle()
            # -f: every stage runs again (no run-cache restore), so each timed run does the same work.
            if name == "cairn":
                results[(name, "parallel")] = self.once([tool, "repro", "-f", "-j", str(count)], repo)
                self.settle()
            results[(name, "serial")] = self.once([tool, "repro", "-f"], repo)
        ours = results.get(("cairn", "parallel"), (None, None))
        theirs = results.get(("dvc", "serial"), (None, None))
        self.add_row(section, f"W4 `repro -f -j {count}` (DVC: `repro -f`, one by one)", ours[0], theirs[0],
                     "DVC 3.67.1", ours[1], theirs[1], "target <= 1.5 s (DVC ~8 s)")
        ours = results.get(("cairn", "serial"), (None, None))
        self.add_row(section, "W4 `repro -f`, serial, both", ours[0], theirs[0], "DVC 3.67.1", ours[1], theirs[1],
                     f"floor {count} s of sleeping")

    def history_repo(self, name, commits, files, branch_commits=0):
        """A repo whose main branch has `commits` commits over `files` git-tracked files (each commit changes
        metrics.json, params.yaml and one other file), written with `git fast-import`; with `branch_commits`, a
        `feature` branch forks `branch_commits` commits before main's tip and has as many commits of its own."""
        repo = self.fresh_repo(name, self.cairn)
        stream = []

        def blob_command(path, text):
            data = text.encode()
            return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"

        def commit(ref, mark, parent, number, changes):
            message = f"commit {number}\n".encode()
            head = (f"commit {ref}\nmark :{mark}\ncommitter bench <bench@example.com> {1700000000 + number} +0000\n"
                    f"data {len(message)}\n").encode() + message
            head += (f"from {parent}\n".encode() if parent else b"")
            stream.append(head + b"".join(changes) + b"\n")

        def state(number, branch):
            acc = 0.5 + (number % 1000) / 2000
            return [
                blob_command("metrics.json", json.dumps({"acc": round(acc, 4), "loss": round(1 - acc, 4),
                                                         "nested": {"f1": round(acc - 0.01, 4), "branch": branch}})),
                blob_command("params.yaml", f"seed: {number % 97}\ntrain:\n  lr: {0.001 * (1 + number % 10)}\n  epochs: 10\n"),
                blob_command(f"src/f{number % files:03d}.txt", f"{branch} change {number}\n"),
            ]

        first = [blob_command(f"src/f{index:03d}.txt", f"file {index}\n") for index in range(files)]
        first.append(blob_command("dvc.yaml", "metrics:\n- metrics.json\nparams:\n- params.yaml\n"))
        commit("refs/heads/main", 1, "refs/heads/main^0", 0, first + state(0, "main"))
        fork = commits - branch_commits
        for number in range(1, commits):
            commit("refs/heads/main", number + 1, f":{number}", number, state(number, "main"))
        if branch_commits:
            for offset in range(branch_commits):
                parent = f":{fork}" if offset == 0 else f":{commits + offset}"
                commit("refs/heads/feature", commits + offset + 1, parent, commits + offset,
                       state(commits + offset, "feature"))
        subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(stream), cwd=repo, env=self.env, check=True)
        self.sh("git reset -q --hard main", repo)
        return repo

    def w5(self):
        print("W5", flush=True)
        section = "W5 (git history: metrics and params across revisions)"
        commits = 200 if self.smoke else 5000
        repo = self.history_repo("w5-history", commits, 200, branch_commits=10)
        self.settle()
        for label, command, note in [
            (f"`metrics diff main feature`, {commits} commits, 200 files", "metrics diff main feature", "target <= 50 ms"),
            ("`params diff main feature`", "params diff main feature", ""),
        ]:
            ours = self.median("cairn", f"{self.cairn} {command}", repo)
            theirs = self.median("dvc", f"{self.dvc} {command}", repo) if self.dvc else None
            self.add_row(section, label, ours, theirs, note=note)
        count = 50 if self.smoke else 1000
        show_repo = self.history_repo("w5-show", count, 20)
        self.settle()
        ours, ours_rss = self.once([self.cairn, "metrics", "show", "--all-commits"], show_repo)
        theirs, theirs_rss = (self.once([self.dvc, "metrics", "show", "--all-commits"], show_repo)
                              if self.dvc else (None, None))
        self.add_row(section, f"`metrics show --all-commits`, {count} commits", ours, theirs, ours_rss=ours_rss,
                     theirs_rss=theirs_rss, note="target <= 2 s")

    def w7(self):
        print("W7", flush=True)
        files_count = 200 if self.smoke else (10000 if self.quick else 100000)
        data = os.path.join(self.work, f"w7-data-{files_count}")
        if not os.path.exists(os.path.join(data, "data")):
            self.sh(f"W2_FILES={files_count} {sys.executable} {HERE}/gen.py w2 {data}", self.work)
        section = f"W7 (a stage whose dep is a {files_count:,}-file directory)"
        files = {"dvc.yaml": "stages:\n  count:\n    cmd: find data -type f | wc -l > count.txt\n"
                             "    deps:\n    - data\n    outs:\n    - count.txt\n",
                 ".gitignore": "/data\n"}
        results = {}
        for name, tool in self.pipeline_tools():
            repo = self.pipeline_repo(f"w7-{name}", tool, files)
            self.place_data(repo, data)
            results[(name, "first")] = self.once([tool, "repro"], repo)
            self.sh("git add -A && git commit -qm repro", repo)
            self.settle()
            results[(name, "noop-first")] = self.once([tool, "repro"], repo)
            results[(name, "noop")] = (self.median(name, f"{tool} repro", repo), None)
            with open(os.path.join(repo, "count.txt")) as handle:
                if handle.read().strip() != str(files_count):
                    raise SystemExit(f"W7: {name}'s stage did not see {files_count} files")
        rows = [
            ("first", "W7 first `repro` (hashes the directory, runs the stage)", ""),
            ("noop-first", "W7 no-op `repro`, nothing changed (first run)", "target <= 0.5 s"),
            ("noop", "W7 no-op `repro`, nothing changed (median)", "target <= 0.5 s"),
        ]
        for key, label, note in rows:
            ours = results.get(("cairn", key), (None, None))
            theirs = results.get(("dvc", key), (None, None))
            self.add_row(section, label, ours[0], theirs[0], "DVC 3.67.1", ours[1], theirs[1], note)

    # -- report ----------------------------------------------------------------------------------
    def write(self, path):
        lines = ["# Benchmark results", "",
                 f"Measured by `make bench` (bench/bench.py) on {time.strftime('%Y-%m-%d')}, "
                 f"{os.cpu_count()} cores, "
                 f"{'SMOKE run' if self.smoke else 'QUICK (scaled-down) run' if self.quick else 'full workloads'}. "
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
    parser.add_argument("--smoke", action="store_true", help="tiny pipeline workloads (W3/W4/W7) only")
    parser.add_argument("--only", nargs="*", choices=["startup", "w1", "w2", "w3", "w4", "w5", "w7"])
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.only is None:
        args.only = ["w3", "w4", "w5", "w7"] if args.smoke else ["startup", "w1", "w2", "w3", "w4", "w5", "w7"]
    if args.out is None and not args.smoke:
        args.out = os.path.join(HERE, "RESULTS.md")
    cairn = os.environ.get("CAIRN", os.path.join(ROOT, ".build/release/cairn"))
    cairn = os.path.abspath(cairn) if cairn else None
    dvc = os.environ.get("DVC", os.path.join(ROOT, ".venv/bin/dvc"))
    dvc = os.path.abspath(dvc) if dvc and os.path.exists(dvc) else None
    if cairn is None and not args.smoke:
        raise SystemExit("CAIRN is empty: only --smoke runs leave cairn out")
    if cairn is not None and not os.path.exists(cairn):
        raise SystemExit(f"no cairn binary at {cairn}: run `make build` first")
    if dvc is None:
        print("DVC not found: measuring cairn alone (make bench installs it into .venv)", file=sys.stderr)
    if os.environ.get("BENCH_DIR"):
        work = os.environ["BENCH_DIR"]
    else:
        work = tempfile.mkdtemp(prefix="cairn-bench-smoke-") if args.smoke else os.path.join(HERE, "work")
    os.makedirs(work, exist_ok=True)
    runs = os.path.join(work, "runs")
    if os.path.exists(runs):
        subprocess.run(["chmod", "-R", "u+w", runs], check=False)
        shutil.rmtree(runs)
    subprocess.run(["sync"], check=False)
    time.sleep(0 if args.smoke else 5)
    bench = Bench(cairn, dvc, work, args.quick, args.smoke)
    for name in args.only:
        getattr(bench, name)()
    if args.out:
        bench.write(args.out)
    if args.smoke and not os.environ.get("BENCH_DIR"):
        subprocess.run(["chmod", "-R", "u+w", work], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
