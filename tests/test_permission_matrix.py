"""The permission matrix (issue 10, "Tests that stay in the suite"): every URL pattern of the project — the admin's
too — × every kind of visitor (anonymous, a verified kiosk customer, one user per role, a user without a role, a
clerk of another office) × GET and an empty POST. Each cell's expected status is written once in the tables below;
a URL pattern without a row fails the test, and so does a row for a URL that no longer exists.

Every cell also checks that the request changed nothing in the database (an empty POST is not valid input, a GET
never writes) and never answers 500. Each request runs in a savepoint that is rolled back and with the client's
cookies put back afterwards, so the cells cannot influence each other.

How to read and add a row — one line per URL name (or `name[variant]` for a second object of the same URL):

    "tickets:detail": R("public:login users:200 nobody:403", post="*:405", kw="number=ticket:repair"),

- `who:status` tokens, read left to right, later ones win. `who` is a column (anon, customer, clerk, agent,
  dispatcher, crew, handler, auditor, manager, nobody, outsider) or a group: `*` everyone, `public` (anon, customer),
  `users` (every logged-in user), `staff` (users with a role), `roles` (the seven roles of the home office).
- a status is a number, `login` (302 to the login page), `adminlogin` (302 to the admin's login), `302` (a
  redirect that is NOT to a login page), alternatives `403|404`, or `-` (not requested; the admin group only).
- `post=None` means "the same as GET".
- `kw` fills the path parameters: `name=ref` pairs; a ref is a world object (`ticket:<kind|resolved>`,
  `notice:<state>`, `customer`, `counter`, `call`, `office`, `other_office`, `model:<app.model>` for its first row,
  `history:<app.model>`) or a literal (`=dispatch`).
- `data` (optional): a VALID body for the POST instead of an empty one, same `name=ref` syntax (`pk:<who>` is a
  user's id) — then the row checks that the users outside `writes` are refused and change nothing.
- `writes="who …"`: the users whose POST may change the database (none by default; a GET never may). Tables in
  LOG_MODELS (access logs written on purpose) are not counted as changes.

A new admin model needs a line in ADMIN_MODELS and, if the world has no row of it, one in tests/factories/world.py.

The admin is a group: ADMIN_MODELS says, per registered model, which admin users (auditor, manager; both
is_staff) may view, add and change it; its changelist, add, change, history, delete and redirect URLs follow from
that line (see `admin_row`). Everyone else is sent to the admin's login page.
"""

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories.world import ADMIN_USERS, ROLE_USERS, WHO, build_world

# --- who ----------------------------------------------------------------------------------------------------------

ROLES = list(ROLE_USERS)
GROUPS = {
    "*": WHO,
    "public": ["anon", "customer"],
    "roles": ROLES,
    "staff": [*ROLES, "outsider"],
    "users": [*ROLES, "nobody", "outsider"],
    "admins": sorted(ADMIN_USERS),
}


@dataclass(frozen=True)
class R:
    get: str
    post: str | None = None   # None: the same cells as GET
    kw: str = ""              # path parameters: "name=ref …"
    data: str = ""            # the POST's body ("field=ref …"); empty by default
    writes: str = ""          # who may change the database with this request (nobody by default)


# --- the table ----------------------------------------------------------------------------------------------------
# Rules that hold throughout (the exceptions are in the rows):
# - staff pages: anonymous visitors and the kiosk customer go to the login page (`LR`); a user without a role 403;
# - views behind `@require_POST` answer GET with 405 before anything else, even to anonymous visitors;
# - an empty POST to a step of a ticket or a notice comes back to the item's page (302) with a message for every
#   user who may read the item (the other office's clerk included: read-only);
# - rows with `data` post a VALID form: only the users in `writes` may change anything (the others are refused —
#   by a status or by a message — and the database stays as it was);
# - public and kiosk pages are open to everyone; the admin (below) only to is_staff users (auditor, manager).

LR = "public:login "                     # login required
ADMIN = "*:adminlogin "                  # the admin's own guard: is_staff users only
TICKET_READERS = LR + "users:302 nobody:403"
CALLS = LR + "users:403 agent:{0} manager:{0}"
QWIN = LR + "users:403 clerk:302 manager:302 outsider:404"  # a window of the home office (counter)
QNUM = "pk=model:counter.window tpk=model:counter.queueticket"
OUTAGE_EDITORS = LR + "users:403 dispatcher:{0} manager:{0}"
COMPLAINT_READERS = LR + "users:200 dispatcher:403 crew:403 nobody:403"
COMPLAINT_INTAKE = LR + "users:403 clerk:{0} agent:{0} handler:{0} manager:{0} outsider:{0}"
DASH = LR + "users:403 auditor:{0} manager:{0}"
AUD = LR + "users:403 auditor:{0} manager:{0}"  # audits: auditors and managers
TABLE: dict[str, R] = {
    # accounts
    "set_language": R("*:302"),
    "favicon": R("*:302"),  # to the static icon
    "login": R("public:200 users:302"),
    "logout": R("*:405", post="*:login"),
    "password_reset": R("*:200"),
    "password_reset_done": R("*:200", post="*:405"),
    "password_reset_confirm": R("*:200", kw="uidb64=uid:manager token==not-a-token"),
    "password_reset_complete": R("*:200", post="*:405"),
    "password_change": R(LR + "users:200"),
    "password_change_done": R(LR + "users:200", post=LR + "users:405"),
    # the admin's own pages (its model pages: ADMIN_MODELS)
    "admin_password_reset": R("*:302"),
    "admin:index": R(ADMIN + "admins:200"),
    "admin:login": R("*:200 admins:302", post="*:200"),
    "admin:logout": R("*:302 admins:405", post="*:302 admins:login"),
    "admin:password_change": R(ADMIN + "admins:200"),
    "admin:password_change_done": R(ADMIN + "admins:200", post=ADMIN + "admins:405"),
    "admin:autocomplete": R(ADMIN + "admins:403", post=ADMIN + "admins:405"),
    "admin:jsi18n": R(ADMIN + "admins:200", post=ADMIN + "admins:405"),
    "admin:view_on_site": R(ADMIN + "admins:404", kw="content_type_id=ct:customers.customer object_id=customer"),
    "admin:app_list": R(ADMIN + "admins:200", kw="app_label==core"),
    "admin/(?P<url>.*)$": R(ADMIN + "admins:404", kw="url==no-such-page/"),
    "admin:auth_user_password_change": R(ADMIN + "admins:403", kw="id=model:core.user"),
    "admin:core_calendarday_add_year": R(ADMIN + "auditor:302 manager:200"),
    "admin:core_calendarday_import_notice": R(ADMIN + "auditor:403 manager:200"),
    "admin:customers_import": R(ADMIN + "auditor:403 manager:200"),
    "admin:customers_import_job": R(ADMIN + "auditor:403 manager:404", post=ADMIN + "auditor:403 manager:405",
                                    kw="job_id==999999"),
    "admin:tickets_repairticket_transition": R(ADMIN + "auditor:302 manager:200",
                                               kw="object_id=model:tickets.repairticket transition_name==cancel"),
    "admin:tickets_businessexpansion_transition": R(
        ADMIN + "auditor:302 manager:200", kw="object_id=model:tickets.businessexpansion transition_name==cancel"),
    "admin:tickets_meterfaultticket_transition": R(
        ADMIN + "auditor:302 manager:200", kw="object_id=model:tickets.meterfaultticket transition_name==cancel"),
    "admin:tickets_billquery_transition": R(ADMIN + "auditor:302 manager:200",
                                            kw="object_id=model:tickets.billquery transition_name==cancel"),
    "admin:tickets_consultation_transition": R(ADMIN + "auditor:302 manager:200",
                                               kw="object_id=model:tickets.consultation transition_name==cancel"),
    "admin:outages_outagenotice_transition": R(ADMIN + "auditor:302 manager:200",
                                               kw="object_id=model:outages.outagenotice transition_name==cancel"),
    # customers
    "customers:search": R(LR + "users:200 nobody:403"),
    "customers:detail": R(LR + "users:200 nobody:403", kw="pk=customer"),
    "customers:reset_pin": R("*:405", post=LR + "users:403 clerk:302 manager:302 outsider:302|403", kw="pk=customer",
                             data="pin==135790 pin_again==135790", writes="clerk manager"),
    "customers:disconnect": R("*:405", post=LR + "users:403 dispatcher:302 manager:302", kw="pk=customer",
                              data="reason==欠费", writes="dispatcher manager"),
    "customers:reconnect": R("*:405", post=LR + "users:403 dispatcher:302 manager:302", kw="pk=customer",
                             writes="dispatcher manager"),
    # tickets
    "tickets:list": R(LR + "users:200 dispatcher:302 nobody:403"),  # a dispatcher lands on the repairs waiting
    "tickets:new": R(LR + "users:200 crew:403 handler:403 auditor:403 nobody:403"),
    "tickets:create": R(LR + "users:403 clerk:200 agent:200 dispatcher:200 manager:200 outsider:200",
                        post=LR + "users:403 clerk:400 agent:400 dispatcher:400 manager:400 outsider:400",
                        kw="kind==repair"),
    "tickets:create[consultation]": R(LR + "users:403 clerk:200 agent:200 manager:200 outsider:200",
                                      post=LR + "users:403 clerk:400 agent:400 manager:400 outsider:400",
                                      kw="kind==consultation"),
    "tickets:detail": R(LR + "users:200 nobody:403", kw="number=ticket:repair"),
    "tickets:detail[consultation]": R(LR + "users:200 crew:403 nobody:403", kw="number=ticket:consultation"),
    "tickets:detail[resolved]": R(LR + "users:200 nobody:403", kw="number=ticket:resolved"),
    "tickets:detail[expansion]": R(LR + "users:200 nobody:403", kw="number=ticket:expansion"),
    "tickets:detail[meter_fault]": R(LR + "users:200 nobody:403", kw="number=ticket:meter_fault"),
    "tickets:detail[bill_query]": R(LR + "users:200 crew:403 nobody:403", kw="number=ticket:bill_query"),
    "tickets:print": R(LR + "users:200 nobody:403", kw="number=ticket:repair"),
    "tickets:print[bill_query]": R(LR + "users:200 crew:403 nobody:403", kw="number=ticket:bill_query"),
    "tickets:do": R("*:405", post=TICKET_READERS, kw="number=ticket:repair action==dispatch"),
    "tickets:do[cancel]": R("*:405", post=TICKET_READERS + " crew:403", kw="number=ticket:consultation action==cancel",
                            data="seen_state==received text==客户撤回", writes="clerk agent manager"),
    "tickets:callback": R("*:405", post=TICKET_READERS, kw="number=ticket:resolved"),
    "tickets:callback[valid]": R("*:405", post=TICKET_READERS, kw="number=ticket:resolved",
                                 data="seen_state==resolved outcome==satisfied", writes="clerk agent handler manager"),
    "tickets:close_without_callback": R("*:405", post=TICKET_READERS, kw="number=ticket:resolved",
                                        data="seen_state==resolved reason==号码空号", writes="clerk agent handler manager"),
    "tickets:hand_over": R("*:405", post=TICKET_READERS, kw="number=ticket:repair",
                           data="seen_state==received to_user=pk:clerk reason==换班", writes="agent manager"),
    "tickets:pause": R("*:405", post=TICKET_READERS, kw="number=ticket:expansion",
                       data="seen_state==received kind==documents detail==缺身份证", writes="clerk dispatcher manager"),
    "tickets:resume": R("*:405", post=TICKET_READERS, kw="number=ticket:expansion"),
    "tickets:chase": R("*:405", post=TICKET_READERS, kw="number=ticket:repair", data="note==请尽快处理",
                       writes="manager"),
    # the counter and the 95598 desk
    "desk:counter": R("*:302"),  # moved to counter:desk (issue 15)
    "counter:desk": R(LR + "users:403 clerk:200 manager:200 outsider:200",
                      post=LR + "users:403 clerk:400 manager:400 outsider:400"),
    "counter:desk_finish": R("*:405", post=LR + "users:403 clerk:302 manager:302", kw="number=counter",
                             writes="clerk manager"),
    "desk:calls": R(CALLS.format(200), post=CALLS.format(400)),
    "desk:calls_import": R(CALLS.format(200), post=CALLS.format(400)),
    "desk:call_ticket": R(CALLS.format(200), post=CALLS.format(400), kw="number=call"),
    # the counter app: queue numbers, windows, the board (issue 15)
    "counter:take": R("*:200", post="public:200 users:400"),
    "counter:take_at": R("*:200", post="*:400", kw="code=office"),
    "counter:slip": R("*:404", post="*:405", kw="token==not-a-slip"),
    "counter:board": R("*:200", post="*:405", kw="code=office"),
    "counter:board_feed": R("*:200", post="*:405", kw="code=office"),
    "counter:windows": R(LR + "users:403 clerk:200 manager:200 outsider:200"),
    "counter:window": R(LR + "users:403 clerk:200 manager:200 outsider:404", kw="pk=model:counter.window"),
    "counter:window_open": R("*:405", post=QWIN, kw="pk=model:counter.window", writes="clerk"),
    "counter:window_close": R("*:405", post=QWIN, kw="pk=model:counter.window"),
    "counter:window_green": R("*:405", post=LR + "users:403 manager:302", kw="pk=model:counter.window",
                              writes="manager"),
    "counter:call_next": R("*:405", post=QWIN, kw="pk=model:counter.window"),
    "counter:recall": R("*:405", post=QWIN, kw=QNUM, writes="clerk manager"),
    "counter:no_show": R("*:405", post=QWIN, kw=QNUM, writes="clerk manager"),
    "counter:serve": R("*:405", post=QWIN, kw=QNUM, writes="clerk manager"),
    "counter:finish": R("*:405", post=QWIN, kw=QNUM),
    "counter:transfer": R("*:405", post=QWIN, kw=QNUM),
    "counter:pay": R("*:405", post=QWIN, kw=QNUM),
    "counter:receipt": R(LR + "users:403 clerk:404 auditor:404 manager:404 outsider:404",
                         kw="number==SK-20000101-0001"),
    "counter:receipt_reverse": R("*:405", post=LR + "users:403 manager:404", kw="number==SK-20000101-0001"),
    "counter:cashup": R(LR + "users:403 clerk:200 auditor:200 manager:200 outsider:200"),
    "counter:pad": R("*:404", post="*:405", kw="key==not-a-pad"),
    "counter:pad_state": R("*:404", post="*:405", kw="key==not-a-pad"),
    "counter:pad_rate": R("*:405", post="*:404", kw="key==not-a-pad"),
    "counter:pad_photo": R("*:404", post="*:405", kw="key==not-a-pad"),
    "counter:followup": R(LR + "users:403 auditor:404 manager:404", post="*:405", kw="number==PJ-20000101-0001"),
    "counter:followup_step": R("*:405", post=LR + "users:403 auditor:404 manager:404",
                               kw="number==PJ-20000101-0001 step==close"),
    # outages (staff)
    "outages:list": R(LR + "users:200 nobody:403"),
    "outages:new": R(OUTAGE_EDITORS.format(200), post=OUTAGE_EDITORS.format(400)),
    "outages:detail": R(LR + "users:200 nobody:403", kw="number=notice:draft"),
    "outages:detail[approved]": R(LR + "users:200 nobody:403", kw="number=notice:approved"),
    "outages:detail[published]": R(LR + "users:200 nobody:403", kw="number=notice:published"),
    "outages:edit": R(OUTAGE_EDITORS.format(200), post=OUTAGE_EDITORS.format(400), kw="number=notice:draft"),
    "outages:step": R("*:405", post=TICKET_READERS, kw="number=notice:draft action==approve"),
    "outages:step[approve]": R("*:405", post=TICKET_READERS, kw="number=notice:draft action==approve",
                               data="seen_state==draft", writes="manager"),
    "outages:step[publish]": R("*:405", post=TICKET_READERS, kw="number=notice:approved action==publish"),
    "outages:step[cancel]": R("*:405", post=TICKET_READERS, kw="number=notice:published action==cancel",
                              data="seen_state==published reason==天气原因", writes="dispatcher manager"),
    "outages:retry_failed": R("*:405", post=LR + "users:403 manager:302", kw="number=notice:published"),
    # outages (public)
    "public_outages:list": R("*:200"),
    "public_outages:feed": R("*:200"),
    "public_outages:upcoming_ics": R("*:200"),
    "public_outages:ics": R("*:200", kw="number=notice:published"),
    "public_outages:ics[draft]": R("*:404", kw="number=notice:draft"),
    "public_outages:detail": R("*:200", kw="number=notice:published"),
    "public_outages:detail[draft]": R("*:404", kw="number=notice:draft"),
    # complaints (staff; reports only with the report permission, else answered like a missing page)
    "complaints:list": R(LR + "users:200 dispatcher:403 crew:403 nobody:403"),
    "complaints:new": R(COMPLAINT_INTAKE.format(200), post=COMPLAINT_INTAKE.format(400)),
    "complaints:detail": R(COMPLAINT_READERS, kw="number=complaint:received"),
    "complaints:detail[report]": R(COMPLAINT_READERS + " clerk:404 agent:404 outsider:404", kw="number=complaint:report"),
    "complaints:detail[replied]": R(COMPLAINT_READERS, kw="number=complaint:replied"),
    "complaints:letter": R(COMPLAINT_READERS, kw="number=complaint:replied"),
    "complaints:letter[no_reply]": R(LR + "users:404 dispatcher:403 crew:403 nobody:403",
                                     kw="number=complaint:received"),
    "complaints:do": R("*:405", post=COMPLAINT_READERS.replace(":200", ":302"),
                       kw="number=complaint:received action==accept"),
    "complaints:do[accept]": R("*:405", post=COMPLAINT_READERS.replace(":200", ":302"),
                               kw="number=complaint:received action==accept",
                               data="seen_state==received accept-category==billing", writes="handler manager"),
    "complaints:do[callback]": R("*:405", post=COMPLAINT_READERS.replace(":200", ":302"),
                                 kw="number=complaint:replied action==callback",
                                 data="seen_state==replied callback-outcome==satisfied", writes="handler manager"),
    "complaints:identity": R("*:405", post=COMPLAINT_READERS.replace(":200", ":302"),
                             kw="number=complaint:received"),
    # complaints (public: the feedback form, the kiosk's suggestion box, tracking)
    "public_feedback:new": R("*:200", post="*:400"),
    "public_feedback:kiosk": R("*:200", post="*:400"),
    "public_feedback:track": R("*:200", post="*:400"),
    # the kiosk
    "kiosk:home": R("*:200", post="*:405"),
    "kiosk:office": R("*:302", post="*:405", kw="code=office"),
    "kiosk:verify": R("*:200 customer:302", post="*:400 customer:302"),
    "kiosk:account": R("*:302 customer:200", post="*:405"),
    "kiosk:finish": R("*:405", post="*:302"),
    "kiosk:tariffs": R("*:200", post="*:405"),
    "kiosk:procedures": R("*:200", post="*:405"),
    "kiosk:payment_methods": R("*:200", post="*:405"),
    "kiosk:tips": R("*:200", post="*:405"),
    "kiosk:outages": R("*:200", post="*:405"),
    "kiosk:appointments": R("*:302 customer:200", post="*:302 customer:400"),
    # appointments: staff pages, the public booking page
    "appointments:plan": R(LR + "users:200 nobody:403", post="*:405"),
    "appointments:route": R(LR + "users:200 nobody:403", post="*:405"),
    "appointments:waiting": R(LR + "users:200 nobody:403", post="*:405"),
    "appointments:book": R(LR + "users:403 clerk:200 agent:200 dispatcher:200 manager:200 outsider:200",
                            post=LR + "users:403 clerk:400 agent:400 dispatcher:400 manager:400 outsider:400"),
    "appointments:detail": R(LR + "users:200 nobody:403", post="*:405", kw="number=appointment"),
    "appointments:step": R("*:405", post=LR + "users:302 nobody:403", kw="number=appointment action==cancel"),
    "public_appointments:book": R("*:200"),
    "public_appointments:code": R("*:405", post="*:400"),
    "public_appointments:manage": R("*:200", post="*:400"),
    "public_appointments:hold": R("*:200", post="*:400"),
    "public_appointments:ics": R("*:404", kw="number=appointment code==000000"),
    # the workbench and the published commitments
    "core:home": R(LR + "users:200 nobody:403"),
    "core:my_clocks": R(LR + "users:200 nobody:403", post="*:405"),
    # audits (issue 17): auditors and managers; a corrective action and its photos also to the office's staff
    "audits:list": R(AUD.format(200), post="*:405"),
    "audits:new": R(AUD.format(200), post=AUD.format(400)),
    "audits:verdict": R(AUD.format(200), post="*:405"),
    "audits:requirements": R(AUD.format(200), post="*:405"),
    "audits:records": R(AUD.format(200), post="*:405"),
    "audits:survey_import": R(LR + "users:403 manager:200", post=LR + "users:403 manager:400"),
    "audits:evidence": R(LR + "users:200 nobody:403 outsider:403", post="*:405", kw="pk=model:audits.evidence"),
    "audits:detail": R(AUD.format(200), post="*:405", kw="number=audit:progress"),
    "audits:conduct": R(AUD.format(200), post="*:405", kw="number=audit:progress"),
    "audits:notice": R(AUD.format(200), post="*:405", kw="number=audit:submitted"),
    "audits:answer": R("*:405", post=AUD.format(302), kw="number=audit:progress item_id=model:audits.checklistitem"),
    "audits:answer[valid]": R("*:405", post=AUD.format(302), kw="number=audit:progress item_id=model:audits.checklistitem",
                              data="value==yes", writes="auditor"),
    "audits:step": R("*:405", post=AUD.format(302), kw="number=audit:progress action==submit"),
    "audits:step[start]": R("*:405", post=AUD.format(302), kw="number=audit:planned action==start",
                            data="seen_state==planned", writes="auditor"),
    "audits:action_detail": R(LR + "users:200 nobody:403", post="*:405", kw="number=audit:action"),
    "audits:action_step": R("*:405", post=LR + "users:302 nobody:403", kw="number=audit:action step==complete"),
    "audits:action_step[valid]": R("*:405", post=LR + "users:302 nobody:403", kw="number=audit:action step==complete",
                                   data="seen_state==open note==已整改", writes="manager"),
    # the managers' dashboard (managers and auditors) and the published commitments and fulfilment rates
    "dashboard:index": R(DASH.format(200), post=DASH.format(405)),
    "dashboard:print": R(DASH.format(200), post=DASH.format(405)),
    "dashboard:excel": R(DASH.format(200), post=DASH.format(405)),
    "dashboard:table_csv": R(DASH.format(200), post=DASH.format(405), kw="section==fulfilment"),
    "dashboard:items": R(DASH.format(200), post=DASH.format(405)),
    "dashboard:open_items": R(DASH.format(200), post=DASH.format(405)),
    "dashboard:publish": R("*:405", post=LR + "users:403 manager:302"),
    "public_commitments:page": R("*:200", post="*:405"),
    "public_commitments:feed": R("*:200"),
    "public_commitments:csv": R("*:200", post="*:405"),
    "core:notifications_read": R("*:405", post=LR + "users:302", writes="users"),  # the user's own notifications
    # supply quality (figures: auditors and managers; imports: managers)
    "quality:figures": R(LR + "users:403 auditor:200 manager:200", post=LR + "users:403 auditor:405 manager:405"),
    "quality:points": R(LR + "users:403 auditor:200 manager:200", post=LR + "users:403 auditor:405 manager:405"),
    "quality:import": R(LR + "users:403 manager:200", post=LR + "users:403 manager:400"),
    "quality:import_job": R(LR + "users:403 manager:404", post=LR + "users:405", kw="job_id==999999"),
}

# The admin's model pages, one line per registered model: which admin users may view, add and change it.
# `changelist=302`: the list redirects first (to a default filter); `saves=who`: an empty change form is valid (it
# saves); `delete=who`: may delete (everything else is never deleted, NoDeleteMixin).
A, M, AM = "auditor", "manager", "auditor,manager"
ADMIN_MODELS: dict[str, str] = {
    "auth.group": "",
    "django_q.schedule": "",
    "django_q.success": "",
    "django_q.failure": "",
    "django_q.ormq": "",
    "axes.accessattempt": f"view={AM} delete={M}",  # deleting an attempt unlocks the user
    "axes.accesslog": f"view={AM}",
    "axes.accessfailurelog": f"view={AM}",
    "core.office": f"view={AM} change={M}",
    "core.servicelanguage": "",
    "core.user": f"view={M}",
    "core.calendarday": f"view={AM} add={M} change={M} changelist=302 saves={M}",
    "core.commitment": f"view={AM} change={M}",
    "core.policy": f"view={AM} change={M}",
    "core.slaclock": f"view={AM}",
    "core.callback": f"view={AM}",
    "core.chase": f"view={AM}",
    "core.handover": f"view={AM}",
    "core.outbox": f"view={AM}",
    "core.personaldataaccess": f"view={A}",
    "dashboard.publishedmonth": f"view={AM}",
    "customers.feeder": f"view={AM} add={M} change={M}",
    "customers.transformerarea": f"view={AM} add={M} change={M}",
    "customers.customer": f"view={AM} add={M} change={M}",
    "customers.meter": f"view={AM}",
    "customers.meterreading": f"view={AM} add={M}",
    "customers.paymentmethod": f"view={AM} add={M} change={M}",
    "customers.tariff": f"view={AM} add={M} change={M}",
    "customers.tariffitem": f"view={M} add={M} change={M}",
    "customers.feeitem": f"view={AM} add={M} change={M}",
    "customers.bill": f"view={AM} add={M}",
    "customers.payment": f"view={AM} add={M}",
    "tickets.repairticket": f"view={AM} change={M}",
    "tickets.businessexpansion": f"view={AM} change={M}",
    "tickets.meterfaultticket": f"view={AM} change={M}",
    "tickets.billquery": f"view={AM} change={M}",
    "tickets.consultation": f"view={AM} change={M}",
    "tickets.countertransaction": f"view={AM}",
    "tickets.callrecord": f"view={AM}",
    "outages.outagenotice": f"view={AM} change={M}",
    "outages.affectedcustomer": "",
    "appointments.appointmentkind": f"view={AM} change={M}",
    "appointments.slottemplate": f"view={AM} add={M} change={M}",
    "appointments.slotexception": f"view={AM} add={M} change={M}",
    "appointments.dutyshift": f"view={AM} add={M} change={M}",
    "appointments.appointment": f"view={AM}",
    "appointments.waitingentry": f"view={AM} change={M}",
    "complaints.complaint": f"view={AM}",
    "complaints.correctiveaction": f"view={AM}",
    "complaints.identityrequest": f"view={AM}",
    "audits.checklisttemplate": f"view={AM}",
    "audits.checklistitem": f"view={AM}",
    "audits.audit": f"view={AM}",
    "audits.correctiveaction": f"view={AM}",
    "audits.engagementrecord": f"view={AM} add={M} change={M}",
    "audits.servicesupervisor": f"view={AM} add={M} change={M}",
    "audits.surveyresult": f"view={AM} add={M} change={M}",
    "audits.majorincident": f"view={AM} add={M} change={M}",
    "audits.dutyshift": f"view={AM} add={M} change={M}",
    "quality.voltageclass": f"view={AM} add={M} change={M}",
    "counter.service": f"view={AM} add={M} change={M}",
    "counter.window": f"view={AM} add={M} change={M}",
    "counter.tender": f"view={AM} add={M} change={M}",
    "counter.queueticket": f"view={AM}",
    "counter.receipt": f"view={AM}",
    "counter.rating": f"view={AM}",
    "counter.clerkcard": f"view={AM} add={M} change={M}",
    "quality.monitoringpoint": f"view={AM} add={M} change={M}",
    "quality.voltagemonth": f"view={AM} add={M} change={M}",
    "quality.abnormalperiod": f"view={AM} add={M} change={M}",
    "quality.exemption": f"view={AM} add={M} change={M}",
    "quality.qualitytarget": f"view={AM} add={M} change={M}",
}

# Tables that any request may append to: logs written on purpose (who looked at personal data, login attempts,
# kiosk verification attempts).
LOG_MODELS = {"core.personaldataaccess", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
              "customers.kiosklookup"}

# --- the walk -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str                 # "namespace:name", or the route of an unnamed pattern
    route: str
    params: tuple[str, ...]  # named parameters; () with `positional` for a regex with unnamed groups
    positional: int = 0


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            key = f"{namespace}:{p.name}" if namespace and p.name else (p.name or route)
            named = tuple(a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
            positional = 0 if named else len(re.findall(r"\((?!\?)", route))
            yield Pattern(key=key, route=route, params=named, positional=positional)


def url_patterns() -> list[Pattern]:
    return list(_walk(get_resolver().url_patterns))


# --- the admin as a group -----------------------------------------------------------------------------------------

ADMIN_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")
ADMIN_SUFFIXES = ("changelist", "add", "change", "history", "delete", "simple_history", "redirect")


def admin_model_url(pattern: Pattern) -> tuple[str, str] | None:
    """(app.model, suffix) for the standard URLs of a registered ModelAdmin, None for anything else."""
    match = ADMIN_ROUTE.match(pattern.route)
    if not match:
        return None
    label = f"{match['app']}.{match['model']}"
    if label not in {m._meta.label_lower for m in admin.site._registry}:
        return None
    if pattern.key == pattern.route and pattern.route.endswith("<path:object_id>/"):
        return label, "redirect"
    prefix = f"admin:{match['app']}_{match['model']}_"
    suffix = pattern.key.removeprefix(prefix)
    return (label, suffix) if pattern.key.startswith(prefix) and suffix in ADMIN_SUFFIXES else None


def admin_row(label: str, suffix: str) -> R:
    """The cells of one standard admin URL, from the model's line in ADMIN_MODELS.

    Every standard model URL is wrapped by the admin's one guard (`AdminSite.admin_view`): the columns that are not
    admin users are requested on each model's changelist and change URLs (GET and POST) and not again (`-`) on its
    add, history, revert, delete and redirect URLs. Custom admin URLs are rows of TABLE: every column."""
    rights = dict(token.split("=") for token in ADMIN_MODELS[label].split())
    view, add, change, saves, delete = (rights.get(key, "").split(",")
                                        for key in ("view", "add", "change", "saves", "delete"))
    guard = ADMIN if suffix in ("changelist", "change") else "*:- "

    def cells(whom, ok, other="403"):
        return guard + " ".join(f"{who}:{ok if who in whom else other}" for who in sorted(ADMIN_USERS))

    kw = f"object_id=model:{label}"
    if suffix == "changelist":
        return R(cells(view, rights.get("changelist", "200")), post=cells(view, "200"))
    if suffix == "add":
        return R(cells(add, "200"))
    if suffix == "change":
        posted = guard + " ".join(
            f"{who}:{'302' if who in saves else '200' if who in change else '403'}" for who in sorted(ADMIN_USERS))
        return R(cells(view, "200"), post=posted, kw=kw, writes=" ".join(saves))
    if suffix == "history":
        return R(cells(view, "200"), kw=kw)
    if suffix == "simple_history":
        # A historical version. POSTing it would "revert" the object with a plain form save: past the services, the
        # state machine and the office rule (and django-simple-history lets view-only users do it). Nobody may.
        return R(cells(view, "200"), post=cells([], "200"), kw=f"history:{label}")
    if suffix == "redirect":
        return R(cells(view, "302", "302"), kw=kw)
    # delete: the confirmation page; nothing is deleted (NoDeleteMixin) unless the line says `delete=who`
    return R(cells(delete, "200"), kw=kw)


# --- filling the parameters ---------------------------------------------------------------------------------------


def _ref(world, ref: str):
    if ref.startswith("="):
        return ref[1:]
    kind, _sep, arg = ref.partition(":")
    if kind == "ticket":
        return world.tickets[arg].number
    if kind == "notice":
        return world.notices[arg].number
    if kind == "model":
        row = apps.get_model(arg).objects.order_by("pk").first()
        assert row is not None, f"the world has no {arg}: add one to tests/factories/world.py"
        return str(row.pk)
    if kind == "history":  # (object id, history id) of the oldest historical record
        record = apps.get_model(arg).history.order_by("history_id").first()
        assert record is not None, f"the world has no history of {arg}: add a row to tests/factories/world.py"
        return [str(record.instance.pk), str(record.history_id)]
    return {
        "customer": lambda: world.customer.pk,
        "counter": lambda: world.objects["counter"].number,
        "call": lambda: world.objects["call"].number,
        "appointment": lambda: world.objects["appointment"].number,
        "complaint": lambda: world.objects[f"complaint_{arg}"].number,
        "audit": lambda: world.objects["audits"][arg].number,
        "office": lambda: world.home.code,
        "other_office": lambda: world.other.code,
        "pk": lambda: world.users[arg].pk,
        "uid": lambda: urlsafe_base64_encode(force_bytes(world.users[arg].pk)),
        "ct": lambda: ContentType.objects.get_for_model(apps.get_model(arg)).pk,
    }[kind]()


def data_for(world, row: R) -> dict:
    return {name: _ref(world, ref) for name, ref in (token.split("=", 1) for token in row.data.split())}


def url_for(world, pattern: Pattern, row: R) -> str:
    refs = dict(token.split("=", 1) for token in row.kw.split() if "=" in token)
    positional = [token for token in row.kw.split() if "=" not in token]
    name = pattern.key
    if name == pattern.route:  # unnamed: build the path from the route
        path = pattern.route
        for param in pattern.params:
            path = re.sub(rf"<(?:\w+:)?{param}>|\(\?P<{param}>[^)]*\)\$?", str(_ref(world, refs[param])), path)
        return "/" + path
    if pattern.positional:
        return reverse(name, args=_ref(world, positional[0]))
    return reverse(name, kwargs={param: _ref(world, refs[param]) for param in pattern.params})


def rows() -> list[tuple[str, Pattern, R]]:
    """Every (row key, pattern, row): the table's rows and the admin's group rows."""
    patterns = url_patterns()
    by_key = {p.key: p for p in patterns}
    result = []
    for p in patterns:
        standard = admin_model_url(p)
        if standard is not None and standard[0] in ADMIN_MODELS:
            result.append((p.key, p, admin_row(*standard)))
    for key, row in TABLE.items():
        pattern = by_key.get(key.split("[")[0])
        if pattern is not None:
            result.append((key, pattern, row))
    return result


# --- checking a cell ----------------------------------------------------------------------------------------------

LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/admin/login/"


def expand(spec: str) -> dict[str, str]:
    cells = {}
    for token in spec.split():
        who, status = token.split(":", 1)
        for column in GROUPS.get(who, [who]):
            assert column in WHO, f"unknown column {column!r} in {spec!r}"
            cells[column] = status
    missing = [who for who in WHO if who not in cells]
    assert not missing, f"{spec!r} says nothing for {missing}"
    return cells


def observed(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(LOGIN_URL):
            return "login"
        if location.startswith(ADMIN_LOGIN_URL):
            return "adminlogin"
        return "302"
    return str(response.status_code)


def _fingerprint_sql() -> str:
    """One query: the row count and the highest key of every table (history tables included: an update writes a
    history row), sessions and LOG_MODELS left out."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table == "django_session" or model._meta.label_lower in LOG_MODELS or not model._meta.managed:
            continue
        pk = connection.ops.quote_name(model._meta.pk.column)
        parts.append(f"SELECT '{table}', COUNT(*), CAST(MAX({pk}) AS TEXT) FROM {connection.ops.quote_name(table)}")
    return " UNION ALL ".join(parts)


def fingerprint(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {table: (count, str(top)) for table, count, top in cursor.fetchall()}


GUARDS = {"login", "adminlogin", "405"}  # answered by a decorator or the admin's guard: the view did not run
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK TO")  # statements that cannot change a row count


class Statements:
    """An execute wrapper noting whether the request sent anything but reads. Every statement goes through it
    (the ORM, `connection.cursor()`, savepoints), so a request that sent none cannot have changed what the
    fingerprint counts: the fingerprint (a COUNT and a MAX over every table, ~3 ms a cell) is taken only after a
    request that did send one; the tables it compares are the same."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if not self.wrote and not sql.lstrip().upper().startswith(READS):
            self.wrote = True
        return execute(sql, params, many, context)


def run_cell(client, method: str, url: str, data: dict, sql: str, before: dict) -> tuple[str, str]:
    """(status, the tables it changed) of one request; the database and the client's cookies are put back
    afterwards."""
    cookies = copy.deepcopy(client.cookies)
    changed = ""
    statements = Statements()
    with transaction.atomic(), connection.execute_wrapper(statements):
        response = client.get(url) if method == "GET" else client.post(url, data)
        status = observed(response)
        if status not in GUARDS and response.status_code < 500 and statements.wrote:  # (a 500 may break the savepoint)
            after = fingerprint(sql)
            changed = ", ".join(sorted(table for table in after if after[table] != before.get(table)))
        transaction.set_rollback(True)
    client.cookies = cookies
    return status, changed


# --- the tests ----------------------------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_and_every_row_a_url():
    patterns = url_patterns()
    keys = {p.key for p in patterns}
    covered = {key.split("[")[0] for key in TABLE}
    missing = []
    for p in patterns:
        standard = admin_model_url(p)
        if standard is not None:
            if standard[0] not in ADMIN_MODELS:
                missing.append(f"ADMIN_MODELS[{standard[0]!r}]")
        elif p.key not in covered:
            missing.append(f"TABLE[{p.key!r}]  ({p.route})")
    stale = sorted(covered - keys) + sorted(set(ADMIN_MODELS) - {m._meta.label_lower for m in admin.site._registry})
    assert not missing, "URL patterns without a row in the permission matrix:\n  " + "\n  ".join(sorted(set(missing)))
    assert not stale, f"rows for URLs or admin models that no longer exist: {stale}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _matrix(world, selected: Callable[[str], bool]) -> list[str]:
    clients = {who: world.client(who) for who in WHO}
    sql = _fingerprint_sql()
    before = fingerprint(sql)
    failures = []
    for key, pattern, row in rows():
        if not selected(key):
            continue
        try:
            url = url_for(world, pattern, row)
        except Exception as exc:  # a row whose parameters cannot be filled: say which, check the others
            failures.append(f"{key:40} cannot build the URL: {exc!r}")
            continue
        writers = set()
        for token in row.writes.split():
            writers.update(GROUPS.get(token, [token]))
        data = data_for(world, row)
        for method, spec in (("GET", row.get), ("POST", row.post if row.post is not None else row.get)):
            for who, expected in expand(spec).items():
                if expected == "-":
                    continue
                status, changed = run_cell(clients[who], method, url, data, sql, before)
                if status not in expected.split("|"):
                    failures.append(f"{key:40} {method:4} {who:10} expected {expected:10} got {status:10} {url}")
                if changed and (who not in writers or method == "GET"):
                    failures.append(f"{key:40} {method:4} {who:10} changed the database: {changed}  {url}")
    return failures


@pytest.mark.django_db
def test_permission_matrix_staff_and_public_pages(world):
    failures = _matrix(world, lambda key: not key.startswith("admin"))
    assert not failures, f"{len(failures)} cells differ from the table:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_permission_matrix_admin(world):
    failures = _matrix(world, lambda key: key.startswith("admin"))
    assert not failures, f"{len(failures)} cells differ from the table:\n" + "\n".join(failures)
