from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from clinic import pagecache
from faq.models import MAX_QUERY_LENGTH, Entry, normalise_query
from faq.page import entry_data, get_page_data


@require_safe
def index(request):
    """The FAQ page; with ?q=, the entries matching the query instead."""
    query = normalise_query(request.GET.get("q"))
    if not query:
        # The same for everyone until staff change it: served as finished HTML.
        html = pagecache.cached_html(
            "faq", lambda: render_to_string("faq/index.html", page_context(), request=request)
        )
        return HttpResponse(html)
    matches = Entry.objects.published().search(query).select_related("topic")
    context = {
        **page_context(with_sections=False),
        "query": query,
        "results": [{**entry_data(entry), "topic": entry.topic.title} for entry in matches],
    }
    return render(request, "faq/index.html", context)


def page_context(*, with_sections: bool = True) -> dict:
    data = get_page_data()
    context = {"page": data["page"], "query": "", "max_query_length": MAX_QUERY_LENGTH}
    if with_sections:
        context.update(sections=data["sections"], jsonld=data["jsonld"])
    return context
