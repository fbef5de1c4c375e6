# kernel-gdb.py - loads mmkern's kernel-aware gdb commands (kps, kpt, kvma,
# kpage, kbt; tests/gdb/mmkern.py) into a plain "gdb build/kernel.elf" run
# from the top of the tree. The .gdbinit next to this file sources it; gdb
# runs that .gdbinit only once you allow it, once, in ~/.gdbinit:
#
#     add-auto-load-safe-path /path/to/mmkern/.gdbinit
#
# (make debug does not need this: it sources tests/gdb/mmkern.py itself.)
import os

import gdb

_here = os.path.dirname(os.path.abspath(__file__))
gdb.execute("source " + os.path.join(_here, "tests", "gdb", "mmkern.py"))
print("mmkern: gdb commands kps, kpt, kvma, kpage, kbt loaded (help kpt)")
