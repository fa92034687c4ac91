#!/usr/bin/env python3
"""Feeds every `--format` of `bindsim check` (and `verify`, when allowed) to a real consumer.

- json:   Python's json module, then the schema described in the README.
- tap:    the tap.py parser (TAP version 14 with YAML diagnostics).
- junit:  xmlschema against the Jenkins JUnit schema (junit-jenkins.xsd).
- github: the workflow-command grammar (`::error file=...,line=N::message`).

Usage: check-formats.py BINDSIM [--verify]. Exits non-zero on the first problem.
"""
import json, os, re, subprocess, sys, tempfile

import xmlschema
from tap.parser import Parser

HERE = os.path.dirname(os.path.abspath(__file__))
BINDSIM = sys.argv[1]
COMMANDS = ["check"] + (["verify"] if "--verify" in sys.argv else [])

# A folder with a passing file, a file with a disagreement (tricky characters in the
# comment) and a malformed file.
work = tempfile.mkdtemp(prefix="bindsim-formats-")
os.makedirs(os.path.join(work, "sub"))
with open(os.path.join(work, "good.scenario"), "w") as f:
    f.write("socket a udp4\nbind a 127.0.0.1:7000 => ok\n")
with open(os.path.join(work, "sub", "wrong.scenario"), "w") as f:
    f.write('# quotes " & <tags> #hash\nsocket a udp4\nbind a 127.0.0.1:7000 => ok\n'
            "socket b udp4\nbind b 0.0.0.0:7000 => ok\n")
with open(os.path.join(work, "sub", "broken.scenario"), "w") as f:
    f.write("socket a udp4\nbnid a 127.0.0.1:1\n")

def run(command, fmt):
    p = subprocess.run([BINDSIM, command, "--format", fmt, work], capture_output=True, text=True)
    assert p.returncode == 65, f"{command} {fmt}: exit {p.returncode}, expected 65\n{p.stderr}"
    return p.stdout

schema = xmlschema.XMLSchema(os.path.join(HERE, "junit-jenkins.xsd"))
checked = 0
for command in COMMANDS:
    # JSON
    doc = json.loads(run(command, "json"))
    assert doc["tool"] == "bindsim" and doc["command"] == command
    assert set(doc["totals"]) == {"files", "passed", "failed", "fileErrors"}
    assert doc["totals"] == {"files": 3, "passed": 2 if command == "check" else doc["totals"]["passed"],
                             "failed": 1, "fileErrors": 1}, doc["totals"]
    verdicts = {os.path.relpath(f["path"], work): f["verdict"] for f in doc["files"]}
    assert verdicts == {"good.scenario": "pass", "sub/broken.scenario": "error",
                        "sub/wrong.scenario": "fail"}, verdicts
    for f in doc["files"]:
        for s in f["steps"]:
            assert {"line", "statement", "predicted", "rule", "explanation", "verdict"} <= set(s)
            if command == "verify":
                assert "kernel" in s
    if command == "verify":
        assert doc["kernelRelease"]
    broken = next(f for f in doc["files"] if f["verdict"] == "error")
    assert broken["error"]["line"] == 2 and broken["error"]["column"] == 1
    checked += 1

    # TAP
    lines = list(Parser().parse_text(run(command, "tap")))
    version = [l for l in lines if l.category == "version"]
    plan = [l for l in lines if l.category == "plan"]
    tests = [l for l in lines if l.category == "test"]
    unknown = [l for l in lines if l.category == "unknown"]
    assert version and version[0].version == 14, "TAP version 14 line"
    assert plan and plan[0].expected_tests == 3 and len(tests) == 3
    assert not unknown, f"lines the TAP parser did not understand: {unknown}"
    failing = [t for t in tests if not t.ok]
    assert len(failing) == 2
    for t in failing:
        assert t.yaml_block is not None, f"no YAML diagnostic for {t.description}"
    wrong = next(t for t in failing if "wrong" in t.description)
    d = wrong.yaml_block["disagreements"][0]
    assert d["line"] == 5 and d["rule"] == "udp.first-match" and d["expected"] == "ok"
    checked += 1

    # JUnit
    xml = run(command, "junit")
    schema.validate(xml)
    tree = schema.to_dict(xml)
    assert tree["@tests"] == "3" and tree["@failures"] == "1" and tree["@errors"] == "1"
    suites = {s["@name"] for s in tree["testsuite"]}
    assert suites == {work, work + "/sub"}, suites
    checked += 1

    # GitHub annotations
    out = run(command, "github").splitlines()
    pattern = re.compile(r"^::error file=[^,:]+(,line=\d+)?(,col=\d+)?(,title=[^:]+)?::.+$")
    annotations = [l for l in out if l.startswith("::")]
    assert all(pattern.match(l) for l in annotations), annotations
    assert any(",line=5," in l and "wrong.scenario" in l for l in annotations)
    assert any(",line=2,col=1::" in l and "broken.scenario" in l for l in annotations)
    assert re.match(r"^\d+ passed, \d+ failed$", out[-1])
    checked += 1

print(f"{checked} format checks passed, 0 failed")
