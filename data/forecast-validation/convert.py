"""Convert the validation data sets (and the aus_retail development set) from their R
packages' .rda files to CSV files that ``make forecast-eval`` reads (long format
``unique_id,ds,y``).

    python -m venv /tmp/rdata-venv && /tmp/rdata-venv/bin/pip install rdata==1.1.0 pandas
    /tmp/rdata-venv/bin/python data/forecast-validation/convert.py \
        --hospital path/to/expsmooth/data/hospital.rda \
        --pbs path/to/tsibbledata/data/PBS.rda \
        --aus-retail path/to/tsibbledata/data/aus_retail.rda --out var/forecast-validation

See README.md beside this file for where the .rda files come from and their licences. The
values are not changed: hospital is the 84 x 767 monthly count matrix as stored (series
named by column number and code: codes repeat), PBS the
monthly number of scripts per (concession, type, ATC2) as stored (tsibbledata already fills
gaps inside a series with 0; a series' months before its first record stay absent),
aus_retail the monthly turnover per (state, industry) as stored.
"""
import argparse
import pathlib
import warnings

import numpy as np
import pandas as pd
import rdata


def _ts_matrix(obj, attrs):
    return obj, attrs


def hospital(path):
    parsed = rdata.parser.parse_file(path)
    conv = rdata.conversion.SimpleConverter(
        constructor_dict={**rdata.conversion.DEFAULT_CLASS_MAP, "ts": _ts_matrix})
    values, attrs = conv.convert(parsed)["hospital"]
    values = np.asarray(values, dtype=float)  # (84, 767): months x series
    start, _end, freq = (float(x) for x in attrs["tsp"])
    # column names repeat (the same product code in several places): keep the position too
    names = ["%03d_%s" % (i + 1, x) for i, x in enumerate(attrs["dimnames"][1])]
    year0, month0 = int(start), int(round((start - int(start)) * freq)) + 1
    months = pd.period_range("%04d-%02d" % (year0, month0), periods=values.shape[0], freq="M")
    frame = pd.DataFrame(values, index=months.to_timestamp(), columns=names)
    long = frame.rename_axis("ds").reset_index().melt(id_vars="ds", var_name="unique_id",
                                                      value_name="y")
    return long[["unique_id", "ds", "y"]]


def pbs(path):
    frame = rdata.conversion.convert(rdata.parser.parse_file(path))["PBS"]
    ds = pd.to_datetime(frame["Month"].astype(int), unit="D", origin="1970-01-01")
    uid = (frame["Concession"].astype(str) + "/" + frame["Type"].astype(str) + "/"
           + frame["ATC2"].astype(str))
    long = pd.DataFrame({"unique_id": uid, "ds": ds, "y": frame["Scripts"].astype(float)})
    return long.sort_values(["unique_id", "ds"]).reset_index(drop=True)


def aus_retail(path):
    frame = rdata.conversion.convert(rdata.parser.parse_file(path))["aus_retail"]
    ds = pd.to_datetime(frame["Month"].astype(int), unit="D", origin="1970-01-01")
    uid = frame["State"].astype(str) + "/" + frame["Industry"].astype(str)
    long = pd.DataFrame({"unique_id": uid, "ds": ds, "y": frame["Turnover"].astype(float)})
    return long.sort_values(["unique_id", "ds"]).reset_index(drop=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hospital")
    parser.add_argument("--pbs")
    parser.add_argument("--aus-retail", dest="aus_retail")
    parser.add_argument("--out", default="var/forecast-validation")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("ignore")  # rdata: unknown encodings, "mts" read as "ts"
    for name, path, convert in (("hospital", args.hospital, hospital),
                                ("pbs_scripts", args.pbs, pbs),
                                ("aus_retail", args.aus_retail, aus_retail)):
        if not path:
            continue
        long = convert(path)
        target = out / ("%s_monthly_long.csv" % name)
        long.to_csv(target, index=False, date_format="%Y-%m-%d")
        print("%s: %d series, %d rows -> %s" % (name, long["unique_id"].nunique(), len(long),
                                                 target))


if __name__ == "__main__":
    main()
