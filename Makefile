# FragmentEditor — the two commands a newcomer needs are `make run` and
# `make test`; both install what is missing first. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(PATH):/usr/local/go/bin
export GOFLAGS ?= -buildvcs=false

VERSION := $(shell build/scripts/version.sh)
LDFLAGS := -X main.version=$(VERSION)
TAGS := webkit2_41
BIN := build/bin/fragmenteditor
ARTIFACTS := .artifacts

# System packages: building the desktop app, then running its tests.
APP_PKGS := gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
TEST_PKGS := stress-ng fonts-dejavu-core xvfb xauth xdotool libxdamage-dev libxtst-dev x11-utils imagemagick chromium firefox-esr dbus dbus-x11 desktop-file-utils openssh-server iproute2

.PHONY: help deps deps-test run frontend bindings build llproxy serve test test-lint test-go test-bindings test-fuzz test-frontend test-e2e test-web test-desktop test-stress test-real bench clean

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

deps: ## install what building the app needs (apt packages, npm packages)
	@build/scripts/ensure-apt.sh $(APP_PKGS)
	@build/scripts/ensure-tools.sh

deps-test: deps ## install what the tests need too
	@build/scripts/ensure-apt.sh $(TEST_PKGS)

run: build ## install what is missing, build the app and run it
	$(BIN)

frontend: deps ## build the page into frontend/dist (the app and llproxy embed it)
	cd frontend && npm run build

bindings: ## regenerate the typed Wails bindings (frontend/wailsjs/go) from app.go; commit them
	go tool wails generate module -tags $(TAGS)
	@chmod a-x frontend/wailsjs/runtime/* frontend/wailsjs/go/*.ts frontend/wailsjs/go/main/* # it writes them executable

build: frontend ## build the desktop app into build/bin/fragmenteditor
	go tool wails build -m -s -skipbindings -ldflags "$(LDFLAGS)"

llproxy: frontend ## build the headless proxy (pure Go, no cgo, with the editor page) into build/bin/llproxy
	CGO_ENABLED=0 go build -ldflags "$(LDFLAGS)" -o build/bin/llproxy ./backend/cmd/llproxy

serve: llproxy ## run the headless proxy with ./config.json (CONFIG=file to choose)
	build/bin/llproxy --config $(or $(CONFIG),config.json)

test: deps-test ## install what is missing and run every test
	$(MAKE) --no-print-directory test-lint test-go test-fuzz test-bindings test-frontend build test-e2e test-web test-desktop test-package
	@echo "make test: all suites passed"

test-lint: ## type checks and linters, zero findings: tsc (app, tests, e2e, benches), ESLint, go vet, staticcheck
	cd frontend && npx tsc -b && npm run --silent lint
	go vet -tags $(TAGS),desktop ./...
	go tool staticcheck -tags $(TAGS),desktop ./...

test-go: ## the pure-Go proxy build and Go tests with -race
	CGO_ENABLED=0 go build -o /dev/null ./backend/cmd/llproxy
	go test -race -count=1 -tags $(TAGS) ./...

# The fuzzers: package and target. Their seeds (the bad inputs of issue 14
# among them) also run in test-go; test-fuzz mutates them for FUZZTIME each.
FUZZERS := ./backend/config:FuzzParse ./backend/discovery:FuzzCleanName ./backend/discovery:FuzzCheckID \
	./backend/discovery:FuzzParseModelList ./backend/proxy:FuzzTopLevelValue ./backend/proxy:FuzzUpstreamPath \
	./backend/proxy:FuzzBodyWriter
FUZZTIME ?= 2s

test-fuzz: ## run each Go fuzzer briefly (FUZZTIME=60s for a real run)
	@for f in $(FUZZERS); do build/scripts/fuzz.sh "$${f%%:*}" "$${f#*:}" $(FUZZTIME) || exit 1; done

test-bindings: ## the checked-in bindings are what app.go generates (tsc checks the page against them)
	$(MAKE) --no-print-directory bindings
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && [ -n "$$(git status --porcelain -- frontend/wailsjs/go)" ]; then \
		git status --short -- frontend/wailsjs/go; \
		echo "frontend/wailsjs/go is stale: run 'make bindings' and commit the result"; exit 1; fi

test-frontend: ## frontend unit and component tests (Vitest)
	cd frontend && npm test

test-e2e: build llproxy ## browser end-to-end tests: the production build, and llproxy's /status page (Chromium)
	cd frontend && npx vitest run --config vitest.e2e.config.ts

test-web: llproxy ## the editor served by the real llproxy, in Chromium and Firefox ESR: type, suggest, reload, library, download/upload, kill -9, two tabs
	cd frontend && npx vitest run --config vitest.web.config.ts

test-desktop: ## desktop tests: the real window under Xvfb
	go test -count=1 -tags desktop -v ./backend/desktoptest -args -bin $(abspath $(BIN)) -artifacts $(abspath $(ARTIFACTS))

test-stress: deps-test build llproxy ## the desktop, browser and web end-to-end suites 10 times (ROUNDS=n) under stress-ng --cpu 2: N/10 passed per test (ONLY=desktop,web: those suites; RUN=pattern: those tests)
	node build/scripts/stress.mjs --rounds $(or $(ROUNDS),10) --log $(abspath $(ARTIFACTS))/stress-failures.log --only '$(ONLY)' --run '$(RUN)' \
	  'go:desktop:$(CURDIR):go test -count=1 -timeout 30m -tags desktop ./backend/desktoptest -args -bin $(abspath $(BIN)) -artifacts $(abspath $(ARTIFACTS))' \
	  'vitest:browser:$(CURDIR)/frontend:npx vitest run --config vitest.e2e.config.ts' \
	  'vitest:web:$(CURDIR)/frontend:npx vitest run --config vitest.web.config.ts'

# The real Ollama server of ../shared/realllm (not in `make test`: its first
# setup compiles Ollama, 15-30 min on two busy cores; warm it takes ~15 s).
REALLLM ?= $(abspath $(or $(wildcard ../shared/realllm),/work/shared/realllm))

test-real: build ## token probabilities and regeneration against a real Ollama v0.17 (tiny model; runs its setup.sh): Go side and the desktop window
	REALLLM_PRELOAD=1 $(REALLLM)/setup.sh
	REALLLM_SRC=$(REALLLM) go test -count=1 -tags realllm -run TestReal -v ./backend/assist
	REALLLM_SRC=$(REALLLM) go test -count=1 -tags 'desktop realllm' -run TestReal -v ./backend/desktoptest -args -bin $(abspath $(BIN)) -artifacts $(abspath $(ARTIFACTS))

bench: deps-test ## benchmarks: proxy, discovery, documents, event path, editor (prints numbers)
	go test -run '^$$' -bench . -benchmem ./backend/proxy ./backend/access ./backend/discovery ./backend/documents
	go test -run '^$$' -bench . ./backend/lab
	go test -run '^$$' -bench BenchmarkEventPath32x50 -benchtime 1x ./backend/assist
	go run ./backend/proxy/loadtest
	cd frontend && npm run bench
	$(MAKE) --no-print-directory build
	FRAGMENTEDITOR_BENCH=1 go test -count=1 -timeout 30m -tags desktop -run TestBench -v ./backend/desktoptest -args -bin $(abspath $(BIN)) -artifacts $(abspath $(ARTIFACTS))

clean: ## remove build outputs
	rm -rf build/bin dist $(ARTIFACTS) frontend/dist/assets frontend/dist/index.html

$(shell mkdir -p $(ARTIFACTS))

include build/package.mk
