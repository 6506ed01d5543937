"""The holiday schedule a test stack needs beyond the shipped years.

A working-day publicity is refused for a year whose schedule the admin has not confirmed
(``calendar.year_missing``), and the tests' clock runs weeks ahead of the real date. A test stack
therefore does what the admin does: it enters each coming year's 元旦 (1 January is a holiday every
year) and confirms the year. That is a test stack's stand-in for the State Council schedule, never
the demo city's data: `make run` leaves later years to the admin (who sees a to-do for them).
"""
from __future__ import annotations

from shared.clock import SystemClock
from tests.support.http import session

PASSWORD = "Demo2026"


def confirm_coming_years(base_url: str, years_ahead: int = 2) -> list[int]:
    """As the demo admin, enter and confirm this year and the next ``years_ahead`` where unconfirmed;
    returns the years confirmed here."""
    http = session()
    login = http.post(f"{base_url}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}, timeout=30)
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    confirmed = []
    this_year = SystemClock().today_local().year
    for year in range(this_year, this_year + years_ahead + 1):
        known = http.get(f"{base_url}/api/v1/calendar-days", params={"year": year}, headers=headers, timeout=30)
        known.raise_for_status()
        if known.json()["confirmed"]:
            continue
        http.put(f"{base_url}/api/v1/calendar-days/{year}-01-01", json={"kind": "holiday", "name": "元旦"},
                 headers=headers, timeout=30).raise_for_status()
        http.post(f"{base_url}/api/v1/calendar-years/{year}/confirm", headers=headers,
                  timeout=30).raise_for_status()
        confirmed.append(year)
    return confirmed
