"""The speed-ups of luoshi.extract answer exactly as the plain patterns they stand for.

Each fast path (a pattern rewritten so that `re` can scan for its first characters, a
literal pre-check, a lookup instead of a loop) is compared with the straightforward
form on random text over the characters that matter to it, and on sentences of our own.
"""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.extract import classify, clean, deadlines, outline, split, targets, units
from luoshi.extract import extract_text, find_targets, find_units


def _words(*patterns):
    import re

    return sorted({w for p in patterns for w in re.findall(r"[\u4e00-\u9fff]+", p)})


def _text(alphabet, max_size=40):
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


# ---------------------------------------------------------------- unit suffix ends
def _ends_plain(head):
    """Every end of a _SUFFIX_END match, tried at every position."""
    out = set()
    for i in range(len(head)):
        m = units._SUFFIX_END.match(head, i)
        if m is not None:
            out.add(m.end())
    return sorted(out)


SUFFIX_ALPHABET = _words(units._SUFFIX, units._BARE) + list("(、)等我的市区县要将") + ["(市、区)", "(街道)", "等部门"]


@settings(max_examples=400, deadline=None)
@given(_text(SUFFIX_ALPHABET, 14))
def test_suffix_ends_match_the_plain_pattern(head):
    assert units._ends(head) == _ends_plain(head)


def test_suffix_ends_on_our_sentences():
    for head in ("市委宣传部门要", "同时局里要", "市财政局、市审计局和市人社局等部门", "各乡镇(街道)要", "办公室主任"):
        assert units._ends(head) == _ends_plain(head)


# ---------------------------------------------------------------- subject predicate
def _predicate_plain(rest):
    rest = rest.lstrip()
    if units._PEOPLE_AFTER.match(rest):
        return "people"
    if units._CO_AFTER.match(rest):
        return "co"
    if units._AFTER_SUBJ.match(rest):
        return "lead"
    return None


def _predicate_fast(clause, end):
    ch = clause[end:end + 1]
    if not (ch in units._PRED_CHARS or ch.isspace() or ch.isdecimal()):
        return None
    m = units._PREDICATE.match(clause, end)
    if m is None:
        return None
    return "people" if m.group("people") else "co" if m.group("co") else "lead"


PRED_ALPHABET = _words(units._AFTER_SUBJ.pattern, units._CO_AFTER.pattern, units._PEOPLE_AFTER.pattern) + list(
    " 　\t0123456789月日底前的于在")


@settings(max_examples=400, deadline=None)
@given(_text(PRED_ALPHABET, 8))
def test_predicate_match_agrees(rest):
    assert _predicate_fast("市发改委" + rest, 4) == _predicate_plain(rest)


@settings(max_examples=300, deadline=None)
@given(_text(_words(units._MODAL_SOON.pattern) + list("的领导干部人员做好工作“”"), 16))
def test_modal_window_precheck(rest):
    plain = units._MODAL_SOON.match(rest) is not None and not units._PEOPLE_IN.search(units._MODAL_SOON.match(rest).group())
    assert units._modal_soon(rest) == plain


# ---------------------------------------------------------------- classify
LABEL_ALPHABET = _words(classify._COPULA.pattern, classify._PAST2.pattern, classify._PROBLEM.pattern,
                        classify._MEETING_NARRATIVE.pattern, classify._NONE_START.pattern, classify._NONE_START2.pattern,
                        classify._PAST_FACT.pattern, classify._PREAMBLE.pattern, classify._FORWARD.pattern) \
    + list("。;,:?吗呢0123456789%")


@settings(max_examples=500, deadline=None)
@given(_text(LABEL_ALPHABET, 12))
def test_combined_label_tests(body):
    assert bool(classify._NOT_DIRECTIVE.search(body)) == bool(
        classify._COPULA.search(body) or classify._PAST2.search(body) or classify._PROBLEM.search(body)
        or classify._MEETING_NARRATIVE.search(body))
    assert bool(classify._NONE_OPEN.match(body)) == bool(classify._NONE_START.match(body) or classify._NONE_START2.match(body))
    assert bool(classify._PAST_FACT_ANY.search(body)) == bool(classify._PAST_FACT.search(body))
    assert classify._preamble(body) == bool(classify._PREAMBLE.search(body))
    assert classify._forward(body) == bool(classify._FORWARD.search(body))
    assert classify._question(body) == bool(classify._QUESTION.search(body))
    assert classify._problem(body) == bool(classify._PROBLEM.search(body))


# ---------------------------------------------------------------- targets
@settings(max_examples=300, deadline=None)
@given(_text(list("一二三四五六七八九十百两前次个轮0123456789%≥≤年月要建设"), 10))
def test_target_quick_check(s):
    assert targets._quick(s) == bool(targets._QUICK.search(s))


@settings(max_examples=300, deadline=None)
@given(_text(list("达到不低于少超过控制在降至稳定提高增长新建完成的年度计划 ") + ["≥", "<=", "提升到"], 10))
def test_comparison_word_lookup(before):
    b = before.rstrip()
    plain = next(((op, w, len(b) - len(w)) for w, op in targets._PRE if b.endswith(w)), None)
    got = targets._pre_op(before)
    if plain is not None:
        assert got == plain
    else:
        assert got[0] is None or got[1] in ("达到", "不低于", "不少于", "控制在", "保持在", "稳定在", "提高到", "在")


# ---------------------------------------------------------------- whole-text patterns
SENT_ALPHABET = list("(())。!?;\n 牵头负责配合,单位市局要”") + ["(牵头单位:市发改委)", "配合)", "abc"]


def _sent_plain():
    import re

    return re.compile(outline._SENT.pattern.replace(r"(?:[^。!?;\n(]+|\([^()\n]{0,300}\)|\()+",
                                                    r"(?:\([^()\n]{0,300}\)|[^。!?;\n(]|\()+", 1))


@settings(max_examples=300, deadline=None)
@given(_text(SENT_ALPHABET, 80))
def test_sentence_pattern_takes_runs(text):
    plain = _sent_plain()
    assert plain.pattern != outline._SENT.pattern
    assert [m.span() for m in outline._SENT.finditer(text)] == [m.span() for m in plain.finditer(text)]


PIECE_ALPHABET = list("篇范文第 \t\n【】[]()12一三:讲话稿发言通知意见在上的会议纪要市委工作要点,。") + [
    "篇1", "第2篇", "【篇3】", "范文2:", "在全市大会上的讲话", "2026年工作要点"]


@settings(max_examples=300, deadline=None)
@given(_text(PIECE_ALPHABET, 40))
def test_line_bound_patterns_tried_only_where_they_can_match(text):
    for rx, hint in ((split._PIECE, split._PIECE_HINT), (split._TITLE, split._TITLE_HINT)):
        assert [m.span() for m in split._line_matches(rx, hint, text)] == [m.span() for m in rx.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(_text(list("本站网我小编友笔侠文库范VIP扫码二维www.http:com客服下面是以这首页>»›/篇Copyright此件公开【图为▲的讲话"), 20))
def test_noise_trigger_flat(line):
    import re

    plain = re.compile("(?:" + clean._SITE + r"|下面是|以下是|下文是|这是|:|首页|[>»›/]|页|篇|Copyright|版权所有|"
                       r"Powered by|ICP备|此件|本件|公开|【|图为|▲)")
    assert bool(clean._NOISE_TRIGGER.search(line)) == bool(plain.search(line))


def test_date_line_precheck():
    """Lines without 年 and without a 19xx/20xx year are skipped before the patterns run."""
    expected = {"2026年3月1日": "2026-03-01", "二〇二六年三月一日": "2026-03-01", "(2026-03-01)": "2026-03-01",
                "市政府办公室 2026年1月15日": "2026-01-15", "2026/3/1": "2026-03-01", "1999.12.31": "1999-12-31",
                "没有日期的一行": None, "3月1日": None}
    for line, iso in expected.items():
        assert split.parse_date_line(line) == iso, line


def test_results_do_not_depend_on_earlier_calls():
    """The memos live for one extraction: the same text gives the same result whatever ran before."""
    text = "市教育局要会同市财政局于6月底前新建幼儿园3所。\n各区县要建立工作台账。"
    first = extract_text(text, "a")
    rnd = random.Random(4)
    extract_text("".join(rnd.choice("局委办要各区县市,。") for _ in range(3000)), "b")
    assert extract_text(text, "a") == first
    assert [m.name for m in find_units("市教育局要会同市财政局开展检查。")] == ["市教育局", "市财政局"]
    assert find_targets("新建城市书房6个。")[0]["value"] == 6
    assert deadlines.find_deadline("年底前完成。", 2026, None, "2026-03-01")["date"] == "2026-12-31"
