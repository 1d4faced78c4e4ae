"""Property tests: random and adversarial text never crashes, and task texts are verbatim."""
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.extract import extract_text

ALPHABET = st.sampled_from(list("要加强建立各部门市委局办中心一二三、,。;:()(一)1.①是了年月日前%0123456789\n 牵头单位配合由与和每个在以上达到abcXYZ“”")
                           + ["\t", "  ", "區縣發關牽頭", "序号\t任务\t牵头单位\t配合单位\t完成时限\n", "篇2", "春节前", "每季度",
                              "至", "—", "百分之", "≥", "前五", "次", "(此件公开发布)", "责任单位:", "明年起"])
TEXT = st.lists(ALPHABET, max_size=300).map("".join) | st.text(max_size=200)


def check(res):
    for doc in res["documents"]:
        for t in doc["tasks"]:
            assert t["text"] in doc["text"]
            assert doc["text"][t["start"]:t["end"]] == t["text"]
            assert t["kind"] in ("action", "principle")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_random_text(text):
    check(extract_text(text, "x"))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["一、", "(一)", "1.", "①", "一是", "第一,", "篇1", "要", "(", "局", "各"]), st.integers(1, 3000))
def test_repeated_tokens(token, n):
    check(extract_text(token * n, "x"))


def test_huge_inputs_are_fast():
    for text in ("要" * 2_000_000, "各区县局委办" * 300_000, "a" * 3_000_000, "(" * 500_000,
                 ("市发展改革委要牵头," * 20000), "一、" * 200_000):
        t0 = time.perf_counter()
        check(extract_text(text, "x"))
        assert time.perf_counter() - t0 < 20


def test_tables_and_traditional_text_stay_linear():
    header = "序号\t任务\t牵头单位\t配合单位\t完成时限\n"
    row = "1\t新建社区食堂8个。\t县民政局\t各乡镇人民政府\t年底前\n"
    trad = "各區縣要於年底前完成農村公路改造120公里,縣交通運輸局牽頭,縣財政局配合。\n"
    def best(text, runs):
        """Fastest of `runs` timings: a busy machine only ever adds time."""
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            res = extract_text(text, "x")
            times.append(time.perf_counter() - t0)
        check(res)
        return min(times)

    for small, big in ((header + row * 2_000, header + row * 20_000), (trad * 2_000, trad * 20_000)):
        assert best(big, 2) < 20 * max(best(small, 3), 0.05)  # ten times the input, not a hundred times the time


def test_ten_megabytes_of_one_character():
    t0 = time.perf_counter()
    res = extract_text("的" * 10_000_000, "x")
    assert time.perf_counter() - t0 < 30
    check(res)


def test_heading_and_unit_shapes_stay_fast():
    # shapes that exercise run-in markers, heading lines, lead exhortations, notes and suffix chains
    shapes = ["一是要加强领导。", "加强领导,压实责任,推进落实\n", "要加强领导。这是正文。\n", "要求:第一,要加强领导。",
              "完成任务。(牵头单位:市委办、市政府办;配合单位:各区县)\n", "市委办局中心部门室", "达到90%以上不低于5个"]
    for unit in shapes:
        text = unit * (300_000 // len(unit))
        t0 = time.perf_counter()
        check(extract_text(text, "x"))
        assert time.perf_counter() - t0 < 20, unit


HTML_PIECES = st.sampled_from(["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "</th>", "<p>",
                               "</p>", "<br>", "<div>", "</div>", "<script>", "</script>", "<nav>", "</nav>",
                               "工作任务", "牵头单位", "配合单位", "完成时限", "区教育局", "各街道", "2024年6月底前",
                               "完成改造", "序号", "1", "要加强领导。", " ", "\n", "<td colspan=2>", "<th rowspan=3>",
                               "<td rowspan=2 colspan=3>", "<td colspan=x>"])


@settings(max_examples=200, deadline=None)
@given(st.lists(HTML_PIECES, max_size=80))
def test_random_html_tables(pieces):
    from luoshi.extract import extract_bytes

    check(extract_bytes(("<html><body>" + "".join(pieces)).encode("utf-8"), "page.html"))


def test_garbage_collector_state_is_restored():
    import gc

    assert gc.isenabled()
    extract_text("各部门要加强领导。", "x")
    assert gc.isenabled()
    gc.disable()
    try:
        extract_text("各部门要加强领导。", "x")
        assert not gc.isenabled()
    finally:
        gc.enable()
