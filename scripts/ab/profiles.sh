# shellcheck shell=bash disable=SC2034
# make ab's profiles: what one boot measures (sourced by scripts/ab.sh).
# ab_profile NAME sets P_* variables; AB_* in the environment override them.
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

AB_PROFILES="full quick headline odirect"
AB_ALL_KERNELS="compound base-pages grab-once longterm-fast slow-batch"

ab_profile() {
	P_NAME=$1
	P_KERNELS=$AB_ALL_KERNELS P_BOOTS=3 P_REPS=5 P_TIMEOUT=3600 P_MEM='' P_REGIONS=devdax
	case $1 in
	full)
		P_SIZES=2M,8M,32M,128M,512M,2G,4G P_SIZES_1G=1G,2G,4G
		P_METHODS=odirect,iouring,rdma,vfio,gup-fast,gup-pin,gup-longterm
		P_REGIONS=devdax,dram P_NS=4K:5G,2M:5G,1G:6G,fsdax:2G P_NVDIMM=22G P_MEM=11264
		;;
	quick)
		P_KERNELS="compound slow-batch"
		[[ -n ${MINE:-} ]] && P_KERNELS="compound mine"
		P_SIZES=32M,256M,1G P_SIZES_1G=1G
		P_METHODS=rdma,vfio,gup-pin
		P_NS=4K:2G,2M:2G P_NVDIMM=5G P_TIMEOUT=1200
		;;
	headline)
		P_SIZES=16G P_SIZES_1G=16G P_METHODS=gup-fast,gup-pin,rdma,vfio
		P_NS=2M:17G,1G:17G P_NVDIMM=36G P_MEM=4096 P_TIMEOUT=2400
		;;
	odirect)
		P_KERNELS="compound grab-once longterm-fast slow-batch"
		P_SIZES=1G,4G P_SIZES_1G=1G,4G P_METHODS=odirect
		P_REGIONS=devdax,hugetlb:2M P_NS=2M:5G,1G:6G P_NVDIMM=12G P_MEM=11264
		;;
	*) return 1 ;;
	esac
	P_KERNELS=${KERNELS:-$P_KERNELS}
	P_BOOTS=${BOOTS:-$P_BOOTS}
	P_SIZES=${AB_SIZES:-$P_SIZES}
	P_SIZES_1G=${AB_SIZES_1G:-$P_SIZES_1G}
	P_REPS=${AB_REPS:-$P_REPS}
	P_METHODS=${AB_METHODS:-$P_METHODS}
	P_REGIONS=${AB_REGIONS:-$P_REGIONS}
	P_NS=${AB_NAMESPACES:-$P_NS}
	P_NVDIMM=${AB_NVDIMM:-$P_NVDIMM}
	P_MEM=${AB_MEM:-$P_MEM}
	P_TIMEOUT=${AB_TIMEOUT:-$P_TIMEOUT}
	return 0
}
