#!/usr/bin/env python3
"""Writes the seed corpus of normalize_fuzz (tests/fuzz/corpus/normalize/seed-*) and config_fuzz
(tests/fuzz/corpus/config/seed-*): valid and near-valid inputs for every version and message type, and the
files of config/ with a few near-valid variants. Regression inputs (crash-*) are never touched.

normalize_fuzz input: byte 0 picks version (b % 3: FIX.4.2, FIX.4.4, FIXT.1.1) and type ((b / 3) % 10: D F G
H q R AB 8 j, 9 = the input's own 35=); the rest is tag=value fields separated by '|' (or SOH).

Run from anywhere: python3 tests/fuzz/make_seeds.py
"""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VERSIONS = ["FIX.4.2", "FIX.4.4", "FIXT.1.1"]
TYPES = ["D", "F", "G", "H", "q", "R", "AB", "8", "j", None]
TRANSACT = "60=20231114-22:13:20.123"


def selector(version, msg_type):
    v = VERSIONS.index(version)
    t = TYPES.index(msg_type)
    for b in range(0x21, 0x7F):  # printable, so the seeds stay readable
        if b % 3 == v and (b // 3) % 10 == t and chr(b) != "|":
            return chr(b)
    raise ValueError((version, msg_type))


def capacity(version):
    return "47=A" if version == "FIX.4.2" else "528=A"


def seeds_for(version):
    four_two = version == "FIX.4.2"
    handl = ["21=1"] if four_two else []
    parties = ["453=3", "448=90001", "447=P", "452=3", "448=4711", "447=P", "452=122", "2376=24",
               "448=ALGO-9", "447=P", "452=12", "2376=22"]
    limit = ["11=C-1", "1=ACC-7", *handl, "55=VOD.L", "54=1", TRANSACT, "38=1500", "40=2", "44=101.25",
             "59=1", "15=GBP", "100=SIM-B", capacity(version)]
    out = {
        "D-limit": ("D", limit),
        "D-limit-parties": ("D", limit + parties),
        "D-market-ioc": ("D", ["11=C-2", *handl, "55=AAPL", "54=2", TRANSACT, "38=100", "40=1", "59=3"]),
        "D-stoplimit-gtd": ("D", ["11=C-3", *handl, "55=AAPL", "54=5", TRANSACT, "38=10", "40=4", "44=99.5",
                                  "99=100", "59=6", "432=20231231", "48=US0378331005", "22=4", "207=XNAS"]),
        "D-no-qty": ("D", ["11=C-4", *handl, "55=AAPL", "54=1", TRANSACT, "40=2", "44=1"]),
        "D-bad-price": ("D", ["11=C-5", *handl, "55=AAPL", "54=1", TRANSACT, "38=1", "40=2",
                              "44=1.123456789"]),
        "D-bad-qualifier": ("D", limit[:-1] + ["453=1", "448=X", "447=PP", "452=3", "2376=99"]),
        "F-cancel": ("F", ["11=C-6", "41=C-1", "55=VOD.L", "54=1", TRANSACT, "38=1500"]),
        "G-replace": ("G", ["11=C-7", "41=C-1", *handl, "55=VOD.L", "54=1", TRANSACT, "38=2000", "40=2",
                            "44=101.5", "59=0", capacity(version)]),
        "H-status": ("H", ["11=C-1", "37=FG1-1", "55=VOD.L", "54=1"]),
        "q-symbol": ("q", ["11=C-8", "530=1", "55=VOD.L", TRANSACT]),
        "q-all": ("q", ["11=C-9", "530=7", TRANSACT]),
        "q-symbol-missing": ("q", ["11=C-10", "530=1", TRANSACT]),
        "R-unsupported": ("R", ["131=Q-1", "146=1", "55=AAPL"]),
        "own-type-E": (None, ["35=E", "66=L-1", "68=1", "73=1", "11=C-11", "67=1", "55=AAPL", "54=1"]),
    }
    return out


def main():
    normalize = HERE / "corpus" / "normalize"
    config = HERE / "corpus" / "config"
    normalize.mkdir(parents=True, exist_ok=True)
    config.mkdir(parents=True, exist_ok=True)
    for old in list(normalize.glob("seed-*")) + list(config.glob("seed-*")):
        old.unlink()
    tag = {"FIX.4.2": "42", "FIX.4.4": "44", "FIXT.1.1": "50sp2"}
    for version in VERSIONS:
        for name, (msg_type, fields) in seeds_for(version).items():
            data = selector(version, msg_type) + "|".join(fields)
            (normalize / f"seed-{tag[version]}-{name}").write_bytes(data.encode())
    # The SOH form of one message, as it comes off the wire.
    msg_type, fields = seeds_for("FIX.4.4")["D-limit"]
    (normalize / "seed-44-D-limit-soh").write_bytes((selector("FIX.4.4", "D") + "\x01".join(fields)).encode())

    for name in ("gateway.yaml", "instruments.yaml", "limits.yaml"):
        (config / f"seed-{name}").write_bytes((ROOT / "config" / name).read_bytes())
    near = {
        "seed-empty.yaml": "",
        "seed-not-a-map.yaml": "- just\n- a list\n",
        "seed-instruments-dup.yaml": "instruments:\n  - symbol: AAPL\n    currency: USD\n    tick_size: 0.01\n"
                                     "  - symbol: AAPL\n    currency: USDX\n    tick_size: -1\n    isin: SHORT\n",
        "seed-limits-nulls.yaml": "credit_warning_pct: ~\nduplicate_window_ms: 0\ncollar:\n"
                                  "  max_deviation_pct: ~\n  max_deviation_ticks: ~\n",
        "seed-flow-style.yaml": "{gateway: {instance_id: FG1}, client_sessions: [], venues: [{name: A, port: 0}]}\n",
        "seed-repeated-key.yaml": "gateway:\n  instance_id: FG1\n  instance_id: FG2\n",
    }
    for name, text in near.items():
        (config / name).write_text(text)


if __name__ == "__main__":
    main()
