"""Demo content (PRODUCT.md section 7): users, categories and articles.

All text is our own, assembled from a few invented stories per category so a
newcomer sees every part of the product. Articles go through the real editing
and workflow functions, so they pass the same checklist as real copy.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editorial.domain import accounts, demo_images, editing, images, workflow
from editorial.domain.models import Article, Category, Role, User, utcnow
from editorial.domain.rendering import slugify
from editorial.domain.storage import MediaStorage

DEMO_USERS = (
    ("author1", "Amara Okafor", Role.AUTHOR),
    ("author2", "Jonas Lindqvist", Role.AUTHOR),
    ("editor1", "Elena Marquez", Role.EDITOR),
    ("admin", "Sam Whitfield", Role.ADMIN),
)

# (category, how many published, story seeds). One category holds 25 pieces so
# its page shows pagination.
CATEGORIES: tuple[tuple[str, int, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Politics",
        5,
        (
            ("City council", "approves a two-year transit budget", "transit"),
            ("Regional assembly", "delays its vote on housing rules", "housing"),
            ("Election board", "publishes new polling station maps", "voting"),
            ("Mayor's office", "names an independent ethics adviser", "ethics"),
            ("Parliament committee", "opens hearings on water prices", "water"),
        ),
    ),
    (
        "Business",
        5,
        (
            ("Harbor Freight Lines", "adds three routes to northern ports", "shipping"),
            ("Greenfield Dairy", "opens a cooperative processing plant", "farming"),
            ("Lumen Retail", "closes twelve stores and expands delivery", "retail"),
            ("Northbank", "raises savings rates for small firms", "banking"),
            ("Pinecrest Mills", "signs a wage deal with its workers", "labour"),
        ),
    ),
    (
        "Technology",
        25,
        tuple(
            (
                company,
                action,
                "software",
            )
            for company in (
                "Brightwave",
                "Quillstack",
                "Orbitel",
                "Nimbus Labs",
                "Cobalt Systems",
            )
            for action in (
                "releases an open-source translation tool",
                "fixes a flaw in its home router firmware",
                "moves its data centres to renewable power",
                "launches a privacy dashboard for its users",
                "cuts the price of its developer plan",
            )
        ),
    ),
    (
        "Science",
        5,
        (
            ("Coastal Institute", "maps seagrass meadows with drones", "ecology"),
            ("University hospital", "trials a faster sepsis test", "medicine"),
            ("Observatory team", "tracks a bright comet's return", "astronomy"),
            ("Soil researchers", "find carbon gains in mixed crops", "agronomy"),
            ("Glacier survey", "records a third year of retreat", "climate"),
        ),
    ),
    (
        "Sport",
        5,
        (
            ("Riverside United", "signs its academy captain", "football"),
            ("National rowing squad", "names its crew for the regatta", "rowing"),
            ("City marathon", "adds a wheelchair division", "athletics"),
            ("Women's cycling tour", "extends its route to the coast", "cycling"),
            ("Youth chess league", "doubles its club membership", "chess"),
        ),
    ),
    (
        "Culture",
        5,
        (
            ("Old Mill Theatre", "reopens after a two-year renovation", "theatre"),
            ("Municipal library", "extends its evening opening hours", "libraries"),
            ("Folk music festival", "announces a smaller, greener edition", "music"),
            ("Harbour museum", "returns a carved canoe to its makers", "museums"),
            ("Film archive", "restores a silent comedy from 1924", "film"),
        ),
    ),
)


@dataclass
class DemoResult:
    passwords: dict[str, str]
    published: int
    drafts: int
    in_review: int


def seed(
    session: Session,
    *,
    password: str | None = None,
    now: datetime | None = None,
    hash_method: str = "scrypt",
    storage: MediaStorage | None = None,
) -> DemoResult:
    """Create the demo users, categories and articles in an empty database.

    With a `storage`, complete articles get their category's drawn lead image
    (each picture processed once, then reused from the media library).
    """
    if session.scalar(select(func.count()).select_from(Article)):
        raise RuntimeError("The database already has articles; demo data not added.")
    now = now or utcnow()
    passwords: dict[str, str] = {}
    users: dict[str, User] = {}
    for username, name, role in DEMO_USERS:
        existing = session.scalar(select(User).where(User.username == username))
        if existing is not None:
            users[username] = existing
            continue
        secret = password or secrets.token_urlsafe(12)
        passwords[username] = secret
        users[username] = accounts.create_user(
            session,
            username=username,
            display_name=name,
            password=secret,
            role=role,
            method=hash_method,
        )
    editor = users["editor1"]
    authors = [users["author1"], users["author2"]]

    pictures = _Pictures(session, storage)
    published = 0
    stories: list[tuple[Category, tuple[str, str, str]]] = []
    for position, (name, count, seeds) in enumerate(CATEGORIES):
        category = session.scalar(select(Category).where(Category.name == name))
        if category is None:
            category = Category(name=name, slug=slugify(name), position=position)
            session.add(category)
            session.flush()
        stories.extend((category, s) for s in seeds[:count])

    # Spread publications over the past five weeks, oldest first.
    for index, (category, story) in enumerate(stories):
        author = authors[index % 2]
        when = now - timedelta(hours=6 * (len(stories) - index) + 3)
        article = _write(session, author, category, story, when)
        pictures.add(article, author)
        workflow.apply(
            session,
            article,
            "submit",
            author,
            expected_version=article.version,
            now=when + timedelta(minutes=20),
        )
        workflow.apply(
            session,
            article,
            "publish",
            editor,
            expected_version=article.version,
            now=when + timedelta(hours=1),
        )
        published += 1

    # A few drafts (one with an obvious lost value for the checklist to flag)
    # and one article waiting for review.
    by_name = {c.name: c for c, _ in stories}
    tech, politics, culture = (
        by_name["Technology"],
        by_name["Politics"],
        by_name["Culture"],
    )
    drafts = [
        _write(
            session,
            authors[0],
            politics,
            ("Transport authority", "weighs a night bus pilot", "transit"),
            now - timedelta(hours=5),
        ),
        _write(
            session,
            authors[1],
            tech,
            ("Quillstack", "tests offline mode for its editor", "software"),
            now - timedelta(hours=4),
        ),
    ]
    rough = _write(
        session,
        authors[0],
        culture,
        ("Puppet theatre", "plans a touring season", "theatre"),
        now - timedelta(hours=3),
        complete=False,
    )
    for draft in drafts:
        pictures.add(draft, draft.author)
    drafts.append(rough)
    review = _write(
        session,
        authors[1],
        politics,
        ("Ombudsman", "reports a rise in housing complaints", "housing"),
        now - timedelta(hours=2),
    )
    pictures.add(review, authors[1])
    workflow.apply(
        session,
        review,
        "submit",
        authors[1],
        expected_version=review.version,
        now=now - timedelta(hours=1),
    )
    return DemoResult(passwords, published, len(drafts), 1)


class _Pictures:
    """Each category's demo picture: uploaded for its first article, reused after."""

    def __init__(self, session: Session, storage: MediaStorage | None) -> None:
        self.session = session
        self.storage = storage
        self.media_ids: dict[int, int] = {}

    def add(self, article: Article, user: User) -> None:
        if self.storage is None:
            return
        session = self.session
        session.refresh(article)
        known = self.media_ids.get(article.category_id)
        if known is not None:
            images.use_as_lead(
                session,
                article,
                user,
                known,
                expected_version=article.lead_image_version,
            )
            return
        picture = demo_images.picture_for(article.category.name)
        if picture is None:
            return
        images.attach_upload(
            session,
            self.storage,
            article,
            user,
            expected_version=article.lead_image_version,
            data=picture.data,
            filename=picture.filename,
            alt=picture.alt,
            caption=picture.caption,
            credit=picture.credit,
        )
        session.refresh(article)
        self.media_ids[article.category_id] = article.lead_image_id


def _write(
    session: Session,
    author: User,
    category: Category,
    story: tuple[str, str, str],
    when: datetime,
    *,
    complete: bool = True,
) -> Article:
    """Create and fill one article through the editing functions."""
    subject, action, topic = story
    title = f"{subject} {action}"
    article = editing.create_article(
        session, author, title=title, category_id=category.id, now=when
    )
    day = (when - timedelta(days=1)).strftime("%A")
    fact, speaker, quote = _details(subject, action, topic)
    follow_up, background = _FRAMES.get(category.name, _FRAMES["Politics"])
    editing.update_summary(
        session,
        article,
        author,
        expected_version=article.summary_version,
        summary=(
            f"{subject} {action}. {fact.split('. ')[0].rstrip('.')}. We explain "
            f"what changed on {day}, who is affected and what comes next."
        ),
        now=when,
    )
    bodies = (
        (
            f"{subject} {action}, according to a statement released on {day}. "
            f"{fact}\n\n"
            f"- The decision was confirmed by two people familiar with it.\n"
            f"- Readers who follow {topic} will see the first effects within weeks."
        ),
        f"“{quote}”, {speaker} said. The statement did not give a cost estimate.",
        follow_up.format(subject=subject, topic=topic),
        background.format(subject=subject, topic=topic, category=category.name),
    )
    if not complete:
        bodies = (
            "The theatre announced the tour on , without naming the venues.",
            "",
            "",
            "",
        )
    for section, body in zip(article.sections, bodies, strict=True):
        if body:
            editing.update_section(
                session,
                article,
                author,
                section.id,
                expected_version=section.version,
                heading=section.heading,
                body=body,
                now=when,
            )
    if complete:
        for n, text in enumerate(
            (
                f"{subject} {action}.",
                fact.split(". ")[0].rstrip(".") + ".",
                f"{_capitalised(speaker.split(', ')[-1])} defended the decision.",
            )
        ):
            session.refresh(article)
            editing.add_item(
                session,
                article,
                author,
                "takeaways",
                expected_version=article.takeaways_version,
                now=when + timedelta(seconds=n),
                values={"takeaway": text},
            )
        session.refresh(article)
        editing.add_item(
            session,
            article,
            author,
            "faqs",
            expected_version=article.faqs_version,
            now=when,
            values={
                "question": f"Who is affected by the change to {topic}?",
                "answer": fact,
            },
        )
        session.refresh(article)
        editing.add_item(
            session,
            article,
            author,
            "faqs",
            expected_version=article.faqs_version,
            now=when,
            values={
                "question": "Where can readers follow the review?",
                "answer": f"Our {category.name} section will report on each meeting.",
            },
        )
    session.refresh(article)
    return article


# What follows each story and its background, in each section's own voice.
_FRAMES: dict[str, tuple[str, str]] = {
    "Politics": (
        "Opposition members said they would table amendments at the next "
        "sitting. A public hearing on {topic} is expected before the summer "
        "recess, and the minutes will be *published online*.",
        "The decision follows two years of argument over {topic}. Our "
        "{category} desk has covered every vote; earlier reports are in the "
        "{category} section.",
    ),
    "Business": (
        "Analysts expect competitors to respond within the quarter. {subject} "
        "reports its half-year results in August, when the first figures on the "
        "change will be public.",
        "The sector has been under pressure from energy prices and a tight "
        "labour market. Our {category} section tracks the companies involved.",
    ),
    "Technology": (
        "Independent researchers said they would test the change over the "
        "coming weeks. {subject} promised a public changelog and a way for "
        "users to send feedback.",
        "Software makers face growing demands on privacy and security from "
        "regulators and customers alike. Earlier coverage is in our "
        "{category} section.",
    ),
    "Science": (
        "The team plans to publish its data in an open repository so other "
        "groups can check the results. A peer-reviewed paper is expected "
        "later this year.",
        "Work on {topic} has drawn new funding since the regional research "
        "programme began. Our {category} section explains the earlier studies.",
    ),
    "Sport": (
        "The next fixtures will show whether the change pays off. Supporters' "
        "groups asked for clear ticketing information before the season "
        "begins.",
        "Clubs and federations in {topic} have grown their youth programmes "
        "over the past decade. Results and interviews are in our {category} "
        "section.",
    ),
    "Culture": (
        "Tickets and a full programme will be available from the box office "
        "and online. Organisers said schools would be offered free visits.",
        "Cultural venues in the city have struggled to bring audiences back "
        "since the pandemic. Our {category} section reviews what is on.",
    ),
}

# topic -> (a fact specific to the story, who speaks for it, what they said)
_TOPICS: dict[str, tuple[str, str, str]] = {
    "transit": (
        "Trams will run every six minutes at peak times, and night buses are "
        "added on four routes.",
        "the council's transport lead, Priya Nair",
        "People told us they wait too long in the evenings, and we listened",
    ),
    "housing": (
        "About 4,200 rented flats would fall under the new rules on deposits "
        "and repairs.",
        "the assembly's housing spokesperson, Tomas Ek",
        "We need more time to get the details right for tenants",
    ),
    "voting": (
        "Eleven polling stations move to larger buildings with step-free access.",
        "the board's chair, Hannah Osei",
        "Every voter should be able to reach their polling station easily",
    ),
    "ethics": (
        "The adviser will review gifts, travel and meetings with lobbyists "
        "every quarter.",
        "a spokesperson for the mayor",
        "Public trust depends on public scrutiny",
    ),
    "water": (
        "Household bills rose by an average of 9 percent over the last two years.",
        "the committee's chair, Ruth Adeyemi",
        "Families deserve to know why their water costs more",
    ),
    "shipping": (
        "The new routes add two weekly sailings to each northern port.",
        "the company's chief executive, Marta Vik",
        "Our customers asked for shorter, more frequent crossings",
    ),
    "farming": (
        "Forty family farms will supply the plant, which employs 60 people.",
        "the cooperative's founder, Ian Moss",
        "Farmers keep more of the price when they process the milk themselves",
    ),
    "retail": (
        "The closures affect 310 staff, most of whom are offered roles in delivery.",
        "a company spokesperson",
        "Our customers now order more online than they buy in stores",
    ),
    "banking": (
        "Firms with fewer than 50 staff earn 2.1 percent on savings up to 250,000.",
        "the bank's head of business lending, Omar Haddad",
        "Small companies are the backbone of the local economy",
    ),
    "labour": (
        "Wages rise by 5 percent this year and 4 percent next year.",
        "the union's local secretary, Eva Brandt",
        "This deal recognises the work people do every day",
    ),
    "ecology": (
        "Drone surveys covered 38 kilometres of coastline in three weeks.",
        "the lead researcher, Dr. Sofia Lind",
        "Seagrass stores carbon and shelters young fish, so we need to know "
        "where it grows",
    ),
    "medicine": (
        "The test returns a result in under an hour instead of two days.",
        "the trial's coordinator, Dr. Ahmed Karimi",
        "In sepsis every hour counts",
    ),
    "astronomy": (
        "The comet will be visible with binoculars low in the western sky "
        "after sunset.",
        "the observatory's director, Lena Vogt",
        "It last passed this close more than 70 years ago",
    ),
    "agronomy": (
        "Fields with mixed crops stored 12 percent more carbon over five seasons.",
        "the study's author, Dr. Paul Mensah",
        "Farmers can gain yield and soil health together",
    ),
    "climate": (
        "The glacier's front retreated by 41 metres since last year's survey.",
        "the survey team's leader, Kari Holm",
        "The pace is faster than our models expected",
    ),
    "football": (
        "The 19-year-old captained the academy side to the regional title.",
        "the club's head coach, Luis Ortega",
        "He has earned his place with the first team",
    ),
    "rowing": (
        "Six of the eight rowers are competing at the regatta for the first time.",
        "the head coach, Anna Berg",
        "This crew is young, but it is fast",
    ),
    "athletics": (
        "The wheelchair division starts ten minutes before the main race.",
        "the race director, Kwame Boateng",
        "The marathon belongs to everyone who wants to run it",
    ),
    "cycling": (
        "Two new stages follow the coast road and finish at the harbour.",
        "the tour's organiser, Claire Dubois",
        "Riders and spectators asked for a route by the sea",
    ),
    "chess": (
        "Membership grew from 180 to 370 players in a year.",
        "the league's secretary, Mikhail Petrov",
        "Children love a game where thinking is the only equipment",
    ),
    "theatre": (
        "The renovation added 120 seats and a lift to every level.",
        "the theatre's artistic director, Nora Quinn",
        "We wanted a house that welcomes everyone",
    ),
    "libraries": (
        "Three branches now stay open until 21:00 on weekdays.",
        "the head librarian, Daniel Okoro",
        "Students and shift workers asked for evening hours",
    ),
    "music": (
        "The festival runs on two stages instead of four, powered by solar batteries.",
        "the festival's director, Maya Lund",
        "Smaller can still mean better",
    ),
    "museums": (
        "The canoe was carved more than 150 years ago and left the country in 1911.",
        "the museum's curator, Dr. Elin Sand",
        "It belongs with the community that made it",
    ),
    "film": (
        "Restorers worked from two surviving prints held in different archives.",
        "the archive's conservator, Felix Amato",
        "Audiences can now laugh at it as they did a century ago",
    ),
}

# Technology stories differ by what the company did, and who speaks for it.
_SOFTWARE: dict[str, str] = {
    "releases an open-source translation tool": (
        "The tool translates between 24 languages and runs offline on a laptop."
    ),
    "fixes a flaw in its home router firmware": (
        "The flaw let an attacker on the same network change the router's "
        "settings; an update installs itself overnight."
    ),
    "moves its data centres to renewable power": (
        "Two data centres switch to wind and solar contracts by the end of the year."
    ),
    "launches a privacy dashboard for its users": (
        "Users can see and delete the data the company holds about them in one place."
    ),
    "cuts the price of its developer plan": (
        "The developer plan now costs 9 euros a month instead of 15."
    ),
}
_SPOKESPEOPLE: dict[str, tuple[str, str]] = {
    "Brightwave": ("Brightwave's chief technology officer, Ines Moreau", "We "),
    "Quillstack": ("Quillstack's founder, Ravi Shah", "Our users "),
    "Orbitel": ("a spokesperson for Orbitel", "Customers "),
    "Nimbus Labs": ("Nimbus Labs' head of engineering, Yara Haddad", "Developers "),
    "Cobalt Systems": ("Cobalt Systems' security lead, Erik Sand", "Everyone "),
}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _details(subject: str, action: str, topic: str) -> tuple[str, str, str]:
    """The fact, the speaker and the quote of one story."""
    if topic == "software":
        speaker, opening = _SPOKESPEOPLE.get(
            subject, (f"a spokesperson for {subject}", "People ")
        )
        fact = _SOFTWARE.get(action, f"{subject} announced the change on its blog.")
        return fact, speaker, opening + "asked for this, and it is ready today"
    return _TOPICS.get(
        topic,
        (
            f"{subject} published the details on its website.",
            f"a spokesperson for {subject}",
            "We will explain the change to everyone it affects",
        ),
    )
