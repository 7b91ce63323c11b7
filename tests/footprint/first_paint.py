"""Starts a desktop app in the current X display and measures it, as a person meets it:

* cold start to first paint: from spawning the process to the first moment its window shows
  more than a blank surface (the window's pixels read with xwd every few milliseconds);
* memory: the proportional set size (PSS, /proc/<pid>/smaps_rollup) of the process and every
  process it started (WebKit's web and network processes), once the page has settled.

usage: first_paint.py <title> <runs> <command...>   → one JSON line per run on stdout
"""

import json
import os
import subprocess
import sys
import tempfile
import time


def window(title: str) -> str | None:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title], capture_output=True, text=True
    )
    ids = found.stdout.split()
    return ids[0] if ids else None


def painted(window_id: str) -> bool:
    """Whether the window shows more than a few colours (a blank or single-colour surface: not yet)."""
    shot = subprocess.run(["xwd", "-silent", "-id", window_id], capture_output=True)
    if shot.returncode != 0 or len(shot.stdout) < 200:
        return False
    header_size = int.from_bytes(shot.stdout[0:4], "big")
    ncolors = int.from_bytes(shot.stdout[76:80], "big")
    pixels = shot.stdout[header_size + ncolors * 12 :]
    # Every 97th 32-bit pixel is plenty to tell a page from a blank surface.
    sample = {pixels[i : i + 4] for i in range(0, len(pixels) - 4, 4 * 97)}
    return len(sample) > 16


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def pss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_once(title: str, command: list[str]) -> dict:
    errors = tempfile.TemporaryFile()
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        window_id = None
        while window_id is None:
            if time.monotonic() - started > 60 or process.poll() is not None:
                errors.seek(0)
                said = errors.read().decode(errors="replace")[-2000:]
                raise RuntimeError(
                    f"{command[0]}: no window titled {title!r} (exit {process.poll()}): {said}"
                )
            window_id = window(title)
        mapped = time.monotonic() - started
        while not painted(window_id):
            if time.monotonic() - started > 60:
                raise RuntimeError(f"{command[0]}: the window stays blank")
            time.sleep(0.005)
        first_paint = time.monotonic() - started
        time.sleep(4)  # the page settles (its scripts, the first backend calls)
        processes = descendants(process.pid)
        return {
            "mapped_ms": round(mapped * 1000),
            "first_paint_ms": round(first_paint * 1000),
            "pss_kib": pss_kib(processes),
            "processes": len(processes),
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        time.sleep(1)


def main() -> None:
    title, runs, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    for number in range(runs):
        result = run_once(title, command)
        result["run"] = number + 1
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
