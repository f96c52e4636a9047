/* SPDX-License-Identifier: GPL-2.0 */
/* Where the run executes: one CPU, and allocations on a chosen NUMA node. */
#ifndef PB_PLACE_H
#define PB_PLACE_H

/*
 * node: --node, or -1 for none. Binds allocations to node (DRAM regions are
 * mapped after this) and runs on --cpu, or on the first CPU of node, or of
 * the nearest node with CPUs when node has none (a pmem node often has
 * none). A node the user named must exist; a region's node that is not
 * online (a CPU-less, memory-less pmem node) only loses the binding.
 * Fills *cpu and *cpu_node. 0, or -errno after pb_err().
 */
int place_bind(int node, int user_node, int want_cpu, int *cpu, int *cpu_node);

#endif
