# SPDX-License-Identifier: Apache-2.0
"""Check digits of 事業所番号 and 保険者番号 (billing-rules.md §5), for the corpus
generators: weights 2, 1, 2, ... from the right, two-digit products split,
CD = (10 - sum % 10) % 10; letters A.. skipping I, O, Q count 10-32."""

LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch) if ch.isdigit() else 10 + LETTERS.index(ch)
        p = v * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return str((10 - total % 10) % 10)


def with_cd(body):
    """The number: body followed by its check digit."""
    return body + check_digit(body)
