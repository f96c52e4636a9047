# Tests. Each tests/unit/test_*.c is one cmocka program linked against the
# library; each tests/host/*.sh and tests/plot/*.sh is a script run by
# tests/run-scripts.sh (exit 77 = skipped, with the reason on its last line).

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

$(B)/tests/%: tests/unit/%.c $(B)/libpinbench.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libpinbench.a $(LDLIBS) $(CMOCKA_LIBS)

check-all: docs-check check-unit check-host check-clang check-sanitize check-tsan check-valgrind check-fuzz check-lint check-guest

check-unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

check-host: $(PROG) $(REPORT_PROG)
	PINBENCH_REPORT=$(abspath $(REPORT_PROG)) tests/run-scripts.sh tests/host/*.sh $(wildcard tests/plot/*.sh)

check-guest: $(PROG)
	tests/run-scripts.sh tests/guest/*.sh

# The same sources, warnings-free under clang too.
check-clang:
	$(MAKE) -s B=build/clang PROG=build/clang/pinbench REPORT_PROG=build/clang/pinbench-report CC=clang \
		build/clang/pinbench build/clang/pinbench-report $(UNIT_BIN:$(B)/%=build/clang/%)

# Unit tests under AddressSanitizer and UndefinedBehaviorSanitizer.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-sanitize:
	$(MAKE) -s B=build/asan PROG=build/asan/pinbench CFLAGS="-O1 -g $(SAN)" \
		check-unit UNIT_BIN="$(UNIT_BIN:$(B)/%=build/asan/%)"

# The threaded pin loop (bench/many.c) under ThreadSanitizer, on a fake method.
check-tsan:
	$(MAKE) -s B=build/tsan PROG=build/tsan/pinbench CFLAGS="-O1 -g -fsanitize=thread" build/tsan/tests/test_many
	TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/test_many

# Host integration tests with pinbench under valgrind memcheck.
check-valgrind: $(PROG) $(REPORT_PROG)
	PINBENCH_REPORT=$(abspath $(REPORT_PROG)) PB_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
		tests/run-scripts.sh tests/host/*.sh

check-lint:
	shellcheck -x -S warning $$(git ls-files '*.sh' .ci/run)

# No tracked file cites what the repository lacks: notes and folders outside
# it, mail threads by nickname, issue numbers (scripts/docs-check.sh).
.PHONY: docs-check
docs-check: $(PROG)
	scripts/docs-check.sh
	scripts/docs-tables.sh

# libFuzzer targets (clang): each runs FUZZ_SECONDS on its seeds; inputs that
# once crashed are kept in tests/fuzz/regress/NAME/ and replayed first.
FUZZ_SECONDS ?= 15
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1
check-fuzz:
	$(MAKE) -s B=build/fuzzlib PROG=build/fuzzlib/pinbench CC=clang \
		CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" build/fuzzlib/libpinbench.a
	@set -e; rm -f build/fuzz-crash-*; for n in $(FUZZ_NAMES); do \
		clang $(ALL_CFLAGS) $(FUZZ_FLAGS) -o build/fuzz_$$n tests/fuzz/fuzz_$$n.c \
			build/fuzzlib/libpinbench.a $(LDLIBS); \
		mkdir -p build/fuzz-corpus/$$n; \
		if [ -d tests/fuzz/regress/$$n ]; then \
			echo "== fuzz_$$n: replaying tests/fuzz/regress/$$n"; \
			build/fuzz_$$n tests/fuzz/regress/$$n/* >build/fuzz-replay.log 2>&1 || \
				{ cat build/fuzz-replay.log; exit 1; }; fi; \
		echo "== fuzz_$$n: $(FUZZ_SECONDS) s"; \
		build/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=0 \
			-close_fd_mask=2 -artifact_prefix=build/fuzz-crash-$$n- \
			build/fuzz-corpus/$$n tests/fuzz/seeds/$$(case $$n in sizes) echo sizes;; *) echo csv;; esac) \
			2>&1 | grep -E '^(#[0-9]+ +DONE|==[0-9]+==ERROR|SUMMARY|Done)' || true; \
		test -z "$$(ls build/fuzz-crash-$$n-* 2>/dev/null)" || { echo "fuzz_$$n crashed: see build/fuzz-crash-$$n-*"; exit 1; }; \
	done
