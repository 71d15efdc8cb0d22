"""Run every benchmark and print one table (markdown, ready for docs/benchmarks.md)."""

import os
import platform
import sys

from benchmarks import warm_start

BENCHMARKS = [warm_start]


def machine():
    cpus = os.cpu_count()
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return (
        f"{platform.node()}: {cpus} cores, {total_kb / 1024 / 1024:.0f} GiB, {platform.platform()}"
    )


def main():
    only = set(sys.argv[1:])
    print(f"Machine: {machine()}")
    print("| benchmark | measure | p50 | reference (same run) | ratio | goal |")
    print("| --- | --- | --- | --- | --- | --- |")
    for module in BENCHMARKS:
        name = module.__name__.rsplit(".", 1)[-1]
        if only and name not in only:
            continue
        for row in module.run():
            print("| " + " | ".join(str(cell) for cell in row) + " |", flush=True)


if __name__ == "__main__":
    main()
