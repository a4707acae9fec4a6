"""This app's demo and volume-test content, built for the demo app's commands (ldnsite/demo).

``load`` publishes one article, six study records and a few resources about low dose
naltrexone (LDN) in multiple sclerosis (the data below). All prose is original; facts come from
the 2009 seed article and the study fact sheet in ``shared/data``. ``volume_studies`` and
``volume_articles`` bulk-create clearly synthetic ones for ``seed_volume``.

``checked_facts`` on each study lists only the facts the fact sheet marks as
confirmed against an abstract or registry record. Anything not listed there is
unchecked and must be shown as such.
"""

import datetime
import textwrap

from django.utils import timezone

from ldnsite.choices import MSType
from ldnsite.demo.builders import Volume, VolumeOption

from . import moderation
from .models import Article, PublicationStatus, Resource, Study

BATCH = 2_000
SLUG_PREFIX = "volume-test"

ARTICLE = {
    "slug": "low-dose-naltrexone-and-ms",
    "title": "Low dose naltrexone (LDN) and MS: what the research shows",
    "summary": (
        "Low dose naltrexone is an old medicine that some people with MS take off-label. "
        "Six small studies have given mixed results, so there is not yet enough evidence "
        "to say whether it helps."
    ),
    "body": textwrap.dedent(
        """\
        ## What naltrexone is

        Naltrexone is not a new drug. The US Food and Drug Administration (FDA) approved it in
        1984 to help people recovering from dependence on heroin and other opioids. It blocks
        the receptors those drugs act on, so they no longer give a "high". For that purpose the
        usual dose is about 50 mg a day.

        ## What "low dose" means

        Low dose naltrexone, or LDN, is the same medicine at a small fraction of that amount,
        usually a few milligrams a day.

        Using LDN for MS is **off-label**: it is prescribed for a use it was not approved for.
        People have also tried it off-label for other conditions, including HIV, fibromyalgia
        and Crohn's disease.

        One popular idea is that a tiny dose nudges the body into making more of its own
        endorphins. That is a theory, not a proven explanation.

        ## Why people with MS became interested

        During the 2000s, many people with MS shared reports that LDN had helped them.
        Progressive MS in particular had few treatments, and waiting years for research is hard
        when your own condition keeps changing.

        In 2004, the US National MS Society stated that no clinical data on naltrexone in MS
        had been published. That was accurate then, but it is now history: several studies
        have appeared since.

        ## What the studies found

        ### Gironi 2008: a pilot in primary-progressive MS

        A multicentre team including San Raffaele Hospital in Milan, Italy, gave LDN to 40
        people with primary-progressive MS for six months. There was no comparison group; the
        main aim was to check safety and tolerability [@gironi-2008-ppms-pilot].

        Five people dropped out and two major adverse events were recorded. Disability got worse
        in one person. Spasticity (muscle stiffness) fell significantly, and levels of
        beta-endorphin in the blood went up. A 2009 patient article gave the dose as 5 mg; we
        have not yet confirmed this from the trial paper.

        ### Cree 2010: a crossover trial of quality of life

        At the University of California, San Francisco, 80 people enrolled and 60 finished.
        Each person spent eight weeks on 4.5 mg of LDN each night and eight weeks on a dummy
        pill, without knowing which was which.

        While on LDN, people reported modest gains in mental quality of life, including mood,
        pain and how they rated their own thinking. Physical quality of life did not change
        [@cree-2010-quality-of-life-crossover].
        There were no serious side effects, though some people had vivid dreams.

        ### Sharafaddinzadeh 2010: no difference found

        A similar placebo-controlled crossover trial at two universities in Ahvaz, Iran,
        included 96 people with relapsing-remitting or secondary-progressive MS over 17 weeks.
        It found no difference between LDN and placebo on any part of its quality-of-life
        questionnaire. The authors described LDN as relatively safe
        [@sharafaddinzadeh-2010-quality-of-life-trial].

        ### Later studies of everyday use

        Three later studies looked back at people who were already taking LDN:

        - **Turel 2015** searched clinic records at Penn State in the US and found 215 people
          who had taken LDN. It looked at safety, tolerability and why people stopped. We have
          not yet checked its findings [@turel-2015-chart-review].
        - **Ludwig 2016** looked at 54 people with relapsing-remitting MS at the same clinic,
          23 taking LDN alone and 31 taking it with glatiramer acetate. MRI scans, blood tests
          and a timed 25-foot walk showed no significant differences, and people on LDN alone
          did not get worse [@ludwig-2016-long-term-cohort].
        - **Raknes 2017** used Norway's national prescription records for 341 people who
          started LDN in 2013. Their use of other MS medicines was the same in the two years
          after starting as in the two years before [@raknes-2017-prescription-database].

        | Study | Type of study | People | Main finding |
        |---|---|---|---|
        | Gironi 2008 | Open pilot, no control group | 40 | Mostly tolerated; spasticity fell |
        | Cree 2010 | Randomised, placebo | 80 (60 finished) | Mental, not physical, quality of life better |
        | Sharafaddinzadeh 2010 | Randomised, placebo | 96 | No difference from placebo |
        | Turel 2015 | Chart review | 215 | Not yet checked |
        | Ludwig 2016 | Look-back cohort | 54 | Stable; no significant differences |
        | Raknes 2017 | Before and after, prescriptions | 341 | No change in other medicines |

        ## What this adds up to

        Put simply: the studies are small, the results are mixed, and there is not enough
        evidence for a consensus. Only two are randomised trials; both were short, and they
        disagree [@cree-2010-quality-of-life-crossover] [@sharafaddinzadeh-2010-quality-of-life-trial].
        The others looked back at records, which says something about tolerability but cannot
        show whether LDN works. We judge the certainty of every one of these results to be low
        or very low: each summary explains why.

        No study so far has been large or long enough to show whether LDN changes relapses or
        long-term disability.

        ## Personal stories

        Many people say LDN has helped them, and those accounts matter. But a personal story is
        experience, not evidence: MS symptoms naturally come and go, and hope can change how we
        feel. We keep members' accounts in a separate section, "Member experiences", so they are
        not mixed up with study results.

        ## Talking to your doctor

        Because LDN is off-label, some doctors will prescribe it, usually case by case, and
        others will not.

        If you are curious about LDN, talk to your neurologist. Tell them about every medicine
        you take, especially opioid painkillers, because naltrexone blocks their effect. Please
        do not stop a disease-modifying treatment to try LDN without discussing it first.

        MS is different for everyone, and so is the right treatment.
        """
    ),
    "last_reviewed_on": "2026-11-25",
    "study_keys": [
        "gironi-2008-ppms-pilot",
        "cree-2010-quality-of-life-crossover",
        "sharafaddinzadeh-2010-quality-of-life-trial",
        "turel-2015-chart-review",
        "ludwig-2016-long-term-cohort",
        "raknes-2017-prescription-database",
    ],
}


STUDIES = [
    {
        "slug": "gironi-2008-ppms-pilot",
        "title": "A pilot trial of low-dose naltrexone in primary progressive multiple sclerosis",
        "authors": (
            "Gironi M, Martinelli-Boneschi F, Sacerdote P, Solaro C, Zaffaroni M, Cavarretta R, "
            "Moiola L, Bucello S, Radaelli M, Pilato V, Rodegher ME, Cursi M, Franchi S, Martinelli V, "
            "Nemni R, Comi G, Martino G"
        ),
        "journal": "Mult Scler",
        "year": 2008,
        "publication_date": "2008-09",
        "citation_details": "14(8):1076-83",
        "doi": "10.1177/1352458508095828",
        "pmid": "18728058",
        "registry_id": "",
        "design": "single_arm",
        "populations": ["ppms"],
        "setting": "Multicentre, including San Raffaele Hospital, Milan, Italy (phase II, open-label)",
        "participants_enrolled": 40,
        "participants_completed": 35,
        "dose": (
            "Not stated in the abstract. A 2009 patient article gives 5 mg; "
            "not yet confirmed from the trial paper."
        ),
        "comparator": "None (no control group)",
        "duration": "6 months",
        "outcomes_measured": (
            "Main aims: safety and tolerability. Also disability progression, spasticity and "
            "blood beta-endorphin levels."
        ),
        "main_result": (
            "Over six months, disability progressed in 1 of 40 people. Spasticity fell "
            "significantly and beta-endorphin levels rose."
        ),
        "adverse_events": (
            "5 dropouts and 2 major adverse events. The nature of the events is not described "
            "in the summary we checked."
        ),
        "limitations": (
            "No control group, so changes cannot be put down to LDN. Small and short. The dose is "
            "not yet confirmed. Completed count (35) is worked out as 40 enrolled minus 5 dropouts."
        ),
        "funding": "",
        "plain_summary": (
            "An early Italian study gave LDN to 40 people with primary-progressive MS for six "
            "months, mainly to see whether it was safe. Most people tolerated it, muscle "
            "stiffness eased and only one person's disability got worse. With **no comparison "
            "group**, it cannot tell us whether LDN itself caused these changes."
        ),
        "checked_facts": [
            "citation",
            "design",
            "participants",
            "duration",
            "main_result",
            "adverse_events",
            "doi",
            "pmid",
        ],
    },
    {
        "slug": "cree-2010-quality-of-life-crossover",
        "title": "Pilot trial of low-dose naltrexone and quality of life in multiple sclerosis",
        "authors": "Cree BAC, Kornyeyeva E, Goodin DS",
        "journal": "Ann Neurol",
        "year": 2010,
        "publication_date": "2010-08",
        "citation_details": "68(2):145-50",
        "doi": "10.1002/ana.22006",
        "pmid": "20695007",
        "registry_id": "NCT00501696",
        "design": "rct_crossover",
        "populations": ["unspecified"],
        "setting": "Single centre, University of California, San Francisco",
        "participants_enrolled": 80,
        "participants_completed": 60,
        "dose": "4.5 mg each night",
        "comparator": "Placebo",
        "duration": "Two 8-week treatment periods within a 17-week study",
        "outcomes_measured": (
            "Self-reported quality of life: SF-36 physical and mental components, mental health "
            "inventory, pain effects and perceived (thinking) deficits."
        ),
        "main_result": (
            "Mental quality of life improved on LDN compared with placebo: SF-36 mental component "
            "+3.3 (p=0.04), mental health inventory +6 (p<0.01), pain effects +1.6 (p=0.04) and "
            "perceived deficits +2.4 (p=0.05). Physical quality of life did not change."
        ),
        "adverse_events": "There were no serious adverse events; some people reported vivid dreams.",
        "limitations": (
            "Small, short and single centre; 20 of 80 people did not finish. Measured quality "
            "of life only, so it was not designed to show effects on relapses or disability."
        ),
        "funding": "",
        "plain_summary": (
            "In this US trial, people took LDN for eight weeks and a dummy pill for eight weeks, "
            "without knowing which was which. On LDN they reported modest improvements in mood, "
            "pain and thinking, but their **physical quality of life stayed the same**. No serious side "
            "effects were seen; some people had vivid dreams."
        ),
        "checked_facts": [
            "citation",
            "design",
            "participants",
            "dose",
            "duration",
            "main_result",
            "adverse_events",
            "doi",
            "pmid",
            "registry_id",
        ],
    },
    {
        "slug": "sharafaddinzadeh-2010-quality-of-life-trial",
        "title": (
            "The effect of low-dose naltrexone on quality of life of patients with multiple "
            "sclerosis: a randomized placebo-controlled trial"
        ),
        "authors": "Sharafaddinzadeh N, Moghtaderi A, Kashipazha D, Majdinasab N, Shalbafan B",
        "journal": "Mult Scler",
        "year": 2010,
        "publication_date": "2010-08",
        "citation_details": "16(8):964-9",
        "doi": "10.1177/1352458510366857",
        "pmid": "20534644",
        "registry_id": "",
        "design": "rct_crossover",
        "populations": ["rrms", "spms"],
        "setting": "Two universities in Ahvaz, Iran (double-blind)",
        "participants_enrolled": 96,
        "participants_completed": None,
        "dose": "4.5 mg a day (not yet confirmed against the paper)",
        "comparator": "Placebo",
        "duration": "17 weeks",
        "outcomes_measured": "Quality of life on the MSQoL-54 questionnaire (all domains)",
        "main_result": "No significant difference between LDN and placebo on any MSQoL-54 domain.",
        "adverse_events": (
            "Described by the authors as relatively safe. Details are not given in the summary we checked."
        ),
        "limitations": (
            "Short, and measured quality of life only. Number completing not reported in the "
            "summary we checked. Dose, PMID and DOI not yet confirmed against the paper."
        ),
        "funding": "",
        "plain_summary": (
            "This Iranian trial compared LDN with a dummy pill in 96 people with "
            "relapsing-remitting or secondary-progressive MS over 17 weeks. It found **no "
            "difference** in quality of life between LDN and placebo. The authors considered "
            "LDN relatively safe."
        ),
        "checked_facts": [
            "citation",
            "design",
            "participants",
            "duration",
            "main_result",
            "adverse_events",
        ],
    },
    {
        "slug": "turel-2015-chart-review",
        "title": (
            "Low dose naltrexone for treatment of multiple sclerosis: a retrospective chart "
            "review of safety and tolerability"
        ),
        "authors": "Turel AP, Oh KH, Zagon IS, McLaughlin PJ",
        "journal": "J Clin Psychopharmacol",
        "year": 2015,
        "citation_details": "35(5):609-11",
        "doi": "10.1097/JCP.0000000000000373",
        "pmid": "26203498",
        "registry_id": "",
        "design": "case_series",
        "populations": ["unspecified"],
        "setting": (
            "Retrospective chart review, Penn State MS clinic, USA, 2005-2012: 215 people "
            "exposed to LDN among 435 charts"
        ),
        "participants_enrolled": 215,
        "participants_completed": None,
        "dose": "Usual low doses (exact doses not yet confirmed against the paper)",
        "comparator": "None (no control group)",
        "duration": "Varied; records from 2005 to 2012 (treatment lengths not yet confirmed)",
        "outcomes_measured": "Safety, tolerability and reasons for stopping LDN",
        "main_result": "Not yet confirmed against the paper.",
        "adverse_events": "Not yet confirmed against the paper.",
        "limitations": (
            "Looks back at clinic records with no control group, so it cannot show whether LDN "
            "works. Volume, pages, co-authors and DOI are not yet confirmed."
        ),
        "funding": "",
        "plain_summary": (
            "Researchers went through the records of an American MS clinic and found 215 people "
            "who had taken LDN. They looked at side effects and why people stopped. **We have "
            "not yet checked the findings** against the paper, so we do not summarise them here."
        ),
        "checked_facts": [
            "design",
            "participants",
            "pmid",
        ],
    },
    {
        "slug": "ludwig-2016-long-term-cohort",
        "title": (
            "Long-term treatment with low dose naltrexone maintains stable health in patients "
            "with multiple sclerosis"
        ),
        "authors": "Ludwig MD, Turel AP, Zagon IS, McLaughlin PJ",
        "journal": "Mult Scler J Exp Transl Clin",
        "year": 2016,
        "citation_details": "2:2055217316672242",
        "doi": "10.1177/2055217316672242",
        "pmid": "28607740",
        "registry_id": "",
        "design": "cohort",
        "populations": ["rrms"],
        "setting": (
            "Retrospective cohort, Penn State MS clinic, USA, 2006-2015: 54 people in total "
            "(23 on LDN alone, 31 on glatiramer acetate plus LDN)"
        ),
        "participants_enrolled": 54,
        "participants_completed": None,
        "dose": "LDN; the dose is not given in the summary we checked",
        "comparator": "Glatiramer acetate plus LDN group",
        "duration": "Between 1 and 50 months after diagnosis",
        "outcomes_measured": "Blood tests, timed 25-foot walk and MRI",
        "main_result": (
            "MRI, blood tests and the timed 25-foot walk showed no significant differences. "
            "People taking LDN alone did not get worse."
        ),
        "adverse_events": "The authors judged LDN safe; people taking it alone did not get worse.",
        "limitations": (
            "Small, single clinic and looking back at records. People were not randomly "
            "assigned, and there was no group without LDN."
        ),
        "funding": "",
        "plain_summary": (
            "This study looked back at 54 people with relapsing-remitting MS at one US clinic, "
            "some on LDN alone and some on glatiramer acetate plus LDN. Their walking, blood "
            "tests and MRI scans stayed **stable**. Because nobody in the study went without "
            "LDN, it cannot show whether LDN caused that stability."
        ),
        "checked_facts": [
            "citation",
            "design",
            "participants",
            "duration",
            "main_result",
            "adverse_events",
            "doi",
            "pmid",
        ],
    },
    {
        "slug": "raknes-2017-prescription-database",
        "title": (
            "Low dose naltrexone in multiple sclerosis: effects on medication use. A quasi-experimental study"
        ),
        "authors": "Raknes G, Smabrekke L",
        "journal": "PLoS One",
        "year": 2017,
        "publication_date": "2017-11-03",
        "citation_details": "12(11):e0187423",
        "doi": "10.1371/journal.pone.0187423",
        "pmid": "29099849",
        "registry_id": "",
        "design": "before_after",
        "populations": ["unspecified"],
        "setting": "Nationwide, Norwegian Prescription Database, Norway",
        "participants_enrolled": 341,
        "participants_completed": None,
        "dose": "LDN started in 2013; the dose is not given in the summary we checked",
        "comparator": "Own prescriptions in the two years before LDN",
        "duration": "Two years before and two years after starting LDN",
        "outcomes_measured": "How often disease-modifying drugs and symptom medicines were dispensed",
        "main_result": (
            "After starting LDN, people collected disease-modifying drugs and symptom "
            "medicines as often as before."
        ),
        "adverse_events": "Not reported in the summary we checked.",
        "limitations": (
            "Uses prescription records only, with no direct measure of symptoms or disability. "
            "No separate control group."
        ),
        "funding": "",
        "plain_summary": (
            "Norwegian researchers used national prescription records for 341 people with MS "
            "who started LDN in 2013. In the two years after starting, their use of MS drugs "
            "and symptom medicines **did not change** compared with the two years before."
        ),
        "checked_facts": [
            "citation",
            "design",
            "participants",
            "duration",
            "main_result",
            "doi",
            "pmid",
        ],
    },
]


# Key messages, certainty and review of each study summary, by slug (GRADE: randomised trials start high and
# observational studies low; each reason lowers the grade). Kept apart from STUDIES, which holds the facts.
REVIEWED_ON = datetime.date(2026, 11, 25)
ASSESSMENTS = {
    "gironi-2008-ppms-pilot": {
        "key_messages": (
            "40 people with primary-progressive MS took LDN for six months, with no comparison group.\n"
            "The main aim was safety: 5 people dropped out and 2 had major adverse events.\n"
            "Muscle stiffness (spasticity) eased, and disability got worse in only one person.\n"
            "Without a comparison group, we cannot tell whether LDN caused these changes."
        ),
        "certainty": "very_low",
        "certainty_reasons": ["risk_of_bias", "imprecision"],
        "certainty_explanation": (
            "An open pilot of 40 people that everyone knew was LDN: the changes could come from chance, "
            "hope or the natural course of MS."
        ),
    },
    "cree-2010-quality-of-life-crossover": {
        "key_messages": (
            "80 people with MS took LDN for 8 weeks and a dummy pill for 8 weeks, not knowing which was "
            "which; 60 finished.\n"
            "On LDN they reported slightly better mental quality of life: mood, pain and how they rated "
            "their own thinking.\n"
            "Physical quality of life did not change.\n"
            "There were no serious side effects; some people had vivid dreams."
        ),
        "certainty": "low",
        "certainty_reasons": ["imprecision", "inconsistency"],
        "certainty_explanation": (
            "A randomised, placebo-controlled trial, but small and short: the gains were modest, some "
            "only just reached statistical significance, and a similar trial found no difference."
        ),
    },
    "sharafaddinzadeh-2010-quality-of-life-trial": {
        "key_messages": (
            "96 people with relapsing-remitting or secondary-progressive MS took LDN and a dummy pill in "
            "turn, over 17 weeks.\n"
            "Quality of life was no different on LDN than on the dummy pill, in any part of the "
            "questionnaire.\n"
            "The authors considered LDN relatively safe.\n"
            "A trial of this size could miss a small benefit."
        ),
        "certainty": "low",
        "certainty_reasons": ["imprecision", "inconsistency"],
        "certainty_explanation": (
            "A randomised, placebo-controlled trial, but with 96 people too small to rule out a small "
            "effect, and a similar trial found a modest gain."
        ),
    },
    "turel-2015-chart-review": {
        "key_messages": (
            "Researchers looked back at the records of 215 people who took LDN at one US MS clinic.\n"
            "They studied side effects, tolerability and why people stopped LDN.\n"
            "We have not yet checked the findings against the paper, so we do not report them.\n"
            "With no comparison group, a study like this cannot show whether LDN works."
        ),
        "certainty": "very_low",
        "certainty_reasons": ["risk_of_bias"],
        "certainty_explanation": ("Clinic records kept for care, not research, and no comparison group."),
    },
    "ludwig-2016-long-term-cohort": {
        "key_messages": (
            "This study looked back at 54 people with relapsing-remitting MS at one US clinic.\n"
            "23 took LDN alone and 31 took it with glatiramer acetate.\n"
            "MRI scans, blood tests and a timed walk showed no significant differences, and people on "
            "LDN alone did not get worse.\n"
            "Everyone took LDN, so the study cannot show whether LDN kept them stable."
        ),
        "certainty": "very_low",
        "certainty_reasons": ["risk_of_bias", "imprecision"],
        "certainty_explanation": (
            "A small look back at records: people were not randomly assigned, and nobody went without LDN."
        ),
    },
    "raknes-2017-prescription-database": {
        "key_messages": (
            "Norwegian researchers used national prescription records of 341 people with MS who started "
            "LDN in 2013.\n"
            "In the two years after starting, they collected MS drugs and symptom medicines as often as in "
            "the two years before.\n"
            "Prescriptions are only a rough sign of how people are: symptoms and disability were not "
            "measured.\n"
            "LDN did not seem to replace other treatments, but the study cannot show whether it helped."
        ),
        "certainty": "very_low",
        "certainty_reasons": ["risk_of_bias", "indirectness"],
        "certainty_explanation": (
            "No comparison group, and prescriptions counted instead of how people felt or moved."
        ),
    },
}


RESOURCES = [
    {
        "kind": "registry",
        "title": "ClinicalTrials.gov record NCT00501696 (Cree 2010 trial)",
        "url": "https://clinicaltrials.gov/study/NCT00501696",
        "published_on": None,
        "note": "The public registry entry for the UCSF crossover trial of LDN and quality of life.",
    },
    {
        "kind": "organisation",
        "title": "National Multiple Sclerosis Society (US)",
        "url": "https://www.nationalmssociety.org/",
        "published_on": None,
        "note": "US charity with general information on MS treatments and living with MS.",
    },
    {
        "kind": "organisation",
        "title": "MS Society (UK)",
        "url": "https://www.mssociety.org.uk/",
        "published_on": None,
        "note": "UK charity offering information and support for people affected by MS.",
    },
    {
        "kind": "organisation",
        "title": "MS Trust",
        "url": "https://mstrust.org.uk/",
        "published_on": None,
        "note": "UK charity with plain-language guides to MS and its treatments.",
    },
]


# --- load_demo ------------------------------------------------------------------------------------------


def load(team) -> str:
    """Publish the demo study summaries and article as `team`, updated in place by slug: safe to run again."""
    studies = {data["slug"]: _study(data, team) for data in STUDIES}
    article = _article(ARTICLE, team, studies)
    return f"Demo content ready: {len(studies)} study summaries and “{article.title}”."


def _study(data: dict, team) -> Study:
    fields = {key: value for key, value in data.items() if key != "slug"}
    fields.update(ASSESSMENTS[data["slug"]], reviewed_by=team, reviewed_at=REVIEWED_ON)
    study, _ = Study.objects.update_or_create(slug=data["slug"], defaults=fields)
    study.full_clean()
    if not study.is_published:
        moderation.publish(study, by=team)
    return study


def _article(data: dict, team, studies: dict[str, Study]) -> Article:
    fields = {key: data[key] for key in ("title", "summary", "body")}
    fields["last_reviewed_on"] = datetime.date.fromisoformat(data["last_reviewed_on"])
    article, created = Article.objects.update_or_create(
        slug=data["slug"], defaults=fields, create_defaults={**fields, "author": team}
    )
    article.full_clean()
    article.studies.set([studies[key] for key in data["study_keys"]])
    for position, resource in enumerate(RESOURCES):
        values = {key: resource[key] for key in ("kind", "title", "note")}
        values["position"] = position
        if resource["published_on"]:
            values["published_on"] = datetime.date.fromisoformat(resource["published_on"])
        Resource.objects.update_or_create(article=article, url=resource["url"], defaults=values)
    if not article.is_published:
        moderation.publish(article, by=team)
    return article


# --- seed_volume ----------------------------------------------------------------------------------------
# `synthetic` is the demo app's source of repeatable fake data: `rng` (random.Random), `now`, and text
# made of `words(n)` and `paragraph(sentences)`. Rows are bulk-created: no signals, no e-mail.

VOLUME_OPTIONS = [
    VolumeOption("articles", 200, "Articles, each citing 2-5 of the studies."),
    VolumeOption("studies", 50, "Study summaries."),
]


def volume(counts: dict, run) -> Volume:
    """Studies, then articles citing them. The published articles come first among the subjects to discuss:
    the first of them is the benchmarks' most discussed page."""
    with run.timed("studies"):
        studies = volume_studies(counts["studies"], synthetic=run)
    with run.timed("articles and resources"):
        articles = volume_articles(counts["articles"], editor=run.editor, studies=studies, synthetic=run)
    published = [article for article in articles if article.status == PublicationStatus.PUBLISHED]
    return Volume(
        f"{len(articles)} articles, {len(studies)} studies",
        discussed=[*published, *studies],
        weights={"article": 10, "study": 5},  # articles draw the most discussion, studies some
    )


def volume_studies(count: int, *, synthetic) -> list[Study]:
    rng, now = synthetic.rng, synthetic.now
    start = Study.objects.filter(slug__startswith=f"{SLUG_PREFIX}-study-").count() + 1
    designs = list(Study.Design.values)
    populations = [MSType.RELAPSING_REMITTING, MSType.SECONDARY_PROGRESSIVE, MSType.PRIMARY_PROGRESSIVE]
    studies = []
    for n in range(start, start + count):
        enrolled = rng.choice([1, 12, 40, 80, 96, 150, 400, 1200])
        studies.append(
            Study(
                slug=f"{SLUG_PREFIX}-study-{n}",
                status=PublicationStatus.PUBLISHED,
                published_at=now - timezone.timedelta(days=n),
                title=f"Volume test study {n}: {synthetic.words(6)}",
                authors=f"Volume A{n}, Synthetic B, Example C",
                journal="Journal of Volume Testing",
                year=rng.randint(2000, now.year),
                citation_details=f"{n}(1):1-10",
                design=rng.choice(designs),
                populations=rng.sample(populations, rng.randint(1, 2)),
                participants_enrolled=enrolled,
                participants_completed=max(enrolled - rng.randint(0, 5), 0),
                dose="4.5 mg at night",
                duration=f"{rng.randint(4, 52)} weeks",
                outcomes_measured=synthetic.words(12),
                main_result=synthetic.paragraph(3),
                adverse_events=synthetic.paragraph(1),
                limitations=synthetic.paragraph(1),
                plain_summary=synthetic.paragraph(4),
                checked_facts=rng.sample(Study.Fact.values, rng.randint(0, 4)),
            )
        )
    return Study.objects.bulk_create(studies, batch_size=BATCH)


def volume_articles(count: int, *, editor, studies: list[Study], synthetic) -> list[Article]:
    """Articles citing 2-5 of `studies`, with 0-3 resources each; one in twenty a draft, never the first."""
    rng, now = synthetic.rng, synthetic.now
    start = Article.objects.filter(slug__startswith=f"{SLUG_PREFIX}-article-").count() + 1
    articles = []
    for i, n in enumerate(range(start, start + count)):
        body = "\n\n".join(
            f"## Part {part}\n\n{synthetic.paragraph(6)}\n\n{synthetic.paragraph(5)}" for part in range(1, 5)
        )
        draft = i > 0 and i % 20 == 19
        articles.append(
            Article(
                slug=f"{SLUG_PREFIX}-article-{n}",
                title=f"Volume test article {n}",
                summary=f"Synthetic article {n} for volume tests: {synthetic.words(10)}.",
                body=body,
                author=editor,
                status=PublicationStatus.DRAFT if draft else PublicationStatus.PUBLISHED,
                published_at=None if draft else now - timezone.timedelta(hours=i + 1),
                last_reviewed_on=(now - timezone.timedelta(days=rng.randint(0, 400))).date(),
            )
        )
    articles = Article.objects.bulk_create(articles, batch_size=BATCH)
    Cites = Article.studies.through
    cites = [
        Cites(article_id=article.pk, study_id=study.pk)
        for article in articles
        for study in (rng.sample(studies, min(len(studies), rng.randint(2, 5))) if studies else [])
    ]
    Cites.objects.bulk_create(cites, batch_size=BATCH)
    kinds = list(Resource.Kind.values)
    resources = [
        Resource(
            article=article,
            kind=rng.choice(kinds),
            title=f"Volume test resource {position + 1} of article {article.pk}",
            url=f"https://example.org/volume-test/{article.pk}/{position}",
            position=position,
        )
        for article in articles
        for position in range(rng.randint(0, 3))
    ]
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    return articles
