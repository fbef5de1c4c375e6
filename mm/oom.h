/* mm/oom.h - the out-of-memory killer (mm/oom_kill.c; Linux include/linux/oom.h). */
#ifndef MM_OOM_H
#define MM_OOM_H

#include "kernel/types.h"

/*
 * out_of_memory - a user-mode page fault of current found no memory: kill
 * the process holding the most (SIGKILL, with a report line), or wait a
 * tick if an earlier victim is still exiting. Sleeps; no locks held on
 * entry or exit. Returns true if memory is on its way back (the caller
 * retries the access; if current was the victim, it dies first), false if
 * there was nothing to kill.
 */
bool out_of_memory(void);

#endif
