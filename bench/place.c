// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <numa.h>
#include <sched.h>
#include <string.h>

#include "pb.h"
#include "place.h"

static int node_has_cpus(int node)
{
	struct bitmask *m = numa_allocate_cpumask();
	int n = 0;

	if (!numa_node_to_cpus(node, m))
		n = (int)numa_bitmask_weight(m);
	numa_free_cpumask(m);
	return n > 0;
}

static int nearest_cpu_node(int node)
{
	int best = -1, dist = 1 << 30;

	for (int n = 0; n <= numa_max_node(); n++) {
		if (!numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)n) || !node_has_cpus(n))
			continue;
		if (numa_distance(node, n) < dist) {
			dist = numa_distance(node, n);
			best = n;
		}
	}
	return best;
}

static int first_cpu_of(int node)
{
	struct bitmask *m = numa_allocate_cpumask();
	int cpu = -1;

	if (!numa_node_to_cpus(node, m))
		for (unsigned i = 0; i < m->size; i++)
			if (numa_bitmask_isbitset(m, i)) {
				cpu = (int)i;
				break;
			}
	numa_free_cpumask(m);
	return cpu;
}

int place_bind(int node, int user_node, int want_cpu, int *cpu, int *cpu_node)
{
	cpu_set_t set;
	int run_node = -1;

	*cpu = want_cpu >= 0 ? want_cpu : sched_getcpu();
	*cpu_node = -1;
	if (numa_available() >= 0) {
		if (node > numa_max_node() || (node >= 0 && !numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)node))) {
			if (user_node) {
				pb_err("NUMA node %d does not exist here (nodes 0..%d): fix --node", node, numa_max_node());
				return -EINVAL;
			}
			pb_info("the region's NUMA node %d is not online: not binding to it", node);
			node = -1;
		}
		if (node >= 0) {
			numa_set_preferred(node);
			run_node = node_has_cpus(node) ? node : nearest_cpu_node(node);
		}
		if (want_cpu < 0 && run_node >= 0)
			*cpu = first_cpu_of(run_node);
		*cpu_node = numa_node_of_cpu(*cpu);
	}
	if (*cpu < 0)
		*cpu = 0;
	CPU_ZERO(&set);
	CPU_SET(*cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		int rc = -errno;

		pb_err("cannot run on CPU %d: %s; pick one from `nproc`/lscpu with --cpu", *cpu, strerror(-rc));
		return rc;
	}
	return 0;
}
