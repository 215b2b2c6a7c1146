// SPDX-License-Identifier: LGPL-2.1-or-later
/* This process's open handles and private bytes, for leak checks (test_stress, test_oom, soak), counted
 * as test_stress counts them: Wine 8 answers GetProcessHandleCount and
 * PROCESS_MEMORY_COUNTERS_EX.PrivateUsage with 0, so there the open handle values are
 * counted (a bounded walk: values are handed out lowest first) and the committed private
 * regions added up (VirtualQuery: heaps included, images and mapped views not). */
#ifndef RMT_MEASURE_H
#define RMT_MEASURE_H

/* After a first full walk, later walks stop a margin past the highest value seen. */
unsigned long rmt_handle_count(void);

unsigned long long rmt_private_bytes(void);

/* This process's threads (a toolhelp snapshot). FALSE if it cannot be taken. */
int rmt_thread_count(unsigned long *count);

/* This process's entries in the system-wide handle table (NtQuerySystemInformation,
 * SystemExtendedHandleInformation; Wine's GetProcessHandleCount always says 0), for the
 * shutdown leak test. FALSE if the table cannot be read. */
int rmt_table_handle_count(unsigned long *count);

#endif
