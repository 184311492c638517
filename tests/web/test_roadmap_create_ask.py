"""A roadmap item's «Создать документ» says which kind it creates and asks first
(issue 13, defect 13)."""

from __future__ import annotations

import re

from tests.web.test_roadmaps_pages import _import, big_roadmap


def test_create_button_names_the_kind_and_asks(rt, actor, world, as_user):
    result = _import(rt, actor, world, big_roadmap(3))
    html = as_user("curator1").get(f"/roadmaps/{result['id']}").get_data(as_text=True)
    ask = re.search(r'<details class="mt-1 create-act".*?</details>', html, re.S)
    assert ask, "no confirmation around the create button"
    block = ask.group(0)
    assert "Создать документ: Положение о наставничестве" in block
    assert "Будет создан черновик" in block and 'data-test="create-act"' in block
