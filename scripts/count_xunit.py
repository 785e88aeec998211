#!/usr/bin/env python3
"""Prints "tests failures errors skipped" summed over a JUnit/xUnit XML file."""
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
totals = [0, 0, 0, 0]
for suite in suites:
    for i, key in enumerate(("tests", "failures", "errors", "skipped")):
        totals[i] += int(suite.get(key, 0) or 0)
    if suite.get("skipped") is None:
        totals[3] += len(suite.findall("testcase/skipped"))
print(*totals)
