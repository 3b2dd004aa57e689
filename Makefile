# Almanac — the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcsv-dev zlib1g-dev
export DEBIAN_FRONTEND := noninteractive

.PHONY: deps build release test demo bench microbench fuzz lint clean

# Installs the C libraries when they are missing (root on Debian; sudo otherwise).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product almanac

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

demo: deps release
	@bash scripts/demo.sh

bench: deps release
	@bash scripts/bench.sh

# Micro-benchmarks of the hot paths (ordo-one/benchmark) on files of the 1M-row reference inbox;
# Benchmarks/ is its own package, so the main build never builds the benchmark tool.
microbench: deps release
	@BENCH_SECTIONS=data BENCH_SCALES=r1m bash scripts/bench.sh
	$(SWIFT) package --package-path Benchmarks --disable-sandbox benchmark

# Fuzzes ingest with libFuzzer + AddressSanitizer for FUZZ_SECONDS (Fuzz/ is its own package, so
# libFuzzer's main never meets the normal build). `make test` replays the committed inputs.
FUZZ_SECONDS ?= 60
fuzz: deps
	@touch Fuzz/Package.swift # SwiftPM otherwise may not notice new files in the parent package
	$(SWIFT) build --package-path Fuzz -c debug --product ingest-fuzz -Xswiftc -sanitize=fuzzer,address
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build .almanac

# Style check (.swift-format: 2 spaces, 120 columns, no force unwrap or force try).
lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
