# mmkern: the kernel-aware gdb commands (see kernel-gdb.py and docs/gdb.md).
# gdb reads this file only from a directory you allowed in ~/.gdbinit:
#     add-auto-load-safe-path /path/to/mmkern/.gdbinit
source kernel-gdb.py
