"""Helpers shared by the desk tests: parse pages, find blocks and fields."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node


def parse(response) -> HTMLParser:
    return HTMLParser(response.get_data(as_text=True))


def root_id(response) -> str | None:
    """The id of a fragment's first element."""
    tree = parse(response)
    node = tree.body.child if tree.body else None
    while node is not None and node.tag in ("-text", "_comment"):
        node = node.next
    return node.attributes.get("id") if node is not None else None


def is_fragment(response, expected_id: str) -> bool:
    text = response.get_data(as_text=True)
    return "<html" not in text and root_id(response) == expected_id


def block(response, block_id: str) -> Node:
    node = parse(response).css_first(f"#{block_id}")
    assert node is not None, f"#{block_id} not in response"
    return node


def field_value(node: Node, field_id: str) -> str:
    field = node.css_first(f"#{field_id}")
    assert field is not None, f"#{field_id} missing"
    if field.tag == "textarea":
        return field.text()
    return field.attributes.get("value") or ""


def error_for(node: Node, field_id: str) -> str:
    err = node.css_first(f"#{field_id}-error")
    assert err is not None, f"no error next to #{field_id}"
    return err.text()
