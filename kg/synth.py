"""A synthetic corpus of key-task documents, with the answers: for scale tests, benchmarks and round trips.

Real documents cannot be shipped by the thousand, and a benchmark on one document repeated a thousand
times measures nothing about unit merging or skewed workloads. The generator writes documents of the genre
as published — a notice before the attachment in some, numbering ``一、``/``1.`` or ``一、``/``(一)`` or three
levels, tables, every common way of writing a responsibility clause, full-width or half-width punctuation,
HTML pages and GB18030 files among the plain text — for many jurisdictions over several years, and keeps
the ground truth of each: tasks (id, title, deadline), the (unit as written, role) pairs, the 《》 plans with
their relation, and the targets' value and comparator.

Units come from realistic pools per level (市/区/县 bureaus named by gazetteer stems, party organs, mass
organisations, collectives such as 各县(市、区)人民政府, companies such as 国网X供电公司) with a Zipf-like
popularity, so the same bureaus recur across documents and a few of them carry most of the work, as in
real corpora. Everything is deterministic: document ``i`` of ``generate(n, seed=s)`` depends only on
``s``, ``i`` and the corpus shape, so corpora can be generated in parallel and cached.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Bumped whenever the generator's output changes, so cached corpora are regenerated.
GENERATOR_VERSION = 1
TRUTH_FILE = "truth.jsonl"

# --- shapes the genre shows ------------------------------------------------------------------------------

#: Numbering schemes (see the module docstring of :mod:`kg.parse.outline`).
NUMBERINGS = ("cn-num", "cn-num-restart", "cn-pcn", "cn-pcn-num", "cn-pcn-num-restart", "table", "flat")
#: Ways of writing who is responsible.
CLAUSE_STYLES = ("taian", "lead-co", "fangxian", "leader", "own-line", "marker", "prose", "table")
#: Optional features; all are on by default (tests switch them off one at a time).
FEATURES = frozenset({
    "notice",            # a notice (关于印发…的通知) before the attachment
    "notice-items",      # the notice's own numbered requirements (一、各责任单位要…) before its signature
    "header",            # the page's metadata block (索引号 发布机构 发文字号 成文日期)
    "capture",           # "# source:" / "# title:" capture lines before the text
    "fullwidth",         # full-width punctuation （责任单位：…）
    "aliases",           # bureaus written by an alias in some documents (市发改委 for 市发展改革委)
    "collectives",       # 各县(市、区)人民政府, 市级各有关部门, 各乡镇人民政府
    "companies",         # 国网X供电公司, 中国移动X分公司
    "plans",             # 《…》 references with verbs
    "targets",           # 新增X家以上, 达到X%, 控制在X以内, 稳定在X万吨左右
    "deadlines",         # 完成时限:…, …前完成, a deadline column
    "no-clause",         # tasks without any responsibility clause
    "table-empty-cell",  # table rows with an empty 配合单位 cell
    "persons",           # 责任领导:person names (not units)
    "html",              # some documents as HTML pages
    "gb18030",           # one or two documents encoded GB18030
    "rare-measures",     # targets in 微克/立方米 and 起
    "conjunction-places",  # places whose name holds 和 (和平区), which then appears inside unit names
    "joined-companies",  # a company last in a list joined by 及 (市金融办及人民银行X中心支行)
})

# --- jurisdictions ----------------------------------------------------------------------------------------

#: Prefecture-level cities, province by province (2023).
CITIES = tuple("""
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水
太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布
沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛
长春 吉林 四平 辽源 通化 白山 松原 白城
哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化
南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁
杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水
合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德
南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽
郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店
武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州
长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底
广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮
南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左
海口 三亚 三沙 儋州
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳
贵阳 六盘水 遵义 安顺 毕节 铜仁
昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧
拉萨 日喀则 昌都 林芝 山南 那曲
西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛
兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南
西宁 海东
银川 石嘴山 吴忠 固原 中卫
乌鲁木齐 克拉玛依 吐鲁番 哈密
""".split())

# Syllables for county and district names (generated: real names would collide with the cities above).
_PLACE_FIRST = "安宁平阳临永兴昌华丰清长新东西南北江河山泉福德武文嘉恒广建金青白黄云龙凤桃松柳梅桂"
_PLACE_SECOND = "阳平安宁山川江河源泉丰德化兴昌乐远定康林水溪津峰陵原口"


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    name: str  # 泰安市
    level: str  # 市 | 区 | 县
    stem: str  # 泰安

    @property
    def abbr(self) -> str:
        """The first character, as in 发文字号 (泰政办字〔2023〕5号)."""
        return self.stem[0]


def make_jurisdictions(count: int, seed: int = 0, conjunction_places: bool = True) -> list[Jurisdiction]:
    """``count`` distinct jurisdictions: mostly prefecture-level cities, two in five counties or districts.

    With ``conjunction_places`` every seventh county or district is named 和X (as 和平区 is), a name whose
    和 also reads as "and" inside unit names (国网和平供电公司).
    """
    rng = random.Random(f"jurisdictions:{seed}")
    cities = list(CITIES)
    rng.shuffle(cities)
    names: set[str] = set()
    out: list[Jurisdiction] = []
    city_index = 0
    while len(out) < count:
        slot = len(out) % 5
        if slot in (3, 4) or city_index >= len(cities):
            level = "县" if slot == 3 else "区"
            generated = sum(1 for j in out if j.level != "市")
            first = "和" if conjunction_places and generated % 7 == 6 else rng.choice(_PLACE_FIRST)
            stem = first + rng.choice(_PLACE_SECOND)
            if stem[0] == stem[1]:
                continue
            name = stem + level
        else:
            stem = cities[city_index]
            city_index += 1
            level = "市"
            name = stem + "市"
        if name in names:
            continue
        names.add(name)
        out.append(Jurisdiction(name, level, stem))
    return out


# --- units ------------------------------------------------------------------------------------------------

# The spellings of each bureau without its level prefix: the usual one first, then aliases real documents use
# (the gazetteer resolves them all to one unit). Order is popularity: weights fall off as 1/rank.
_CITY_DEPARTMENTS: list[tuple[str, ...]] = [
    ("发展改革委", "发改委"), ("工业和信息化局", "工信局"), ("财政局",), ("科技局",), ("商务局",),
    ("自然资源和规划局",), ("住房城乡建设局", "住建局", "住房和城乡建设局"), ("生态环境局",), ("农业农村局",),
    ("人力资源社会保障局", "人社局", "人力资源和社会保障局"), ("交通运输局", "交通局"), ("市场监管局", "市场监督管理局"),
    ("教育局",), ("卫生健康委", "卫健委"), ("文化和旅游局", "文旅局", "文化旅游局"), ("应急局", "应急管理局"),
    ("水利局",), ("民政局",), ("城市管理局", "城管局"), ("大数据局", "大数据管理局"), ("行政审批服务局", "审批服务局"),
    ("公安局",), ("司法局",), ("统计局",), ("税务局",), ("地方金融监管局", "地方金融监督管理局"),
    ("医保局", "医疗保障局"), ("退役军人事务局",), ("审计局",), ("国资委",), ("体育局",), ("林业局",), ("能源局",),
    ("投资促进局", "投促局"), ("机关事务管理局",), ("信访局",), ("气象局",), ("粮食和储备局",), ("人防办",),
    ("外办", "外事办"),
]
_COUNTY_DEPARTMENTS: list[tuple[str, ...]] = [
    ("发展和改革局", "发改局"), ("财政局",), ("科技和经信局", "科经局"), ("农业农村局",), ("商务局",),
    ("自然资源和规划局",), ("住房城乡建设局", "住建局"), ("人力资源社会保障局", "人社局"), ("交通运输局", "交通局"),
    ("市场监管局",), ("教育局",), ("卫生健康局", "卫健局"), ("文化和旅游局", "文旅局"), ("应急管理局", "应急局"),
    ("水利局",), ("民政局",), ("综合行政执法局",), ("行政审批局", "审批局"), ("公安局",), ("司法局",), ("统计局",),
    ("税务局",), ("医保局",), ("退役军人事务局",), ("审计局",), ("林业局",), ("乡村振兴局",), ("信访局",),
]
_PARTY = ["组织部", "宣传部", "政法委", "统战部", "网信办", "编办", "改革办"]
_MASS = ["科协", "总工会", "妇联", "残联", "工商联", "红十字会"]
_INSTITUTIONS = ["大数据中心", "融媒体中心", "公共资源交易中心", "住房公积金管理中心", "疾控中心"]
_ENTERPRISES = ["城投集团", "交投集团", "文旅集团", "水务集团"]
_COMPANIES = ["国网{stem}供电公司", "中国移动{stem}分公司", "中国联通{stem}分公司", "中国电信{stem}分公司",
              "人民银行{name}中心支行"]
_COMPANY_STARTS = ("国网", "中国", "人民银行")
_COLLECTIVES = {
    "市": ["各县(市、区)人民政府", "各县(市、区)政府", "市级各有关部门", "市直各有关部门", "各功能区管委会"],
    "区": ["各街道办事处", "区直各有关单位", "各镇(街道)", "区级各有关部门"],
    "县": ["各乡镇人民政府", "县直各有关单位", "县直各有关部门", "各乡镇(街道)"],
}
_YOUTH = {"市": "团市委", "区": "团区委", "县": "团县委"}


@dataclass(slots=True)
class _Unit:
    key: str  # the first spelling with its prefix: identifies the unit within a jurisdiction
    spellings: tuple[str, ...]
    weight: float


class UnitPool:
    """The units of one jurisdiction, with a popularity that falls off like Zipf's law."""

    def __init__(self, place: Jurisdiction, features: frozenset[str]) -> None:
        level = place.level
        departments = _CITY_DEPARTMENTS if level == "市" else _COUNTY_DEPARTMENTS
        ordered: list[tuple[str, ...]] = []
        for spellings in departments:
            ordered.append(tuple(level + s for s in spellings))
        # Party organs, mass organisations, institutions and companies are interleaved after the top bureaus.
        extra: list[tuple[str, ...]] = [(f"{level}委{s}",) for s in _PARTY]
        extra += [(level + s,) for s in _MASS] + [(_YOUTH[level],)]
        extra += [(level + s,) for s in _INSTITUTIONS]
        extra += [(level + s,) for s in _ENTERPRISES[: 2 if level == "市" else 1]]
        if level != "市":
            extra.append((f"市生态环境局{place.stem}分局",))
        if "companies" in features:
            extra += [(c.format(stem=place.stem, name=place.name),) for c in _COMPANIES]
        # The top twelve bureaus first, then two bureaus for every other unit: popularity is by rank.
        merged = ordered[:12]
        rest = ordered[12:]
        while rest or extra:
            merged.extend(rest[:2])
            merged.extend(extra[:1])
            rest, extra = rest[2:], extra[1:]
        if "aliases" not in features:
            merged = [(s[0],) for s in merged]
        self.units = [_Unit(s[0], s, 1.0 / (rank + 1)) for rank, s in enumerate(merged)]
        self.by_key = {u.key: u for u in self.units}
        self.collectives = _COLLECTIVES[level] if "collectives" in features else []
        total = 0.0
        self._cumulative: list[float] = []
        for unit in self.units:
            total += unit.weight
            self._cumulative.append(total)

    def pick(self, rng: random.Random, k: int, exclude: set[str], prefer: list[str] = ()) -> list[_Unit]:
        """``k`` distinct units, not in ``exclude``; the first from ``prefer`` (a domain's bureaus) when given."""
        chosen: list[_Unit] = []
        candidates = [self.by_key[p] for p in prefer if p in self.by_key and p not in exclude]
        if candidates and k:
            first = rng.choice(candidates)
            chosen.append(first)
            exclude = exclude | {first.key}
        attempts = 0
        while len(chosen) < k and attempts < 200:
            attempts += 1
            unit = self.units[bisect.bisect_left(self._cumulative, rng.random() * self._cumulative[-1])]
            if unit.key in exclude:
                continue
            exclude = exclude | {unit.key}
            chosen.append(unit)
        return chosen


# --- the words of the documents ---------------------------------------------------------------------------

# Section domains: headings, the objects of tasks, and the bureaus that usually lead them (by key stem).
_DOMAINS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "创新": (["深入实施创新驱动战略", "强化科技创新支撑", "加快建设创新型城市"],
           ["创新型城市建设", "高能级创新平台建设", "关键核心技术攻关", "科技型企业梯度培育", "技术转移服务体系",
            "科技成果转化", "创新人才引育", "产学研协同创新", "新型研发机构建设", "科技金融服务", "知识产权保护运用",
            "科技创新生态"],
           ["科技局", "科技和经信局", "科协", "工业和信息化局"]),
    "产业": (["推动产业转型升级", "加快建设现代产业体系", "做大做强实体经济"],
           ["先进制造业集群培育", "传统产业转型升级", "战略性新兴产业发展", "工业技术改造", "产业链供应链稳定",
            "专精特新企业培育", "重点产业链链长制", "园区提质增效", "优质企业梯队建设", "生产性服务业发展",
            "现代物流体系建设", "招商引资质效"],
           ["工业和信息化局", "发展改革委", "发展和改革局", "商务局", "投资促进局"]),
    "绿色": (["推动绿色低碳转型", "积极稳妥推进碳达峰碳中和", "加快能源结构调整"],
           ["能源结构优化调整", "重点行业节能降碳", "清洁能源开发利用", "绿色建筑推广", "工业固废综合利用",
            "碳排放统计核算", "绿色金融服务", "新能源汽车推广应用", "公共机构节能", "光伏发电项目建设", "储能设施建设",
            "循环经济发展"],
           ["发展改革委", "发展和改革局", "生态环境局", "能源局", "住房城乡建设局"]),
    "数字": (["加快数字化发展", "建设数字政府", "做强数字经济"],
           ["数字基础设施建设", "工业互联网平台建设", "数字政府建设", "企业数字化转型", "智慧城市建设", "数据要素市场培育",
            "数字乡村建设", "电子政务外网升级", "公共数据开放共享", "网络安全保障体系", "智能制造示范推广"],
           ["大数据局", "工业和信息化局", "行政审批服务局", "科技和经信局"]),
    "农业": (["全面推进乡村振兴", "加快农业农村现代化", "巩固拓展脱贫攻坚成果"],
           ["粮食生产能力建设", "高标准农田建设", "现代农业产业园建设", "农产品质量安全监管", "农村人居环境整治",
            "乡村特色产业发展", "新型农业经营主体培育", "农村集体产权制度改革", "农业社会化服务", "种业振兴行动",
            "农田水利设施建设", "农村电商发展"],
           ["农业农村局", "水利局", "乡村振兴局", "自然资源和规划局"]),
    "城市": (["提升城市功能品质", "推进以人为核心的新型城镇化", "实施城市更新行动"],
           ["城市更新行动", "老旧小区改造", "城市道路管网建设", "海绵城市建设", "城市精细化管理", "保障性住房建设",
            "城市绿道建设", "地下综合管廊建设", "城乡供水一体化", "公共停车设施建设", "背街小巷整治"],
           ["住房城乡建设局", "城市管理局", "综合行政执法局", "自然资源和规划局", "交通运输局"]),
    "开放": (["扩大高水平对外开放", "推动外贸外资稳中提质"],
           ["外贸主体培育", "跨境电商发展", "利用外资质量提升", "口岸功能完善", "对外经贸合作", "服务贸易创新发展",
            "外贸新业态发展", "国际物流通道建设", "开放平台能级提升"],
           ["商务局", "外办", "税务局"]),
    "营商": (["持续优化营商环境", "深化“放管服”改革", "提升政务服务效能"],
           ["政务服务标准化建设", "工程建设项目审批制度改革", "企业开办便利化", "社会信用体系建设", "公平竞争审查",
            "中小企业融资服务", "涉企收费清理规范", "包容审慎监管", "政务服务事项网上办理", "不动产登记便利化",
            "营商环境评价"],
           ["行政审批服务局", "行政审批局", "市场监管局", "发展改革委", "司法局"]),
    "民生": (["持续保障和改善民生", "扎实办好民生实事", "织密社会保障网"],
           ["城镇就业扩容提质", "社会保障体系建设", "养老服务体系建设", "托育服务供给", "困难群众救助帮扶",
            "退役军人服务保障", "残疾人关爱服务", "住房保障体系建设", "公共文化服务体系建设", "全民健身设施建设",
            "食品安全监管", "便民生活圈建设"],
           ["人力资源社会保障局", "民政局", "退役军人事务局", "残联"]),
    "教育": (["办好人民满意的教育", "推动教育优质均衡发展"],
           ["学前教育普惠发展", "义务教育优质均衡", "职业教育产教融合", "教师队伍建设", "中小学校建设", "校园安全管理",
            "终身学习体系建设"],
           ["教育局"]),
    "卫生": (["推进健康城市建设", "提升医疗卫生服务水平"],
           ["公立医院高质量发展", "基层医疗卫生服务能力", "疾病预防控制体系建设", "医疗保障制度改革", "中医药传承创新",
            "紧密型医共体建设", "卫生应急能力建设", "健康乡村建设"],
           ["卫生健康委", "卫生健康局", "医保局", "疾控中心"]),
    "文化": (["推动文化旅游融合发展", "繁荣发展文化事业和文化产业"],
           ["文旅融合发展", "全域旅游示范区创建", "文化遗产保护利用", "文化产业园区建设", "旅游品牌推广", "乡村旅游提质",
            "公共文化场馆建设", "文艺精品创作"],
           ["文化和旅游局", "委宣传部", "体育局"]),
    "生态": (["深入打好污染防治攻坚战", "加强生态环境保护"],
           ["大气污染防治", "水污染防治", "土壤污染防治", "生态保护修复", "河湖长制", "农业面源污染治理", "环境风险防控",
            "生态环境监测能力建设", "山水林田湖草系统治理", "固体废物污染防治"],
           ["生态环境局", "水利局", "林业局"]),
    "安全": (["统筹发展和安全", "守牢安全生产底线"],
           ["安全生产专项整治", "应急管理体系建设", "防灾减灾能力建设", "消防安全治理", "危险化学品安全监管",
            "道路交通安全治理", "森林防灭火", "城市安全风险防控"],
           ["应急局", "应急管理局", "公安局"]),
    "改革": (["全面深化重点领域改革", "激发市场主体活力"],
           ["国资国企改革", "财政预算管理改革", "要素市场化配置改革", "投融资体制改革", "事业单位改革", "农村综合改革",
            "政府债务风险防控"],
           ["财政局", "国资委", "委改革办", "审计局"]),
}

# Topics: the attachment title (J jurisdiction, Y year) and the domains its sections come from first.
_TOPICS: list[tuple[str, list[str]]] = [
    ("{J}推动绿色低碳高质量发展{Y}年重点工作任务", ["创新", "产业", "绿色", "数字", "农业", "城市", "开放", "营商", "民生", "生态"]),
    ("{J}{Y}年优化营商环境重点任务分工方案", ["营商", "改革", "数字", "开放"]),
    ("{J}{Y}年政府工作报告重点工作任务分解方案", ["产业", "创新", "农业", "城市", "民生", "教育", "卫生", "改革", "安全"]),
    ("{J}{Y}年科技创新重点工作任务", ["创新", "产业", "数字"]),
    ("{J}{Y}年数字经济发展工作要点", ["数字", "产业", "创新"]),
    ("{J}{Y}年乡村振兴重点工作任务清单", ["农业", "生态", "民生"]),
    ("{J}{Y}年民生实事工作要点", ["民生", "教育", "卫生", "城市"]),
    ("{J}{Y}年生态环境保护工作要点", ["生态", "绿色", "农业"]),
    ("{J}{Y}年深化“放管服”改革优化营商环境工作要点", ["营商", "数字", "改革"]),
    ("{J}{Y}年文化旅游融合发展重点工作任务", ["文化", "城市", "民生"]),
    ("{J}{Y}年安全生产重点工作任务", ["安全", "城市"]),
    ("{J}{Y}年推动制造业高质量发展重点工作任务", ["产业", "创新", "绿色", "数字"]),
    ("{J}{Y}年新型城镇化建设工作要点", ["城市", "农业", "民生"]),
    ("{J}{Y}年扩大对外开放工作要点", ["开放", "营商", "产业"]),
    ("{J}{Y}年国有企业改革重点任务", ["改革", "产业"]),
    ("{J}{Y}年稳就业工作任务分工方案", ["民生", "产业", "营商"]),
]

_TITLE_VERBS = ["加快", "加强", "深化", "推进", "完善", "强化", "提升", "推动", "健全", "优化", "扩大", "抓好", "做好",
                "持续推进", "大力推进", "全面推进", "统筹推进", "积极推进", "扎实推进"]
_VERBS = ["推进", "完善", "加强", "提升", "深化", "优化", "培育", "拓展", "推动", "健全", "强化", "打造", "构建", "加大",
          "扩大", "夯实", "巩固", "规范"]
_ADVERBS = ["持续", "积极", "大力", "全力", "稳步", "加快", "深入", "有序", "统筹", "进一步", "全面", "着力"]
_GENERIC = ["工作机制", "政策体系", "服务能力", "要素保障", "监测评估", "督导考核", "宣传引导", "协同联动", "示范引领",
            "统筹调度", "项目储备", "资金保障", "标准体系", "数字化水平", "服务效能", "支撑能力", "制度供给", "风险防控"]
_GOALS = ["不断提升{g}水平", "着力增强{g}能力", "切实提高{g}效能", "加快形成{g}新格局", "持续释放{g}活力"]
_GOAL_NOUNS = ["服务", "保障", "治理", "监管", "创新", "协同发展", "运行", "发展"]
_SLOGANS = ["一网通办", "一网统管", "一件事一次办", "跨省通办", "免证办", "揭榜挂帅", "链长制", "亩均论英雄",
            "双招双引", "标准地", "无证明城市", "最多跑一次", "秒批秒办", "企业吹哨部门报到"]
_PLAN_FORMS = ["{J}{o}实施方案", "{J}{o}三年行动计划({Y}—{Y2}年)", "{J}{o}工作方案", "{J}关于{o}的实施意见",
               "{J}{o}专项规划", "{J}{o}管理办法", "关于加快{o}的若干措施", "{o}行动方案"]
_PLAN_VERBS: dict[str, list[str]] = {
    "issues": ["出台", "制定", "研究制定", "印发", "制定出台"],
    "drafts": ["编制", "起草", "组织编制"],
    "revises": ["修订", "修订完善"],
    "implements": ["落实", "贯彻落实", "严格落实", "认真落实"],
    "references": ["根据", "按照", "依据", "对照"],
}
# Targets: (verb, metric, measure, low, high, decimals, kind). kind: count (新增…以上), level (达到, 左右),
# cap (以内). Rare measures (微克/立方米, 起) are a feature of their own: the parser's measure list lacks them.
_METRICS: list[tuple[str, str, str, float, float, int, str]] = [
    ("新增", "高新技术企业", "家", 20, 300, 0, "count"), ("新增", "科技型中小企业", "家", 100, 1500, 0, "count"),
    ("培育", "专精特新中小企业", "家", 10, 120, 0, "count"), ("新建", "省级以上创新平台", "个", 5, 60, 0, "count"),
    ("实施", "技术改造项目", "个", 20, 300, 0, "count"), ("开工建设", "市级重点项目", "个", 10, 200, 0, "count"),
    ("新增", "城镇就业", "万人", 1, 12, 1, "count"), ("建成", "高标准农田", "万亩", 2, 30, 0, "count"),
    ("建设", "新能源汽车充电桩", "个", 200, 5000, 0, "count"), ("改造", "老旧小区", "个", 20, 300, 0, "count"),
    ("新改建", "农村公路", "公里", 50, 800, 0, "count"), ("开展", "职业技能培训", "万人次", 1, 20, 1, "count"),
    ("", "外贸进出口总额", "亿元", 50, 2000, 0, "level"), ("", "粮食总产量", "万吨", 50, 600, 0, "level"),
    ("", "城市生活污水集中收集率", "%", 70, 98, 1, "level"), ("", "空气质量优良天数比例", "%", 70, 90, 1, "level"),
    ("", "森林覆盖率", "%", 20, 45, 1, "level"), ("", "研发经费投入强度", "%", 1.5, 3.5, 2, "level"),
    ("", "城镇调查失业率", "%", 3, 5.5, 1, "cap"), ("", "单位地区生产总值能耗", "吨标准煤", 0.3, 0.9, 2, "cap"),
]
_RARE_METRICS: list[tuple[str, str, str, float, float, int, str]] = [
    ("", "细颗粒物平均浓度", "微克/立方米", 25, 45, 0, "cap"), ("", "较大以上生产安全事故", "起", 1, 3, 0, "cap"),
]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏付方邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵钱严武戴孔汤"
_GIVEN = ["建国", "志强", "海涛", "晓东", "国华", "新国", "玲", "浩", "伟", "敏", "静", "丽", "强", "磊", "军", "洋",
          "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "平", "刚", "桂英", "文博", "立新", "卫东", "红梅", "春生",
          "德胜", "永红", "志学", "建设", "国庆"]
_PERSON_TITLES = {"市": ["副市长", "市委常委、副市长"], "区": ["副区长"], "县": ["副县长"]}

_FULLWIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})
_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


# --- the ground truth ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class SyntheticTask:
    id: str
    title: str
    units: list[tuple[str, str]] = field(default_factory=list)  # (name as written, role)
    plans: list[tuple[str, str]] = field(default_factory=list)  # (title, relation)
    targets: list[tuple[float, str]] = field(default_factory=list)  # (value, comparator)
    deadline: str | None = None
    style: str = ""  # the clause style of this task ("none" when it has no clause)


@dataclass(slots=True)
class SyntheticDocument:
    """One generated document: the file it is written as, and what a perfect parser returns for it."""

    name: str  # file name, e.g. 0007_泰安市_2023.txt
    jurisdiction: str
    year: int
    title: str  # the attachment title
    text: str  # the document as plain text (what the parser reads from a .txt file)
    format: str = "txt"  # txt | html
    encoding: str = "utf-8"  # utf-8 | gb18030
    numbering: str = ""
    styles: list[str] = field(default_factory=list)
    tasks: list[SyntheticTask] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)  # plans cited before the first task
    html: str | None = None

    def content(self) -> bytes:
        """The file's bytes."""
        body = self.html if self.format == "html" and self.html is not None else self.text
        return body.encode(self.encoding)

    def truth(self) -> dict:
        return {
            "name": self.name, "jurisdiction": self.jurisdiction, "year": self.year, "title": self.title,
            "format": self.format, "encoding": self.encoding, "numbering": self.numbering, "styles": self.styles,
            "references": [list(r) for r in self.references],
            "tasks": [{k: v for k, v in asdict(t).items()} for t in self.tasks],
        }


# --- one document -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusShape:
    """What fixes document ``i``: the seed, the jurisdictions, the years and the options."""

    n: int
    places: tuple[Jurisdiction, ...]
    years: tuple[int, ...]
    seed: int
    tasks: int
    features: frozenset[str]
    numberings: tuple[str, ...]
    clause_styles: tuple[str, ...]


class _Writer:
    """Builds one document: blocks of text and the truth, from one random stream."""

    def __init__(self, shape: CorpusShape, index: int) -> None:
        self.shape = shape
        self.index = index
        self.rng = random.Random(f"{shape.seed}:{index}")
        m, y = len(shape.places), len(shape.years)
        self.place = shape.places[index % m]
        self.year = shape.years[(index // m) % y]
        self.slot = index // (m * y)  # the how-manieth document of this jurisdiction and year
        self.features = shape.features
        self.pool = UnitPool(self.place, shape.features)
        # A document spells each bureau one way; aliases are chosen per document.
        self.spelling: dict[str, str] = {}
        self.blocks: list[tuple] = []  # ("p", text) | ("line", text) | ("table", header, rows)
        self.plans_used: set[str] = set()
        self._pending_co = ""

    # helpers
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def feature(self, name: str) -> bool:
        return name in self.features

    def name_of(self, unit: _Unit) -> str:
        if unit.key not in self.spelling:
            spellings = unit.spellings
            self.spelling[unit.key] = spellings[0] if len(spellings) == 1 or not self.chance(0.3) else \
                self.rng.choice(spellings[1:])
        return self.spelling[unit.key]

    def person(self) -> str:
        name = self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)
        if self.chance(0.3):
            name += self.rng.choice(_PERSON_TITLES[self.place.level])
        return name

    def deadline(self) -> str:
        y = self.year
        return self.rng.choice([f"{y}年{self.rng.randint(3, 12)}月底", f"{y}年底", f"{y}年{self.rng.randint(3, 11)}月",
                                "长期坚持", "持续推进", f"{y}年12月底"])

    # the words of a task
    def sentence(self, objects: list[str]) -> str:
        rng = self.rng
        form = rng.randrange(7)
        o1, o2 = rng.choice(objects), rng.choice(objects + _GENERIC)
        if form >= 5:
            return (f"{rng.choice(_ADVERBS)}{rng.choice(_VERBS)}{o1},{rng.choice(_VERBS)}{o2},"
                    f"{rng.choice(_GOALS).format(g=rng.choice(_GOAL_NOUNS))}。")
        if form == 0:
            return f"{rng.choice(_ADVERBS)}{rng.choice(_VERBS)}{o1},{rng.choice(_VERBS)}{o2}。"
        if form == 1:
            return f"{rng.choice(_VERBS)}{o1},{rng.choice(_GOALS).format(g=rng.choice(_GOAL_NOUNS))}。"
        if form == 2:
            return f"{rng.choice(_ADVERBS)}推行“{rng.choice(_SLOGANS)}”模式,{rng.choice(_VERBS)}{o2}。"
        if form == 3:
            return f"建立健全{rng.choice(_GENERIC)},形成{o1}长效机制。"
        return f"{rng.choice(_ADVERBS)}{rng.choice(_VERBS)}{o1}和{rng.choice(_GENERIC)}。"

    def target(self) -> tuple[str, float, str]:
        rng = self.rng
        metrics = _METRICS + (_RARE_METRICS if self.feature("rare-measures") else [])
        verb, metric, measure, low, high, decimals, kind = rng.choice(metrics)
        value = round(rng.uniform(low, high), decimals)
        shown = f"{value:.{decimals}f}" if decimals else str(int(value))
        value = float(shown)
        if kind == "count":
            form = rng.randrange(3)
            if form == 0:
                return f"{verb}{metric}{shown}{measure}以上", value, ">="
            if form == 1:
                return f"{verb}{metric}不少于{shown}{measure}", value, ">="
            return f"{verb}{metric}{shown}{measure}", value, "="
        if kind == "level":
            if rng.random() < 0.5:
                return f"{metric}达到{shown}{measure}", value, "="
            return f"{metric}稳定在{shown}{measure}左右", value, "~"
        if rng.random() < 0.5:
            return f"{metric}控制在{shown}{measure}以内", value, "<="
        return f"{metric}不超过{shown}{measure}", value, "<="

    def plan(self, objects: list[str]) -> tuple[str, str, str]:
        rng = self.rng
        relation = rng.choice(list(_PLAN_VERBS))
        verb = rng.choice(_PLAN_VERBS[relation])
        for _ in range(10):
            title = rng.choice(_PLAN_FORMS).format(J=self.place.name, o=rng.choice(objects), Y=self.year,
                                                    Y2=self.year + 2)
            if title not in self.plans_used:
                break
        self.plans_used.add(title)
        return verb, title, relation

    def task_body(self, objects: list[str], task: SyntheticTask, sentences: int) -> str:
        """The task's text after its title: sentences, maybe a target and a plan."""
        rng = self.rng
        parts: list[str] = []
        if not sentences:
            return ""
        plan_at = rng.randrange(sentences) if self.feature("plans") and self.chance(0.22) else -1
        target_at = rng.randrange(sentences) if self.feature("targets") and self.chance(0.55) else -1
        for i in range(sentences):
            if i == plan_at:
                verb, title, relation = self.plan(objects)
                tail = "要求" if relation == "references" else ""
                parts.append(f"{verb}《{title}》{tail},{rng.choice(_VERBS)}{rng.choice(objects)}。")
                task.plans.append((title, relation))
            elif i == target_at:
                text, value, op = self.target()
                parts.append(f"{rng.choice(_ADVERBS)}{rng.choice(_VERBS)}{rng.choice(objects)},{text}。")
                task.targets.append((value, op))
            else:
                parts.append(self.sentence(objects))
        return "".join(parts)

    # responsibility clauses
    def units_for(self, task: SyntheticTask, prefer: list[str], leads: int, others: int,
                  collective_ok: bool = True) -> tuple[list[str], list[str]]:
        level = self.place.level
        keys = [level + p for p in prefer]
        lead_units = self.pool.pick(self.rng, leads, set(), keys)
        other_units = self.pool.pick(self.rng, others, {u.key for u in lead_units})
        lead_names = [self.name_of(u) for u in lead_units]
        other_names = [self.name_of(u) for u in other_units]
        if collective_ok and self.pool.collectives and others and self.chance(0.18):
            other_names.append(self.rng.choice(self.pool.collectives))
        return lead_names, other_names

    def clause(self, style: str, task: SyntheticTask, prefer: list[str]) -> tuple[str, str]:
        """(placement, text) of the task's clause; fills ``task.units`` and ``task.deadline``."""
        rng = self.rng
        joined = "、".join
        n_units = rng.choices([1, 2, 3, 4, 5], weights=[40, 30, 16, 9, 5])[0]
        deadline = self.deadline() if self.feature("deadlines") and self.chance(0.35) else None
        if style == "taian":
            variant = rng.choices(["lead", "shared", "lead+co", "bare"], weights=[45, 40, 10, 5])[0]
            if variant == "lead" or (variant == "lead+co" and n_units == 1):
                leads, _ = self.units_for(task, prefer, rng.choice([1, 1, 1, 2]), 0)
                task.units = [(u, "lead") for u in leads]
                return "inline", f"(责任单位:{joined(leads)}牵头负责)"
            if variant == "lead+co":
                leads, others = self.units_for(task, prefer, 1, n_units - 1)
                task.units = [(u, "lead") for u in leads] + [(u, "co") for u in others]
                return "inline", f"(责任单位:{joined(leads)}牵头,{joined(others)}按职责分工负责)"
            units = sum(self.units_for(task, prefer, 1, max(0, n_units - 1) if variant == "shared" else 0), [])
            task.units = [(u, "shared") for u in units]
            if variant == "bare":
                return "inline", f"(责任单位:{joined(units)})"
            return "inline", f"(责任单位:{joined(units)}按职责分工负责)"
        if style in ("lead-co", "fangxian", "leader"):
            leads, others = self.units_for(task, prefer, rng.choice([1, 1, 1, 2]), n_units - 1)
            task.units = [(u, "lead") for u in leads] + [(u, "co") for u in others]
            sep = ";" if style != "fangxian" else ","
            co_label = "配合单位" if style == "lead-co" else "责任单位"
            co_join = joined if style != "fangxian" or self.chance(0.5) else ",".join
            parts = []
            if style == "leader" and self.feature("persons"):
                parts.append("责任领导:" + "、".join(self.person() for _ in range(rng.choice([1, 1, 2]))))
            parts.append(f"牵头单位:{joined(leads)}")
            if others:
                parts.append(f"{co_label}:{co_join(others)}")
            if deadline and style == "lead-co":
                parts.append(f"完成时限:{deadline}")
                task.deadline = deadline
            return "inline", "(" + sep.join(parts) + ")"
        if style == "own-line":
            variant = rng.choices(["lead+co", "lead+resp", "shared"], weights=[50, 20, 30])[0]
            if variant == "shared":
                units = sum(self.units_for(task, prefer, 1, n_units - 1), [])
                task.units = [(u, "shared") for u in units]
                lines = [f"责任单位:{joined(units)}"]
            else:
                leads, others = self.units_for(task, prefer, 1, n_units - 1)
                task.units = [(u, "lead") for u in leads] + [(u, "co") for u in others]
                lines = [f"牵头单位:{joined(leads)}"]
                if others:
                    lines.append(f"{'配合单位' if variant == 'lead+co' else '责任单位'}:{joined(others)}")
            if deadline:
                lines.append(f"完成时限:{deadline}")
                task.deadline = deadline
            return "lines", "\n".join(lines)
        if style == "marker":
            variant = rng.choices(["lead+co", "lead", "lead+shared", "two-leads", "shared"],
                                  weights=[35, 25, 15, 10, 15])[0]
            if variant == "lead" or n_units == 1 and variant != "shared":
                leads, _ = self.units_for(task, prefer, 1, 0)
                task.units = [(u, "lead") for u in leads]
                text = f"{joined(leads)}牵头负责"
            elif variant == "shared":
                units = sum(self.units_for(task, prefer, 1, n_units - 1), [])
                task.units = [(u, "shared") for u in units]
                text = f"{joined(units)}按职责分工负责"
            else:
                leads, others = self.units_for(task, prefer, 2 if variant == "two-leads" else 1, max(1, n_units - 1))
                task.units = [(u, "lead") for u in leads] + [(u, "co") for u in others]
                co_text = joined(others)
                if len(others) >= 2 and self.chance(0.4) and (self.feature("joined-companies")
                                                               or not others[-1].startswith(_COMPANY_STARTS)):
                    co_text = joined(others[:-1]) + "及" + others[-1]
                marker = "配合" if variant == "lead+co" else "按职责分工负责"
                text = f"{joined(leads)}牵头,{co_text}{marker}"
            if deadline and self.chance(0.5):
                deadline = f"{self.year}年{rng.randint(3, 12)}月底前完成"
                task.deadline = deadline
                text += f",{deadline}"
            return "inline", f"({text})"
        if style == "prose":
            variant = rng.choices(["you", "fuze", "fuze+co", "fenbie"], weights=[35, 25, 20, 20])[0]
            if variant == "you":
                leads, others = self.units_for(task, prefer, 1, n_units - 1, collective_ok=False)
                task.units = [(u, "lead") for u in leads] + [(u, "co") for u in others]
                return "sentence", f"由{joined(leads)}牵头" + (f",{joined(others)}配合。" if others else "。")
            if variant == "fuze":
                units = sum(self.units_for(task, prefer, 1, min(2, n_units - 1)), [])
                task.units = [(u, "shared") for u in units]
                return "sentence", f"{joined(units)}负责。"
            if variant == "fuze+co":
                # Responsible but not named the lead: shared, with others assisting.
                units, others = self.units_for(task, prefer, 1, max(1, n_units - 1))
                task.units = [(u, "shared") for u in units] + [(u, "co") for u in others]
                return "sentence", f"{joined(units)}负责,{joined(others)}配合。"
            leads, _ = self.units_for(task, prefer, max(2, min(3, n_units)), 0)
            task.units = [(u, "lead") for u in leads]
            return "sentence", f"{joined(leads)}分别牵头落实。"
        raise ValueError(f"unknown clause style {style!r}")

    # the document
    def build(self) -> SyntheticDocument:
        rng, place, year = self.rng, self.place, self.year
        shape = self.shape
        topic_title, domains = _TOPICS[rng.randrange(len(_TOPICS))]
        title = topic_title.format(J=place.name, Y=year)
        numbering = rng.choice(shape.numberings)
        table = numbering == "table"
        styles = ["table"] if table else self._choose_styles()
        fullwidth = self.feature("fullwidth") and self.chance(0.7)
        n_tasks = max(1, rng.randint(int(shape.tasks * 0.8), math.ceil(shape.tasks * 1.2)))
        # Sections and their domains.
        all_domains = domains + [d for d in _DOMAINS if d not in domains]
        restart = numbering in ("cn-num-restart", "cn-pcn", "cn-pcn-num-restart")
        if restart and n_tasks < 2:
            numbering = "cn-num"  # one task cannot show numbering that restarts
            restart = False
        if numbering == "flat" or (table and self.chance(0.3)):
            n_sections = 0
        else:
            n_sections = max(2 if restart else 1, min(len(all_domains) + 4, round(n_tasks / rng.uniform(6, 10))))
            n_sections = min(n_sections, n_tasks)
        section_domains = [all_domains[i % len(all_domains)] for i in range(max(1, n_sections))]
        counts = _split(n_tasks, max(1, n_sections), rng)
        doc = SyntheticDocument(name="", jurisdiction=place.name, year=year, title=title, text="",
                                numbering=numbering, styles=styles)
        self._front_matter(doc, fullwidth)
        self._tasks(doc, numbering, styles, section_domains, counts, n_sections)
        self._finish(doc, fullwidth)
        return doc

    def _choose_styles(self) -> list[str]:
        rng = self.rng
        allowed = [s for s in self.shape.clause_styles if s != "table"] or ["taian"]
        weights = {"taian": 30, "lead-co": 20, "fangxian": 8, "leader": 8, "own-line": 12, "marker": 14, "prose": 8}
        primary = rng.choices(allowed, weights=[weights.get(s, 5) for s in allowed])[0]
        styles = [primary]
        if len(allowed) > 1 and self.chance(0.5):
            styles.append(rng.choice([s for s in allowed if s != primary]))
        return styles

    def _front_matter(self, doc: SyntheticDocument, fullwidth: bool) -> None:
        rng, place, year = self.rng, self.place, self.year
        level = place.level
        party = {"市": "市委、市政府", "区": "区委、区政府", "县": "县委、县政府"}[level]
        issuer = rng.choices([f"{place.name}人民政府办公室", f"{place.name}人民政府"], weights=[70, 30])[0]
        signed_in_december = self.chance(0.4)
        signed = (year - 1, 12, rng.randint(10, 31)) if signed_in_december else (year, rng.randint(1, 3),
                                                                                   rng.randint(1, 28))
        number = 10 * self.slot + (105 if signed_in_december else 1) + rng.randint(0, 8)
        kind = rng.choice(["政办字", "政办发", "政发", "政字"]) if "办公室" in issuer else rng.choice(["政发", "政字"])
        doc_number = f"{place.abbr}{kind}〔{signed[0]}〕{number}号"
        if self.feature("capture") and self.chance(0.1):
            self.blocks.append(("line", f"# source: https://www.{self.index:05d}.gov.example/zwgk/{year}/t{self.index}.html"))
            self.blocks.append(("line", f"# title: {doc.title}"))
        if self.feature("notice") and self.chance(0.65):
            date = f"{signed[0]}-{signed[1]:02d}-{signed[2]:02d}"
            if self.feature("header") and self.chance(0.45):
                self.blocks.append(("line", f"索 引 号 {1137 + self.index % 9000:04d}0900{self.index:06d}/{signed[0]}-"
                                            f"{number:05d} 发布机构 {issuer} 发文字号 {doc_number}"))
                self.blocks.append(("line", f"成文日期 {date} 发文日期 {date}"))
                self.blocks.append(("line", f"发布日期:{date} {rng.randint(8, 17)}:{rng.randint(0, 59):02d}"))
            notice_title = f"{issuer}关于印发{doc.title}的通知"
            if self.chance(0.5):
                self.blocks.append(("p", f"{doc_number} {notice_title}"))
            else:
                self.blocks.append(("p", notice_title))
                self.blocks.append(("p", doc_number))
            addressees = {"市": "各县(市、区)人民政府,各功能区管委会,市政府各部门、各直属机构:",
                          "区": "各街道办事处,区政府各部门、各直属机构:",
                          "县": "各乡镇人民政府,县直各有关单位:"}[level]
            self.blocks.append(("p", addressees))
            if self.chance(0.5):
                self.blocks.append(("p", f"《{doc.title}》已经{party}同意,现印发给你们,请认真贯彻落实。"))
            else:
                self.blocks.append(("p", f"现将《{doc.title}》印发给你们,请结合实际,认真抓好落实。"))
            doc.references.append((doc.title, "issues"))
            if self.feature("notice-items") and self.chance(0.25):
                requirements = ["各责任单位要高度重视,切实加强组织领导,细化工作措施,明确时间节点,确保各项任务落到实处。",
                                "各牵头单位要强化统筹协调,定期调度工作进展,及时研究解决工作中遇到的困难和问题。",
                                "各地各部门要按季度报送工作进展情况,政府办公室将加强跟踪督办,适时通报落实情况。"]
                for i, text in enumerate(requirements, 1):
                    self.blocks.append(("p", f"{cn_numeral(i)}、{text}"))
            self.blocks.append(("p", issuer))
            sign_line = f"{signed[0]}年{signed[1]}月{signed[2]}日"
            if self.chance(0.2):
                sign_line += "(此件公开发布)"
            self.blocks.append(("p", sign_line))
        self.blocks.append(("p", doc.title))
        # The preamble: why, and which plans it follows.
        domain_objects = [o for d in _DOMAINS.values() for o in d[1]]
        preamble = "为深入贯彻落实党的二十大精神,"
        if self.feature("plans") and self.chance(0.6):
            verb = rng.choice(["根据", "按照", "认真落实"])
            relation = "implements" if verb == "认真落实" else "references"
            title = rng.choice([f"{place.name}国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要",
                                f"{place.name}{rng.choice(domain_objects)}三年行动计划({year - 1}—{year + 1}年)",
                                f"关于推动{rng.choice(domain_objects)}的实施意见"])
            preamble += f"{verb}《{title}》部署,"
            if title not in {r[0] for r in doc.references}:
                doc.references.append((title, relation))
        preamble += f"推动经济社会高质量发展,结合我{place.level}实际,制定本方案。"
        if self.chance(0.4):
            preamble = f"{year}年是全面贯彻落实党的二十大精神的关键之年。" + preamble
        self.blocks.append(("p", preamble))

    def _tasks(self, doc: SyntheticDocument, numbering: str, styles: list[str], section_domains: list[str],
               counts: list[int], n_sections: int) -> None:
        rng = self.rng
        arabic = "、" if self.chance(0.2) else "."
        running = 0
        header = None
        if numbering == "table":
            header, columns = self._table_header()
        rows: list[list[str]] = []

        def flush_table() -> None:
            if rows:
                self.blocks.append(("table", header, list(rows)))
                rows.clear()

        for s in range(max(1, n_sections)):
            domain = section_domains[s]
            heading, objects, prefer = _DOMAINS[domain]
            cn = cn_numeral(s + 1)
            if n_sections:
                flush_table()
                self.blocks.append(("p", f"{cn}、{rng.choice(heading)}"))
            if numbering in ("cn-pcn-num", "cn-pcn-num-restart"):
                subsections = _split(counts[s], min(counts[s], rng.randint(2, 4)), rng)
            else:
                subsections = [counts[s]]
            for k, count in enumerate(subsections):
                pcn = f"({cn_numeral(k + 1)})"
                if numbering in ("cn-pcn-num", "cn-pcn-num-restart"):
                    self.blocks.append(("p", f"{pcn}{rng.choice(_TITLE_VERBS)}{rng.choice(objects)}"))
                for t in range(count):
                    running += 1
                    if numbering in ("cn-num", "cn-pcn-num", "flat", "table"):
                        task_id, marker = str(running), f"{running}{arabic}"
                    elif numbering == "cn-num-restart":
                        task_id, marker = f"{cn}.{t + 1}", f"{t + 1}{arabic}"
                    elif numbering == "cn-pcn":
                        label = f"({cn_numeral(t + 1)})"
                        task_id, marker = f"{cn}.{label}", label
                    else:  # cn-pcn-num-restart
                        task_id, marker = f"{cn}.{pcn}.{t + 1}", f"{t + 1}{arabic}"
                    task = SyntheticTask(id=task_id, title=f"{rng.choice(_TITLE_VERBS)}{rng.choice(objects)}")
                    if numbering == "table":
                        rows.append(self._table_row(task, running, objects, prefer, columns))
                    else:
                        self._list_task(task, marker, objects, prefer, styles)
                    doc.tasks.append(task)
        flush_table()

    def _list_task(self, task: SyntheticTask, marker: str, objects: list[str], prefer: list[str],
                   styles: list[str]) -> None:
        rng = self.rng
        sentences = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[2, 5, 13, 25, 25, 18, 12])[0]
        body = self.task_body(objects, task, sentences)
        style = styles[0] if len(styles) == 1 or self.chance(0.7) else styles[1]
        if self.feature("no-clause") and self.chance(0.05):
            task.style = "none"
            self.blocks.append(("p", f"{marker}{task.title}。{body}"))
            return
        task.style = style
        placement, clause = self.clause(style, task, prefer)
        paragraph = f"{marker}{task.title}。{body}"
        if placement == "inline":
            self.blocks.append(("p", paragraph + clause))
        elif placement == "sentence":
            self.blocks.append(("p", paragraph + clause))
        else:
            self.blocks.append(("task-lines", paragraph, clause.split("\n")))

    def _table_header(self) -> tuple[list[str], list[str]]:
        rng = self.rng
        task_word = rng.choice(["工作任务", "重点任务", "任务内容", "主要任务"])
        variants = [
            (["序号", task_word, "牵头单位", "配合单位"], ["number", "task", "lead", "co"]),
            (["序号", task_word, "牵头单位", "配合单位", "完成时限"], ["number", "task", "lead", "co", "deadline"]),
            (["序号", task_word, "责任单位"], ["number", "task", "responsible"]),
            (["序号", task_word, "责任单位", "完成时限"], ["number", "task", "responsible", "deadline"]),
            (["序号", task_word, "牵头负责部门"], ["number", "task", "lead"]),
        ]
        if not self.feature("deadlines"):
            variants = [v for v in variants if "deadline" not in v[1]]
        return rng.choice(variants)

    def _table_row(self, task: SyntheticTask, number: int, objects: list[str], prefer: list[str],
                   columns: list[str]) -> list[str]:
        rng = self.rng
        task.style = "table"
        body = self.task_body(objects, task, rng.choice([0, 1, 2, 2, 3]))
        cells = []
        n_units = rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
        for column in columns:
            if column == "number":
                cells.append(str(number))
            elif column == "task":
                cells.append(f"{task.title}。{body}" if body else task.title)
            elif column == "lead":
                has_co = "co" in columns
                if has_co and not self.feature("table-empty-cell"):
                    n_units = max(2, n_units)
                leads, others = self.units_for(task, prefer, rng.choice([1, 1, 1, 2]),
                                               n_units - 1 if has_co else 0)
                task.units = [(u, "lead") for u in leads] + [(u, "co") for u in others]
                cells.append("、".join(leads))
                self._pending_co = "、".join(others)
            elif column == "co":
                cells.append(self._pending_co)
            elif column == "responsible":
                units = sum(self.units_for(task, prefer, 1, n_units - 1), [])
                task.units = [(u, "shared") for u in units]
                cells.append("、".join(units))
            elif column == "deadline":
                task.deadline = self.deadline()
                cells.append(task.deadline)
        return cells

    def _finish(self, doc: SyntheticDocument, fullwidth: bool) -> None:
        """Render the blocks as text (and HTML), and give the truth the document's punctuation."""
        tr = (lambda s: s.translate(_FULLWIDTH)) if fullwidth else (lambda s: s)
        blank = "\n\n" if self.chance(0.6) else "\n"
        lines: list[str] = []
        for block in self.blocks:
            if block[0] == "line":
                lines.append(block[1] + "\n")
            elif block[0] == "p":
                lines.append(tr(block[1]) + blank)
            elif block[0] == "task-lines":
                lines.append(tr(block[1]) + "\n" + "".join(tr(x) + "\n" for x in block[2]) + blank[1:])
            else:
                _, header, rows = block
                lines.append("\t".join(header) + "\n" + "".join("\t".join(tr(c) for c in row) + "\n" for row in rows)
                             + blank[1:])
        doc.text = "".join(lines)
        for task in doc.tasks:
            task.id = tr(task.id)
            task.title = tr(task.title)
            task.units = [(tr(u), role) for u, role in task.units]
            task.plans = [(tr(p), relation) for p, relation in task.plans]
        doc.references = [(tr(p), relation) for p, relation in doc.references]
        index = self.index
        if self.feature("gb18030") and index % 97 == 5:
            doc.encoding = "gb18030"
        if self.feature("html") and index % 20 == 3:
            doc.format = "html"
            doc.html = _html_page(doc.title, self.blocks, tr, self.place.name,
                                  "gb2312" if index % 200 == 23 else "utf-8")
            if index % 200 == 23:
                doc.encoding = "gb18030"
        doc.name = f"{index:05d}_{self.place.name}_{self.year}.{doc.format}"


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` items over ``parts`` groups, each at least one, unevenly as real documents are."""
    parts = max(1, min(parts, total))
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    counts = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _html_page(title: str, blocks: list[tuple], tr: Callable[[str], str], site: str, charset: str) -> str:
    """A government web page: navigation, the document as paragraphs and tables, a footer."""
    out = [f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>{_escape(tr(title))}</title>',
           "<style>.nav{color:#333}</style><script>var _hmt = _hmt || [];</script></head><body>",
           '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府文件</div>',
           '<div class="article">']
    for block in blocks:
        if block[0] == "line":
            if block[1].startswith("#"):
                continue  # capture lines belong to text captures only
            out.append(f"<p>{_escape(block[1])}</p>")
        elif block[0] == "p":
            out.append(f"<p>{_escape(tr(block[1]))}</p>")
        elif block[0] == "task-lines":
            out.append(f"<p>{_escape(tr(block[1]))}</p>")
            out.extend(f"<p>{_escape(tr(x))}</p>" for x in block[2])
        else:
            _, header, rows = block
            out.append('<table border="1">')
            out.append("<tr>" + "".join(f"<th>{_escape(c)}</th>" for c in header) + "</tr>")
            for row in rows:
                out.append("<tr>" + "".join(f"<td>{_escape(tr(c))}</td>" for c in row) + "</tr>")
            out.append("</table>")
    out.append("</div>")
    out.append("<p>【打印本页】【关闭窗口】</p>")
    out.append(f'<div class="footer">版权所有:{_escape(site)}人民政府 网站标识码 {zlib.crc32(site.encode()):010d}</div>')
    out.append("</body></html>\n")
    return "\n".join(out)


# --- the corpus ---------------------------------------------------------------------------------------------


def corpus_shape(n_documents: int, *, jurisdictions: int | None = None, years: tuple[int, ...] = (2019, 2020, 2021,
                 2022, 2023, 2024), seed: int = 0, tasks: int = 80, features: frozenset[str] | set[str] = FEATURES,
                 numberings: tuple[str, ...] = NUMBERINGS, clause_styles: tuple[str, ...] = CLAUSE_STYLES) -> CorpusShape:
    """The shape of a corpus. By default one jurisdiction per four documents, at most 300."""
    unknown = set(features) - FEATURES
    if unknown:
        raise ValueError(f"unknown features: {', '.join(sorted(unknown))}")
    bad = set(numberings) - set(NUMBERINGS) or set(clause_styles) - set(CLAUSE_STYLES)
    if bad or not numberings:
        raise ValueError(f"unknown or no numberings / clause styles: {', '.join(sorted(bad))}")
    count = jurisdictions if jurisdictions is not None else max(1, min(300, n_documents // 4))
    return CorpusShape(n=n_documents, places=tuple(make_jurisdictions(count, seed, "conjunction-places" in features)), years=tuple(years),
                       seed=seed, tasks=tasks, features=frozenset(features), numberings=tuple(numberings),
                       clause_styles=tuple(clause_styles))


def document(shape: CorpusShape, index: int) -> SyntheticDocument:
    """Document ``index`` of a corpus of this shape."""
    return _Writer(shape, index).build()


def iter_documents(n_documents: int, **options) -> Iterator[SyntheticDocument]:
    shape = corpus_shape(n_documents, **options)
    for i in range(n_documents):
        yield document(shape, i)


def generate(n_documents: int, **options) -> list[SyntheticDocument]:
    """``n_documents`` documents with their truth; options as :func:`corpus_shape` takes them.

    ``jurisdictions`` (how many places), ``years``, ``seed``, ``tasks`` (mean tasks per document),
    ``features`` (a subset of :data:`FEATURES`), ``numberings`` and ``clause_styles`` (subsets to draw from).
    """
    return list(iter_documents(n_documents, **options))


@dataclass
class CorpusSummary:
    folder: str
    documents: int = 0
    tasks: int = 0
    responsibilities: int = 0
    jurisdictions: int = 0
    html: int = 0
    gb18030: int = 0
    bytes: int = 0

    def rows(self) -> list[dict]:
        return [asdict(self)]


def _write_range(args: tuple[CorpusShape, str, int, int]) -> list[tuple[str, int, int, int, bool, bool]]:
    shape, folder, start, stop = args
    out = []
    for i in range(start, stop):
        doc = document(shape, i)
        data = doc.content()
        (Path(folder) / doc.name).write_bytes(data)
        line = json.dumps(doc.truth(), ensure_ascii=False)
        out.append((line, len(data), len(doc.tasks), sum(len(t.units) for t in doc.tasks),
                    doc.format == "html", doc.encoding == "gb18030"))
    return out


def write_corpus(folder: str | os.PathLike, n_documents: int, *, jobs: int | None = None,
                 progress: Callable[[int, int], None] | None = None, **options) -> CorpusSummary:
    """Write ``n_documents`` files into ``folder`` (created) and their truth, one JSON line each, to truth.jsonl.

    Documents are independent, so they are written by ``jobs`` worker processes when there are many.
    """
    shape = corpus_shape(n_documents, **options)
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    chunk = 25
    ranges = [(shape, str(path), a, min(n_documents, a + chunk)) for a in range(0, n_documents, chunk)]
    jobs = jobs or max(1, min(os.cpu_count() or 1, 8))
    summary = CorpusSummary(folder=str(path), jurisdictions=len(shape.places))
    with open(path / TRUTH_FILE, "w", encoding="utf-8") as truth:
        if jobs > 1 and len(ranges) > 1:
            import multiprocessing

            with multiprocessing.get_context("spawn").Pool(jobs) as pool:
                results = pool.imap(_write_range, ranges)
                _collect(results, truth, summary, n_documents, progress)
        else:
            _collect(map(_write_range, ranges), truth, summary, n_documents, progress)
    return summary


def _collect(results, truth, summary: CorpusSummary, total: int, progress) -> None:
    for batch in results:
        for line, size, tasks, responsibilities, html, gb in batch:
            truth.write(line + "\n")
            summary.documents += 1
            summary.bytes += size
            summary.tasks += tasks
            summary.responsibilities += responsibilities
            summary.html += html
            summary.gb18030 += gb
        if progress:
            progress(summary.documents, total)


def read_truth(folder: str | os.PathLike) -> list[dict]:
    """The truth written by :func:`write_corpus`, one dict per document, in file order."""
    with open(Path(folder) / TRUTH_FILE, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- checking a parser against the truth ----------------------------------------------------------------------

#: What :func:`compare` checks, in the order it reports.
FIELDS = ("ids", "title", "units", "deadline", "plans", "targets", "references", "jurisdiction")


def compare(truth: dict, doc) -> list[tuple[str, str]]:
    """How ``doc`` (a parsed :class:`~kg.model.Document`) differs from ``truth`` (:meth:`SyntheticDocument.truth`).

    Returns ``(field, message)`` pairs, one per difference, fields from :data:`FIELDS`; empty when the parser
    recovered everything. Task lists that differ are reported once (``ids``) and not compared further.
    """
    out: list[tuple[str, str]] = []
    want_ids = [t["id"] for t in truth["tasks"]]
    got_ids = [t.id for t in doc.tasks]
    if want_ids != got_ids:
        missing = [i for i in want_ids if i not in set(got_ids)]
        extra = [i for i in got_ids if i not in set(want_ids)]
        out.append(("ids", f"{len(want_ids)} tasks written, {len(got_ids)} parsed; missing {missing[:5]}, "
                           f"unexpected {extra[:5]}"))
        return out
    for want, got in zip(truth["tasks"], doc.tasks, strict=True):
        where = f"task {want['id']}"
        if want["title"] != got.title:
            out.append(("title", f"{where}: {want['title']!r} parsed as {got.title!r}"))
        _diff(out, "units", where, [tuple(u) for u in want["units"]], [(r.raw, r.role) for r in got.responsibilities])
        if want["deadline"] != got.deadline:
            out.append(("deadline", f"{where}: {want['deadline']!r} parsed as {got.deadline!r}"))
        _diff(out, "plans", where, [tuple(p) for p in want["plans"]], [(p.title, p.relation) for p in got.plans])
        _diff(out, "targets", where, [tuple(t) for t in want["targets"]], [(t.value, t.op) for t in got.targets])
    _diff(out, "references", "document", [tuple(r) for r in truth["references"]],
          [(p.title, p.relation) for p in doc.references])
    if truth["jurisdiction"] != doc.jurisdiction:
        out.append(("jurisdiction", f"{truth['jurisdiction']!r} parsed as {doc.jurisdiction!r}"))
    return out


def _diff(out: list[tuple[str, str]], name: str, where: str, want: list[tuple], got: list[tuple]) -> None:
    want_sorted, got_sorted = sorted(want), sorted(got)
    if want_sorted != got_sorted:
        missing = [w for w in want_sorted if w not in got_sorted]
        extra = [g for g in got_sorted if g not in want_sorted]
        out.append((name, f"{where}: missing {missing}, unexpected {extra}"))
