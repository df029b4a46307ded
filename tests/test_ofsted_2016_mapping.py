"""Every Kent action point on Ofsted's 2016 "Inspecting safeguarding" maps to a checklist question.

The action points are paraphrased here (not quoted) with the Ofsted paragraph they sit under in
Kent County Council's commentary of 26 August 2016. Every question in the checklist must appear
either in that mapping or in the list of extra questions, so nothing is added or lost unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from safeaudit.checklists import load_checklist_file
from safeaudit.model import Checklist, Question

CHECKLIST = Path(__file__).resolve().parents[1] / "checklists" / "ofsted-2016-online-safety.yaml"

#: (action point in our own words, Ofsted 2016 paragraph it sits under, question id)
ACTION_POINTS: list[tuple[str, str, str]] = [
    (
        "leaders and staff see online safety as part of safeguarding, and can show it",
        "11",
        "leadership.online-within-safeguarding",
    ),
    (
        "child protection and staff behaviour policies refer explicitly to online safety",
        "13",
        "policies.child-protection-and-conduct",
    ),
    (
        "evidence that everyone in the setting understands those policies",
        "13",
        "policies.understood",
    ),
    ("the DSL knows their role and responsibility for online safety", "13", "dsl.online-role"),
    ("the DSL has had suitable online safety training", "13", "dsl.online-training"),
    (
        "staff who support the DSL on online safety are trained to deputise",
        "13",
        "dsl.deputies-trained",
    ),
    ("there is a clear procedure for online safety concerns", "13", "reporting.procedure"),
    (
        "the procedure is communicated to the whole setting community",
        "13",
        "reporting.communicated",
    ),
    ("online safety concerns are recorded", "13", "reporting.recorded"),
    (
        "the anti-bullying policy covers online bullying",
        "13",
        "child-on-child.anti-bullying-online",
    ),
    (
        "online safety is recognised as a leadership issue, and this can be shown",
        "13",
        "leadership.strategic-oversight",
    ),
    (
        "an online safety policy covers mobile phones and personal devices",
        "13",
        "policies.online-safety-policy",
    ),
    (
        "all staff get suitable, current online safety training, with delivery and evidence known",
        "13",
        "training.all-staff",
    ),
    (
        "all staff get suitable, current online safety training (early years version)",
        "13",
        "training.early-years-staff",
    ),
    (
        "children are taught online safety in a broad, embedded, progressive curriculum",
        "13",
        "curriculum.embedded",
    ),
    ("children are taught online safety (early years version)", "13", "curriculum.early-years"),
    (
        "robust risk assessments cover the safe use of technology",
        "13",
        "risk.technology-assessments",
    ),
    (
        "positive online behaviour is recognised, and this can be shown",
        "13",
        "risk.positive-behaviour",
    ),
    (
        "the child protection policy covers peer on peer abuse such as online bullying and sexting",
        "18",
        "child-on-child.peer-abuse-policy",
    ),
    (
        "evidence that pupils can understand, weigh up and respond to online risks",
        "18",
        "curriculum.risk-understanding",
    ),
    (
        "evidence that staff understand how the internet is used to bully, groom or abuse",
        "18",
        "training.online-risks-understood",
    ),
    (
        "evidence that leaders oversee safe use of devices and social media and act at once",
        "18",
        "risk.device-oversight",
    ),
    ("how learners get online in the setting", "18", "filtering.internet-access"),
    ("how the setting filters internet access", "18", "filtering.filters"),
    (
        "how the setting filters internet access (early years version)",
        "18",
        "filtering.early-years",
    ),
    ("how the setting monitors learners' internet access", "18", "filtering.monitoring"),
    (
        "how the setting monitors learners' internet access (early years version)",
        "18",
        "filtering.early-years",
    ),
]

#: Questions drawn from the surrounding Ofsted text or Kent's commentary rather than from a red
#: action point: (question id, Ofsted paragraph it cites, why it is here).
EXTRA: list[tuple[str, str, str]] = [
    (
        "policies.early-years-phones-cameras",
        "13",
        "early years leaders put the required phone and camera policies into practice",
    ),
    (
        "policies.aup-review-date",
        "40",
        "Kent: online safety policy and acceptable use policies reviewed at least yearly",
    ),
    ("dsl.training-date", "18", "DSLs in schools and colleges retrain every two years"),
    (
        "reputation.online-checks",
        "40",
        "Kent: leaders check the setting's digital reputation before inspectors do",
    ),
    (
        "reputation.staff-conduct",
        "40",
        "Kent: professional online conduct in induction and training",
    ),
]

#: Kent's closing "key issues for leaders to consider", in our own words, and the questions
#: that cover each one.
KEY_ISSUES: list[tuple[str, tuple[str, ...]]] = [
    (
        "the DSL is supported on online safety by trained deputies or training",
        ("dsl.online-training", "dsl.deputies-trained"),
    ),
    (
        "all staff have online safety training, including managing their own online reputation",
        ("training.all-staff", "training.early-years-staff", "reputation.staff-conduct"),
    ),
    (
        "clear policies and procedures for responding to, reporting and recording concerns",
        ("reporting.procedure", "reporting.recorded"),
    ),
    (
        "peer on peer abuse such as online bullying and sexting treated as safeguarding",
        ("child-on-child.peer-abuse-policy", "child-on-child.anti-bullying-online"),
    ),
    (
        "policies on mobile phones and personal devices",
        ("policies.online-safety-policy", "policies.early-years-phones-cameras"),
    ),
    (
        "appropriate filtering and monitoring",
        ("filtering.filters", "filtering.monitoring", "filtering.early-years"),
    ),
    (
        "a proactive, age-appropriate, embedded online safety curriculum",
        ("curriculum.embedded", "curriculum.early-years"),
    ),
]


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist_file(CHECKLIST)


@pytest.fixture(scope="module")
def questions(checklist: Checklist) -> dict[str, Question]:
    return checklist.question_index()


def _ofsted_paras(question: Question) -> set[str]:
    return {ref.para for ref in question.references if ref.source == "ofsted-2016" and ref.para}


def test_every_action_point_maps_to_an_existing_question(questions: dict[str, Question]) -> None:
    missing = [(point, qid) for point, _, qid in ACTION_POINTS if qid not in questions]
    assert not missing, f"action points mapped to questions that do not exist: {missing}"


def test_every_action_point_question_cites_its_paragraph(questions: dict[str, Question]) -> None:
    wrong = [
        (qid, para, sorted(_ofsted_paras(questions[qid])))
        for _, para, qid in ACTION_POINTS
        if qid in questions and para not in _ofsted_paras(questions[qid])
    ]
    assert not wrong, f"questions not citing the Ofsted paragraph of their action point: {wrong}"


def test_extra_questions_exist_and_cite_their_paragraph(questions: dict[str, Question]) -> None:
    for qid, para, _ in EXTRA:
        assert qid in questions, f"extra question {qid} is not in the checklist"
        assert para in _ofsted_paras(questions[qid]), f"{qid} does not cite Ofsted para {para}"


def test_every_question_is_accounted_for(questions: dict[str, Question]) -> None:
    mapped = {qid for _, _, qid in ACTION_POINTS}
    extra = {qid for qid, _, _ in EXTRA}
    assert not mapped & extra, f"listed both as mapped and as extra: {sorted(mapped & extra)}"
    unaccounted = sorted(set(questions) - mapped - extra)
    assert not unaccounted, f"questions neither mapped nor listed as extra: {unaccounted}"


def test_key_issues_are_covered(questions: dict[str, Question]) -> None:
    for issue, qids in KEY_ISSUES:
        for qid in qids:
            assert qid in questions, f"key issue {issue!r} maps to missing question {qid}"


def test_action_point_table_has_no_duplicate_rows() -> None:
    # One question may answer two action points (filtering.early-years covers both filtering
    # and monitoring), but each action point is listed once per question.
    rows = [(point, qid) for point, _, qid in ACTION_POINTS]
    assert len(set(rows)) == len(rows)
    extra = [qid for qid, _, _ in EXTRA]
    assert len(set(extra)) == len(extra)
