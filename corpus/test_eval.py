#!/usr/bin/env python3
"""Tests of corpus/eval.py's label matching, verdicts and diff keys (no registry needed).

    python3 corpus/test_eval.py
"""
import importlib.util
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("eval", os.path.join(HERE, "eval.py"))
ev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ev)


def labels(text):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write(text)
    try:
        return ev.read_labels(f.name)
    finally:
        os.unlink(f.name)


def finding(path, line, lint):
    return {"crate": path.split("/")[0], "path": path, "line": line, "col": 1, "lint": lint,
            "message": ""}


class Labels(unittest.TestCase):
    def test_rows_ranges_and_comments(self):
        rows = labels("# comment\n"
                      "find\tc-1.0/src/a.rs\t10-12\tunconsumed_response,await_holding_response\twhy\n"
                      "silent\tc-1.0/src/a.rs\t20\t*\tlook-alike\n")
        self.assertEqual([(r.kind, r.lo, r.hi) for r in rows], [("find", 10, 12), ("silent", 20, 20)])
        self.assertEqual(rows[0].order, ["unconsumed_response", "await_holding_response"])
        self.assertIsNone(rows[1].lints)

    def test_matching_needs_the_path_the_lines_and_a_listed_lint(self):
        row = labels("find\tc-1.0/src/a.rs\t10-12\tunconsumed_response\t\n")[0]
        self.assertTrue(row.matches("c-1.0/src/a.rs", 12, "unconsumed_response"))
        self.assertFalse(row.matches("c-1.0/src/a.rs", 13, "unconsumed_response"))
        self.assertFalse(row.matches("c-1.0/src/b.rs", 10, "unconsumed_response"))
        self.assertFalse(row.matches("c-1.0/src/a.rs", 10, "await_holding_response"))

    def test_an_old_lint_name_matches_the_renamed_lint(self):
        row = labels("find\tc-1.0/src/a.rs\t5\tresponse_unread_on_early_exit\t\n")[0]
        self.assertTrue(row.matches("c-1.0/src/a.rs", 5, "error_body_dropped"))

    def test_a_malformed_row_is_an_error(self):
        with self.assertRaises(SystemExit):
            labels("find\tc-1.0/src/a.rs\tten\tunconsumed_response\t\n")


class Verdicts(unittest.TestCase):
    rows = labels("find\tc-1.0/src/a.rs\t10\tunconsumed_response\t\n"
                  "silent\tc-1.0/src/a.rs\t20\t*\t\n"
                  "any\tc-1.0/src/a.rs\t30\t*\t\n"
                  "silent\tc-1.0/src/a.rs\t10\tunconsumed_response\t\n")

    def test_each_kind(self):
        self.assertEqual(ev.verdict(finding("c-1.0/src/a.rs", 20, "leaked_response"), self.rows)[0], "silent")
        self.assertEqual(ev.verdict(finding("c-1.0/src/a.rs", 30, "leaked_response"), self.rows)[0], "any")
        self.assertIsNone(ev.verdict(finding("c-1.0/src/a.rs", 40, "leaked_response"), self.rows)[0])

    def test_find_and_silent_on_one_site_is_a_conflict(self):
        self.assertEqual(ev.verdict(finding("c-1.0/src/a.rs", 10, "unconsumed_response"), self.rows)[0],
                         "conflict")


class Diff(unittest.TestCase):
    def test_the_key_ignores_the_message_and_folds_renames(self):
        a = finding("c-1.0/src/a.rs", 3, "response_unread_on_early_exit")
        b = dict(finding("c-1.0/src/a.rs", 3, "error_body_dropped"), message="other words")
        self.assertEqual(ev.key(a), ev.key(b))


if __name__ == "__main__":
    unittest.main()
