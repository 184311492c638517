"""«№» stays with its number where a narrow column wraps a line (lists, the inbox), and a
form shows a title exactly as it was typed."""

import re

NUMBERED = "О внесении изменений в приказ № 12"


def test_the_sign_keeps_its_number_in_lists_and_the_form_keeps_the_title(as_user, make_doc):
    doc = make_doc("draft", title=NUMBERED)
    c = as_user("admin1")
    for url in ("/documents", "/"):
        page = c.get(url).get_data(as_text=True)
        assert "приказ №\u00a012" in page and "приказ № 12" not in page, url
    form = c.get(f"/documents/{doc}/edit").get_data(as_text=True)
    assert f'value="{NUMBERED}"' in form


def _shown(page: str) -> str:
    """The page's visible text that can wrap: a select's options and a form's values don't."""
    return re.sub(r"<option[^>]*>.*?</option>|<title>.*?</title>|value=\"[^\"]*\"", "", page,
                  flags=re.S)


def test_a_schools_name_keeps_its_number_wherever_it_is_shown(as_user, make_doc, world):
    make_doc("accepted")
    school = world.orgs["school1"]
    pages = {"officer": ["/compliance/", f"/compliance/school/{school}", "/schools/"],
             "auditor": ["/audit/", "/audit/chains"], "admin1": ["/profile"]}
    for user, urls in pages.items():
        c = as_user(user)
        for url in urls:
            page = _shown(c.get(url, follow_redirects=True).get_data(as_text=True))
            assert "Школа №\u00a01" in page and "Школа № 1" not in page, f"{user} {url}"
