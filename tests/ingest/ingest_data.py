"""Helpers for ingest tests: a small good DATA folder written by hand (no real child data)."""

from __future__ import annotations

from pathlib import Path

from sufficiency.ingest.problems import Problem

LA_TOML = (
    'name = "Testshire"\ncode = "E06000019"\nregion = "West Midlands"\n'
    'neighbours = ["E06000051", "E10000013"]\n'  # none of its postcodes: bands as before
)

HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODE_COLUMNS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]

#: A good 2022-23 return (folder 2023): three children, four episodes. Row 2 is the first data row.
GOOD_HEADER = [
    ["C1", "1", "01/06/2010", "WBRI", "A123456789012", "", ""],
    ["C2", "2", "15/02/2015", "AIND", "", "0", ""],
    ["C3", "1", "03/09/2006", "REFU", "", "", ""],
]
GOOD_EPISODES = [
    ["C1", "10/05/2022", "S", "C2", "N1", "U4", "PR1", "20/08/2022", "X1", "CARPL", "HR1 2AB", "HR2 6AD", "SC123456"],
    ["C1", "20/08/2022", "P", "C2", "N1", "K2", "PR4", "", "", "", "HR1 2AB", "B1 1AA", "SC654321"],
    ["C2", "01/01/2023", "S", "V2", "N2", "U1", "PR1", "01/03/2023", "E13", "", "HR4 9QQ", "HR4 9QQ", ""],
    ["C3", "15/11/2021", "S", "C2", "N4", "H5", "PR5", "", "", "", "HR1 1AA", "WR1 1AA", ""],
]  # fmt: skip
GOOD_UASC = [["C3", "1", "03/09/2006", "03/09/2024"]]
#: A good carers register: two households, Herefordshire postcodes.
CARERS = (
    "household_id,status,approval_types,approved_date,places,occupied,postcode\n"
    "H1,approved,mainstream,01/04/2020,2,1,HR1 2AB\n"
    "H2,approved,kinship;short_breaks,15/06/2021,1,0,HR4 9QQ\n"
)


def where(p: Problem) -> tuple[str, str, str, int | None, str | None]:
    """A problem's severity, code, file, row and column (what tests compare)."""
    return (p.severity, p.code, p.file, p.row, p.column)


def csv_text(columns: list[str], rows: list[list[str]]) -> str:
    """CSV text with a header line; no quoting (test values hold no commas)."""
    return "\n".join([",".join(columns), *[",".join(r) for r in rows]]) + "\n"


def write_data(
    root: Path,
    returns: dict[int, dict[str, str | bytes]] | None = None,
    la_toml: str = LA_TOML,
) -> Path:
    """Write DATA/la.toml and DATA/ssda903/<year>/<file> for each return (text or bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "la.toml").write_text(la_toml)
    if returns is None:
        returns = {2023: good_files()}
    for year, files in returns.items():
        folder = root / "ssda903" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
    return root


def good_files(
    header: list[list[str]] | None = None, episodes: list[list[str]] | None = None
) -> dict[str, str | bytes]:
    """The good return's files, optionally with replaced header / episode rows."""
    return {
        "header.csv": csv_text(HEADER_COLUMNS, GOOD_HEADER if header is None else header),
        "episodes.csv": csv_text(EPISODE_COLUMNS, GOOD_EPISODES if episodes is None else episodes),
        "uasc.csv": csv_text(["CHILD", "SEX", "DOB", "DUC"], GOOD_UASC),
    }


def xml_return(
    header: list[list[str]] | None = None,
    episodes: list[list[str]] | None = None,
    uasc: list[list[str]] | None = None,
) -> str:
    """The good return as a DfE SSDA903 XML return (EXPSSDA903 > CHILD > HEADER, EPISODE)."""
    from xml.sax.saxutils import escape

    header = GOOD_HEADER if header is None else header
    episodes = GOOD_EPISODES if episodes is None else episodes
    duc = {r[0]: r[3] for r in (GOOD_UASC if uasc is None else uasc)}
    tags = {"CHILD": "CHILDID", "PLACE": "PL"}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<EXPSSDA903>"]
    for row in header:
        lines += ["  <CHILD>", "    <HEADER>"]
        for col, value in zip(HEADER_COLUMNS, row, strict=True):
            tag = tags.get(col, col)
            lines.append(f"      <{tag}>{escape(value)}</{tag}>" if value else f"      <{tag}/>")
        if row[0] in duc:
            lines += ["      <UASC>1</UASC>", f"      <DUC>{duc[row[0]]}</DUC>"]
        lines.append("    </HEADER>")
        for ep in (e for e in episodes if e[0] == row[0]):
            lines.append("    <EPISODE>")
            for col, value in zip(EPISODE_COLUMNS[1:], ep[1:], strict=True):
                tag = tags.get(col, col)
                lines.append(
                    f"      <{tag}>{escape(value)}</{tag}>" if value else f"      <{tag}/>"
                )
            lines.append("    </EPISODE>")
        lines.append("  </CHILD>")
    lines.append("</EXPSSDA903>")
    return "\n".join(lines) + "\n"


def many_children(
    n: int, closed: bool = False, prefix: str = "K"
) -> tuple[list[list[str]], list[list[str]]]:
    """Header and episode rows for ``n`` children, one 2022-23 episode each (open, or closed)."""
    header = [[f"{prefix}{i}", "1", "01/06/2010", "WBRI", "", "", ""] for i in range(n)]
    dec, rec = ("20/08/2022", "E11") if closed else ("", "")
    episodes = [
        [f"{prefix}{i}", "10/05/2022", "S", "C2", "N1", "U4", "PR1", dec, rec, "", "", "", ""]
        for i in range(n)
    ]
    return header, episodes


def return_files(header: list[list[str]], episodes: list[list[str]]) -> dict[str, str | bytes]:
    """A return of just a header and an episodes table."""
    return {
        "header.csv": csv_text(HEADER_COLUMNS, header),
        "episodes.csv": csv_text(EPISODE_COLUMNS, episodes),
    }
