"""Turning an editor's Markdown into HTML that is safe to show to patients.

Every answer on the FAQ page is HTML produced here, and nothing else on the page is
marked safe. Markdown alone is not a sanitiser: it passes raw HTML (``<script>``,
``<img onerror=...>``) straight through and accepts ``javascript:`` links, so its
output always goes through nh3 (the Rust ``ammonia`` sanitiser) with a short
allowlist before it is stored.
"""

import re

import markdown
import nh3

# What an answer may contain: paragraphs, lists, emphasis, links, small headings,
# quotations and inline code. No images (they would be third-party requests), no
# tables, no classes or styles (the CSP forbids inline styles anyway).
ALLOWED_TAGS = frozenset(
    {"p", "ul", "ol", "li", "strong", "em", "a", "br", "h3", "h4", "blockquote", "code"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# A link an editor adds must not give the target page a handle on ours.
LINK_REL = "noopener noreferrer"


def render_markdown(text: str) -> str:
    """Sanitised HTML for the Markdown ``text``; the only HTML the FAQ marks safe."""
    html = markdown.markdown(text or "", output_format="html")
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


# Words and phrases in health claims that the FDA and the FTC look at closely
# (unapproved-product warnings, "deceptive health claims" guidance). Matching one is
# a hint for the clinical reviewer, never a reason to refuse a save: the clinic's
# own text legitimately mentions the FDA, for example.
SCRUTINISED_CLAIMS = (
    "cure",
    "cures",
    "cured",
    "guarantee",
    "guaranteed",
    "FDA",
    "Food & Drug Administration",
    "FDA approved",
    "approved",
    "clinically shown",
    "clinically proven",
    "proven",
    "no contraindications",
    "no side effects",
    "no risk",
    "risk-free",
    "safe and effective",
    "permanent",
    "miracle",
    "tremendous efficacy",
)

_CLAIM_PATTERNS = [
    (claim, re.compile(r"(?<!\w)" + re.escape(claim) + r"(?!\w)", re.IGNORECASE))
    for claim in SCRUTINISED_CLAIMS
]


def find_scrutinised_claims(*texts: str) -> list[str]:
    """The claim phrases (from SCRUTINISED_CLAIMS) that occur in any of ``texts``."""
    joined = "\n".join(text or "" for text in texts)
    return [claim for claim, pattern in _CLAIM_PATTERNS if pattern.search(joined)]
