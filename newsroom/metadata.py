"""Sharing metadata for an article: schema.org NewsArticle JSON-LD."""

from __future__ import annotations

import json
import re

from . import urls
from .post import Post

# Inside <script>, "</script>" or "<!--" in a value would end or change the
# script; JSON allows these characters escaped, so escape them all. (A regex:
# str.translate with a mapping walks Vietnamese text a character at a time.)
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def news_article(post: Post, site_url: str, site_name: str) -> str:
    """JSON-LD for ``<script type="application/ld+json">``, safe to insert as is."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "description": post.summary,
        "url": urls.absolute(site_url, post.url),
        "mainEntityOfPage": urls.absolute(site_url, post.url),
        "datePublished": post.date.w3c,
        "dateModified": post.last_change.w3c,
        "inLanguage": "vi",
        "author": [{"@type": "Person", "name": a.name, "url": urls.absolute(site_url, a.url)} for a in post.authors],
        "publisher": {"@type": "GovernmentOrganization", "name": site_name, "url": site_url},
        "about": [{"@type": "GovernmentOrganization", "name": a.name, "url": urls.absolute(site_url, a.url)} for a in post.agencies],
        "keywords": [t.name for t in post.topics],
    }
    if post.image:
        data["image"] = [urls.absolute(site_url, post.image)]
    return _SCRIPT_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(data, ensure_ascii=False))
