/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a method pins with FOLL_PIN, by its name, for result files older
 * than format 3 (whose rows lack the foll_pin column). Rows written now
 * carry it from the method's driver; this table includes no driver, so
 * that reading and comparing results needs no pinning library.
 */
#ifndef PB_PINKIND_H
#define PB_PINKIND_H

/* 1: FOLL_PIN, counted by nr_foll_pin_*; 0: not; -1: a method the table does not know. */
int pinkind_foll_pin(const char *method);

#endif
