"""JUnit XML for CI systems: one testcase per saved event, the first difference as message."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.settings import atomic_write_text
from workbench.core.testing.runner import ERROR, FAILED, CaseResult, summary


def junit_xml(results: list[CaseResult], suite: str = "lambda-workbench test") -> str:
    counts = summary(results)
    total_s = sum(r.duration_s for r in results)
    root = ET.Element("testsuites", name=suite)
    node = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(results)),
        failures=str(counts["failed"]),
        errors=str(counts["errors"]),
        skipped="0",
        time=f"{total_s:.3f}",
    )
    for result in results:
        case = ET.SubElement(
            node,
            "testcase",
            classname=result.function,
            name=result.event,
            file=str(result.case.expectation_path),
            time=f"{result.duration_s:.3f}",
        )
        if result.status == FAILED:
            failure = ET.SubElement(case, "failure", message=result.message, type="mismatch")
            failure.text = "\n".join(result.differences)
        elif result.status == ERROR:
            error = ET.SubElement(case, "error", message=result.message, type="error")
            error.text = result.message
        if result.result is not None and result.result.logs:
            ET.SubElement(case, "system-out").text = result.result.logs
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: Path, results: list[CaseResult]) -> None:
    try:
        atomic_write_text(path, junit_xml(results))
    except OSError as error:
        raise WorkbenchError(f"The JUnit report {path} could not be written: {error}.") from None
