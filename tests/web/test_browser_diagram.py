"""The workflow picture on a document page, as a browser draws it: no arrow's label is
written over a state's box (the labels between two boxes on a row were wider than the gap)."""

from __future__ import annotations

import pytest

from tests.web.test_browser_chain import browser  # noqa: F401
from workflow.engine.diagrams import svg
from workflow.engine.kinds import KINDS

pytestmark = pytest.mark.browser

OVERLAPS = """svg => {
  const boxes = [...svg.querySelectorAll('.wf-state rect')].map(r => r.getBBox());
  const hit = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width &&
                        a.y < b.y + b.height && b.y < a.y + a.height;
  return [...svg.querySelectorAll('.wf-label text')]
    .filter(t => boxes.some(b => hit(t.getBBox(), b))).map(t => t.textContent);
}"""


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_label_covers_a_state(browser, kind):  # noqa: F811
    page = browser.new_page()
    page.set_content(f"<html><body style='font-family: sans-serif'>{svg(kind, 'draft')}"
                     "</body></html>")
    assert page.eval_on_selector("svg", OVERLAPS) == []
    page.close()
