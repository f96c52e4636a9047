# shellcheck shell=bash disable=SC2034
# make ab's profiles (sourced by scripts/ab.sh): what one boot measures is the
# job file jobs/NAME.job (pinbench sweep in the guest); here only the
# launcher's settings: kernels, boots, namespaces, NVDIMM, guest memory and
# timeout. ab_profile NAME sets P_* variables and P_SETS (KEY=VALUE, each a
# --set of the job: AB_SIZES, AB_SIZES_1G, AB_REPS, AB_METHODS, AB_REGIONS and
# the words of AB_SET); AB_* and KERNELS, BOOTS override the rest.
#
#   full      every method on devdax 4K/2M/1G, DRAM and an fsdax file (refusals),
#             2M..4G (1G device 1G..4G): the first make ab's sweep
#   quick     rdma, vfio and gup_test -a on 4K and 2M devdax at 32M, 256M,
#             1G, 3 boots: a first answer for a patch in minutes (default
#             kernels: compound and mine when MINE is set, else compound
#             slow-batch)
#   headline  the published figure's setting: 2M and 1G devdax at 16 GiB,
#             gup_test -u/-a (get and put, kget/kput), rdma and vfio
#   odirect   O_DIRECT on devdax 2M/1G and hugetlb 2M at 1G and 4G, with
#             per-I/O rows (the tail seen on longterm-fast and slow-batch)
#   ladder    Debian's kernels from 6.1 to 7.3 (make ladder picks the series
#             the archive holds complete): rdma, vfio, iouring, odirect on
#             devdax 4K/2M/1G, hugetlb 2M, THP and anon 4K at 2M, 256M, 1G
#   permr     1 GiB of 2M devdax as 512 registrations of 2 MiB (--chunk 2M),
#             rdma and vfio: the time per registration, kernel against kernel
#   typeone   vfio type1 MAP/UNMAP of 4 GiB of THP, hugetlb 2M and 1G, anon 4K
#             and devdax 2M/1G on Debian 6.17 against 6.18 (the large-folio
#             batching merged for 6.18; 4 GiB is what the guest holds here)
#   type1     vfio type1 MAP/UNMAP of devdax 4K/2M/1G and anon 4K at 2M, 256M
#             and 1G, 7.3 as shipped against the type1 ZONE_DEVICE fix
#             (kernel/patches-7.3/type1-zone-device; MINE= replaces it)

AB_PROFILES="full quick headline odirect ladder permr typeone type1"
AB_ALL_KERNELS="compound base-pages grab-once longterm-fast slow-batch"

ab_profile() {
	P_NAME=$1
	P_JOB=jobs/$1.job
	P_KERNELS=$AB_ALL_KERNELS P_BOOTS=3 P_TIMEOUT=3600 P_MEM=''
	case $1 in
	full) P_NS=4K:5G,2M:5G,1G:6G,fsdax:2G P_NVDIMM=22G P_MEM=11264 ;;
	quick)
		P_KERNELS="compound slow-batch"
		[[ -n ${MINE:-} ]] && P_KERNELS="compound mine"
		P_NS=4K:2G,2M:2G P_NVDIMM=5G P_TIMEOUT=1200
		;;
	headline) P_NS=2M:17G,1G:17G P_NVDIMM=36G P_MEM=4096 P_TIMEOUT=2400 ;;
	odirect)
		P_KERNELS="compound grab-once longterm-fast slow-batch"
		P_NS=2M:5G,1G:6G P_NVDIMM=12G P_MEM=11264
		;;
	ladder)
		P_KERNELS="debian:6.1 debian:6.12 debian:6.16 debian:6.17 debian:6.18 debian:7.2 debian:7.3"
		P_NS=4K:2G,2M:2G,1G:3G P_NVDIMM=8G P_TIMEOUT=1200
		;;
	permr) P_KERNELS="debian:6.1 debian:6.12 debian:6.16 debian:7.3" P_NS=2M:3G P_NVDIMM=4G P_TIMEOUT=1200 ;;
	typeone) P_KERNELS="debian:6.17 debian:6.18" P_NS=2M:5G,1G:6G P_NVDIMM=12G P_MEM=14336 P_TIMEOUT=2400 ;;
	type1) P_KERNELS="compound@7.3 type1-zone-device@7.3" P_NS=4K:2G,2M:2G,1G:3G P_NVDIMM=8G P_TIMEOUT=1200 ;;
	*) return 1 ;;
	esac
	P_KERNELS=${KERNELS:-$P_KERNELS}
	P_BOOTS=${BOOTS:-$P_BOOTS}
	P_NS=${AB_NAMESPACES:-$P_NS}
	P_NVDIMM=${AB_NVDIMM:-$P_NVDIMM}
	P_MEM=${AB_MEM:-$P_MEM}
	P_TIMEOUT=${AB_TIMEOUT:-$P_TIMEOUT}
	P_SETS=()
	[[ -z ${AB_SIZES:-} ]] || P_SETS+=("sizes=$AB_SIZES")
	[[ -z ${AB_SIZES_1G:-} ]] || P_SETS+=("sizes-1g=$AB_SIZES_1G")
	[[ -z ${AB_REPS:-} ]] || P_SETS+=("reps=$AB_REPS")
	[[ -z ${AB_METHODS:-} ]] || P_SETS+=("methods=$AB_METHODS")
	[[ -z ${AB_REGIONS:-} ]] || P_SETS+=("regions=$AB_REGIONS")
	local w
	for w in ${AB_SET:-}; do P_SETS+=("$w"); done
	return 0
}
