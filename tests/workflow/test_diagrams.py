"""The server-drawn workflow picture: one arrow per pair of states, naming every event it
stands for (two arrows on one arc wrote their labels over each other)."""

import re

from workflow.engine import machine
from workflow.engine.diagrams import svg

ARROW = re.compile(r'<path class="wf-edge ([^"]*)"[^>]*/><g class="wf-label">(.*?)</g>')


def test_events_between_the_same_states_share_one_labelled_arrow():
    picture = svg("order", "on_approval")
    arrows = [(classes, " ".join(re.findall(r">([^<]+)</text>", label)))
              for classes, label in ARROW.findall(picture)]
    pairs = {(t["source"], t["dest"]) for t in machine.describe("order")["transitions"]}
    assert len(arrows) == len(pairs)
    back = [label for classes, label in arrows if classes == "wf-ev-reject wf-ev-recall"]
    assert back == ["вернуть, отозвать"]
