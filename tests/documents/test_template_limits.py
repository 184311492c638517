"""Resource bombs in an uploaded template are refused quickly with template_unsafe naming
the rule; ordinary templates still render."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.documents.test_docx_ssti import make_docx
from workflow.errors import RuleViolation
from workflow.files.templates import check_template

BOMBS = {
    "doubling": ("{% set s = 'x' * 100000 %}" + "".join(
        f"{{% set s{i} = {'s' if i == 0 else f's{i - 1}'} ~ {'s' if i == 0 else f's{i - 1}'} %}}"
        for i in range(12)) + "{{ s11 }}", "text_size"),
    "center": ("{{ 'a'.center(99999 * 99999) }}", "string_padding"),
    "center_filter": ("{{ 'a'|center(99999 * 99999) }}", "string_padding"),
    "ljust": ("{{ 'a'.ljust(99999 * 999) }}", "string_padding"),
    "nested_range": ("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}"
                     "{% endfor %}", "range_limit"),
    "nested_strings": ("{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}"
                       "{% endfor %}{% endfor %}", "loop_iterations"),
    "output": ("{% set s = 'x' * 100000 %}{% for a in range(900) %}{{ s }}{% endfor %}",
               "output_size"),
    "plus": ("{% set s = 'x' * 100000 %}{% set t = s + s + s + s + s + s + s + s + s + s + s %}"
             "{{ t }}", "text_size"),
    "replace": ("{{ ('x' * 100000).replace('x', 'y' * 1000) }}", "string_padding"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_refused_fast_naming_the_rule(name):
    source, rule = BOMBS[name]
    data = make_docx(source, "body")
    started = time.monotonic()
    with pytest.raises(RuleViolation) as caught:
        check_template(data, "order")
    elapsed = time.monotonic() - started
    assert caught.value.code == "template_unsafe"
    assert rule in caught.value.message
    assert elapsed < 2.0, f"{name} took {elapsed:.2f} s"


def test_ordinary_loops_and_padding_still_render():
    source = ("{% for i in range(20) %}{{ i ~ '.' }}{{ 'x'.center(10) }}{% endfor %}"
              "{{ 'a' + 'b' }}{{ title|replace('О', 'о') }}")
    assert check_template(make_docx(source, "body"), "order") is not None


def test_member_name_leaving_the_archive_is_refused():
    data = make_docx("Приказ", "body")
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("../../evil.xml", "<x/>")
    with pytest.raises(RuleViolation) as caught:
        check_template(out.getvalue(), "order")
    assert caught.value.code == "template_unsafe"
    assert "../../evil.xml" in caught.value.message
