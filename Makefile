# The two commands of the README. Everything else here serves them.
#   make run    install what is missing, build Release, start relaisd on the embedded default
#   make test   install what is missing, build Debug (ASan+UBSan, warnings are errors),
#               start the test services, run every CTest test, stop the services
BUILD ?= build
RELEASE := $(BUILD)/release
DEBUG := $(BUILD)/debug
CONFIG ?= config/relais.properties

.PHONY: run test release debug deps-build deps-test deps-bench deps-fuzz bench fuzz clean

run: deps-build
	@cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE) --target relais_product
	@exec scripts/run.sh $(RELEASE) $(CONFIG)

test: deps-test debug
	@scripts/test.sh $(DEBUG)

release:
	@cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE)

debug:
	@cmake -S . -B $(DEBUG) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRELAIS_WERROR=ON >/dev/null
	@cmake --build $(DEBUG)

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

# Benchmarks are run on demand, never by `make test`; see docs/performance.md.
bench: deps-bench release
	@scripts/npm-install.sh tests/clients
	@tests/bench/run-all.sh $(RELEASE)

deps-fuzz:
	@scripts/install-deps.sh fuzz

# libFuzzer targets (piece decoder, request targets), built with Debian's clang, each run for
# FUZZ_SECONDS; never run by `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps-fuzz
	@cmake -S tests/fuzz -B $(BUILD)/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)/fuzz
	@tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)
