"""KCSIE 2026 content: statutory sources per setting, critical items, checked references, examples.

The judgement calls behind these checks are written down in docs/content.md ("KCSIE 2026"). The
table of statutory questions in that section is generated here: after an intended change to the
checklist, regenerate it with `SAFEAUDIT_UPDATE_DOCS=1 pytest tests/test_content_kcsie_2026.py`
and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import cache

import pytest

from conftest import CHECKLISTS, EXAMPLES, ROOT
from safeaudit import settings
from safeaudit.audit import load_audit
from safeaudit.checklists import load_checklist_file
from safeaudit.model import Checklist, Question
from safeaudit.rules.statutory_per_setting import binds

CHECKLIST = CHECKLISTS / "kcsie-2026-online-safety.yaml"
KCSIE_2025 = CHECKLISTS / "kcsie-2025-online-safety.yaml"
DOCS = ROOT / "docs" / "content.md"
UPDATE = bool(os.environ.get("SAFEAUDIT_UPDATE_DOCS"))

SETTING_TYPES = tuple(settings.SETTING_TYPES)
#: A maintained nursery school is a school in law: KCSIE, the EYFS and s.550C bind it.
MNS = "nursery-school"

#: What each statutory source binds (setting types, and kinds of provision) is said once, in the
#: checklist's `statutory_for`, and read by lint rule SA220 through `binds`; these tests use the
#: same rule rather than a table of their own.

#: The questions whose failure alone stops a "met" verdict.
CRITICAL = {
    "leadership.cp-policy-online",
    "leadership.mns-kcsie",
    "dsl.appointed",
    "dsl.ey-lead",
    "dsl.training",
    "filtering.illegal-content",
    "filtering.coverage",
    "monitoring.strategy",
    "monitoring.alert-handling",
    "devices.ey-phones-cameras",
}

#: KCSIE 2026 paragraphs checked against the published text (through verbatim quotations of
#: it); every other KCSIE 2026 reference names a part and section and is marked approximate.
CHECKED_PARAS = {"159", "160", "165"}

#: Gaps a DSL would notice (issue 14), each with the question that now covers it.
GAPS = {
    "cyberflashing and intimate image offences": "child-on-child.osa-offences",
    "online searches on shortlisted candidates": "leadership.online-searches",
    "online tutoring and online alternative provision": "remote.online-providers",
    "grooming": "reporting.grooming-signs",
    "self-harm and suicide content": "curriculum.self-harm-content",
    "pupils' own use of AI companions": "genai.ai-companions",
    "Report Fraud": "cyber-data.incident-plan",
    "filtering and monitoring reviewed every academic year": "fm-review.last-review",
    "written contract with the monitoring provider": "monitoring.provider-contract",
    "never view, copy or forward nudes": "child-on-child.nudes-never-view",
    "learners aged 18 and over": "reporting.over-18s",
    "apprentices and work placements": "leadership.placements",
    "boarding": "monitoring.boarding-evenings",
}

#: Questions split so that each asks one thing, with the ids they replace.
SPLITS = {
    "dsl.status-and-time": {"dsl.appointed", "dsl.time-resources"},
    "monitoring.privacy": {"monitoring.dpia", "monitoring.users-told"},
    "fm-review.people-and-record": {"fm-review.people", "fm-review.record"},
    "child-on-child.nudes-staff-response": {
        "child-on-child.nudes-tell-dsl",
        "child-on-child.nudes-never-view",
    },
    "reporting.pupil-routes": {"reporting.pupil-reporting", "reporting.pupil-outside-help"},
    "cyber-data.edtech-due-diligence": {
        "cyber-data.processor-contracts",
        "cyber-data.edtech-checks",
        "cyber-data.device-register",
    },
    "cyber-data.breach-plan": {"cyber-data.incident-plan", "cyber-data.ico-72-hours"},
    "genai.dpia": {"genai.dpia-high-risk"},
}

#: Over-claims named in issue 14 that are no longer statutory, or no longer for colleges.
NOT_STATUTORY = (
    "reporting.no-identifying-details",
    "devices.staff-phones",
    "dsl.online-capability",
    "prevent.critical-thinking",
    "acceptable-use.social-media",
    "cyber-data.edtech-checks",
    "cyber-data.device-register",
    "reporting.pupil-outside-help",
)
NOT_FOR_COLLEGES = ("curriculum.pornography-harms", "curriculum.send-adapted")

#: Abbreviations and the words that explain them, wherever a setting first meets them.
ACRONYMS = {
    "DSL": "designated safeguarding lead",
    "IWF": "internet watch foundation",
    "CTIRU": "counter-terrorism internet referral unit",
    "VPN": "virtual private network",
    "DNS": "the system that looks up web addresses",
    "SEND": "special educational needs",
    "RSHE": "relationships, sex and health education",
    "DPIA": "data protection impact assessment",
    "EYFS": "early years foundation stage",
    "CEOP": "police child protection",
    "NRM": "national referral mechanism",
    "ICO": "information commissioner",
    "UKCIS": "uk council for internet safety",
    "LADO": "local authority designated officer",
    "KCSIE": "keeping children safe in education",
}


@cache
def _checklist() -> Checklist:
    return load_checklist_file(CHECKLIST)


def _index() -> dict[str, Question]:
    return _checklist().question_index()


def targets(question: Question, checklist: Checklist) -> set[str]:
    """What a question applies to: setting types, and `provision:KIND` for its provision."""
    types = question.applies_to if question.applies_to is not None else checklist.settings
    found = set(types)
    found |= {f"provision:{kind}" for kind in question.provision or []}
    return found


def source_binds(sid: str, target: str) -> bool:
    """Whether a source of the checklist is law or statutory guidance for a target."""
    return binds(_checklist().sources[sid], target.removeprefix("provision:"))


def statutory_sources(question: Question, target: str) -> list[str]:
    cited = dict.fromkeys(ref.source for ref in question.references)
    return [sid for sid in cited if sid in _checklist().sources and source_binds(sid, target)]


# --------------------------------------------------------------------------- sources


def test_kcsie_2026_is_in_force_not_a_draft() -> None:
    checklist = _checklist()
    source = checklist.sources["kcsie-2026"]
    assert source.status == "in-force"
    assert "draft" not in source.title.lower()
    assert source.url.startswith("https://www.gov.uk/")
    assert checklist.effective.isoformat() == "2026-09-01"


# --------------------------------------------------------------------------- statutory


def test_statutory_questions_rest_on_a_duty_for_every_setting_they_apply_to() -> None:
    checklist = _checklist()
    weak = [
        f"{q.id} for {target}"
        for _, q in checklist.questions()
        if q.severity == "statutory"
        for target in sorted(targets(q, checklist))
        if not statutory_sources(q, target)
    ]
    assert weak == []


@pytest.mark.parametrize("qid", NOT_STATUTORY)
def test_named_over_claims_are_no_longer_statutory(qid: str) -> None:
    assert _index()[qid].severity != "statutory"


@pytest.mark.parametrize("qid", NOT_FOR_COLLEGES)
def test_school_curriculum_duties_do_not_apply_to_colleges(qid: str) -> None:
    question = _index()[qid]
    assert question.severity == "statutory"
    assert "college" not in (question.applies_to or [])


def test_colleges_have_their_own_curriculum_questions() -> None:
    for qid in ("curriculum.college-online-harms", "curriculum.college-send-adapted"):
        question = _index()[qid]
        assert question.applies_to == ["college"]
        assert question.severity == "expected"


def test_under_claims_are_statutory() -> None:
    index = _index()
    for qid in ("monitoring.provider-contract", "cyber-data.processor-contracts"):
        assert index[qid].severity == "statutory"
        assert any(
            r.source == "uk-gdpr" and "28" in (r.section or "") for r in index[qid].references
        )
    never_view = index["child-on-child.nudes-never-view"]
    assert never_view.severity == "statutory"
    assert "protection-of-children-act-1978" in {r.source for r in never_view.references}


def test_ai_dpia_is_only_for_high_risk_processing() -> None:
    question = _index()["genai.dpia-high-risk"]
    assert question.severity == "statutory"
    assert "high risk" in question.text
    assert question.replaces == ["genai.dpia"]


def _statutory_table() -> str:
    """Every statutory question with its statutory source for each kind of setting."""
    checklist = _checklist()
    labels = {
        "early-years": "early years",
        "provision:early-years": "early-years provision",
        "provision:sixth-form": "sixth form",
        "provision:boarding": "boarding",
        MNS: "maintained nursery school",
    }
    order = [*SETTING_TYPES, "provision:early-years", "provision:sixth-form"]
    order.append("provision:boarding")
    lines = [
        "| question | applies to: statutory source |",
        "|---|---|",
    ]
    for _, q in checklist.questions():
        if q.severity != "statutory":
            continue
        groups: dict[tuple[str, ...], list[str]] = {}
        for target in sorted(targets(q, checklist), key=order.index):
            sources = tuple(statutory_sources(q, target))
            groups.setdefault(sources, []).append(labels.get(target, target))
        cell = "; ".join(
            f"{', '.join(names)}: {', '.join(f'`{s}`' for s in sources) or 'none'}"
            for sources, names in groups.items()
        )
        flag = " (critical)" if q.critical else ""
        lines.append(f"| `{q.id}`{flag} | {cell} |")
    return "\n".join(lines) + "\n"


START = "<!-- kcsie-2026-statutory: generated by tests/test_content_kcsie_2026.py -->\n"
END = "<!-- end kcsie-2026-statutory -->\n"


def test_docs_list_every_statutory_question_with_its_source_per_setting() -> None:
    table = _statutory_table()
    text = DOCS.read_text(encoding="utf-8")
    assert START in text and END in text, f"{DOCS} needs the generated table markers"
    before, rest = text.split(START, 1)
    current, after = rest.split(END, 1)
    if UPDATE:
        DOCS.write_text(before + START + table + END + after, encoding="utf-8", newline="\n")
        current = table
    assert current == table, "docs/content.md is out of date (SAFEAUDIT_UPDATE_DOCS=1 to update)"


# --------------------------------------------------------------------------- critical


def test_critical_questions_are_the_chosen_few() -> None:
    marked = {q.id for _, q in _checklist().questions() if q.critical}
    assert marked == CRITICAL


@pytest.mark.parametrize("setting", SETTING_TYPES)
def test_every_setting_type_has_critical_questions(setting: str) -> None:
    checklist = _checklist()
    critical = [
        q.id for _, q in checklist.questions() if q.critical and setting in targets(q, checklist)
    ]
    assert len(critical) >= 2


# --------------------------------------------------------------------------- references


def test_kcsie_2026_references_are_checked_or_marked_approximate() -> None:
    wrong = []
    for _, q in _checklist().questions():
        for ref in q.references:
            if ref.source != "kcsie-2026":
                continue
            if ref.approximate:
                # An unchecked place is named by part and section, never by a 2025 number.
                if (
                    ref.para is not None
                    or not ref.section
                    or "could not be checked" not in ref.note
                ):
                    wrong.append(f"{q.id}: {ref}")
            elif ref.para not in CHECKED_PARAS or not ref.note.startswith(
                "Checked against the published 2026 text"
            ):
                wrong.append(f"{q.id}: {ref}")
    assert wrong == []


def test_no_question_leans_on_the_consultation_draft() -> None:
    leaning = []
    for _, q in _checklist().questions():
        for field in (q.text, q.evidence, q.action):
            if "draft" in field.lower():
                leaning.append(q.id)
        if "draft" in q.help.lower() and "could not be checked" not in q.help:
            leaning.append(q.id)
        for ref in q.references:
            if "draft" in ref.note.lower() and "could not be checked" not in ref.note:
                leaning.append(q.id)
    assert leaning == []


def test_no_legacy_2016_citations() -> None:
    cited = {r.source for _, q in _checklist().questions() for r in q.references}
    assert not any("2016" in source for source in cited)


def test_filtering_and_monitoring_review_every_academic_year() -> None:
    question = _index()["fm-review.last-review"]
    assert question.max_age == "academic-year"
    assert question.critical is False
    standard = [r for r in question.references if r.source == "dfe-fm-standards"]
    assert standard and not standard[0].approximate


def test_report_fraud_replaces_action_fraud() -> None:
    checklist = _checklist()
    question = _index()["cyber-data.incident-plan"]
    assert "Report Fraud" in question.help
    for _, q in checklist.questions():
        for field in (q.text, q.help, q.evidence, q.action):
            if "Action Fraud" in field:
                assert "replaced Action Fraud" in field, q.id


# --------------------------------------------------------------------------- coverage


@pytest.mark.parametrize(("gap", "qid"), sorted(GAPS.items()))
def test_gap_is_covered(gap: str, qid: str) -> None:
    assert qid in _index(), gap


def test_settings_with_provision_get_their_own_questions() -> None:
    checklist = _checklist()
    for kind in ("early-years", "sixth-form", "boarding"):
        assert any(kind in (q.provision or []) for _, q in checklist.questions()), kind
    eyfs = _index()["leadership.eyfs-alongside-kcsie"]
    assert eyfs.applies_to == ["nursery-school"] and eyfs.provision == ["early-years"]
    assert eyfs.when is None


@pytest.mark.parametrize(("old", "new"), sorted(SPLITS.items()))
def test_split_questions_replace_the_old_one(old: str, new: set[str]) -> None:
    replacing = {q.id for _, q in _checklist().questions() if old in q.replaces}
    assert replacing == new
    assert old in load_checklist_file(KCSIE_2025).question_index()


@pytest.mark.parametrize("setting", SETTING_TYPES)
def test_acronyms_are_explained_where_a_setting_first_meets_them(setting: str) -> None:
    checklist = _checklist()
    unexplained = []
    for acronym, words in ACRONYMS.items():
        pattern = re.compile(rf"\b{acronym}s?\b")
        for _, q in checklist.questions():
            if setting not in targets(q, checklist):
                continue
            if pattern.search(q.text) or pattern.search(q.help):
                if words not in f"{q.text} {q.help}".lower():
                    unexplained.append(f"{acronym} in {q.id}")
                break
    assert unexplained == []


# --------------------------------------------------------------------------- examples

EXAMPLES_2026 = {
    "primary-kcsie-2026.yaml": ("primary", ["early-years"]),
    "secondary-kcsie-2026.yaml": ("secondary", ["sixth-form"]),
    "nursery-kcsie-2026.yaml": ("early-years", []),
    "nursery-school-kcsie-2026.yaml": ("nursery-school", []),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES_2026))
def test_example_is_a_kcsie_2026_audit(name: str) -> None:
    audit = load_audit(EXAMPLES / name)
    setting_type, provision = EXAMPLES_2026[name]
    assert audit.warnings == []
    assert audit.answers.checklist.id == "kcsie-2026-online-safety"
    assert audit.answers.checklist.version == _checklist().version
    assert audit.answers.setting.type == setting_type
    assert audit.answers.setting.provision == provision
    assert audit.answers.audit_date is not None and audit.answers.audit_date.year == 2026


@pytest.mark.parametrize("name", sorted(EXAMPLES_2026))
def test_example_answers_every_statutory_question_it_is_asked(name: str) -> None:
    audit = load_audit(EXAMPLES / name)
    checklist = _checklist()
    setting = audit.answers.setting
    asked = {setting.type} | {f"provision:{kind}" for kind in setting.provision}
    answers = audit.answers.answers
    missing = []
    for _, q in checklist.questions():
        if q.severity != "statutory" or not asked & targets(q, checklist):
            continue
        if q.when is not None:
            earlier = answers.get(q.when.question)
            if earlier is None or str(earlier.value) not in q.when.values:
                continue
        answer = answers.get(q.id)
        if answer is None or answer.value is None:
            missing.append(q.id)
    assert missing == []


def test_last_years_examples_stay_for_comparison() -> None:
    for name in ("primary", "secondary", "nursery"):
        assert (EXAMPLES / f"{name}-kcsie-2025.yaml").is_file()


def test_primary_example_has_one_planted_email(cli) -> None:  # type: ignore[no-untyped-def]
    path = EXAMPLES / "primary-kcsie-2026.yaml"
    assert len(re.findall(r"@", path.read_text(encoding="utf-8"))) == 1
    run = cli("report", path, "--md", "-")
    assert run.code == 0
    assert "email address" in run.err


def _statuses(name: str) -> dict[str, str]:
    result = load_audit(EXAMPLES / name).score()
    return {r.question.id: r.status for area in result.areas for r in area.questions}


def test_primary_example_gets_the_eyfs_questions_through_its_reception_class() -> None:
    statuses = _statuses("primary-kcsie-2026.yaml")
    for qid in (
        "leadership.eyfs-alongside-kcsie",
        "training.ey-training",
        "devices.ey-phones-cameras",
    ):
        assert statuses[qid] not in ("not-applicable", "unanswered"), qid
    assert statuses["reporting.over-18s"] == "not-applicable"
    assert load_audit(EXAMPLES / "primary-kcsie-2026.yaml").score().verdict == "not-met"


def test_secondary_example_gets_the_sixth_form_question() -> None:
    statuses = _statuses("secondary-kcsie-2026.yaml")
    assert statuses["reporting.over-18s"] == "partial"
    assert statuses["leadership.eyfs-alongside-kcsie"] == "not-applicable"


def test_nursery_example_is_not_asked_school_duties() -> None:
    statuses = _statuses("nursery-kcsie-2026.yaml")
    index = _index()
    asked = [qid for qid, status in statuses.items() if status != "not-applicable"]
    assert "leadership.mns-kcsie" not in asked
    assert not [
        qid for qid in asked if (applies := index[qid].applies_to) and "early-years" not in applies
    ]


def test_nursery_school_example_is_asked_school_and_eyfs_duties() -> None:
    """A maintained nursery school is a school: KCSIE's own questions, the EYFS ones and the
    phone guidance apply; the school-age curriculum and searching do not."""
    statuses = _statuses("nursery-school-kcsie-2026.yaml")
    for qid in (
        "leadership.mns-kcsie",
        "leadership.eyfs-alongside-kcsie",
        "training.ey-training",
        "devices.mns-phone-guidance",
        "filtering.illegal-content",
    ):
        assert statuses[qid] not in ("not-applicable", "unanswered"), qid
    assert statuses["curriculum.harmful-influencers"] == "not-applicable"
    audit = load_audit(EXAMPLES / "nursery-school-kcsie-2026.yaml")
    result = audit.score()
    # Partly complete, and a critical question only partly met: not met, with unanswered ones.
    assert result.verdict == "not-met"
    assert statuses["filtering.coverage"] == "partial"
    assert 0 < len(result.unanswered) < 10
    assert audit.answers.audit_date is not None
    assert dt.date(2026, 9, 1) <= audit.answers.audit_date <= dt.date(2026, 11, 30)
