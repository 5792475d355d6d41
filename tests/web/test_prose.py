"""Briefs render as paragraphs and lists, escaped."""

from __future__ import annotations

from app.web.prose import prose


def test_paragraphs_join_wrapped_lines_and_lists_become_lists() -> None:
    text = (
        "Graham is 67 and has\ncome back today.\n\n"
        "This is for:\n- finding out what\n  worries him;\n- options."
    )
    assert str(prose(text)) == (
        "<p>Graham is 67 and has come back today.</p>\n"
        "<p>This is for:</p><ul><li>finding out what worries him;</li><li>options.</li></ul>"
    )


def test_text_is_escaped() -> None:
    assert str(prose("<script>x</script>")) == "<p>&lt;script&gt;x&lt;/script&gt;</p>"
