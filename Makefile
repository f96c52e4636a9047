# pinbench: `make` builds bench/pinbench; `make check` runs the tests;
# `make demo` sets up, runs a sweep (in a QEMU guest when there is no dax
# device here) and draws the graphs. See README.md.

CC ?= cc
PKGS := libpmem2 libdaxctl libndctl numa liburing libibverbs libtracefs zlib
GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
VERSION := 0.1

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The Debian package of each pkg-config module, for pkg-check's message.
PKG_DEBS := libpmem2=libpmem2-dev libdaxctl=libdaxctl-dev libndctl=libndctl-dev numa=libnuma-dev \
	liburing=liburing-dev libibverbs=libibverbs-dev libtracefs=libtracefs-dev zlib=zlib1g-dev

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS ?= -O2 -g
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) \
	-DPB_VERSION='"$(VERSION)"' -DPB_GIT_REV='"$(GIT_REV)"' -Ibench -MMD -MP
ALL_CFLAGS := $(BASE_CFLAGS) $(PKG_CFLAGS)
LDLIBS := $(PKG_LIBS) -lm

# Everything but main() goes into a static library that the tests link too.
LIB_SRC := $(filter-out bench/pinbench.c,$(wildcard bench/*.c)) \
	$(wildcard bench/regions/*.c) $(wildcard bench/drivers/*.c)
B ?= build
PROG ?= bench/pinbench
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)

.PHONY: all check check-all check-fresh check-unit check-host check-guest check-sanitize check-fuzz \
	demo deps ab plots compare report lint pkg-check clean
all: $(PROG)

# A module pkg-config cannot find leaves the flags above empty: stop before
# compiling and say which package to install. Checked only when something is
# built (an order-only prerequisite), not when the Makefile is read, so that
# make check, make demo and make deps can install the packages first.
pkg-check:
	@command -v pkg-config >/dev/null || { echo "make: pkg-config not found: apt-get install pkg-config (or run scripts/deps.sh)" >&2; exit 1; }
	@missing=; for m in $(PKGS); do pkg-config --exists $$m || missing="$$missing $$m"; done; \
	for m in $$missing; do \
		deb=; for md in $(PKG_DEBS); do [ "$${md%%=*}" = "$$m" ] && deb=$${md#*=}; done; \
		echo "make: pkg-config module $$m not found: install the Debian package $${deb:-that provides $$m.pc} (apt-get install $${deb:-...}, or run scripts/deps.sh)" >&2; \
	done; [ -z "$$missing" ]

# Lint: the shell scripts (shellcheck) and the C sources under clang.
lint: check-lint check-clang

$(B)/%.o: %.c | pkg-check
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libpinbench.a: $(LIB_OBJ) | pkg-check
	@rm -f $@
	$(AR) rcs $@ $^

$(PROG): $(B)/bench/pinbench.o $(B)/libpinbench.a | pkg-check
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

-include $(LIB_OBJ:.o=.d) $(B)/bench/pinbench.d

# make report: bench/pinbench-report, the summary, compare and calibrate
# commands alone, for reading results where the pinning libraries are not
# installed. Built from the files that read and compare results, with zlib's
# and libm only: a file here that came to need a pinning library would stop
# this build (make check builds it).
REPORT_SRC := bench/pinbench.c $(addprefix bench/,audit.c boots.c breakdown_compare.c calibrate.c \
	compare.c comparison.c group.c outset.c pb.c phases.c pinkind.c results.c series.c stats.c \
	summary.c) $(wildcard bench/report_*.c)
REPORT_OBJ := $(REPORT_SRC:%.c=$(B)/report/%.o)
REPORT_PROG ?= bench/pinbench-report

$(B)/report/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -DPB_REPORT_ONLY $(shell pkg-config --cflags zlib 2>/dev/null) -c -o $@ $<

$(REPORT_PROG): $(REPORT_OBJ)
	$(CC) $(BASE_CFLAGS) -o $@ $^ -lz -lm

.PHONY: report
report: $(REPORT_PROG)

-include $(REPORT_OBJ:.o=.d)

include tests/tests.mk

deps:
	scripts/deps.sh

# Both commands of the README do their own set-up: install first, then a new
# make reads pkg-config's flags of what is now there.
check:
	scripts/deps.sh --guest --test
	$(MAKE) check-all

# make check-fresh: the README's two commands in a new Debian 12 root made by
# debootstrap, in both orders (slow: not part of make check).
check-fresh:
	scripts/deps.sh --test
	scripts/check-fresh.sh

demo:
	scripts/demo.sh

# Before and after a patch: make ab [PROFILE=full|quick|headline|odirect]
# [KERNELS="compound mine ..."] [BOOTS=N] [MINE=patches]: see scripts/ab.sh --help.
ab: $(PROG)
	scripts/ab.sh

# Debian's kernels from 6.1 to 7.3, 3 boots each, then the ladder's report
# and graphs [LADDER_SERIES="6.1 6.12 ..."] (see scripts/ladder.sh --help).
.PHONY: ladder
ladder: $(PROG)
	scripts/ladder.sh

# make bisect TREE=DIR GOOD=REV BAD=REV METHOD=M REGION=R ALIGN=A SIZE=S OP=OP
# SLOWER=X|FASTER=X [BOOTS=N] [OUT=DIR]: the commit that changed one setting
# (git bisect run, each step built and booted; see scripts/bisect.sh --help).
.PHONY: bisect
bisect: $(PROG)
	scripts/bisect.sh $(if $(TREE),--tree "$(TREE)") $(if $(GOOD),--good "$(GOOD)") $(if $(BAD),--bad "$(BAD)") \
		$(if $(METHOD),--method "$(METHOD)") $(if $(REGION),--region "$(REGION)") $(if $(ALIGN),--align "$(ALIGN)") \
		$(if $(SIZE),--size "$(SIZE)") $(if $(OP),--op "$(OP)") $(if $(SLOWER),--slower "$(SLOWER)") \
		$(if $(FASTER),--faster "$(FASTER)") $(if $(BOOTS),--boots "$(BOOTS)") $(if $(OUT),--out "$(OUT)") \
		$(if $(BY_DIR),--by-dir "$(BY_DIR)")

# make memmap [KERNELS="compound base-pages ..."] [PINS=0]: the struct pages'
# memory per device-dax namespace, by align, map mode and kernel, then pin
# latency by map mode on the first kernel (jobs/memmap-pins.job through
# pinbench sweep; PINS=0 leaves it out). See scripts/memmap.sh --help.
.PHONY: memmap
memmap: $(PROG)
	scripts/memmap.sh $(if $(KERNELS),--kernels "$(KERNELS)") $(if $(filter 0,$(PINS)),--no-pins)

# make compare A=before B=after: report and graphs from results/A and results/B.
compare: $(PROG)
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=LABEL B=LABEL (folders in results/)"; exit 2; }
	scripts/compare.sh $(A) $(B)

# make plots [R=results/LABEL]: graphs of one result set (default: every set).
plots: $(PROG)
	scripts/plot.sh $(or $(R),$(wildcard results/*/))

clean:
	rm -rf build/bench build/tests build/clang build/asan build/report build/libpinbench.a bench/pinbench bench/pinbench-report
