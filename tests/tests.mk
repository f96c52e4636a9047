# Tests. Each tests/unit/test_*.c is one cmocka program linked against the
# library; each tests/host/*.sh and tests/plot/*.sh is a script run by
# tests/run-scripts.sh (exit 77 = skipped, with the reason on its last line).

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

$(B)/tests/%: tests/unit/%.c $(B)/libpinbench.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libpinbench.a $(LDLIBS) $(CMOCKA_LIBS)

check: check-unit check-host

check-unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

check-host: bench/pinbench
	tests/run-scripts.sh tests/host/*.sh $(wildcard tests/plot/*.sh)

check-guest: bench/pinbench
	tests/run-scripts.sh tests/guest/*.sh
