"""What a journey may open by typing its address (the `page` fixture of conftest.py checks
every `page.goto`): the home page, a link an e-mail gave, or an address leading nowhere (the
not-found page, which no link shows). Everything else is reached by clicking."""

import ast
from pathlib import Path
from urllib.parse import urlsplit

from django.core import mail
from django.urls import Resolver404, resolve

HOME = "/"
JOURNEYS = Path(__file__).parent
# Ways around the guarded tab: a context or tab of one's own, requests without the page.
ESCAPES = {"new_context", "request"}


def may_type(url, mails):
    """May a journey open `url` by typing it (`mails`: the bodies of the e-mails sent)?"""
    parts = urlsplit(url)
    path = parts.path or HOME
    if path == HOME and not parts.query:
        return True
    local = path + (f"?{parts.query}" if parts.query else "")
    if any(local in body for body in mails):
        return True
    try:
        resolve(path)
    except Resolver404:
        return True
    return False


def mail_bodies():
    bodies = []
    for message in mail.outbox:
        bodies.append(message.body)
        bodies += [content for content, _type in getattr(message, "alternatives", [])]
    return bodies


def escapes(source):
    """(line, attribute) of each use of a way around the guarded tab in a journey's source."""
    return [
        (node.lineno, node.attr)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in ESCAPES
    ]
