"""Tests for domain.checklist: structure rules, prose rules and their guards."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editorial.domain.checklist import (
    CATALOGUE,
    ERROR,
    RULES,
    WARNING,
    Finding,
    check_article,
    check_text,
    has_errors,
)
from editorial.domain.content import (
    FAQ_MAX,
    SUMMARY_MAX,
    TAKEAWAY_MAX,
    ArticleContent,
    Faq,
    Section,
)

# --------------------------------------------------------------------------
# A long, genuine article that must produce no findings at all.
# --------------------------------------------------------------------------

WHAT_HAPPENED = """\
The Harbor City council voted 7-2 on Tuesday night to approve a $48.5 million \
plan to rebuild the Eastside water treatment plant, ending a debate that had \
dragged on for more than two years. The vote came at 10:45 p.m., after nearly \
four hours of public comment in a packed chamber.

Under the plan, the city will borrow $31.2 million through a U.S. Environmental \
Protection Agency loan program and cover the rest with a 3.5% increase in water \
rates, phased in over three years. A typical household using 5,000 gallons a \
month would pay about $2.10 more each month by 2027, according to figures the \
utility presented to the council.

The main pieces of the project are:

- a new filtration building to replace the 1962 structure, which engineers say \
is close to failing;
- **two backup generators**, so the plant can keep running during storms;
- a lead service line inventory covering roughly 14,000 homes.

Councilmember Rosa Delgado, who has pushed for the upgrade since she took \
office, called the vote "long overdue." Two members voted no, saying the rate \
increase would fall hardest on retirees and renters."""

OFFICIAL_POSITION = """\
Mayor Daniel Okafor said in a statement on Wednesday morning that the city \
"cannot keep patching a plant that was built for a town half our size." He \
added that the administration would publish a quarterly progress report, \
starting in January.

"We heard people tonight, and we heard them clearly," Okafor told reporters \
after the meeting. "Nobody likes paying more for water. But the alternative \
... is a boil-water notice in the middle of August, and we have already had \
two of those.

"I am not willing to gamble on a third."

Utility director Priya Raman said her staff had looked at cheaper options, \
e.g. repairing the existing filters, but found they would only buy the plant \
five to seven years. "We ran the numbers again and again," she said. "Every \
path leads back to a new building; the only question was how long we wanted \
to wait." Asked what the new plant would be made of, she said the design calls \
for precast concrete and stainless steel piping. "It is what it is made of that \
determines how long it lasts," she said.

Critics were not persuaded. "They keep saying the lights went on and \
everything is fine, so carry on," said Marcus Bell, who leads a tenants' group \
on the east side. "Well, people here are the ones who pay when the bills come \
due." Bell said his group would hold a forum at 6:30 p.m. next Thursday at the \
Eastside Library."""

TIMELINE = """\
The city expects to pick a contractor by March and break ground in early \
summer, weather permitting. The key dates, as laid out in the staff report:

1. **January 15:** bids open for the filtration building.
2. **March 3:** the council is scheduled to award the contract.
3. **June:** construction begins; the old plant keeps running in the meantime.
4. **Late 2027:** the new building comes online and the old one is retired.

Residents can read the full engineering study on the \
[city's website](https://www.example.gov/water/eastside-plan_(final).pdf) \
and sign up for alerts at https://alerts.example.gov/water. Raman said the \
utility would also mail a one-page summary to every customer, in English and \
Spanish.

If the schedule slips, the EPA loan terms allow a six-month extension, \
according to the agreement. Raman said the team had already built some slack \
into the timeline: "We planned for rain, for supply problems, for all of it. \
From then on, it is a matter of execution." Contractors who want to bid must \
register online and sign in to the procurement portal before 5 p.m. on \
January 14."""

CONTEXT = """\
The Eastside plant serves about 62,000 people, roughly 40% of the city. It has \
failed state inspections twice since 2019, most recently in October, when \
inspectors found corrosion in two of its four filter beds.

Harbor City is not alone. A 2023 report by the American Society of Civil \
Engineers gave U.S. drinking-water infrastructure a C-minus grade and \
estimated that a water main breaks somewhere in the country every two minutes. \
Many mid-sized cities are now facing the same choice between raising rates and \
waiting for federal money that may or may not arrive.

Later on, the council is expected to take up a separate proposal to help \
low-income households with their bills. Delgado said she would introduce it in \
February. "This vote was the hard part," she said. "Now we move on to making \
sure nobody gets left behind."

The previous upgrade, in 1988, cost $6.2 million (about $16 million in today's \
dollars) and was paid for entirely with state grants. *Those grants no longer \
exist*, Raman noted, which is why the city turned to a loan this time. Asked \
whether the rates could go up again before 2027, she paused. "Not because of \
this project," she said. "That much I can promise."

Residents with questions can call the utility's customer line from 8 a.m. to \
5 p.m., Monday through Friday, or hold on for a representative after hours."""

GOOD_ARTICLE = ArticleContent(
    title="Harbor City approves $48.5 million rebuild of Eastside water plant",
    category_id=3,
    category_name="Local",
    summary=(
        "The Harbor City council voted 7-2 on Tuesday to rebuild the Eastside "
        "water treatment plant for $48.5 million, paid for with a federal loan "
        "and a 3.5% water rate increase phased in over three years."
    ),
    sections=(
        Section("What Happened / Key Details", WHAT_HAPPENED),
        Section("Official Position / Company Statement", OFFICIAL_POSITION),
        Section("Timeline / What's Next", TIMELINE),
        Section("Context / Background", CONTEXT),
    ),
    takeaways=(
        "The council approved the $48.5 million rebuild by a 7-2 vote.",
        "Water rates will rise 3.5%, about $2.10 a month for a typical home.",
        "Construction is expected to begin in June, with the plant online in 2027.",
        "Critics say the increase will fall hardest on retirees and renters.",
    ),
    faqs=(
        Faq(
            "How much will my water bill go up?",
            "About $2.10 a month by 2027 for a household using 5,000 gallons.",
        ),
        Faq(
            "When will the new plant open?",
            "The city expects it to come online in late 2027.",
        ),
        Faq(
            "Why not repair the old plant?",
            "Repairs would only buy five to seven years, the utility said.",
        ),
    ),
)


def _words(content: ArticleContent) -> int:
    """Word count of everything an author wrote."""
    parts = [content.title, content.summary, *content.takeaways]
    parts += [s.heading + " " + s.body for s in content.sections]
    parts += [f.question + " " + f.answer for f in content.faqs]
    return sum(len(p.split()) for p in parts)


def test_long_genuine_article_has_no_findings() -> None:
    assert _words(GOOD_ARTICLE) >= 800
    assert check_article(GOOD_ARTICLE) == []


def test_has_errors() -> None:
    assert not has_errors([])
    assert not has_errors(check_text("Two  spaces."))
    assert has_errors(check_text("He spoke on , then left."))


# Every rule's severity, written here rather than read from RULES, so demoting
# a rule (say "placeholder" to a warning) turns this file red.
SEVERITY = {
    "missing-title": "error",
    "missing-category": "error",
    "missing-summary": "error",
    "missing-sections": "error",
    "too-long": "error",
    "too-many-sections": "error",
    "empty-section-body": "error",
    "missing-heading": "error",
    "empty-section": "warning",
    "takeaway-count": "error",
    "empty-takeaway": "error",
    "duplicate-takeaway": "error",
    "takeaway-repeats-summary": "warning",
    "too-many-questions": "error",
    "missing-question": "error",
    "question-mark": "error",
    "missing-answer": "error",
    "duplicate-question": "warning",
    # The lead image (PRODUCT.md section 12).
    "missing-alt": "error",
    "weak-alt": "warning",
    "small-image": "warning",
    "lost-value": "error",
    "empty-label": "error",
    "empty-brackets": "error",
    "placeholder": "error",
    "template-placeholder": "error",
    "missing-number": "error",
    "missing-figure": "error",
    "broken-time": "error",
    "broken-ordinal": "error",
    "broken-date": "error",
    "missing-name": "error",
    "broken-score": "error",
    "doubled-word": "warning",
    "doubled-space": "warning",
    "doubled-punctuation": "warning",
    "space-before-punctuation": "warning",
    "unbalanced-quotes": "warning",
    "unbalanced-brackets": "warning",
}


def test_every_rule_has_its_severity() -> None:
    assert ERROR == "error" and WARNING == "warning"
    assert RULES == SEVERITY


def test_every_rule_says_what_and_why() -> None:
    assert set(CATALOGUE) == set(SEVERITY)
    for name, rule in CATALOGUE.items():
        assert rule.name == name
        assert rule.severity == SEVERITY[name]
        assert rule.reason and "\n" not in rule.reason and len(rule.reason) <= 80
        assert len(rule.why) >= 20


def test_an_error_blocks_and_a_warning_does_not() -> None:
    assert has_errors(check_text("Revenue rose to $ million."))
    assert has_errors(check_text("Doors open at :30 p.m."))
    assert has_errors(check_text("Dear {name}, welcome."))
    assert not has_errors(check_text("The the council met."))
    assert not has_errors(check_text("He said (it was fine."))


# --------------------------------------------------------------------------
# Prose rules: five or more texts each must flag, five or more it must not.
# --------------------------------------------------------------------------

FLAGGED: dict[str, list[str]] = {
    "lost-value": [
        "OpenAI accused DeepSeek on , of employing distillation on its models.",
        "The agency has been flagging risks to lawmakers on .",
        "The meeting at ; was cancelled.",
        "Shipments from , the port resumed.",
        "The bill was signed by . It takes effect next year.",
        "Prices have risen since , the report said.",
        "The offer is valid until .",
        "A letter dated , and signed by the minister.",
        "The plant in , Ohio will close.",
        "Talks between , and the union stalled.",
        "Figures as of . show a decline.",
        "The vote happened during.",
        "Sales fell 4% as of.",
        ", said the spokesperson.",
        "The deal closed. , officials said.",
        "Founded in 1998 (, Texas), the firm grew fast.",
        "Most of the",
    ],
    "empty-label": [
        "Last updated:",
        "**Last updated:**",
        "Updated: . The company said.",
        "Source: , Reuters",
        "Published:\n\nThe council met on Tuesday.",
        "When:\nWhere:\nCity Hall",
        "The statement read:",
    ],
    "empty-brackets": [
        "The company () declined to comment.",
        'He called the plan "" and left.',
        "She described it as “” in the interview.",
        "The chief executive ( ) resigned.",
        "The suspect, [] years old, was arrested.",
        "It was a ‘’ moment.",
    ],
    "placeholder": [
        "The deal is worth TK.",
        "Shares fell TKTK percent.",
        "The meeting is on [date] in Berlin.",
        "Chief executive [name] said the results were strong.",
        "The agency [spokesperson] declined to comment.",
        "Revenue rose to $XX million.",
        "The company employs XXX people.",
        "Margins were XX.X% last quarter.",
        "<insert quote from mayor>",
        "Lorem ipsum dolor sit amet.",
        "Bids open on [Insert Date].",
        "Contact [company name] for details.",
        "The venue is TBD, organisers said.",
        "Kick-off time TBC.",
        "CHIEF EXECUTIVE NAME HERE said the plan was sound.",
        "The mayor said insert quote here.",
        "INSERT QUOTE FROM MINISTER",
        "Add figure later, the draft says.",
        "Shares fell xx% on Monday.",
        "Revenue rose to $X million.",
        "The firm cut X% of its staff.",
        "The rate is ??, the bank said.",
        "Firstname Lastname, 42, of Leeds, was fined.",
        "The claim is disputed [citation needed].",
        "Photo caption goes here.",
        "Dolor sit amet, the mock-up continued.",
    ],
    "template-placeholder": [
        "Dear {{first_name}}, thanks for reading.",
        "The CEO, {ceo}, spoke first.",
        "Shares rose %s in early trading.",
        "The fund lost %(loss)s last year.",
        "The winner, {0}, collects the prize.",
        "The event is in ${CITY} on Friday.",
        "Contact $NAME for tickets.",
        "The mayor, <%= mayor %>, spoke first.",
        "Welcome to {% block city %}.",
        "The total was %d votes.",
        "Our reporter [[reporter]] was there.",
        "Set %VENUE% as the meeting place.",
        "Dear <<NAME>>, your ticket is ready.",
        "Prize money is #{prize} this year.",
    ],
    "missing-number": [
        "Revenue rose to $ million in the quarter.",
        "The bid values the group at €bn.",
        "Profit rose to £m, the company said.",
        "The shares cost $ per share.",
        "Inflation fell to % in March.",
        "Wages rose per cent on the year.",
        "Turnout was percent, officials said.",
        "Temperatures fell to -°C overnight.",
        "Highs of °F are forecast.",
        "The fund raised USD million last year.",
        "A -year-old man was arrested.",
        "The plane flew at mph over the bay.",
        "The storm brought mm of rain.",
        "The plant will produce GWh a year.",
        "The debt rose to trillion.",
        "It sold for just million.",
        "The band is ranked No. in the world.",
        "Fares rose by p a mile.",
        "The rate rose by basis points.",
    ],
    "missing-figure": [
        "Sales rose by in the second quarter.",
        "Shares fell to on Tuesday.",
        "Unemployment rose to from 4%.",
        "Output has grown by since 2019.",
        "Prices climbed to.",
        "The firm reported a loss of in the year to March.",
        "A total of were injured.",
        "Estimates range between and 40%.",
        "Fares will rise from to £5.",
        "An estimated people attended.",
        "As many as voters stayed at home.",
        "The drug cut the risk of relapse by in the study.",
        "He was replaced by in the second half.",
        "The team has won of its last ten matches.",
        "Trains run every minutes.",
        "The probe is about times bigger.",
        "Debt is forecast to reach of GDP.",
        "The book sold more than copies.",
        "Life expectancy fell to years.",
        "A crowd of watched the parade.",
    ],
    "broken-time": [
        "The meeting starts at :30 p.m.",
        "Kick-off is at 7: p.m. on Friday.",
        "Doors open at 6:3 p.m.",
        "Polls close at p.m. on Thursday.",
        "The shop is open until a.m.",
        "The ceremony begins at o'clock.",
        "Trading resumes at GMT.",
        "The curfew starts at local time.",
        "She ran it in : minutes.",
        "The market runs from a.m. to noon.",
    ],
    "broken-ordinal": [
        "The th anniversary falls next week.",
        "It is the club's rd title.",
        "The 21 st century began in 2001.",
        "She finished nd in the final.",
        "The 3th round starts today.",
        "Celebrating the 11st edition.",
        "The 22th annual show.",
        "He came st in the race.",
    ],
    "broken-date": [
        "The deal was signed on March , 2024.",
        "It opened Sept. , 2021, in Denver.",
        "The vote is on June .",
        "The band formed in the early s.",
        "The mid-s saw a boom.",
        "The 2019- season was cut short.",
        "Sales peaked in the late s.",
    ],
    "missing-name": [
        "Mr. said the plan was sound.",
        "Dr , who treated the patient, declined to comment.",
        "Ms. was elected in 2019.",
        '"We will appeal," said .',
        "Sen. told reporters he would resign.",
        "Prof. , the author, spoke first.",
        '"Is that fair?" asked .',
    ],
    "broken-score": [
        "The hosts secured a 2- win.",
        "It was a -1 defeat for the champions.",
        "The bill passed by a - vote.",
        "United won 3- at home.",
        "The council voted 5- in favour.",
        "They suffered a 4– loss in Leeds.",
    ],
    "doubled-word": [
        "The the council voted on Tuesday.",
        "She said that the the plan was sound.",
        "Officials met in in Berlin.",
        "The price is is too high.",
        "The report\nreport was published on Monday.",
        "Shares rose and and fell.",
    ],
    "doubled-space": [
        "The council  voted on Tuesday.",
        "It rose 3%.  Then it fell.",
        "The mayor said   no.",
        "Two\u00a0 spaces here.",
        "A  B",
    ],
    "doubled-punctuation": [
        "The council voted,, then left.",
        "The plan failed..",
        "He left;; she stayed.",
        "Really!!",
        "Why??",
        "The U.S.. economy grew.",
        "She paused, ; then spoke.",
        "It rose, . Then it fell.",
    ],
    "space-before-punctuation": [
        "Smith , who leads the group, spoke first.",
        "The plan failed .",
        "Prices rose 10 ; wages did not.",
        "The mayor said no !",
        "Why did it fail ?",
    ],
    "unbalanced-quotes": [
        'He said "the plan is sound.',
        "She called it “a disaster.",
        "The report, he said, was “flawed” and ” late.",
        'Critics said it was wrong." Then they left.',
        '"We will appeal.\n\nThe judge ruled on Friday.',
    ],
    "unbalanced-brackets": [
        "The company (founded in 1998 has grown.",
        "The firm grew fast) after the merger.",
        "He said [the mayor was wrong.",
        "The plan] failed.",
        "Revenue rose (to $4 billion (a record).",
    ],
}

CLEAN: dict[str, list[str]] = {
    "lost-value": [
        "Negotiations went on for weeks, and so on.",
        "Nobody knows what it is made of.",
        "The lights went on. We had to carry on.",
        "He logged on, then moved on. Please sign in.",
        "Hold on, she said. Later on, it rained. From then on, prices rose.",
        "He came to. She turned it off.",
        "The company was founded on March 3, 2001, in Austin.",
        "Few and far between. The one in between. He acted as a go-between.",
        "The app runs on .NET and Java.",
        "It depends on ... well, many things.",
        "The design looks dated. Ever since, sales have slipped.",
        "Where does it come from? Who was she talking to?",
        "The features include:\n\n- speed\n- price",
    ],
    "empty-label": [
        "Last updated: March 3, 2025, 10:30 a.m.",
        "**Updated:** The figures were revised on Friday.",
        "Sources:\n\n- Reuters\n- AP",
        "The plan has three parts:\n\n1. Filters\n2. Pumps\n3. Pipes",
        "When:\nThursday at 6:30 p.m.",
        "The meeting starts at 10:30.",
    ],
    "empty-brackets": [
        "The company (founded in 1998) declined to comment.",
        "Call `main()` to start the program.",
        "The function main() returns nothing.",
        'He called it "a mess" and "a waste".',
        "- [ ] write the follow-up",
        "She called it “a win.”",
    ],
    "placeholder": [
        "The CEO said [the company] would appeal.",
        "He said the plan was “fine” [sic].",
        "Read [the full report](https://example.com/report) online.",
        "The fans watched Super Bowl XX on TV.",
        "TK Maxx and TK Elevator reported results.",
        "Women have XX chromosomes.",
        "Use `{name}` in the template field.",
        "See the [Reuters][1] story.\n\n[1]: https://reuters.com/x",
        "- [x] done\n- [ ] pending",
        "Prices rose 3.5% in the U.S. and the E.U.",
        "Generation X people are now in their 40s.",
        "Malcolm X spoke in 1964.",
        "The TBM tunnel boring machine arrived.",
        "Click the link here to read more.",
        "The game takes place here on Sunday.",
        "Police did not add details.",
    ],
    "template-placeholder": [
        "Use `{name}` in the template field.",
        "Shares rose 5%, and the index rose 3%.",
        "The rally cost $3 million and drew 40,000 people.",
        "Australian miners raised $US3bn.",
        "The fee is 20% for new users.",
        "The coupon is 4.5%.",
    ],
    "missing-number": [
        "Revenue rose 12% to $3.2bn.",
        "Profit rose to £4.5m, up 3 per cent.",
        "Temperatures fell to -5°C overnight, 23 °F in places.",
        "The band's 40-year career began in 1984.",
        "Fares rose by 2p a mile, or 5p per km.",
        "It was the No. 1 single for six weeks; No. 10 said nothing.",
        "Prices are quoted in km, kg and mph.",
        "The race was won by miles; it was miles from anywhere.",
        "Thousands of miles of road and tens of km of rail were closed.",
        "The table shows the change (%) by region.",
        "A million people and a billion dollars: what percent is that?",
        "The comet will pass within 40 million km of Earth.",
        "She earns 5.5 percent more than a year ago.",
    ],
    "missing-figure": [
        "Sales rose by a third in the second quarter.",
        "Shares fell to their lowest level on Tuesday.",
        "Unemployment rose to 4.3% from 4%.",
        "Output has grown by at least 2% since 2019.",
        "Prices rose by as much as 9%.",
        "The project was led by in-house engineers.",
        "Costs were, by and large, under control.",
        "The price of in-app purchases rose.",
        "A crowd of onlookers watched the parade.",
        "Estimates range between 30% and 40%.",
        "About people who refuse to give up.",
        "He dropped by on Tuesday.",
        "The task fell to members of the committee.",
        "The team came back from 2-0 down to win.",
        "The side they lost to went on to win the title.",
    ],
    "broken-time": [
        "The meeting starts at 7:30 p.m.",
        "Kick-off is at 7 p.m. on Friday.",
        "The shop is open until 2 a.m.",
        "The ceremony begins at 11 o'clock.",
        "Trading resumes at 1400 GMT; the clocks go back from BST to GMT.",
        "The score was 3:1 and the ratio is 16:9.",
        "Both a.m. and p.m. sessions are full.",
        "John 3:16 was quoted.",
        "Results: 10 votes for, two against.",
        "All times are converted to local time.",
    ],
    "broken-ordinal": [
        "The 50th anniversary falls next week.",
        "It is the club's 3rd title in the 21st century.",
        "She finished 2nd; he came 11th, 12th and 13th.",
        "The 101st, 102nd and 103rd sessions.",
        "He took it to the nth degree.",
        "The St. Louis team won on Sunday.",
    ],
    "broken-date": [
        "The deal was signed on March 3, 2024.",
        "It opened in Sept. 2021, in Denver.",
        "The band formed in the early 1990s and split in the '00s.",
        "The 2019-20 season was cut short.",
        "Theresa May, who was prime minister, spoke.",
        "The vote is in June.",
        "They agreed on May 5.",
    ],
    "missing-name": [
        "Mr. Smith said the plan was sound.",
        "Dr Jones, who treated the patient, declined to comment.",
        "Mr. and Mrs. Obama attended.",
        '"We will appeal," said Ms. Ortiz.',
        'The so-called "experts" said.',
        "Sen. Warren told reporters she would vote no.",
    ],
    "broken-score": [
        "The hosts secured a 2-1 win.",
        "It was a 3–0 defeat for the champions.",
        "The bill passed by a 52-48 vote.",
        "A 10-point lead and a 5- to 10-point margin.",
        "United won 3-2 at home.",
        "The council voted 5-4 in favour.",
    ],
    "doubled-word": [
        "She had had enough of the delays.",
        "He said that that was the problem.",
        "What it is is a failure of planning.",
        "They traveled to Walla Walla and Bora Bora.",
        "The band The The played on Friday.",
        "It was a so-so year.",
    ],
    "doubled-space": [
        "The council voted on Tuesday.",
        "Line one  \nline two",
        "- item one\n  continued",
        "Indented:\n\n    code block",
        "| a | b |",
    ],
    "doubled-punctuation": [
        "Wait... what happened?",
        "Wait… what happened?",
        "He asked, “Really?!”",
        "The U.S., Canada and Mexico signed.",
        "It ended. . . or so it seemed.",
        "Four dots end the quote....",
        "Meet at 10:30 a.m., then leave.",
    ],
    "space-before-punctuation": [
        "Smith, who leads the group, spoke first.",
        "It depends ... on the weather.",
        "Microsoft's .NET platform grew.",
        "The plan failed.",
        "Pause . . . then go.",
    ],
    "unbalanced-quotes": [
        'He said "the plan is sound."',
        "She called it “a disaster.”",
        'The 27" monitor costs $300.',
        '"We will appeal," she said.\n\n"The ruling is wrong."',
        '"It began in 2019.\n\n"It ended in 2021."',
        "It's the company's third quarter.",
    ],
    "unbalanced-brackets": [
        "The company (founded in 1998) has grown.",
        "Options: a) raise rates, b) cut costs.",
        "Read [the report](https://en.wikipedia.org/wiki/Foo_(bar)).",
        "The steps are:\n\n1) plan\n2) build",
        "He said [the mayor] was wrong (again).",
    ],
}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Flatten a rule -> texts table into pytest parameters."""
    return [(rule, text) for rule, texts in table.items() for text in texts]


def test_every_prose_rule_has_five_cases_each_way() -> None:
    prose = set(FLAGGED)
    assert prose == set(CLEAN)
    assert all(len(FLAGGED[r]) >= 5 and len(CLEAN[r]) >= 5 for r in prose)
    assert prose <= set(RULES)


@pytest.mark.parametrize(("rule", "text"), _cases(FLAGGED))
def test_prose_rule_flags(rule: str, text: str) -> None:
    findings = [f for f in check_text(text, "Section 1 body") if f.rule == rule]
    assert findings, f"{rule} missed {text!r}"
    for f in findings:
        assert f.severity == SEVERITY[rule]
        assert f.block == "Section 1 body"
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] in f.quote
        assert f.quote in text
        assert f.message


@pytest.mark.parametrize(("rule", "text"), _cases(CLEAN))
def test_prose_rule_stays_quiet(rule: str, text: str) -> None:
    assert check_text(text) == []


def test_quoted_defects_are_errors_naming_the_words() -> None:
    text = "OpenAI accused DeepSeek on , of employing distillation."
    [finding] = check_text(text, "Section 2 body", field="section-1-body")
    assert finding.rule == "lost-value"
    assert finding.severity == ERROR
    assert finding.field == "section-1-body"
    assert text[finding.start : finding.end] == "on ,"
    assert "DeepSeek on , of employing" in finding.quote
    assert "'on'" in finding.message

    text = "Last updated:"
    [finding] = check_text(text, "Quick summary")
    assert finding.rule == "empty-label"
    assert text[finding.start : finding.end] == "Last updated:"


def test_quote_is_about_thirty_characters_each_side() -> None:
    before = " ".join(f"word{i}" for i in range(40))
    after = " ".join(f"item{i}" for i in range(40))
    text = f"{before} the the {after}."
    [finding] = check_text(text)
    assert finding.rule == "doubled-word"
    assert len(finding.quote) <= len("the the") + 2 * 30
    # Whole words only: the quote starts and ends on a word boundary.
    assert (
        finding.quote == "word36 word37 word38 word39 the the item0 item1 item2 item3"
    )


def test_masking_keeps_spans_on_the_original_text() -> None:
    text = "See [link](https://x.com/a,,b) and `x  y` then on , the end."
    findings = check_text(text)
    assert [f.rule for f in findings] == ["lost-value"]
    assert text[findings[0].start : findings[0].end] == "on ,"


# --------------------------------------------------------------------------
# Structure rules.
# --------------------------------------------------------------------------


def _rules(content: ArticleContent) -> set[str]:
    return {f.rule for f in check_article(content)}


def _only(content: ArticleContent, rule: str) -> list[Finding]:
    return [f for f in check_article(content) if f.rule == rule]


def _replace(**changes: object) -> ArticleContent:
    data = GOOD_ARTICLE.to_dict()
    data.update(changes)
    return ArticleContent.from_dict(data)


def test_empty_article_reports_every_missing_part() -> None:
    findings = check_article(ArticleContent())
    rules = {f.rule for f in findings}
    assert {
        "missing-title",
        "missing-category",
        "missing-summary",
        "missing-sections",
        "takeaway-count",
    } <= rules
    assert has_errors(findings)
    for f in findings:
        assert (f.start, f.end) == (0, 0)


@pytest.mark.parametrize(
    ("changes", "rule", "block", "field"),
    [
        ({"title": "  "}, "missing-title", "Title", "title"),
        ({"category_id": None}, "missing-category", "Category", "category"),
        ({"summary": ""}, "missing-summary", "Quick summary", "summary"),
        ({"sections": []}, "missing-sections", "Sections", "sections"),
    ],
)
def test_missing_parts(changes: dict, rule: str, block: str, field: str) -> None:
    [finding] = _only(_replace(**changes), rule)
    assert finding.severity == ERROR
    assert (finding.block, finding.field) == (block, field)


@pytest.mark.parametrize("count", [0, 2, 8])
def test_takeaway_count_out_of_range(count: int) -> None:
    takeaways = [f"Point number {i} about the vote." for i in range(count)]
    [finding] = _only(_replace(takeaways=takeaways), "takeaway-count")
    assert finding.block == "Key takeaways"
    assert finding.field == "takeaways"
    assert str(count) in finding.message


@pytest.mark.parametrize("count", [3, 7])
def test_takeaway_count_in_range(count: int) -> None:
    takeaways = [f"Point number {i} about the vote." for i in range(count)]
    assert check_article(_replace(takeaways=takeaways)) == []


def test_question_without_question_mark() -> None:
    faqs = [{"question": "When will it open", "answer": "In 2027."}]
    [finding] = _only(_replace(faqs=faqs), "question-mark")
    assert finding.severity == ERROR
    assert (finding.block, finding.field) == ("Question 1", "question-0")
    assert finding.quote == "When will it open"


def test_question_without_answer() -> None:
    faqs = [
        {"question": "How much?", "answer": "A lot."},
        {"question": "When will it open?", "answer": "  "},
    ]
    [finding] = _only(_replace(faqs=faqs), "missing-answer")
    assert (finding.block, finding.field) == ("Answer 2", "answer-1")
    assert finding.quote == "When will it open?"


def test_answer_without_question() -> None:
    faqs = [{"question": "", "answer": "In 2027."}]
    [finding] = _only(_replace(faqs=faqs), "missing-question")
    assert finding.block == "Question 1"


def test_eleven_questions() -> None:
    faqs = [{"question": f"Question {i}?", "answer": "Yes."} for i in range(11)]
    [finding] = _only(_replace(faqs=faqs), "too-many-questions")
    assert finding.block == "People also ask"
    assert finding.field == "faqs"
    ten = [{"question": f"Question {i}?", "answer": "Yes."} for i in range(FAQ_MAX)]
    assert check_article(_replace(faqs=ten)) == []


def test_duplicate_question_is_a_warning() -> None:
    faqs = [
        {"question": "When will it open?", "answer": "2027."},
        {"question": "when will  it open?", "answer": "Late 2027."},
    ]
    [finding] = _only(_replace(faqs=faqs), "duplicate-question")
    assert finding.severity == WARNING
    assert finding.block == "Question 2"


def test_summary_length_limit() -> None:
    long = ("Word " * 200)[: SUMMARY_MAX + 1]
    [finding] = _only(_replace(summary=long), "too-long")
    assert (finding.block, finding.field) == ("Quick summary", "summary")
    assert "501" in finding.message and "500" in finding.message
    ok = ("Word " * 200)[:SUMMARY_MAX].strip()
    assert "too-long" not in _rules(_replace(summary=ok))


def test_takeaway_length_limit() -> None:
    long = ("Word " * 100)[: TAKEAWAY_MAX + 1]
    takeaways = [*GOOD_ARTICLE.takeaways[:3], long]
    [finding] = _only(_replace(takeaways=takeaways), "too-long")
    assert (finding.block, finding.field) == ("Takeaway 4", "takeaway-3")
    assert finding.quote and finding.quote in long


def test_duplicate_takeaway_ignores_case_and_spaces() -> None:
    first = GOOD_ARTICLE.takeaways[0]
    takeaways = [*GOOD_ARTICLE.takeaways, "  " + first.upper().replace(" ", "  ")]
    [finding] = _only(_replace(takeaways=takeaways), "duplicate-takeaway")
    assert finding.severity == ERROR
    assert (finding.block, finding.field) == ("Takeaway 5", "takeaway-4")
    assert "takeaway 1" in finding.message


def test_takeaway_repeating_summary_is_a_warning() -> None:
    takeaways = [*GOOD_ARTICLE.takeaways[:3], GOOD_ARTICLE.summary]
    [finding] = _only(_replace(takeaways=takeaways), "takeaway-repeats-summary")
    assert finding.severity == WARNING
    assert finding.block == "Takeaway 4"


def test_empty_takeaway() -> None:
    takeaways = [*GOOD_ARTICLE.takeaways[:3], " "]
    [finding] = _only(_replace(takeaways=takeaways), "empty-takeaway")
    assert finding.block == "Takeaway 4"


def test_section_shapes() -> None:
    sections = [
        {"heading": "What Happened", "body": "The council voted."},
        {"heading": "Official Position", "body": "  "},
        {"heading": "", "body": "Text without a heading."},
        {"heading": "", "body": ""},
    ]
    findings = check_article(_replace(sections=sections))
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) == {"empty-section-body", "missing-heading", "empty-section"}
    assert by_rule["empty-section-body"].block == "Section 2 body"
    assert by_rule["empty-section-body"].field == "section-1-body"
    assert by_rule["empty-section-body"].quote == "Official Position"
    assert by_rule["missing-heading"].block == "Section 3 heading"
    assert by_rule["missing-heading"].severity == ERROR
    assert by_rule["empty-section"].severity == WARNING


def test_prose_findings_name_their_block_and_field() -> None:
    sections = [*GOOD_ARTICLE.to_dict()["sections"]]
    sections[1] = {"heading": "Statement [date]", "body": "He spoke on , then left."}
    faqs = [{"question": "Is it TK?", "answer": "Yes  indeed."}]
    takeaways = [*GOOD_ARTICLE.takeaways[:2], "Rates rise on ."]
    content = _replace(
        title="Council votes on ,", sections=sections, faqs=faqs, takeaways=takeaways
    )
    got = {(f.rule, f.block, f.field) for f in check_article(content)}
    assert got == {
        ("lost-value", "Title", "title"),
        ("placeholder", "Section 2 heading", "section-1-heading"),
        ("lost-value", "Section 2 body", "section-1-body"),
        ("lost-value", "Takeaway 3", "takeaway-2"),
        ("placeholder", "Question 1", "question-0"),
        ("doubled-space", "Answer 1", "answer-0"),
    }


def test_findings_come_in_reading_order() -> None:
    content = _replace(
        title="Vote on ,",
        summary="It passed on .",
        takeaways=["A  b.", "C  d.", "E  f."],
    )
    blocks = [f.block for f in check_article(content)]
    assert blocks == [
        "Title",
        "Quick summary",
        "Takeaway 1",
        "Takeaway 2",
        "Takeaway 3",
    ]


PATHOLOGICAL = {
    "50k backticks": "`" * 50_000,
    "50k tildes": "~" * 50_000,
    "fence then 50k backticks": "```\n" + "`" * 50_000,
    "fence, no close": "```\n" + "x " * 25_000,
    "100k spaces": " " * 100_000 + ".",
    "spaces and tabs": "a" + " \t" * 50_000 + "b",
    "200k chars, no spaces": "a" * 200_000,
    "200k digits": "7" * 200_000,
    "50k dots": "." * 50_000,
    "50k commas": "," * 50_000,
    "mixed punctuation": ",.;:!?" * 10_000,
    "nested round": "(" * 50_000 + ")" * 50_000,
    "nested square": "[" * 50_000 + "]" * 50_000,
    "nested braces": "{" * 50_000 + "}" * 50_000,
    "nested angles": "<" * 50_000 + ">" * 50_000,
    "unclosed round": "(" * 50_000,
    "unclosed square": "[" * 50_000,
    "quotes over paragraphs": '"\n\n' * 12_000,
    "50k percent signs": "%" * 50_000,
    "50k dollar signs": "$" * 50_000,
    "50k degree signs": "°" * 50_000,
    "50k colons": ":" * 50_000,
    "50k hyphens": "-" * 50_000,
    "100k newlines": "\n" * 100_000,
    "X run": "X" * 50_000 + "y",
    "the the": "the " * 25_000,
    "on ,": "on ," * 12_000,
    "rose by": "rose by " * 12_000,
    "a total of": "a total of " * 10_000,
    "at :30": "at :30 " * 12_000,
    "th": "th " * 30_000,
    "Mr.": "Mr. " * 25_000,
    "units": "km " * 30_000,
    "TK": "TK " * 30_000,
    "long url": "http://" + "a" * 100_000 + ".",
    "colon then spaces": "Updated:" + " " * 100_000,
    "insert ... here": "insert " * 20_000 + "here",
    "digits and colons": "1:" * 50_000,
    "between and": "between " * 20_000,
}


@pytest.mark.timeout(2)
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_is_checked(text: str) -> None:
    # Speed is measured in bench/bench_checklist.py, not here: the timeout only
    # catches catastrophic (super-linear) backtracking. 50,000 backticks took
    # about 2 s when the fence pattern retried every shorter run.
    findings = check_text(text)
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)


@pytest.mark.timeout(2)
def test_pathological_article_is_checked() -> None:
    body = "`" * 50_000
    content = ArticleContent(
        title="T",
        category_id=1,
        summary="S.",
        sections=tuple(Section(f"Part {n}", body) for n in range(5)),
        takeaways=("A.", "B.", "C."),
    )
    # Five sections of 50,000 backticks made the editor page take 6.5 s.
    assert check_article(content) == []


# --------------------------------------------------------------------------
# Properties: never raise, spans always inside the text.
# --------------------------------------------------------------------------

# Text with the characters the rules care about, so hypothesis hits them often.
_TOKENS = [*' ,.;:!?()[]{}<>"“”‘’`\n\t*_-X', "on", "TK", "date", "the", "as of"]
_prose = st.text() | st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)


def _assert_spans(findings: list[Finding], text_of: dict[str, str]) -> None:
    for f in findings:
        assert f.severity == SEVERITY[f.rule]
        text = text_of.get(f.field, "")
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] in f.quote


@settings(max_examples=300, deadline=None)
@given(_prose)
def test_check_text_never_raises_and_spans_fit(text: str) -> None:
    findings = check_text(text)
    _assert_spans(findings, {"text": text})


@settings(max_examples=150, deadline=None)
@given(
    title=_prose,
    category_id=st.none() | st.integers(),
    summary=_prose,
    sections=st.lists(st.builds(Section, _prose, _prose), max_size=4),
    takeaways=st.lists(_prose, max_size=9),
    faqs=st.lists(st.builds(Faq, _prose, _prose), max_size=12),
)
def test_check_article_never_raises_and_spans_fit(
    title: str,
    category_id: int | None,
    summary: str,
    sections: list[Section],
    takeaways: list[str],
    faqs: list[Faq],
) -> None:
    content = ArticleContent(
        title=title,
        category_id=category_id,
        summary=summary,
        sections=tuple(sections),
        takeaways=tuple(takeaways),
        faqs=tuple(faqs),
    )
    text_of = {"title": title, "summary": summary}
    for i, s in enumerate(sections):
        text_of[f"section-{i}-heading"] = s.heading
        text_of[f"section-{i}-body"] = s.body
    for i, t in enumerate(takeaways):
        text_of[f"takeaway-{i}"] = t
    for i, f in enumerate(faqs):
        text_of[f"question-{i}"] = f.question
        text_of[f"answer-{i}"] = f.answer
    _assert_spans(check_article(content), text_of)
