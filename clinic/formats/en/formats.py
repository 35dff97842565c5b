"""
English dates the way the US writes them, in the admin and Django's `date` filter:
"Dec 1, 2026" and "Dec 1, 2026, 8:00 PM" rather than Django's "Dec. 1, 2026, 8 p.m.".
Patients' pages and messages use clinic.clock, which writes whole words.
Spanish keeps Django's own formats ("1 de diciembre de 2026").
"""

DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "M j, Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
FIRST_DAY_OF_WEEK = 0  # Sunday
