"""The complaints app's panel on the staff customer page (registered in `ComplaintsConfig.ready`): the customer's
complaints, suggestions and praise — never reports (they are not linked to an account) and never an item about the
viewer. One query."""

from supply_service.complaints.models import Complaint
from supply_service.complaints.selectors import complaint_visible_q

LIMIT = 20


def customer_complaints_panel(*, request, customer) -> dict | None:
    user = request.user
    if not user.has_perm("complaints.view_complaint"):
        return None
    rows = list(Complaint.objects.filter(complaint_visible_q(user=user), customer=customer)
                .only("number", "kind", "state", "created_at").order_by("-created_at")[:LIMIT])
    return {"rows": rows}
