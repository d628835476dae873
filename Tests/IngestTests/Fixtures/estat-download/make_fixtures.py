"""Writes SYNTHETIC files in the layouts e-Stat's download pages and API CSV use, for describe's
tests. Every number is made up (deterministic arithmetic, not statistics); the layouts follow
e-Stat's: see PROVENANCE.md beside this script.

    python3 make_fixtures.py
"""
PREFECTURES = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
               "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
               "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
               "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
               "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"]


def q(cells):
    return ",".join('"' + str(c) + '"' for c in cells)


def thousands(n):
    return f"{n:,}"


# 1. Wide, CP932, 和暦 years across, unit in 【】 inside the constant 表章項目 column, numbers quoted
#    with separators, 全国 first: the 全国 row is the sum of the prefectures plus a rounding residue.
years = ["平成22年", "平成23年", "平成24年", "平成25年", "平成26年"]
rows = []
for i, name in enumerate(PREFECTURES):
    rows.append([(1000 + 137 * i + 11 * y) * (3 if i == 12 else 1) for y in range(len(years))])
total = [sum(r[y] for r in rows) + (y % 3) for y in range(len(years))]
lines = [q(["表章項目", "全国・都道府県", "/時間軸（年）"] + years)]
lines.append(q(["人口【千人】", "全国", ""] + [thousands(v) for v in total]))
for name, r in zip(PREFECTURES, rows):
    lines.append(q(["人口【千人】", name, ""] + [thousands(v) for v in r]))
with open("wide-wareki-prefectures.cp932.csv", "wb") as f:
    f.write(("\r\n".join(lines) + "\r\n").encode("cp932"))

# 2. Wide, UTF-8, 西暦 年度 across, a separate 単位 column, categories that are no code list, a 計
#    total row, e-Stat's markers (***, -, …, x).
lines = [q(["表章項目", "大学等の種類", "単位", "/時間軸（年度）", "2019年度", "2020年度", "2021年度"])]
data = [("国立大学", ["12,345", "x", "13,001"]), ("公立大学", ["1,234", "-", "…"]),
        ("私立大学", ["5,678", "***", "6,001"]), ("計", ["19,257", "***", "…"])]
for name, cells in data:
    lines.append(q(["共同研究実施件数", name, "件", ""] + cells))
with open("wide-seireki-unit-column.csv", "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")

# 3. Long, with codes beside labels (the API's CSV and the DB download's 'column' form), UTF-8 with BOM.
lines = [q(["tab_code", "表章項目", "cat01_code", "男女", "area_code", "地域", "time_code", "時間軸（調査年）", "unit", "value"])]
areas = [("00000", "全国"), ("13000", "東京都"), ("27000", "大阪府")]
for t, (time_code, time_label) in enumerate([("2015000000", "2015年"), ("2020000000", "2020年")]):
    for a, (area_code, area) in enumerate(areas):
        male, female = 600 + 50 * a + 7 * t, 640 + 45 * a + 5 * t
        for code, label, value in [("000", "総数", male + female), ("001", "男", male), ("002", "女", female)]:
            shown = "-" if (a, t, code) == (2, 1, "001") else str(value)
            lines.append(q(["020", "人口", code, label, area_code, area, time_code, time_label, "千人", shown]))
with open("long-codes.csv", "w", encoding="utf-8-sig") as f:
    f.write("\n".join(lines) + "\n")
