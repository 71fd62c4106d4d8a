# Runs a command and writes its peak RSS (KiB) and CPU time (user + system, µs) to argv[1], for
# children that cannot preload bench/lib/probe.mjs: a process started from a V8 startup snapshot
# does not run --import. The fork and exec of this wrapper are not in the child's figures.
import os
import sys

pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss} {int((usage.ru_utime + usage.ru_stime) * 1e6)}")
sys.exit(os.waitstatus_to_exitcode(status))
