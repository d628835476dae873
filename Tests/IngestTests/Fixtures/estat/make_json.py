"""Writes the JSON form of an e-Stat getStatsData XML fixture, by the rule the e-Stat API's JSON
endpoint follows: an element is a key; attributes are "@name" keys; text beside attributes is "$";
a repeated element is an array, one that occurs once is a single value; counts and STATUS are numbers;
non-ASCII is written as \\uXXXX escapes. Used for v3-meta-paged.synthetic.json (synthetic, like its XML).

    python3 make_json.py v3-meta-paged.synthetic.xml > v3-meta-paged.synthetic.json
"""
import json
import sys
import xml.etree.ElementTree as ET

NUMBERS = {"STATUS", "START_POSITION", "LIMIT", "TOTAL_NUMBER", "FROM_NUMBER", "TO_NUMBER", "NEXT_KEY"}


def convert(element):
    attributes = {"@" + k: v for k, v in element.attrib.items() if not k.startswith("{")}
    children = list(element)
    text = (element.text or "").strip()
    if not children and not attributes:
        return int(text) if element.tag in NUMBERS and text.isdigit() else text
    out = dict(attributes)
    for child in children:
        value = convert(child)
        if child.tag in out:
            if not isinstance(out[child.tag], list):
                out[child.tag] = [out[child.tag]]
            out[child.tag].append(value)
        else:
            out[child.tag] = value
    if text:
        out["$"] = text
    return out


root = ET.parse(sys.argv[1]).getroot()
json.dump({root.tag: convert(root)}, sys.stdout, ensure_ascii=True, separators=(",", ":"))
