#!/usr/bin/env python3
"""cairn's benchmarks, side by side with DVC in one run; writes bench/RESULTS.md.

  CAIRN=.build/release/cairn DVC=.venv/bin/dvc python3 bench/bench.py [--quick] [--only NAME ...]

Workloads come from bench/gen.py (seeded): W1 one 2 GiB file, W2 100,000 files of 1-8 KiB; the
pipeline workloads are written here: W3 50 chained `cp` stages, W4 8 independent `sleep 1` stages,
W7 one stage whose dep is a W2-sized directory; W8 `cairn validate` on a seeded
1 GB CSV (schema, ranges, not-null, categories; then a uniqueness check), MB/s and peak RSS, `wc -l` as reference;
W9 `cairn log` over 10,000 fast-imported commits (no DVC row); W6 (remotes): W2 pushed to a fresh local-directory remote and
pulled into a fresh clone (empty cache); W2 pushed with `-j 16` to a moto S3 server (.venv/bin/moto_server, or
MOTO_SERVER=; one fresh server and bucket per tool; wall and CPU time, user+sys of the tool's process tree from
wait4()), then a no-op push; W1 pushed to and pulled from a local remote under `/usr/bin/time -v` (peak RSS).
`--w6-files N` pushes only the first N W2 files to moto (moto itself is slow with 100,000 objects). Where a cairn
command fails (e.g. S3 not built in yet), the row says so and the run goes on; a cairn without `remote add` gets
its remotes through `cairn config remote.NAME.url …` instead.
"Cold" means an empty cache and state with a warm page cache (the data is read once before timing).
Repeated, cheap commands are timed with hyperfine (median); one-shot commands that change the repo
are timed once each after their preparation, with peak RSS from wait4(). --quick scales the data
down (W1 256 MiB, W2 10,000 files) for a smoke run; its figures are not the issue's figures.
--smoke checks the pipeline and remote workloads' own machinery with tiny sizes (W3 5 stages, W4 2 stages,
W5 200 commits, W6 200 files and 16 MiB, W7 200 files), measuring only the tools given (set CAIRN= to leave
cairn out); it writes no RESULTS.md unless --out is given and works in a temp folder unless BENCH_DIR is set.
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

    # -- validation (issue: `cairn validate`) ----------------------------------------------------
    def w8_data(self, path, size):
        """A seeded CSV of about `size` bytes: unique int ids and typed columns (ints, floats, categories, dates)."""
        import random
        rng = random.Random(8)
        labels = ["cat", "dog", "bird"]
        block = [f"{rng.randrange(0, 120)},{labels[rng.randrange(3)]},{rng.random():.6f},"
                 f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d},user{rng.randrange(10**6)}"
                 for _ in range(100000)]
        written, next_id = 0, 1
        with open(path + ".tmp", "w") as handle:
            handle.write("id,age,label,score,day,name\n")
            while written < size:
                text = "".join(f"{next_id + k},{row}\n" for k, row in enumerate(block))
                next_id += len(block)
                handle.write(text)
                written += len(text)
        os.rename(path + ".tmp", path)

    def w8(self):
        print("W8", flush=True)
        size = (16 << 20) if self.smoke else ((128 << 20) if self.quick else (1 << 30))
        repo = self.fresh_repo("w8-cairn", self.cairn)
        data = os.path.join(self.work, f"w8-data-{size}.csv")
        if not os.path.exists(data):
            self.w8_data(data, size)
        shutil.copy(data, os.path.join(repo, "data.csv"))
        actual = os.path.getsize(data)
        columns = ("    age: {type: int, min: 0, max: 130}\n    label: {type: string, in: [cat, dog, bird]}\n"
                   "    score: {type: float, min: 0.0, max: 1.0, required: true}\n    day: {type: date, required: true}\n"
                   "    name: {type: string, required: true}\n")
        checks = {
            "schema": "data.csv:\n  rows: {min: 1}\n  strict: true\n  columns:\n    id: {type: int, required: true}\n" + columns,
            "unique": "data.csv:\n  columns:\n    id: {type: int, required: true, unique: true}\n",
        }
        self.sh(f"cat data.csv > /dev/null", repo)
        self.settle()
        section = f"W8 (`cairn validate` on a {actual / 1e6:,.0f} MB CSV; DVC has no equivalent, `wc -l` is the reference)"
        reference = self.measured(["wc", "-l", "data.csv"], repo, peak_memory=True)
        for key, text in checks.items():
            with open(os.path.join(repo, "checks.yaml"), "w") as handle:
                handle.write(text)
            result = self.measured([self.cairn, "validate"], repo, peak_memory=True)
            if not result["ok"]:
                raise SystemExit(f"W8: cairn validate failed ({result['error']})")
            speed = actual / 1e6 / result["wall"]
            label = ("schema + ranges + not-null + categories" if key == "schema" else "uniqueness of 1 int column")
            self.add_row(section, f"W8 validate: {label}", result["wall"], reference["wall"], "`wc -l`",
                         result["rss"], reference["rss"],
                         note=f"{speed:,.0f} MB/s (target >= 200 MB/s)"
                              + ("; memory grows with distinct values" if key == "unique" else "; memory flat"))

    # -- remote workloads (issue 5) --------------------------------------------------------------
    def measured(self, argv, cwd, peak_memory=False):
        """Runs argv once and never raises on failure: {ok, wall, cpu (user+sys of the process tree), rss MB, error}.
        With peak_memory, RSS comes from `/usr/bin/time -v` (else from wait4())."""
        timer = peak_memory and os.path.exists("/usr/bin/time")
        command = (["/usr/bin/time", "-v"] if timer else []) + list(argv)
        # stderr goes to a file: a chatty tool must not block on a full pipe while we wait for it.
        with tempfile.TemporaryFile(dir=self.work) as err:
            start = time.perf_counter()
            try:
                proc = subprocess.Popen(command, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=err)
            except OSError as error:
                return {"ok": False, "wall": None, "cpu": None, "rss": None, "error": str(error)}
            # wait4's usage covers the child and every descendant it waited for: the whole tool's process tree.
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            err.seek(0)
            text = err.read().decode(errors="replace")
        rss = usage.ru_maxrss / 1024.0
        if timer:
            text, _, report = text.partition("\tCommand being timed:")
            for line in report.splitlines():
                if "Maximum resident set size" in line:
                    rss = int(line.rsplit(":", 1)[1]) / 1024.0
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        error = None if code == 0 else f"exit {code}: " + (" / ".join(lines[-3:]) if lines else "(no message)")
        return {"ok": code == 0, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": rss, "error": error}

    def checked(self, argv, cwd):
        """Runs a preparation step that must succeed (not timed)."""
        result = self.measured(argv, cwd)
        if not result["ok"]:
            raise SystemExit(f"W6 preparation failed: {' '.join(argv)} ({result['error']})")

    def add_remote(self, name, tool, repo, remote, url, options=(), default=True):
        """`remote add [-d]` + `remote modify`; a cairn without `remote` yet gets the same keys through `config`.
        Returns how the remote was configured (for the report)."""
        result = self.measured([tool, "remote", "add", *(["-d"] if default else []), remote, url], repo)
        if result["ok"]:
            for key, value in options:
                self.checked([tool, "remote", "modify", remote, key, value], repo)
            return "remote add"
        if name != "cairn":
            raise SystemExit(f"W6: {name} remote add failed: {result['error']}")
        self.checked([tool, "config", f"remote.{remote}.url", url], repo)
        if default:
            self.checked([tool, "config", "core.remote", remote], repo)
        for key, value in options:
            self.checked([tool, "config", f"remote.{remote}.{key}", value], repo)
        return "config"

    def w9(self):
        """W9: `cairn log` over 10,000 commits written with `git fast-import`: one dvc.lock whose stage's out hash
        changes every 50 commits (with the params that made it), an unrelated file changed in every commit.
        DVC has no `log` command: cairn alone, no comparison row."""
        if self.cairn is None:
            return  # cairn-only workload
        print("W9", flush=True)
        section = "W9 (artifact history: `cairn log`)"
        commits = 500 if self.smoke else 10000
        every = 50
        repo = self.fresh_repo("w9-log", self.cairn)
        stream = []

        def blob_command(path, text):
            data = text.encode()
            return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"

        def lock(version):
            md5 = f"a{version:031x}"  # a letter first: an all-digit md5 would read as a YAML int
            return ("schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n"
                    f"    - path: data.csv\n      hash: md5\n      md5: {'d' * 32}\n      size: 100\n"
                    f"    params:\n      params.yaml:\n        lr: {version}\n"
                    f"    outs:\n    - path: model.pkl\n      hash: md5\n      md5: {md5}\n      size: {1000 + version}\n")

        for number in range(commits):
            message = f"commit {number}\n".encode()
            head = (f"commit refs/heads/main\nmark :{number + 1}\n"
                    f"committer bench <bench@example.com> {1700000000 + number} +0000\n"
                    f"data {len(message)}\n").encode() + message
            head += f"from :{number}\n".encode() if number else b"from refs/heads/main^0\n"
            changes = [blob_command("notes.txt", f"note {number}\n")]
            if number % every == 0:
                changes.append(blob_command("dvc.lock", lock(number // every)))
            stream.append(head + b"".join(changes) + b"\n")
        subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(stream), cwd=repo, env=self.env, check=True)
        self.sh("git reset -q --hard main", repo)
        self.settle()
        versions = commits // every
        ours = self.median("cairn", f"{self.cairn} log model.pkl", repo)
        self.add_row(section, f"`log model.pkl`, {commits} commits, {versions} versions", ours, None,
                     theirs_label="(DVC has no log)", note="target <= 1 s")
        ours = self.median("cairn", f"{self.cairn} log -n 1 model.pkl", repo)
        self.add_row(section, "`log -n 1 model.pkl`", ours, None, theirs_label="(DVC has no log)")

    def w2_data(self, count):
        """The W2 generator's first `count` files (the W2 data folder itself when the size is W2's)."""
        w2_count = 10000 if self.quick else 100000
        data = os.path.join(self.work, "w2-data" if count == w2_count else f"w2-data-{count}")
        if not os.path.exists(os.path.join(data, "data")):
            self.sh(f"W2_FILES={count} {sys.executable} {HERE}/gen.py w2 {data}", self.work)
        return data

    def moto_executable(self):
        candidates = [os.environ.get("MOTO_SERVER"), os.path.join(ROOT, ".venv/bin/moto_server")]
        if self.dvc:
            candidates.append(os.path.join(os.path.dirname(self.dvc), "moto_server"))
        return next((path for path in candidates if path and os.path.exists(path)), None)

    def start_moto(self, bucket):
        """A fresh moto S3 server on a free loopback port with one empty bucket; returns (process, port)."""
        import socket
        import urllib.request
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = open(os.path.join(self.work, f"moto-{port}.log"), "wb")
        proc = subprocess.Popen([self.moto_executable(), "-H", "127.0.0.1", "-p", str(port)], cwd=self.work,
                                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.time() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    proc.kill()
                    raise SystemExit(f"W6: moto_server did not start (see {self.work}/moto-{port}.log)")
                time.sleep(0.1)
        # moto does not check signatures: a bare PUT creates the bucket.
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/{bucket}", method="PUT")).read()
        return proc, port

    @staticmethod
    def count_objects(port, bucket):
        """How many objects the bucket holds (ListObjectsV2, page by page)."""
        import re
        import urllib.parse
        import urllib.request
        total, token = 0, None
        while True:
            query = "list-type=2&max-keys=1000" + (f"&continuation-token={urllib.parse.quote(token)}" if token else "")
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/{bucket}?{query}").read().decode()
            total += int(re.search(r"<KeyCount>(\d+)</KeyCount>", body).group(1))
            match = re.search(r"<NextContinuationToken>([^<]+)</NextContinuationToken>", body)
            if "<IsTruncated>true</IsTruncated>" not in body or not match:
                return total
            token = match.group(1)

    @staticmethod
    def count_files(path):
        return sum(len(files) for _, _, files in os.walk(path))

    def w6(self):
        print("W6", flush=True)
        count = 200 if self.smoke else (10000 if self.quick else 100000)
        s3_count = min(getattr(self, "w6_files", None) or count, count)
        mib = 16 if self.smoke else (256 if self.quick else 2048)
        tools = self.pipeline_tools()
        # Credentials for moto (it accepts any); no instance-metadata probing when something is missing.
        self.env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                         "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
        results, how = {}, {}

        def record(name, key, result):
            results[(name, key)] = result
            if not result["ok"]:
                print(f"    {name} {key} FAILED: {result['error']}", flush=True)

        # W2 to a local-directory remote: push, then pull into a fresh clone (empty cache).
        data = self.w2_data(count)
        repos = {}
        for name, tool in tools:
            repo = self.fresh_repo(f"w6-{name}", tool)
            self.place_data(repo, data)
            self.checked([tool, "add", "data"], repo)
            self.sh("git add -A && git commit -qm data", repo)
            how[name] = self.add_remote(name, tool, repo, "r", os.path.join(self.work, "runs", f"w6-remote-{name}"))
            self.sh("git add -A && git commit -qm remote", repo)
            repos[name] = repo
            self.settle()
            record(name, "push", self.measured([tool, "push"], repo))
            clone = os.path.join(self.work, "runs", f"w6-clone-{name}")
            self.sh(f"git clone -q {repo} {clone}", self.work)
            self.settle()
            record(name, "pull", self.measured([tool, "pull"], clone))
            if results[(name, "pull")]["ok"]:
                pulled = self.count_files(os.path.join(clone, "data"))
                if pulled != count:
                    results[(name, "pull")].update(ok=False, error=f"pull left {pulled} of {count} files")
                    print(f"    {name} pull: {pulled} of {count} files in the clone", flush=True)

        # W2 (or its first --w6-files files) to moto S3 with -j 16: wall and CPU, then a no-op push.
        moto = self.moto_executable()
        if moto is None:
            print("    no moto_server (set MOTO_SERVER or run `make bench` to install .venv): S3 part skipped")
        for name, tool in tools if moto else []:
            repo = repos[name]
            if s3_count != count:
                repo = self.fresh_repo(f"w6-s3-{name}", tool)
                self.place_data(repo, self.w2_data(s3_count))
                self.checked([tool, "add", "data"], repo)
                self.sh("git add -A && git commit -qm data", repo)
            bucket = f"w6-{name}"
            proc, port = self.start_moto(bucket)
            try:
                self.add_remote(name, tool, repo, "s3", f"s3://{bucket}/store",
                                [("endpointurl", f"http://127.0.0.1:{port}")], default=False)
                self.settle()
                record(name, "s3-push", self.measured([tool, "push", "-r", "s3", "-j", "16"], repo))
                pushed = results[(name, "s3-push")]
                if pushed["ok"]:
                    stored = self.count_objects(port, bucket)
                    print(f"    {name}: push of {s3_count:,} files to moto took {pushed['wall']:.1f} s "
                          f"(CPU {pushed['cpu']:.1f} s); the bucket holds {stored:,} objects", flush=True)
                    if stored < s3_count:
                        pushed.update(ok=False, error=f"the bucket holds {stored} objects, expected {s3_count}+")
                    record(name, "s3-noop", self.measured([tool, "push", "-r", "s3", "-j", "16"], repo))
            finally:
                proc.terminate()
                proc.wait()

        # W1 push and pull through a local remote: peak memory (cache.type=hardlink keeps the disk use down).
        w1_data = os.path.join(self.work, "w1-data" if mib == (256 if self.quick else 2048) else f"w1-data-{mib}")
        big = os.path.join(w1_data, "big.bin")
        if not os.path.exists(big):
            self.sh(f"W1_MIB={mib} {sys.executable} {HERE}/gen.py w1 {w1_data}", self.work)
        for name, tool in tools:
            repo = self.fresh_repo(f"w6-w1-{name}", tool, "hardlink")
            self.sh(f"cp {big} {repo}/big.bin", self.work)
            self.checked([tool, "add", "big.bin"], repo)
            self.sh("git add -A && git commit -qm big", repo)
            remote = os.path.join(self.work, "runs", f"w6-w1-remote-{name}")
            self.add_remote(name, tool, repo, "r", remote)
            self.sh("git add -A && git commit -qm remote", repo)
            self.settle()
            record(name, "w1-push", self.measured([tool, "push"], repo, peak_memory=True))
            clone = os.path.join(self.work, "runs", f"w6-w1-clone-{name}")
            self.sh(f"git clone -q {repo} {clone}", self.work)
            self.settle()
            record(name, "w1-pull", self.measured([tool, "pull"], clone, peak_memory=True))
            pulled = os.path.join(clone, "big.bin")
            if results[(name, "w1-pull")]["ok"] and os.path.getsize(pulled) != os.path.getsize(big):
                results[(name, "w1-pull")].update(ok=False, error="big.bin missing or short after pull")
            # Two more copies of W1 per tool would otherwise stay on disk for the rest of the run.
            self.sh(f"chmod -R u+w {repo} {clone} {remote}; rm -rf {repo} {clone} {remote}", self.work)
            self.settle()

        section = f"W6 (remotes: W2 {count:,} files, W1 {mib:,} MiB)"
        measured_tools = [name for name, _ in tools]

        def row(key, label, note, figure="wall", rss=False):
            cells = {}
            notes = [note] if note else []
            for name in ("cairn", "dvc"):
                result = results.get((name, key))
                if result is None:
                    cells[name] = (None, None)
                    if name in measured_tools:
                        notes.append(f"**{name} not measured** (an earlier step failed)")
                elif not result["ok"]:
                    cells[name] = (None, None)
                    notes.append(f"**{name} failed**: {result['error']}")
                else:
                    cells[name] = (result[figure], result["rss"] if rss else None)
            self.add_row(section, label, cells["cairn"][0], cells["dvc"][0], "DVC 3.67.1", cells["cairn"][1],
                         cells["dvc"][1], "; ".join(notes).replace("|", "/"))

        configured = "" if how.get("cairn", "remote add") == "remote add" else \
            "cairn's remote set with `cairn config` (no `cairn remote` yet)"
        row("push", "W6 W2 `push` to a local-directory remote", "target >= 5x DVC" + (f"; {configured}" if configured else ""),
            rss=True)
        row("pull", "W6 W2 `pull` into a fresh clone (empty cache), local remote", "target >= 5x DVC", rss=True)
        if moto:
            s3_label = f"{s3_count:,} files" + ("" if s3_count == count else " (--w6-files)")
            row("s3-push", f"W6 W2 `push -j 16` to moto S3, {s3_label}, wall", "moto's own speed bounds both")
            row("s3-push", f"W6 W2 `push -j 16` to moto S3, {s3_label}, CPU user+sys", "target: cairn >= 3x lower",
                figure="cpu")
            row("s3-noop", "W6 no-op `push -j 16` to moto S3, wall", "target <= 1 s")
        row("w1-push", f"W6 W1 `push` {mib:,} MiB to a local remote (peak RSS)", "target: cairn RSS <= 150 MB", rss=True)
        row("w1-pull", f"W6 W1 `pull` {mib:,} MiB into a fresh clone (peak RSS)", "target: cairn RSS <= 150 MB",
            rss=True)

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
    parser.add_argument("--smoke", action="store_true", help="tiny W3-W7 workloads only")
    parser.add_argument("--only", nargs="*", choices=["startup", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"])
    parser.add_argument("--w6-files", type=int, metavar="N",
                        help="W6: push only the first N W2 files to moto S3 (default: all of W2)")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.only is None:
        args.only = (["w3", "w4", "w5", "w6", "w7", "w8", "w9"] if args.smoke
                     else ["startup", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"])
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
    bench.w6_files = args.w6_files
    for name in args.only:
        getattr(bench, name)()
    if args.out:
        bench.write(args.out)
    if args.smoke and not os.environ.get("BENCH_DIR"):
        subprocess.run(["chmod", "-R", "u+w", work], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
