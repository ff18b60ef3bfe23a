"""The bare views every page is compared with (benchmark only; `benchmarks.urls` mounts them).

- `bare`: what any staff page cannot avoid — the login check (session and user), one query for 25 rows, a
  template that renders them as a table.
- `bare_sql`: "the same SQL done bare" — replays the SQL statements a page ran (captured by the runner with their
  parameters: `SQL_BY_NAME[name]`) through a raw cursor, reading the session as the page does, and renders every row
  in a plain table: the floor of a page whose work is its queries.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines

from supply_service.customers.models import Customer

_TABLE = engines["django"].from_string(
    "<!doctype html><html><head><title>bare</title></head><body><table>"
    "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}"
    "</table></body></html>"
)

SQL_BY_NAME: dict[str, list[tuple[str, tuple]]] = {}


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    rows = Customer.objects.order_by("pk").values_list("account_number", "name", "phone", "address", "office_id")[:25]
    return HttpResponse(_TABLE.render({"rows": list(rows)}, request))


def bare_sql(request: HttpRequest, name: str) -> HttpResponse:
    request.session.get("kiosk_customer")  # the page reads its session too
    rows = []
    with connection.cursor() as cursor:
        for sql, params in SQL_BY_NAME.get(name, []):
            cursor.execute(sql, params)
            if cursor.description is not None:
                rows.extend(cursor.fetchall())
    return HttpResponse(_TABLE.render({"rows": rows}, request))
