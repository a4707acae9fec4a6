"""The first text of the six site pages, so that a fresh database (make run, a new deployment) has real pages,
and the Editors group's right to change them. Editors change the words in the admin afterwards; the figures
the privacy page and the guidelines state come from the code (ldnsite/pages/facts.py), not from this text."""

from django.db import migrations

from ldnsite.permissions import grant_group, revoke_group

EDITOR_PERMISSIONS = {"pages": ["change_sitepage", "view_sitepage"]}

ABOUT = """\
ldnsite is a community website about **low dose naltrexone (LDN) for multiple sclerosis**. It exists because
what people find about LDN usually mixes trial results, theories about how the drug works and individual
stories in the same paragraph, with no way to tell which is which. Here they are kept apart.

## What you will find here

- **Study summaries**: one page per published study of LDN in people with MS, written in plain language,
  with the study's design, the number of people in it, the dose, how long it lasted, what it found and its
  limitations. Each carries an evidence level worked out from the study's design, and says which facts an
  editor has checked against the paper or the trial registry.
- **Articles**: longer explanations written by editors. An article cites the study summaries it relies on
  and shows when an editor last checked it against the evidence.
- **Member experiences**: first-hand accounts by people with MS, or the people who care for them. They are
  always labelled *personal experience, not medical evidence*, live in their own section, and are never
  mixed into the study summaries or counted as evidence. A moderator reads each one before it appears.

Nothing on this site is medical advice, and the site does not recommend LDN or any other treatment. LDN is
not licensed for MS; doctors who prescribe it do so off-label. Please talk to your neurologist or MS nurse
before you start, stop or change a treatment.

## Who runs it

ldnsite is run by volunteers: **editors**, who write the articles and study summaries, and **moderators**,
who read members' experiences and comments before or after they appear. Editors and moderators sign in with
a second factor (an authenticator app), and every decision a moderator or editor takes (publishing,
approving, rejecting, removing) is recorded in a log that cannot be edited. The site is not run by a
company, a charity, a clinic, a pharmacy or a patient organisation.

## Funding

The site has no income. There is **no advertising**, no sponsorship, **no money from drug makers,
pharmacies or clinics**, no affiliate links, no paid placement, and nothing is for sale. The running costs
(a server and an e-mail service) are met by the people who run it. If that ever changes, this page will say
who pays and how much, before the money is taken.

## Conflicts of interest

Everyone who writes or moderates here is asked to declare any link with a maker or seller of naltrexone, a
compounding pharmacy, a clinic or practitioner who prescribes LDN, or a company developing a treatment for
MS: employment, payments, shares, gifts or unpaid roles. A person with such a link does not write or review
the content it concerns. Declarations are listed on this page, with their date. **None is listed at
present.**

## No tracking

The site shows no advertising and loads no outside scripts, fonts or images: your browser talks to this
site alone. It uses only the cookies it needs to keep you logged in and to protect its forms. The
[privacy page](/privacy/) says what is stored and for how long.

## Get in touch

Found a mistake, want a study covered, or have a question about your data? Use the
[contact form](/contact/). The [editorial policy](/editorial-policy/) explains how content is chosen and
corrected, and the [community guidelines](/guidelines/) explain what moderators accept.
"""

EDITORIAL_POLICY = """\
This page explains how the study summaries and articles on ldnsite are chosen, written, rated and
corrected. Member experiences are a different kind of content, with rules of their own: see the
[community guidelines](/guidelines/).

## Which studies are summarised

We summarise **published studies of low dose naltrexone in people with multiple sclerosis**: randomised
trials, open-label trials, cohort studies, chart reviews, before-after studies, case series and case
reports, found through PubMed and trial registries or sent in by readers. We do not leave a study out
because of its result: trials that found no benefit are summarised in the same way as those that found one.
Laboratory and animal research is not summarised as evidence about people; articles may mention it, and
say so when they do.

Anyone can suggest a study through the [contact form](/contact/).

## How a summary is written

An editor reads the paper (or, where only the abstract is available, says so) and fills in the same
fields for every study: the citation, the design, where it was done, which forms of MS were included, how
many people were enrolled and how many completed, the dose, what LDN was compared with, how long it
lasted, what was measured, the main result, adverse events, the limitations, and who funded it. A
plain-language summary follows, in the editor's own words.

Numbers come from the paper, not from press releases or other websites. **Every fact an editor has
confirmed against the paper or the trial registry is marked as checked**; anything not yet confirmed is
shown to readers as *not yet checked*, and is never presented as certain. Identifiers (DOI, PubMed ID,
trial registry number) link to the original sources so that you can check them yourself.

A summary starts as a draft that only editors can see, and is published when an editor is satisfied with
it. Publishing and unpublishing are recorded in the moderation log.

## Evidence levels

Each study carries an evidence level worked out **automatically from its design**, so that an editor
cannot rate a study higher because they like its result:

| Level | Design |
|---|---|
| 1 | Systematic review of randomised trials |
| 2 | Randomised trial (parallel groups or crossover) |
| 3 | Cohort or other comparison without randomisation |
| 4 | No comparison group: single-arm or open-label trial, case series, chart review, before-after study |
| 5 | A single case report, or reasoning from how the drug works |

Level 1 is the strongest kind of evidence and 5 the weakest. A study of **fewer than 100 people also carries
a "Small study" mark**: small studies can miss real effects and can find effects that are not there.

## Certainty

The level describes the kind of study, not whether its result is right: a randomised trial can still be
small, short or badly reported. We do not give individual studies a formal certainty grade. Instead, each
summary lists the study's limitations, and articles say in plain words how certain the overall evidence is.
At the time this page was written that statement is: *the studies of LDN in MS are few and small, their
results are mixed, and they are not enough for a firm conclusion in either direction.*

## Articles

Articles are written by editors. They cite the study summaries they rely on, keep research findings and
personal experience apart, and show the date an editor last checked them against the evidence. An article
is never based on member experiences.

## Review and corrections

If you think something is wrong, tell us through the [contact form](/contact/) and choose *A mistake in an
article or study summary*. An editor checks the point against the original source. If it is a mistake, the
page is corrected in place; a correction that changes what a reader would take away (a number, a result, a
conclusion) is also noted at the end of the page, with its date. Pages show when they were last updated.

Editors review a summary again when a study is retracted or corrected by its journal, when a later
publication of the same trial appears, or when a reader points out a problem.

## Independence

The site takes no money from anyone with an interest in LDN (see [About](/about/)). No drug maker, pharmacy,
clinic or prescriber sees, approves or pays for any content before it is published.
"""

PRIVACY = """\
This page explains what ldnsite stores about you, why, how long it is kept and how you can use your rights.
It is written for this site and describes what its code actually does.

## Who is responsible

ldnsite is run by volunteers (see [About](/about/)), who are responsible for the personal data described
here. For any question about your data, use the [contact form](/contact/) and choose *My data or my
account*.

## What is stored, and why

**If you only read the site**, nothing is stored about you in our database. To protect the site from abuse,
your IP address is counted for a short time when you search or use the contact form (the counters expire,
see below), and it is written to the server's log when a login fails.

**If you open an account**, we store:

- your **e-mail address**, to log you in and to send you the e-mails you ask for. It is never shown on the
  site, and your display name is never made from it;
- your **display name**, shown next to what you publish, and your earlier display names;
- your **password**, only as a salted hash that cannot be turned back into the password;
- if you set up two-factor authentication, its **secret key and recovery codes**;
- when you joined and when you last logged in.

**If you share an experience of LDN**, you give us **health data**: your type of MS, your dose, how long you
have taken LDN, what changed, any side effects, other treatments, and your story. This is special-category
data, so we store it only with your **explicit consent**, which you give by ticking an unticked box; we keep
the wording you agreed to and when you agreed. It becomes public only after a moderator approves it, shown
under your display name or as "A member with …" your type of MS, as you choose. You can withdraw it at any
time: it then disappears from the site.

**If you comment, report or follow**, we store your comments (and earlier versions while an edit waits for a
moderator), your reports on comments (the reason and any note, seen only by moderators), and the
discussions you follow, so that we can e-mail you replies.

**Moderators' decisions** about what you wrote (approved, rejected with a reason, removed) are kept in a log
that cannot be edited, so that decisions can be checked later. You get them in your data download.

**Contact form messages** are sent to the editors as e-mail; the site keeps no other copy.

The server's log records logins, failed logins (with the IP address only), sign-ups, password and e-mail
changes and moderators' decisions, **by account number**: never your e-mail address, password or anything
you wrote. How long the server keeps its log depends on the hosting set-up, not on the site's code.

## What we do not do

- No advertising, no analytics, no tracking pixels, no outside scripts, fonts or images.
- Only the cookies the site needs to work: one keeps you logged in, one protects forms against forgery,
  and a short-lived one carries a one-off notice (such as "your comment is posted") to the next page.
- We do not sell or give your data to anyone. The company that hosts the server and the service that
  delivers e-mail process it on our behalf, only to run the site.

## Your rights, and how to use them

Most of them you can use yourself, at once, from your account:

- **See and take your data**: *Download my data* in your account gives you everything you gave the site, in
  one file (JSON) that other programs can read.
- **Correct it**: change your e-mail address, display name or password in your account; change your
  experiences from *My experiences*; edit your comments.
- **Withdraw your consent**: withdraw any experience from *My experiences*; it disappears from the site.
- **Erase it**: delete a comment, an experience, or your whole account (*Delete my account*). Deleting your
  account removes your e-mail addresses, your reports and follows, and every e-mail addressed to you that is
  still in our outgoing mail. Your comments are replaced by "deleted" placeholders so that replies to them
  still make sense. You choose whether your published experiences are deleted or kept anonymised.
- **Object, restrict, or ask anything else**: use the [contact form](/contact/). We answer within one month.

If you are not satisfied with our answer, you can complain to your data protection authority (in the UK,
the Information Commissioner's Office).

Database backups, where they are kept, are replaced on a rolling schedule, so data you delete leaves them
within that period as well.
"""

TERMS = """\
These terms apply to everyone who uses ldnsite. By opening an account you agree to them. They are written
to be read: if anything is unclear, ask us through the [contact form](/contact/).

## Not medical advice

ldnsite explains research and publishes members' experiences. **It does not give medical advice**, nobody
here is acting as your doctor, and nothing on the site is a recommendation to take, stop or change any
treatment. LDN is not licensed for multiple sclerosis. Decide about treatment with your neurologist or MS
nurse. In an emergency, call your local emergency number.

## Your account

- You must be at least 16 to open an account.
- One account per person. Keep your password to yourself; you are responsible for what is done with your
  account.
- Your display name must not pretend to be someone else, and must not be an advertisement.
- You can delete your account at any time, from your account pages.

## What you publish

- What you write stays yours. By publishing it on ldnsite you allow the site to show it, free of charge,
  for as long as you keep it here; withdrawing or deleting it ends that permission.
- Write only about your own experience (or, as a carer, the experience of the person you care for), and
  only what you have the right to share.
- Follow the [community guidelines](/guidelines/). Moderators may decline, hide or remove content that does
  not, and tell you why.
- Accounts that repeatedly break the guidelines, post spam or try to sell medicines may be suspended.

## Our content

Study summaries and articles are written with care and checked against their sources (see the
[editorial policy](/editorial-policy/)), but they may contain mistakes and may be out of date: always
check the original paper before relying on a detail, and tell us if you find an error. The site is provided
as it is, without any guarantee that it will always be available.

You may quote our articles and summaries with a link to the page you quote. Each article's infographic comes
with ready-made embed code, which you may use on your own site as long as the credit line and the link
stay in place.

Links to other websites are provided for reference; we are not responsible for their content.

## Changes to these terms

When these terms change, the "Last updated" date at the top of this page changes too. A change never makes
public anything you chose to keep private, and never applies to what you published before it without your
agreement.
"""

GUIDELINES = """\
ldnsite is a place to share what low dose naltrexone was like for you, and to talk about it with others who
have MS. These are the rules moderators apply. They exist to keep the site safe for people who are often
unwell, and to keep experience clearly apart from evidence.

## Sharing your experience

A moderator reads every experience before anyone else sees it. Moderators check it **for safety, not for
accuracy**: it is your experience, and it will always be shown as one person's account, not as evidence.

A good experience says what you did and what happened to you: your dose, how long you have taken LDN, what
changed, what side effects you had, what else you were taking. It is fine to say LDN did nothing for you,
or made things worse: those experiences matter just as much.

**An experience is not approved when:**

- it contains **someone's personal details**: a name, an address, an e-mail address or a phone number
  (yours included). The form warns you when your text seems to contain an e-mail address, a phone number
  or a web link, and moderators look at those twice;
- it **promotes buying or selling medicines**, or says where to get them;
- it **tells other people how to take LDN** or other medicines, rather than describing what you did;
- it is **not a first-hand experience** of LDN: yours, or that of the person you care for;
- it is abusive, or attacks an identifiable person.

When an experience is not approved, the moderator always gives a reason, which you get by e-mail and on
your *My experiences* page. You can change it and send it again. Changes to a published experience are read
by a moderator too; until they are approved, readers keep seeing the published version.

## Comments

- Be kind. Many readers live with fatigue, pain or uncertainty. Disagree with ideas, not with people.
- **Say where a claim comes from.** If you mention a study, link to it or to its summary here.
- No instructions to others about doses or medicines, no selling or sourcing of drugs, no advertising.
- Do not share anyone's personal details, including your own.
- Stay on the subject of the page you are commenting on.

## Reports

If a comment breaks these rules, use its *Report* link and choose a reason: spam or advertising, medical
misinformation, selling or sourcing drugs, someone's personal data, abuse or harassment, or someone may be at
risk. A moderator looks at every report and either removes the comment or dismisses the report. Reports from
established members can hide a comment until a moderator has looked; a moderator's or editor's own comment
is never hidden that way, and nobody decides on a report about their own comment.

**If someone seems to be in danger**, report the comment with *Someone may be at risk*, and if you know who
they are, call the emergency services. Moderators are volunteers and cannot give crisis help.

## If you disagree with a decision

Write to us through the [contact form](/contact/), choosing *A decision by a moderator*. An editor will look at the
decision again.
"""

CONTACT = """\
Use this form to reach the editors: to report a mistake, suggest a study, question a moderator's decision,
or ask about your data. The editors are volunteers; please allow a few days for an answer, which comes to
the e-mail address you give.

We **cannot give personal medical advice**, tell you whether LDN is right for you, or recommend a
prescriber or pharmacy.

Your message reaches the editors as an e-mail and is kept only in the site's outgoing mail; the
[privacy page](/privacy/) says for how long.
"""

PAGES = [
    (
        "about",
        "About ldnsite",
        "Who runs ldnsite, how it is funded, and how conflicts of interest are handled.",
        ABOUT,
    ),
    (
        "editorial-policy",
        "Editorial policy",
        "How studies are chosen and summarised, how evidence levels are assigned, and how mistakes are "
        "corrected.",
        EDITORIAL_POLICY,
    ),
    (
        "privacy",
        "Privacy",
        "What ldnsite stores about you, why, for how long, and how to use your rights.",
        PRIVACY,
    ),
    ("terms", "Terms of use", "The terms for using ldnsite and publishing on it.", TERMS),
    (
        "guidelines",
        "Community guidelines",
        "The rules moderators apply to members' experiences and comments, and what gets an experience "
        "rejected.",
        GUIDELINES,
    ),
    (
        "contact",
        "Contact the editors",
        "Write to the editors of ldnsite. Not for medical emergencies.",
        CONTACT,
    ),
]


def create_pages(apps, schema_editor):
    SitePage = apps.get_model("pages", "SitePage")
    for slug, title, summary, body in PAGES:
        SitePage.objects.get_or_create(slug=slug, defaults={"title": title, "summary": summary, "body": body})


def delete_pages(apps, schema_editor):
    apps.get_model("pages", "SitePage").objects.all().delete()


def grant_editors(apps, schema_editor):
    grant_group(apps, schema_editor, "Editors", EDITOR_PERMISSIONS)


def revoke_editors(apps, schema_editor):
    revoke_group(apps, schema_editor, "Editors", EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_site_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_pages, delete_pages),
        migrations.RunPython(grant_editors, revoke_editors),
    ]
