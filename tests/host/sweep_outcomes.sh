#!/bin/bash
# pinbench sweep sorts its runs' exits into outcomes: measured, skipped
# (not here), unsupported (the kernel refuses that memory that way), FAILED;
# the sweep exits 0 unless something failed. Against a stub `pinbench run`
# (PINBENCH_SWEEP_RUN).
. "$(dirname "$0")/../lib.sh"

stub=$TMP/pinbench
cat >"$stub" <<'EOF'
#!/bin/bash
case $1 in
run) ;;
*) exit 2 ;;
esac
meth='' out=''
while (($#)); do
	case $1 in --method) meth=$2; shift ;; --out) out=$2; shift ;; esac
	shift
done
case $meth in
iouring) echo "pinbench: iouring: this kernel's io_uring refuses fixed buffers backed by a file other than shmem or hugetlbfs (anon)" >&2; exit 78 ;;
rdma) echo "pinbench: rdma: no RDMA device: modprobe rdma_rxe" >&2; exit 77 ;;
odirect) printf 'method\n' >"$out"; exit 0 ;;
esac
EOF
chmod +x "$stub"

printf '[t]\nlabel = t\noutdir = %s\nregions = anon\nmethods = iouring,rdma,odirect\nsizes = 2M\nreps = 1\n' \
	"$TMP/res" >"$TMP/t.job"
PINBENCH_SWEEP_RUN=$stub capture "$PINBENCH" sweep "$TMP/t.job"
[ "$RC" = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; die "sweep exit $RC, expected 0 (skips are not failures)"; }
grep -q '^\[1/3\] iouring on anon: unsupported: iouring: this kernel.s io_uring refuses' "$TMP/out" ||
	{ cat "$TMP/out" >&2; die "iouring not reported unsupported"; }
grep -q '^\[2/3\] rdma on anon: skipped: rdma: no RDMA device' "$TMP/out" ||
	{ cat "$TMP/out" >&2; die "rdma not reported skipped"; }
grep -q '^\[3/3\] odirect on anon: measured' "$TMP/out" || { cat "$TMP/out" >&2; die "odirect not measured"; }
grep -q '^  skipped \[1/3\] iouring on anon: unsupported by this kernel: ' "$TMP/out" ||
	{ cat "$TMP/out" >&2; die "the summary does not name the unsupported setting"; }
echo "sweep outcomes: unsupported, skipped and measured told apart"
