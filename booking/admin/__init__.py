"""
The reception desk and the clinic's rules, in the Django admin.

The admin only presents: a booking changes only through booking.workflow (one
click on the list, buttons on the booking, a new time in the form), so the rules,
the lock and the emails are the patient pages' own. Who may do what: the staff
groups in booking/migrations/0003_staff_groups.py.

    desk.py    the bookings list and form, the status buttons, the day sheet
    forms.py   the desk's booking form and the day sheet's day
    views.py   the extra pages and exports: day sheet, CSV
    outbox.py  the record of every email
    rules.py   services, instructions, reminders, hours, closures, booking rules
"""

from django.contrib import admin

from booking.admin.desk import BookingAdmin
from booking.admin.outbox import OutgoingEmailAdmin
from booking.admin.rules import (
    BookingPolicyAdmin,
    ClosureAdmin,
    FollowUpAdmin,
    InstructionAdmin,
    OpeningHoursAdmin,
    ReminderAdmin,
    ServiceAdmin,
)
from booking.models import (
    Booking,
    BookingPolicy,
    Closure,
    FollowUp,
    Instruction,
    OpeningHours,
    OutgoingEmail,
    Reminder,
    Service,
)

admin.site.register(Booking, BookingAdmin)
admin.site.register(OutgoingEmail, OutgoingEmailAdmin)
admin.site.register(Service, ServiceAdmin)
admin.site.register(Instruction, InstructionAdmin)
admin.site.register(Reminder, ReminderAdmin)
admin.site.register(FollowUp, FollowUpAdmin)
admin.site.register(OpeningHours, OpeningHoursAdmin)
admin.site.register(Closure, ClosureAdmin)
admin.site.register(BookingPolicy, BookingPolicyAdmin)
