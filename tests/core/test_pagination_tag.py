"""`{% pagination_html %}` (issue 12) writes exactly what `partials/pagination.html` wrote, for every position in
the pages, with and without a search and a parameter name, in every staff language."""

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.utils import translation

TAG = "{% load partial_tags %}{% pagination_html page param=param query=query %}"
INCLUDE = '{% include "partials/pagination.html" with page=page param=param query=query only %}'


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_the_pager_writes_what_the_partial_wrote(language):
    engine = engines["django"]
    with translation.override(language):
        for total in (0, 3, 25, 26, 80):
            paginator = Paginator(list(range(total)), 25)
            for number in paginator.page_range:
                for param, query in (("", ""), ("payments", ""), ("kind=repair&page", "张 三&x=<1>"), ("", "0100/7")):
                    context = {"page": paginator.page(number), "param": param, "query": query}
                    assert engine.from_string(TAG).render(context) == engine.from_string(INCLUDE).render(context)
