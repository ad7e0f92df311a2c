"""Where long tokens that are not words may break on a phone."""

from __future__ import annotations

from protocol_app.core.typography import breakable_address


def test_an_address_breaks_only_after_its_at_and_before_the_dots_of_its_domain():
    assert str(breakable_address("a.b@protokoll.example")) == "a.b@<wbr>protokoll<wbr>.example"
    assert str(breakable_address("<x>@y")) == "&lt;x&gt;@<wbr>y"  # still escaped
    assert str(breakable_address("no address")) == "no address"
    assert str(breakable_address(None)) == ""
