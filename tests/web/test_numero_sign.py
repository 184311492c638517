"""«№» stays with its number where a narrow column wraps a line (lists, the inbox), and a
form shows a title exactly as it was typed."""

NUMBERED = "О внесении изменений в приказ № 12"


def test_the_sign_keeps_its_number_in_lists_and_the_form_keeps_the_title(as_user, make_doc):
    doc = make_doc("draft", title=NUMBERED)
    c = as_user("admin1")
    for url in ("/documents", "/"):
        page = c.get(url).get_data(as_text=True)
        assert "приказ №\u00a012" in page and "приказ № 12" not in page, url
    form = c.get(f"/documents/{doc}/edit").get_data(as_text=True)
    assert f'value="{NUMBERED}"' in form
