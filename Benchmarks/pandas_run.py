#!/usr/bin/env python3
"""The script an analyst writes instead of `curate run` (make bench runs it beside curate on the same
file): read the long-form CSV, markers to missing, 千円 to yen, check the key is unique, sort by
key, write CSV, hash it. Usage: pandas_run.py INPUT.csv OUTPUT.csv"""
import hashlib, sys
import pandas as pd

MARKERS = ["-", "…", "x", "X", "***"]

def main(src, out):
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    df.columns = ["year", "area", "measure", "value", "unit"]
    value = df["value"].where(~df["value"].isin(MARKERS))
    df["value"] = pd.to_numeric(value.str.replace(",", "", regex=False))
    thousands = df["unit"] == "千円"
    df.loc[thousands, "value"] *= 1000
    df.loc[thousands, "unit"] = "円"
    df["year"] = df["year"].astype(int)
    key = ["year", "area", "measure"]
    duplicated = df.duplicated(key, keep=False)
    if duplicated.any():
        sys.exit(f"duplicate keys:\n{df[duplicated].head()}")
    df.sort_values(key, kind="mergesort").to_csv(out, index=False)
    digest = hashlib.sha256()
    with open(out, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    print(digest.hexdigest())

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
