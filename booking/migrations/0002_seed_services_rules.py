"""
Seed the clinic's services, their pre-procedure instructions and reminders, the
opening hours and the booking rules. The instruction wording follows the clinic's
FAQ ("What preparation do I need…", "Are there any restrictions after…"), using
its stricter NSAID window: from 3 days before until 3 weeks after.
"""

from datetime import time

from django.db import migrations

NSAIDS = "aspirin, naproxen, ibuprofen and other NSAIDs"

INSTRUCTIONS = [
    # (order, title, text, starts_day, ends_day, reminders [(day, at, message)])
    (
        10,
        "No NSAIDs",
        f"Avoid {NSAIDS} (anti-inflammatory painkillers) from 3 days before your "
        "procedure until 3 weeks after it. They can lessen the effect of the treatment.",
        -3,
        21,
        [
            (
                -3,
                time(9, 0),
                f"From today, {{start}}, please stop taking {NSAIDS}, and keep avoiding "
                "them until {end}. Your appointment is on {appointment}.",
            ),
            (
                1,
                time(9, 0),
                f"Please keep avoiding {NSAIDS} until {{end}}, three weeks after your "
                "procedure.",
            ),
        ],
    ),
    (
        20,
        "Drink plenty of fluids",
        "Drink a lot of fluid the day before your procedure.",
        -1,
        None,
        [
            (
                -1,
                time(17, 0),
                "Your appointment is tomorrow, {appointment}. Please drink plenty of "
                "fluids today and have breakfast tomorrow morning.",
            ),
        ],
    ),
    (30, "Have breakfast", "Have breakfast on the morning of your procedure.", 0, None, []),
    (
        40,
        "After the procedure",
        "You may go home and shower. The treated area may be tender. Many patients "
        "return to work or their daily routine the same day.",
        0,
        None,
        [],
    ),
]


def seed(apps, schema_editor):
    Service = apps.get_model("booking", "Service")
    Instruction = apps.get_model("booking", "Instruction")
    Reminder = apps.get_model("booking", "Reminder")
    OpeningHours = apps.get_model("booking", "OpeningHours")
    BookingPolicy = apps.get_model("booking", "BookingPolicy")

    Service.objects.create(
        name="Consultation",
        slug="consultation",
        kind="consultation",
        description="Meet our team, talk about your hair loss and whether exosome "
        "therapy is right for you. No procedure on the day.",
        duration_minutes=30,
        order=10,
    )
    treatment = Service.objects.create(
        name="Exosome hair-loss treatment",
        slug="exosome-treatment",
        kind="treatment",
        description="Exosome injections for hair loss, after a consultation. Please "
        "follow the preparation instructions you receive by email.",
        duration_minutes=60,
        order=20,
    )
    for order, title, text, starts_day, ends_day, reminders in INSTRUCTIONS:
        instruction = Instruction.objects.create(
            service=treatment,
            order=order,
            title=title,
            text=text,
            starts_day=starts_day,
            ends_day=ends_day,
        )
        for day, at, message in reminders:
            Reminder.objects.create(instruction=instruction, day=day, at=at, message=message)

    for weekday in range(5):  # Monday to Friday
        OpeningHours.objects.create(weekday=weekday, opens=time(9, 0), closes=time(17, 0))
    BookingPolicy.objects.update_or_create(pk=1, defaults={})


def unseed(apps, schema_editor):
    for model in ("Reminder", "Instruction", "Service", "OpeningHours", "BookingPolicy"):
        apps.get_model("booking", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
