# The front door (spec/sandbox.md §1). Every target installs missing Debian packages
# first (scripts/deps.sh, quiet when nothing is missing).
#
#   make run    build (release) and run the sandbox in the foreground
#   make test   build (ASan+UBSan) and run every test
#   make build  build (release); binaries in build/bin/
#   make package  the Debian package (build/release/c2p_*.deb; docs/operations.md)

SHELL := /bin/bash
JOBS ?= $(shell nproc)
PORT ?= 8080
SANDBOX_DIR ?= var/sandbox

.PHONY: all run test build package deps check-format format tidy bench fuzz faults clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@ln -sfn release/bin build/bin

package: build
	@cd build/release && cpack -G DEB

run: build
	@build/bin/c2pd sandbox --dir $(SANDBOX_DIR) --port $(PORT)

test: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan

check-format: deps
	@bash scripts/check_format.sh

format: deps
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 -i

tidy: test
	@bash scripts/tidy.sh build/asan

bench: build
	@bash bench/http_baseline.sh
	@SKIP_DEPS=1 bash bench/token.sh
	@SKIP_DEPS=1 bash bench/sim_directory.sh
	@SKIP_DEPS=1 bash bench/register_card.sh
	@SKIP_DEPS=1 bash bench/enrol_accept.sh
	@SKIP_DEPS=1 bash bench/operation_get.sh
	@SKIP_DEPS=1 bash bench/enrolments_complete.sh
	@SKIP_DEPS=1 bash bench/pending_memory.sh

fuzz: deps
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

# The fault suite (docs/reliability.md); FAULTS=long for the long versions.
faults: deps
	@bash scripts/faults.sh $(FAULTS)

clean:
	@rm -rf build
