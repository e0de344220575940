# cairn — build, test, demo, bench, install.
# `make demo` and `make test` work on a fresh machine: they install what they need themselves.

PREFIX  ?= /usr/local
SWIFT   ?= swift
PYTHON  ?= python3
VENV    := .venv
DVC_VERSION := 3.67.1
# One consistent set for dvc[s3] and moto's S3 server: unpinned, pip backtracks through dozens of aiobotocore
# releases (aiobotocore pins botocore to a narrow range that boto3, wanted by moto, must match).
S3_PINS := "moto[server]==5.2.5" aiobotocore==3.10.0 boto3==1.43.117 botocore==1.43.117 s3fs==2026.9.0
RELEASE_BIN := .build/release/cairn
DEBUG_BIN   := .build/debug/cairn

# The demo runs in a throw-away repo with a private git identity; every step is echoed before it runs.
define DEMO_SCRIPT
set -e; cairn="$(CURDIR)/$(DEBUG_BIN)"; demo=$$(mktemp -d /tmp/cairn-demo.XXXXXX); \
step() { if [ -t 1 ]; then printf '\n\033[1m$$ %s\033[0m\n' "$$*"; else printf '\n$$ %s\n' "$$*"; fi; "$$@"; }; \
cairn() { "$$cairn" "$$@"; }; \
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com; \
cd "$$demo"; echo "demo project: $$demo"; \
step git init -q -b main; \
step cairn init --template demo; \
step git commit -q -m "Start a cairn project"; \
step $(PYTHON) src/make_dataset.py data; \
step cairn add data; \
step git add data.dvc .gitignore; \
step git commit -q -m "Track the dataset"; \
step cairn status; \
step rm -rf data; \
step cairn status; \
step cairn checkout; \
step cairn status; \
step cairn data status --granular; \
step cairn dag; \
step cairn repro --commit; \
step git show --stat HEAD; \
step cat metrics.json; \
step cairn validate; \
step sed -i 's/epochs: 15/epochs: 30/' params.yaml; \
step cairn status; \
step cairn repro -j 2; \
step cairn status; \
step cairn params diff; \
step cairn metrics diff --relative; \
step cairn plots diff; \
step cairn validate; \
step cairn commit --git -m "Train for 30 epochs"; \
step cairn log model.json; \
step cairn lineage metrics.json; \
step cairn which model.json; \
step cairn install; \
step cairn remote add -d store "$$demo.store"; \
step cairn push; \
step rm -rf .dvc/cache data; \
step cairn status -c; \
step cairn pull; \
step cairn status; \
echo; echo "done: the dataset came back from the cache, only train and evaluate ran again (committed by cairn, checked by checks.yaml), the runs compare in $$demo/dvc_plots/index.html, and everything came back from the remote $$demo.store"
endef

.PHONY: all build debug test demo bench install embed deps libgit2 libcurl venv clean

all: build

## libgit2-dev through apt-get when pkg-config cannot find it (only prints the command when not root).
libgit2:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing libgit2-dev and pkg-config with apt-get"; \
		(apt-get install -y -qq libgit2-dev pkg-config >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null && apt-get install -y -qq libgit2-dev pkg-config >/dev/null)); \
	else \
		echo "libgit2 is missing; install it with:  sudo apt-get install -y libgit2-dev pkg-config" >&2; exit 1; \
	fi

## libcurl4 at run time for S3 remotes (cairn dlopens it on first use; nothing links against it).
libcurl:
	@if ldconfig -p 2>/dev/null | grep -q 'libcurl.so.4 '; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing libcurl4 with apt-get"; \
		(apt-get install -y -qq libcurl4 >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null && apt-get install -y -qq libcurl4 >/dev/null)); \
	else \
		echo "libcurl4 is missing (S3 remotes need it); install it with:  sudo apt-get install -y libcurl4" >&2; exit 1; \
	fi

## The git-ignored venv with the real DVC, used only as the oracle of the interop tests.
venv: $(VENV)/.ready-$(DVC_VERSION)-s3-1
$(VENV)/.ready-$(DVC_VERSION)-s3-1:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check "dvc[s3]==$(DVC_VERSION)" $(S3_PINS)
	touch $@

# The Swift runtime and Foundation are linked in statically: the binary runs without a Swift toolchain
# (only libgit2 stays a system library) and starts about a third faster.
build: libgit2
	$(SWIFT) build -c release --product cairn --static-swift-stdlib

debug: libgit2
	$(SWIFT) build --product cairn

## Unit, integration (built binary on temp git repos) and interop (real DVC) tests.
test: libgit2 libcurl venv
	$(SWIFT) build --build-tests
	CAIRN_DVC=$(CURDIR)/$(VENV)/bin/dvc $(SWIFT) test --skip-build --parallel

## Regenerate Sources/CairnEngine/Generated/EmbeddedFiles.swift from templates/ and hooks/.
embed:
	$(SWIFT) run embed-files $(CURDIR)

## A throw-away git repo: init from the demo template, version a dataset, delete it, restore it.
demo: debug
	@$(DEMO_SCRIPT)

bench: build libcurl venv
	@command -v hyperfine >/dev/null 2>&1 || apt-get install -y -qq hyperfine >/dev/null
	CAIRN=$(CURDIR)/$(RELEASE_BIN) DVC=$(CURDIR)/$(VENV)/bin/dvc $(PYTHON) bench/bench.py $(BENCH_ARGS)

install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/cairn

clean:
	rm -rf .build
