"""Letters that look like Latin letters, folded to them (applied after case folding and NFKD)."""

from __future__ import annotations

__all__ = ["HOMOGLYPHS"]


def _pairs(lookalikes: str, latin: str) -> dict[str, str]:
    if len(lookalikes) != len(latin):
        raise ValueError("homoglyph rows must pair each look-alike with one Latin letter")
    return dict(zip(lookalikes, latin, strict=True))


def _run(first: int, latin: str) -> dict[str, str]:
    return {chr(first + i): letter for i, letter in enumerate(latin)}


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

HOMOGLYPHS: dict[str, str] = {
    # Cyrillic (upper case is folded to lower case first; accented forms decompose first).
    **_pairs("авеѕһіјкмнорсԛтуԝхүьӏԁп", "abeshijkmhopcqtywxybldn"),
    # Greek.
    **_pairs("αβγδεηικμνορστυχωϲϳϵς", "abydenikuvopotuxwcjec"),
    # Armenian.
    **_pairs("օսոհցզ", "ounhgq"),
    # Latin letters without a decomposition: small capitals, dotless i, barred letters.
    **_pairs("ıȷɑɒɡɩɪʟɴʀʏᴀʙᴄᴅᴇꜰɢʜᴊᴋᴍᴏᴘꜱᴛᴜᴠᴡᴢøłđħŧƀɓɗ", "ijaagiilnryabcdefghjkmopstuvwzoldhtbbd"),
    # Negative squared letters and regional indicators (🅲🅾🅽, 🇨🇴🇳).
    **_run(0x1F170, _ALPHABET),
    **_run(0x1F1E6, _ALPHABET),
    # Ligatures that NFKD leaves alone.
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "þ": "th",
    "ð": "d",
}
