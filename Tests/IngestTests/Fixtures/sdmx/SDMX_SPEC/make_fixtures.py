"""Writes the SDMX-JSON fixtures and the SDMX-ML 2.1 equivalents the tests compare them with.

- exr-time-series-2.0.json: the SDMX-JSON data message sample exr/exr-time-series.json of
  sdmx-twg/sdmx-json (data-message/samples), abridged (short link list, English names only),
  same data: ECB EXR, NZD and RUB per EUR, two days, with its dataset-level attribute default,
  series TITLE, OBS_STATUS and an observation annotation.
- exr-time-series-1.0.json: the same message in the SDMX-JSON 1.0 layout (header, dataSets,
  structure at top level), as the 1.0 field guide lays it out.
- exr-time-series-2.1-ss.xml: the same observations as an SDMX-ML 2.1 structure-specific message,
  decoded here (independently of curate) by the field guide's rules.
- ECB_EXR-2.1-ss.xml: ECB_EXR-3.0-ss.xml (abridged from the SDMX-ML 3.0 sample) written with the
  SDMX-ML 2.1 namespaces and header, which is all that separates the two for this message.

    python3 make_fixtures.py
"""
import json
from collections import OrderedDict as O
from xml.sax.saxutils import quoteattr


def comp(id, name, values, **kw):
    d = O(id=id, name=name, names={"en": name})
    d.update(kw)
    d["values"] = values
    return d


def val(id, name, **kw):
    d = O(id=id, name=name, names={"en": name})
    d.update(kw)
    return d


structure = O([
    ("name", "Exchange rate dataflow"), ("dataSets", [0]),
    ("links", [{"href": "https://sdw-wsrest.ecb.europa.eu/service/datastructure/ECB/ECB_EXR1/1.0",
                "urn": "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ECB:ECB_EXR1(1.0)", "rel": "datastructure"}]),
    ("dimensions", O([
        ("dataSet", [comp("FREQ", "Frequency", [val("D", "Daily")], roles=["FREQ"], keyPosition=0),
                     comp("CURRENCY_DENOM", "Currency denominator", [val("EUR", "Euro")], keyPosition=2),
                     comp("EXR_TYPE", "Exchange rate type", [val("SP00", "Spot rate")], keyPosition=3),
                     comp("EXR_SUFFIX", "Series variation - EXR context",
                          [val("A", "Average or standardised measure for given frequency")], keyPosition=4)]),
        ("series", [comp("CURRENCY", "Currency", [val("NZD", "New Zealand dollar"), val("RUB", "Russian rouble")], keyPosition=1)]),
        ("observation", [comp("TIME_PERIOD", "Time period or range", [
            val("2013-01-18", "2013-01-18", start="2013-01-18T00:00:00.000Z", end="2013-01-18T23:59:59.999Z"),
            val("2013-01-21", "2013-01-21", start="2013-01-21T00:00:00.000Z", end="2013-01-21T23:59:59.999Z")],
            keyPosition=5, roles=["TIME_PERIOD"])])])),
    ("attributes", O([
        ("dataSet", [comp("TIME_FORMAT", "Time Format", [val("P1D", "Daily")], relationship={"dataflow": {}},
                          roles=["TIME_FORMAT"], default="P1D")]),
        ("series", [comp("TITLE", "Series title", [{"value": "New Zealand dollar (NZD)"}, {"value": "Russian rouble (RUB)"}],
                         relationship={"dimensions": ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]}, roles=["TITLE"])]),
        ("observation", [comp("OBS_STATUS", "Observation status", [val("A", "Normal value")],
                              relationship={"primaryMeasure": "OBS_VALUE"}, roles=["OBS_STATUS"])])])),
    ("annotations", [{"title": "Sample series annotation title", "type": "example", "text": "Sample series annotation text", "id": "ABC123456"},
                     {"title": "Sample observation annotation title", "type": "example", "text": "Sample observation annotation text", "id": "XYZ98765"}]),
])
data_set = O([("structure", 0), ("action", "Merge"), ("series", O([
    ("0", O([("annotations", [0]), ("attributes", [0]), ("observations", O([("0", [1.5931, 0]), ("1", [1.5925, 0])]))])),
    ("1", O([("attributes", [1]), ("observations", O([("0", [40.3426, 0]), ("1", [40.3, 0, 1])]))])),
]))])
meta = O([("id", "IT1001"), ("prepared", "2018-03-11T14:30:47Z"), ("test", True), ("contentLanguages", ["en"]),
          ("sender", {"id": "ECB", "name": "European Central Bank"})])

v2 = O([("meta", meta), ("data", O([("structures", [structure]), ("dataSets", [data_set])]))])
with open("exr-time-series-2.0.json", "w") as f:
    f.write(json.dumps(v2, indent=2, ensure_ascii=False) + "\n")

s1 = O((k, v) for k, v in structure.items() if k != "dataSets")
d1 = O((k, v) for k, v in data_set.items() if k != "structure")
v1 = O([("header", O([("id", "IT1001"), ("test", True), ("prepared", "2018-03-11T14:30:47Z"),
                      ("sender", {"id": "ECB", "name": "European Central Bank"})])),
        ("dataSets", [d1]), ("structure", s1)])
with open("exr-time-series-1.0.json", "w") as f:
    f.write(json.dumps(v1, indent=2, ensure_ascii=False) + "\n")


def value_of(component, index):
    v = component["values"][index]
    return v.get("id", v.get("value"))


def ss_message(structure_id, dataset_attributes, series_list):
    """An SDMX-ML 2.1 structure-specific message: series_list is [(series attributes, [obs attributes])]."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- GENERATED by make_fixtures.py: the SDMX-ML 2.1 structure-specific form of the same observations. -->',
           '<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
           ' xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"'
           ' xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"'
           ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
           '  <message:Header>', '    <message:ID>GENERATED</message:ID>', '    <message:Test>true</message:Test>',
           '    <message:Prepared>2018-03-11T14:30:47Z</message:Prepared>', '    <message:Sender id="ECB"/>',
           f'    <message:Structure structureID="{structure_id}" dimensionAtObservation="TIME_PERIOD">',
           '      <common:Structure><Ref agencyID="ECB" id="ECB_EXR1" version="1.0"/></common:Structure>',
           '    </message:Structure>', '  </message:Header>',
           f'  <message:DataSet ss:structureRef="{structure_id}"' + "".join(f" {k}={quoteattr(v)}" for k, v in dataset_attributes) + ">"]
    for series, observations in series_list:
        out.append("    <Series" + "".join(f" {k}={quoteattr(v)}" for k, v in series) + ">")
        for obs in observations:
            out.append("      <Obs" + "".join(f" {k}={quoteattr(v)}" for k, v in obs) + "/>")
        out.append("    </Series>")
    out += ["  </message:DataSet>", "</message:StructureSpecificData>", ""]
    return "\n".join(out)


# Decode the JSON by the field guide: indexes into the structure's values, defaults where absent.
dims, attrs = structure["dimensions"], structure["attributes"]
dataset_attrs = [(a["id"], a["default"]) for a in attrs["dataSet"]]
series_list = []
for key, series in data_set["series"].items():
    fields = [(d["id"], d["values"][0]["id"]) for d in dims["dataSet"]]
    fields += [(d["id"], value_of(d, int(i))) for d, i in zip(dims["series"], key.split(":"))]
    fields += [(a["id"], value_of(a, i)) for a, i in zip(attrs["series"], series.get("attributes", [])) if i is not None]
    observations = []
    for obs_key, obs in series["observations"].items():
        o = [(d["id"], value_of(d, int(i))) for d, i in zip(dims["observation"], obs_key.split(":"))]
        o.append(("OBS_VALUE", repr(obs[0])))
        o += [(a["id"], value_of(a, i)) for a, i in zip(attrs["observation"], obs[1:]) if i is not None]
        observations.append(o)
    series_list.append((fields, observations))
with open("exr-time-series-2.1-ss.xml", "w") as f:
    f.write(ss_message("ECB_EXR1", dataset_attrs, series_list))

# The 3.0 sample with 2.1's namespaces: StructureUsage becomes Structure, nothing else differs here.
text = open("ECB_EXR-3.0-ss.xml").read()
text = text.replace("schemas/v3_0/", "schemas/v2_1/").replace("common:StructureUsage", "common:Structure")
text = text.replace("<!-- Abridged from", "<!-- GENERATED by make_fixtures.py with SDMX-ML 2.1 namespaces from ECB_EXR-3.0-ss.xml, itself abridged from")
with open("ECB_EXR-2.1-ss.xml", "w") as f:
    f.write(text)
