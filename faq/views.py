from django.shortcuts import render
from django.views.decorators.http import require_safe

from clinic import pagecache, structured_data
from faq.models import MAX_QUERY_LENGTH, Entry, normalise_query
from faq.page import entry_data, get_page_data, shown_in_english


@require_safe
def index(request):
    """The FAQ page; with ?q=, the entries matching the query instead."""
    query = normalise_query(request.GET.get("q"))
    data = get_page_data()
    context = {
        "page": data["page"],
        "query": query,
        "max_query_length": MAX_QUERY_LENGTH,
        # After a vote without JavaScript (feedback.views.vote): the thank-you there.
        "thanked": request.GET.get("helpful", ""),
    }
    if not query:
        jsonld = data["jsonld"]
        graph = [*jsonld["@graph"], structured_data.medical_clinic()]
        context.update(sections=data["sections"], jsonld={**jsonld, "@graph": graph})
        # The same for everyone until staff change it (clinic.pagecache).
        return pagecache.public(render(request, "faq/index.html", context))
    matches = Entry.objects.published().search(query).select_related("topic")
    context["results"] = [
        {
            **entry_data(entry),
            "topic": entry.topic.title,
            "topic_pending": shown_in_english(entry.topic, "title"),
        }
        for entry in matches
    ]
    return render(request, "faq/index.html", context)
