"""Ships the clinic's FAQ text (faq/content/exosome-faq.txt) word for word.

The text is written out here rather than read from the file: a migration must do the
same thing in a year as today, whatever happens to the file. tests/faq checks that
every question and answer below matches the file, word for word.

Whitespace is normalised (the source's non-breaking double spaces become one space)
and its two bullet lists become Markdown lists; everything else, typos and curly
apostrophes included, is the clinic's own text. Rewording it is for a clinician, in
the admin, with the change kept in the history.
"""

from django.db import migrations
from django.utils import timezone

from faq.rendering import render_markdown

HEADING = "Exosome Therapy for Hair Loss"

# In the order a patient reads: what it is, is it safe, what results to expect, and
# what to do before and after the procedure.
TOPICS = [
    {"slug": "about", "title": "About exosome therapy", "order": 1},
    {"slug": "safety", "title": "Safety and sourcing", "order": 2},
    {"slug": "results", "title": "Results and repeat treatments", "order": 3},
    {"slug": "preparing-and-recovering", "title": "Preparing and recovering", "order": 4},
]

NSAIDS_REVIEW_NOTE = (
    "Conflicts with two other answers. This one says to stop NSAIDs 72 hours before "
    "the injection and for 4 days after; \"What preparation do I need for the day of "
    "the procedure?\" and \"Are there any restrictions after the procedure?\" say 3 "
    "days before and 3 weeks after. The booking instructions follow the stricter window "
    "(3 days before, 3 weeks after). A clinician should correct this answer."
)
NEEDS_REVIEW = {"nsaids": NSAIDS_REVIEW_NOTE}

ENTRIES = [
    {
        "topic": "about",
        "slug": "what-are-exosomes",
        "order": 1,
        "is_essential": False,
        "question": 'What are exosomes?',
        "answer": (
            'Exosomes are extracellular vesicles that are produced by mesenchymal stem '
            'cells which are involved in cell communication. Other cells react to the '
            'messaging signals from the exosomes and will change their behavior '
            'accordingly. Scientists are now able to isolate and deliver these '
            'beneficial signalers directly rather than the stem cells themselves.\n'
            '\n'
            'Exosomes are isolated from donated human amniotic mesenchymal stem cells '
            'and purified using proprietary processing. The unique benefit of these '
            'exosomes is that they are stem cell-derived and bring a wide array of '
            'growth factors. Because they’re so small and nimble, exosomes can remain '
            'hidden in the bloodstream, and carry multiple doses of proteins across '
            'barriers that cells are not able to cross.'
        ),
    },
    {
        "topic": "about",
        "slug": "what-is-exosome-therapy",
        "order": 2,
        "is_essential": False,
        "question": 'What is exosome therapy for hair loss?',
        "answer": (
            'By injecting exosomes and growth factors, it has been clinically shown to '
            'help regenerate and regrow hair as a treatment for hair loss in both men '
            'and women in the earlier stages of hair loss.'
        ),
    },
    {
        "topic": "results",
        "slug": "time-to-see-results",
        "order": 1,
        "is_essential": False,
        "question": 'How long does it take to see results from exosome therapy for hair loss?',
        "answer": (
            'Exosome therapy may begin promoting natural hair growth in as little as two '
            'to three months. New hair growth can continue over the course of a year, '
            'with the most noticeable results usually being seen six months after '
            'treatment has been administered.'
        ),
    },
    {
        "topic": "results",
        "slug": "time-between-sessions",
        "order": 3,
        "is_essential": False,
        "question": 'How long do I have to wait before another session of exosome therapy for hair loss?',
        "answer": (
            'We typically recommend waiting 6 to 8 months after the last treatment to '
            're-evaluate and before potentially performing another treatment of exosome '
            'injections if it is necessary.'
        ),
    },
    {
        "topic": "safety",
        "slug": "how-exosomes-are-processed",
        "order": 1,
        "is_essential": False,
        "question": 'How are the exosomes processed, and are they safe to use?',
        "answer": (
            'Vinings Surgery Center uses exosomes which are procured and processed in '
            'the United States according to standards and regulations established by the '
            'American Association of Tissue Banks (AATB), and the United States Food & '
            'Drug Administration (FDA). All of the donors are in the United States.\n'
            '\n'
            'Donor ethics and non-reactive FDA approved serological screening includes:\n'
            '\n'
            '- Donor consent prior to collections\n'
            '- HBsAG (Hepatitis B Surface Antigen)\n'
            '- HBcAb (Hepatitis B core Antibody)\n'
            '- HCV (Hepatitis C Antibody)\n'
            '- HIV 1/11-Ab (HIV Nucleic Acid Test)\n'
            '- HCV NAt (HCV Nucleic Acid Test)\n'
            '\n'
            'Each package contains as sheet documenting all of the passed tests.'
        ),
    },
    {
        "topic": "safety",
        "slug": "exosomes-per-vial",
        "order": 2,
        "is_essential": False,
        "question": 'How many exosomes are in each vial?',
        "answer": (
            'For hair loss, we utilize 400 plus billion exosomes per vial. We have found '
            'that a 400 billion exosomes product is more than sufficient to regenerate '
            'hair growth.'
        ),
    },
    {
        "topic": "about",
        "slug": "exosomes-compared-with-prp",
        "order": 3,
        "is_essential": False,
        "question": 'How are exosome treatments different from PRP (Platelet Rich Plasma) treatments?',
        "answer": (
            'PRP or platelet rich plasma begins with centrifuging the patient’s blood in '
            'order to concentrate the growth factors and platelets naturally present in '
            'the body. The drawback of using PRP is it does not provide any stem cells '
            'or exosomes because as we age our bodies contain less and less stem cells '
            'in our blood. In addition to age being a factor, the patient’s health is '
            'also very critical to the quality of PRP harvested.\n'
            '\n'
            'Before PRP was developed, stem cells would come from fat collected during '
            'liposuction. However, that process was painful and more expensive with the '
            'patient having to undergo two procedures. Again, the patient’s age and '
            'overall health came into play with the quantity and quality of the stem '
            'cells available.\n'
            '\n'
            'At Vining Surgery Center, we use exosomes which are sourced from amniotic '
            'mesenchymal stem cells. These exosomes are cryofrozen and packaged in a '
            'sterile vial ready for use.'
        ),
    },
    {
        "topic": "results",
        "slug": "how-long-exosomes-last",
        "order": 2,
        "is_essential": False,
        "question": 'How long do exosomes last in your body?',
        "answer": (
            'Exosomes are present 6 to 8 months after the final treatment.'
        ),
    },
    {
        "topic": "preparing-and-recovering",
        "slug": "nsaids",
        "order": 2,
        "is_essential": True,
        "question": 'Can the patient take NSAIDS?',
        "answer": (
            'No. It is ideal for the patient to stop taking NSAIDS for 72 hours prior to '
            'the injection and for 4 days after. NSAIDS will NOT destroy the injected '
            'cells but they can potentially lessen the effects.'
        ),
    },
    {
        "topic": "safety",
        "slug": "contraindications",
        "order": 3,
        "is_essential": False,
        "question": 'Are there any contraindications for exosome injections?',
        "answer": (
            'There are no contraindications for exosome injections.'
        ),
    },
    {
        "topic": "preparing-and-recovering",
        "slug": "preparing-for-the-procedure",
        "order": 1,
        "is_essential": True,
        "question": 'What preparation do I need for the day of the procedure?',
        "answer": (
            'Patients are advised to:\n'
            '\n'
            '- Drink a lot of fluid one day prior to the procedure\n'
            '- Have breakfast the morning of their procedure\n'
            '- Avoid Aspirin, Naproxen, Ibuprofen and other NSAIDs 3 days prior to the '
            'procedure and 3 weeks after the procedure.'
        ),
    },
    {
        "topic": "preparing-and-recovering",
        "slug": "restrictions-after-the-procedure",
        "order": 3,
        "is_essential": True,
        "question": 'Are there any restrictions after the procedure?',
        "answer": (
            'The only restriction is to avoid aspirin, naproxen, ibuprofen, and other '
            'NSAIDs for 3 weeks following the procedure. Following the procedure, you '
            'may go home and shower. Be aware the treated area may be tender. Many '
            'patients return to work or their daily routine the same day.'
        ),
    },
    {
        "topic": "about",
        "slug": "combining-with-other-treatments",
        "order": 5,
        "is_essential": False,
        "question": 'Can I combine exosome therapy with other hair loss modalities?',
        "answer": (
            'Absolutely! We recommend patients use Propecia, Finasteride or Minoxidil in '
            'conjunction with exosome therapy for hair loss.'
        ),
    },
    {
        "topic": "safety",
        "slug": "exosomes-and-cancer",
        "order": 4,
        "is_essential": False,
        "question": 'Do exosomes cause cancer or cause cancer to grow?',
        "answer": (
            'Currently there are no large direct studies that can show exosomes or stem '
            'cells do not cause cancer, but there are studies where stem cells have been '
            'utilized to treat cancer, and the conclusion from these studies is that '
            'since the stem cells work to suppress cancer cells, it is assumed that they '
            'will neither help proliferate cancer cells nor cause the formation of '
            'cancer cells.'
        ),
    },
    {
        "topic": "about",
        "slug": "alopecia-areata",
        "order": 4,
        "is_essential": False,
        "question": 'Can exosomes be used for Alopecia Areata?',
        "answer": (
            'Yes. Clinical and anecdotal results have shown tremendous efficacy for when '
            'exosome therapy is utilized.'
        ),
    },
]


CHANGE_REASON = "Imported from the clinic's exosome-faq.txt"


def record_history(apps, model_name, instances, now):
    """A "created" history row per object, so the imported text can always be restored."""
    model = apps.get_model("faq", model_name)
    historical = apps.get_model("faq", "Historical" + model_name)
    fields = [field.attname for field in model._meta.concrete_fields]
    historical.objects.bulk_create(
        historical(
            **{name: getattr(instance, name) for name in fields},
            history_date=now,
            history_type="+",
            history_change_reason=CHANGE_REASON,
        )
        for instance in instances
    )


def add_content(apps, schema_editor):
    Topic = apps.get_model("faq", "Topic")
    Entry = apps.get_model("faq", "Entry")
    FaqPage = apps.get_model("faq", "FaqPage")
    now = timezone.now()

    topics = {data["slug"]: Topic.objects.create(**data) for data in TOPICS}
    entries = []
    for data in ENTRIES:
        # Migrations see the model without its save(): render here as save() would.
        entries.append(
            Entry.objects.create(
                topic=topics[data["topic"]],
                slug=data["slug"],
                question=data["question"],
                answer=data["answer"],
                answer_html=render_markdown(data["answer"]),
                order=data["order"],
                is_published=True,
                is_essential=data["is_essential"],
                needs_review=data["slug"] in NEEDS_REVIEW,
                review_note=NEEDS_REVIEW.get(data["slug"], ""),
            )
        )
    # Not yet reviewed: the page says so until a clinician records a review.
    page, _ = FaqPage.objects.update_or_create(pk=1, defaults={"heading": HEADING})

    record_history(apps, "Topic", topics.values(), now)
    record_history(apps, "Entry", entries, now)
    record_history(apps, "FaqPage", [page], now)


def remove_content(apps, schema_editor):
    Entry = apps.get_model("faq", "Entry")
    Topic = apps.get_model("faq", "Topic")
    FaqPage = apps.get_model("faq", "FaqPage")
    slugs = [data["slug"] for data in ENTRIES]
    Entry.objects.filter(slug__in=slugs).delete()
    Topic.objects.filter(slug__in=[t["slug"] for t in TOPICS], entries__isnull=True).delete()
    FaqPage.objects.filter(pk=1).delete()
    for name in ("HistoricalEntry", "HistoricalTopic", "HistoricalFaqPage"):
        apps.get_model("faq", name).objects.filter(history_change_reason=CHANGE_REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("faq", "0001_initial")]

    operations = [migrations.RunPython(add_content, remove_content)]
