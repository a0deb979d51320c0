"""Named checks a rule may ask for on what it matched (`validate = "nir"`)."""
from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9AaBb]")


def valid_nir(excerpt: str) -> bool:
    """A French social-security number (NIR): 13 characters and a key = 97 - (number mod 97).

    Corsica's departments 2A and 2B count as 19 and 18 for the key.
    """
    chars = "".join(_DIGITS.findall(excerpt)).upper()
    if len(chars) != 15 or chars[0] not in "12":
        return False
    body, key = chars[:13], chars[13:]
    if not key.isdigit():
        return False
    if body[5:7] == "2A":
        number = int(body[:5] + "19" + body[7:]) if body[:5].isdigit() and body[7:].isdigit() else -1
    elif body[5:7] == "2B":
        number = int(body[:5] + "18" + body[7:]) if body[:5].isdigit() and body[7:].isdigit() else -1
    elif body.isdigit():
        number = int(body)
    else:
        return False
    return number >= 0 and 97 - number % 97 == int(key)


def valid_nhs(excerpt: str) -> bool:
    """A UK NHS number: ten digits, the last a mod-11 check of the first nine (weights 10..2)."""
    digits = [int(c) for c in excerpt if c.isdigit()]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


CHECKS = {"nir": valid_nir, "nhs": valid_nhs}
