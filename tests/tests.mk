# Tests. Each tests/unit/test_*.c is one cmocka program linked against the
# library; each tests/host/*.sh and tests/plot/*.sh is a script run by
# tests/run-scripts.sh (exit 77 = skipped, with the reason on its last line).

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

$(B)/tests/%: tests/unit/%.c $(B)/libpinbench.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libpinbench.a $(LDLIBS) $(CMOCKA_LIBS)

check: check-unit check-host check-clang check-sanitize check-valgrind check-lint

check-unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

check-host: $(PROG)
	tests/run-scripts.sh tests/host/*.sh $(wildcard tests/plot/*.sh)

check-guest: $(PROG)
	tests/run-scripts.sh tests/guest/*.sh

# The same sources, warnings-free under clang too.
check-clang:
	$(MAKE) -s B=build/clang PROG=build/clang/pinbench CC=clang build/clang/pinbench $(UNIT_BIN:$(B)/%=build/clang/%)

# Unit tests under AddressSanitizer and UndefinedBehaviorSanitizer.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-sanitize:
	$(MAKE) -s B=build/asan PROG=build/asan/pinbench CFLAGS="-O1 -g $(SAN)" \
		check-unit UNIT_BIN="$(UNIT_BIN:$(B)/%=build/asan/%)"

# Host integration tests with pinbench under valgrind memcheck.
check-valgrind: $(PROG)
	PB_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
		tests/run-scripts.sh tests/host/*.sh

check-lint:
	shellcheck -x -S warning $$(git ls-files '*.sh' .ci/run)
