"""The requirement IDs of the standard (../shared/standard/STANDARD.md), each with a short English title.

A copy inside the repository, so that the requirement map (`manage.py requirements_map`, docs/REQUIREMENTS.md)
builds without the shared folder; tests/core/test_requirements_map.py checks it against STANDARD.md when that
file is beside the clone. Titles are shortened from STANDARD.md; the standard's own text stays the reference.
"""

import re

# (ID, short title) in the standard's order.
REQUIREMENTS: list[tuple[str, str]] = [
    # Ch.2 Eligibility of a demonstration window (Art. 3–5)
    ("S3", "Meets the ordinary standardized-window standard"),
    ("S4", "Technical support system; marketing MIS and 95598 rated good"),
    ("S5.1", "Near the top of the government's conduct evaluation"),
    ("S5.2", "Service-commitment fulfilment rate 100%"),
    ("S5.3", "Yearly improvement in connection, reliability, quality, satisfaction"),
    ("S5.4", "No major incident harming the company's image"),
    # Art. 6 Supply quality
    ("S6.1", "Voltage deviation limits at the supply point (normal conditions)"),
    ("S6.2", "Voltage deviation within ±10% (abnormal conditions)"),
    ("S6.3", "Customers short of the supply rules exempt from S6.1"),
    ("S6.4", "Reliability no lower than the provincial standard"),
    ("S6.5", "Planned outages a year: ≥35 kV ≤ 1, 10 kV ≤ 3"),
    # Art. 7 Staff
    ("S7.1", "Staff law-abiding, honest, service-minded"),
    ("S7.2", "Staff skilled in the post"),
    ("S7.3", "Staff communication skills"),
    ("S7.4", "At least one English speaker and one sign-language server"),
    # Art. 8 Environment
    ("S8.1", "VI signage, business-hours sign, barrier-free access"),
    ("S8.2", "Discussion, exhibition and waiting areas; desk, forms, leaflets"),
    ("S8.3", "Posted: services, procedures, tariffs, fees, commitments, phones"),
    ("S8.4", "Clear signs; Chinese–English; minority script side by side"),
    ("S8.5", "Self-service query terminal"),
    # Art. 9 Service channels
    ("S9.1", "Counter accepts every request as a closed-loop electronic ticket"),
    ("S9.2", "95598 phone channel: applications, queries, repair, complaints"),
    ("S9.3", "Fax and mail: queries, consultation, applications, complaints"),
    ("S9.4", "Appointments with published arrival time limits"),
    ("S9.5", "Self-service: bills, application progress, payments, policies, outages"),
    # Art. 10 Service standards
    ("S10.1.1", "Offices open every day"),
    ("S10.1.2", "Fault repair and 95598 around the clock"),
    ("S10.2.1", "Counter: fee collection ≤ 5 min, other business ≤ 15 min"),
    ("S10.2.2", "Applicant energized ≤ 5 working days"),
    ("S10.2.3", "Meters read on the scheduled date"),
    ("S10.2.4", "Written bill query answered within 1 working day"),
    ("S10.2.5", "Repair crew on site ≤ 45 min after the report"),
    ("S10.2.6", "95598 call answered within 4 rings (12 s)"),
    ("S10.2.7", "Arrival at an appointment within the agreed hour"),
    ("S10.2.8", "Meter fault handled within 2 working days"),
    ("S10.2.9", "Supply restored within 1 working day after the cause is removed"),
    ("S10.2.10", "Planned outage announced ≥ 7 days ahead"),
    ("S10.3.1", "Queries of application progress and 24 months of bills"),
    ("S10.3.2", "Policy and technical consultation"),
    ("S10.3.3", "First-responder responsibility until a hand-over"),
    ("S10.3.4", "At least three payment methods"),
    ("S10.3.5", "Home service for disabled and elderly customers"),
    ("S10.3.6", "Energy-saving information"),
    ("S10.3.7", "Customer managers for differentiated service"),
    # Ch.4 Service system (Art. 11)
    ("S11.1", "Customer-centred organisation"),
    ("S11.2", "Integrated processes: expansion, repair, outage, emergency, complaints"),
    ("S11.3", "Customer-oriented quality standards"),
    # Ch.5 Quality management and supervision (Art. 12–13)
    ("S12.1", "Quality standards over the whole marketing-service process"),
    ("S12.2", "Three customer forums a year; third-party satisfaction surveys"),
    ("S13.1", "Suggestion box and book in the window"),
    ("S13.2", "External service supervisors, forums, customer visits"),
    ("S13.3", "Leader reception days"),
    ("S13.4", "Every workflow monitored, chased and assessed"),
    ("S13.5", "Callbacks: complaints 5 days, reports 10 days, rate ≥ 90%"),
    ("S13.6", "Commitments and their fulfilment rate published"),
    ("S13.7", "Tariffs, connection process, fees and outage plans disclosed"),
]

TITLES: dict[str, str] = dict(REQUIREMENTS)
IDS: list[str] = [requirement_id for requirement_id, _title in REQUIREMENTS]

_ID_SHAPE = re.compile(r"^S\d+(?:\.\d+)*$")


def requirement_sort_key(requirement_id: str) -> tuple:
    """Numeric order of an ID ("S10.2.2" before "S10.2.10"); anything else sorts after, as text."""
    if not _ID_SHAPE.match(requirement_id or ""):
        return (1, (), requirement_id or "")
    return (0, tuple(int(part) for part in requirement_id[1:].split(".")), "")
