"""Named projects: roads, waterways, reservoirs, bases, power and water works, named platforms and centres.

A project mention is a noun phrase that ends like a work (…高速公路, …水库, …工程, …基地, …平台) *and*
names something particular: a place of the document's area (泰安…, 肥城市…), a road code (G205, S31), a
quoted or bracketed name (“引黄入泰”工程), a construction phase (…三期项目), or a municipal institution
(市技术交易中心). Generic phrases (重点项目, 省级化工园区, 高速公路项目) are not projects. The rule is
deliberately precise rather than exhaustive: every project becomes a node that links tasks, and a wrong
one invents a dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.lexicon import alternation

# Endings that make a phrase a work by themselves, and endings that need a strong name signal
# (a code, a quote, a place of the document) because they also end ordinary phrases (手段, 底线, 平台).
_STRONG = [
    "高速公路", "公路", "铁路", "高铁", "专用线", "航道", "码头", "港区", "机场", "水库", "拦河闸", "水闸", "风景道", "管道",
    "大桥", "隧道", "枢纽", "电站", "电厂", "燃机", "储能", "工程", "产业城", "小镇", "博物院", "博物馆", "研究院", "示范区",
    "试验区", "综合保税区", "保税区", "基地", "创新中心", "产业园", "锂谷", "综合体", "物流园", "新城", "试点县", "增容",
    "改扩建", "扩建",
]
_WEAK = ["中心", "平台", "园区", "医院", "片区", "改造", "线", "段", "港", "项目"]
_PHASE = re.compile(r"[一二三四五六七八九十\d]期(?:工程|项目)?$")
_STRONG_END = re.compile(rf"(?:{alternation(_STRONG)})$")
_WEAK_END = re.compile(rf"(?:{alternation(_WEAK)})$")
_LEAD_VERBS = [
    "加快推进", "积极推进", "稳步推进", "扎实推进", "有序推进", "全力推进", "大力推进", "持续推进", "推进", "加快建设", "加快",
    "突出抓好", "着力抓好", "抓好", "实施", "高水平建设", "高质量建设", "建设", "建好用好", "全力打造", "打造", "推动",
    "支持", "启动", "开工建设", "开工", "建成", "确保", "做好", "谋划论证", "谋划", "积极", "争取", "力争", "借助", "依托",
    "新建", "续建", "改扩建", "完成", "加快实施", "组织实施", "重点推进", "深入推进", "着力推进", "规划建设", "积极参与",
    "参与", "用好", "完善", "提升", "加强", "实施好", "巩固扩大", "巩固", "扩大", "创建", "争创", "改造升级", "全面推动",
    "储备好", "谋划储备好", "深度融入", "融入", "强力推动",
]
_LEAD = re.compile(rf"(?:{alternation(_LEAD_VERBS)})+")  # used with match(pos): no ^
# A phrase starting like this is an action or a category, never a name.
_NOT_NAME = re.compile(
    r"^(?:一批|各类|各级|重点|重大|省级|市级|县级|国家级|有关|相关|新型|全市|全域|城乡|农村|现代|优质|特色|专业|公共|传统|"
    r"新兴|高标准|标志性|示范性|引领性|对接|鼓励|培育|守住|健全|组织|引导|着力|推广|构建|探索|发挥|促进|优化|规范|保持|"
    r"申报|开展|落实|深化|强化|[一二三四五六七八九十两]+大|\d)"
)
_TRAIL = re.compile(r"(?:建设运营|建设进度|项目前期工作|前期工作|规划建设|项目建设|建设成果|成果|建设|运营|(?<!期)项目)+$")
_EXAMPLES = re.compile(r"等(?:一批)?[^,。;]{0,20}?(?:项目|工程|平台|载体)(?:建设|前期工作)?$")
_CODE = re.compile(r"[GSX]\d{2,4}")
_QUOTED = re.compile(r"“[^”]{2,}”|\([^()]{2,}\)")
_ADJACENT_QUOTES = re.compile(r"”\s*“")
_WELL_KNOWN = re.compile(
    r"中国|中俄|京杭|黄河|长江|华能|国网|中科院|鲁能|北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|"
    r"江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆|济南|青岛|国家"
)
# Rivers, lakes and mountains name works too (大清河航道); not 河流, 流域, 河道.
_NATURE = re.compile(r"[\u4e00-\u9fff]{1,3}(?:河|湖|江|山|湾|岛|泉)(?![流域道水])")
_COUNT = re.compile(r"\d+(?:\.\d+)?(?:个|家|项|条|座|处)")
_OWN_INSTITUTION = re.compile(r"^[省市县区](?!级|场|民|直|委|政)")
_PARTS = re.compile(r"[,。;:!?\n]")
# Cheap pre-check: a clause can only hold a project if something in it ends like one.
_CANDIDATE = re.compile(rf"{alternation(_STRONG + _WEAK)}|[一二三四五六七八九十\d]期|等")
_PLACE_LIST = re.compile(r"(?:^|[、,(\s在和及与])([\u4e00-\u9fff]{2,3})(?:市|县|区)(?=[、,)\s和及与]|政府|人民政府)")
_ROAD_SEGMENT = re.compile(r"至|-|—")


@dataclass(slots=True)
class ProjectMention:
    start: int
    end: int


def place_stems(text: str, extra: list[str] = ()) -> set[str]:
    """Place names of the document's area, without their 市/县/区: the strongest sign of a named work."""
    stems = {m.group(1) for m in _PLACE_LIST.finditer(text)}
    for name in extra:
        if name and len(name) >= 3 and name[-1] in "市县区省":
            stems.add(name[:-1])
    return {s for s in stems if not re.search(r"全|我|本|各|城|该|强|化|级|域|有关|相关|中心|园", s)}


def _split_list(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    depth = 0
    last = start
    for i in range(start, end):
        ch = text[i]
        if ch in "(“《【[":
            depth += 1
        elif ch in ")”》】]" and depth:
            depth -= 1
        elif ch == "、" and depth == 0:
            parts.append((last, i))
            last = i + 1
    parts.append((last, end))
    return parts


def _accept(name: str, places: set[str], examples: bool) -> bool:
    if not 3 <= len(name) <= 50 or "《" in name or "等" in name or _NOT_NAME.match(name) or _COUNT.search(name):
        return False
    bare = re.sub(r"\([^()]*\)$", "", name)
    place = any(p in name for p in places) or bool(_WELL_KNOWN.search(name) or _NATURE.search(bare))
    code = bool(_CODE.search(name))
    quoted = bool(_QUOTED.search(name))
    if _PHASE.search(bare):
        return True
    if _STRONG_END.search(bare):
        return place or code or quoted or bool(_OWN_INSTITUTION.match(name))
    if _WEAK_END.search(bare):
        if bare.endswith(("线", "段")) and not (code or _ROAD_SEGMENT.search(name)):
            return False
        return place or code or quoted or bool(_OWN_INSTITUTION.match(name))
    if examples:
        return place or code
    return False


def find_projects(text: str, start: int, end: int, excluded: list[tuple[int, int]] = (),
                  places: set[str] = frozenset()) -> list[ProjectMention]:
    found: list[ProjectMention] = []
    seen: set[str] = set()
    clause_start = start
    boundaries = [m.start() for m in _PARTS.finditer(text, start, end)] + [end]
    for boundary in boundaries:
        cs, ce = clause_start, boundary
        clause_start = boundary + 1
        if not _CANDIDATE.search(text, cs, ce) or any(s <= cs < e or s < ce <= e for s, e in excluded):
            continue
        examples = _EXAMPLES.search(text, cs, ce)
        if examples:
            ce = examples.start()
        lead = _LEAD.match(text, cs, ce)
        body_start = lead.end() if lead else cs
        for s, e in _split_list(text, body_start, ce):
            for s2, e2 in _split_quotes(text, s, e):
                mention = _mention(text, s2, e2, places, bool(examples))
                if mention is not None:
                    name = text[mention.start:mention.end]
                    if name not in seen:
                        seen.add(name)
                        found.append(mention)
    return found


def _split_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """“A”“B”“C” written without separators are three names."""
    parts = []
    last = start
    for m in _ADJACENT_QUOTES.finditer(text, start, end):
        parts.append((last, m.start() + 1))
        last = m.end() - 1
    parts.append((last, end))
    return parts


def _mention(text: str, s: int, e: int, places: set[str], examples: bool) -> ProjectMention | None:
    if not examples and not _CANDIDATE.search(text, s, e):
        return None
    while s < e and text[s].isspace():
        s += 1
    inner = _LEAD.match(text, s, e)
    if inner and inner.end() < e:
        s = inner.end()
    trail = _TRAIL.search(text, s, e)
    if trail and trail.start() > s:
        e = trail.start()
    name = text[s:e].strip()
    # "肥城市建设泰山锂谷": the work is what the place builds.
    built = re.match(r"^[\u4e00-\u9fff]{2,4}[市县区](?:建设|打造)(.{3,})$", name)
    if built:
        s += built.start(1)
        name = built.group(1)
    if len(name) > 2 and name[0] == "“" and name[-1] == "”" and "“" not in name[1:-1]:
        # A quoted name in a list of examples (“陇电入鲁”、…等重大项目) is a project; report it unquoted.
        if examples and 2 <= len(name) - 2 <= 20:
            return ProjectMention(s + 1, s + len(name) - 1)
        s, e, name = s + 1, s + len(name) - 1, name[1:-1]
    if not _accept(name, places, examples):
        return None
    return ProjectMention(s, s + len(name))
