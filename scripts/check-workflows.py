#!/usr/bin/python3
"""The GitHub workflows cannot run on the development machines (no GitHub access), so npm test
checks what can be checked here: each file is YAML, names its triggers and jobs, every job says
where it runs and has steps, every step uses an action or runs a command, `${{ … }}` expressions
are closed, and the scripts, npm scripts and files the steps call exist in the repository."""

import json
import pathlib
import re
import sys

import yaml  # Debian's python3-yaml (scripts/lib.sh)

ROOT = pathlib.Path(__file__).resolve().parent.parent
problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


npm_scripts = json.loads((ROOT / "package.json").read_text())["scripts"]
workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
if not workflows:
    problem(".github/workflows", "no workflow")
for path in workflows:
    name = path.relative_to(ROOT)
    text = path.read_text()
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        problem(name, f"not YAML: {e}")
        continue
    for number, line in enumerate(text.splitlines(), 1):
        if line.count("${{") > line.count("}}"):
            problem(f"{name}:{number}", "an unclosed ${{ … }} expression")
    # (YAML reads the key `on` as the boolean True.)
    if not isinstance(doc, dict) or not (doc.get("on") or doc.get(True)):
        problem(name, "no `on:` triggers")
        continue
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        problem(name, "no jobs")
        continue
    for job_id, job in jobs.items():
        where = f"{name} job {job_id}"
        if "runs-on" not in job:
            problem(where, "no runs-on")
        steps = job.get("steps")
        if not isinstance(steps, list) or not steps:
            problem(where, "no steps")
            continue
        for i, step in enumerate(steps):
            at = f"{where} step {i + 1}"
            if ("uses" in step) == ("run" in step):
                problem(at, "needs exactly one of uses / run")
            run = step.get("run", "")
            for script in re.findall(r"(?:bash\s+)?(scripts/[\w.-]+\.(?:sh|py|mjs))", run):
                if not (ROOT / script).exists():
                    problem(at, f"calls {script}, which does not exist")
            for npm in re.findall(r"npm run\s+(?:--silent\s+)?([\w:-]+)", run):
                if npm not in npm_scripts:
                    problem(at, f"runs `npm run {npm}`, which package.json does not define")
            if re.search(r"\bnpm test\b", run) and "test" not in npm_scripts:
                problem(at, "runs `npm test`, which package.json does not define")

if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(workflows)} workflows are well-formed and call only what exists")
