from django.shortcuts import render
from django.views.decorators.http import require_GET

from faq.models import MAX_QUERY_LENGTH, Entry, normalise_query
from faq.page import entry_data, get_page_data


@require_GET
def index(request):
    """The FAQ page; with ?q=, the entries matching the query instead."""
    data = get_page_data()
    query = normalise_query(request.GET.get("q"))
    context = {
        "page": data["page"],
        "query": query,
        "max_query_length": MAX_QUERY_LENGTH,
    }
    if query:
        matches = Entry.objects.published().search(query).select_related("topic")
        context["results"] = [
            {**entry_data(entry), "topic": entry.topic.title} for entry in matches
        ]
    else:
        context["sections"] = data["sections"]
        context["jsonld"] = data["jsonld"]
    return render(request, "faq/index.html", context)
