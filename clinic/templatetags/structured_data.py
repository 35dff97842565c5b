import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# As django.utils.html.json_script does: inside <script> the HTML parser ends the
# element at the first "</script", whatever JSON quoting says, so these characters
# are written as JSON escapes, which mean the same to a JSON parser.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(value: dict) -> SafeString:
    """``value`` as JSON safe to place between <script type="application/ld+json"> tags."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    # JSON we serialised and escaped ourselves, not HTML from anyone.
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308  # nosec B308, B703  # nosemgrep: mark-safe-only-on-sanitised-html
