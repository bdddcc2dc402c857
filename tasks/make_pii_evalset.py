"""Generate the labeled PII evaluation set shipped in ``src/openmodel_gov/data/pii/evalset.jsonl``.

Synthetic text in the shapes of training data -- forum posts, support tickets, resumes, chat
transcripts, logs, code comments -- with Faker values at known character spans, plus
look-alike texts that hold no PII (versions, hashes, model ids, seeds, prices, license ids,
dates in configs). Deterministic: a fixed seed; rerun and diff to review changes.

Usage: ``python tasks/make_pii_evalset.py [--out PATH] [--per-kind N] [--lookalikes N]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import phonenumbers
from faker import Faker

SEED = 20261122
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "openmodel_gov" / "data" / "pii" / "evalset.jsonl"

# Real places (NER models know real places; Faker's en_US cities are invented).
PLACES = [
    "London",
    "Berlin",
    "Paris",
    "Madrid",
    "Chicago",
    "Boston",
    "Seattle",
    "Toronto",
    "Dublin",
    "Amsterdam",
    "Sydney",
    "Mumbai",
    "Tokyo",
    "Nairobi",
    "Lisbon",
    "Vienna",
    "Texas",
    "California",
    "Germany",
    "France",
    "Canada",
    "Brazil",
    "Japan",
    "India",
    "Kenya",
    "Mexico",
    "Ohio",
    "Oregon",
]
PHONE_REGIONS = ["US", "US", "US", "GB", "GB", "DE", "FR", "IN", "AU", "IE"]
CARD_TYPES = [
    "visa16",
    "mastercard",
    "mastercard",
    "amex",
    "discover",
    "jcb16",
    "maestro",
    "diners",
]
IBAN_LOCALES = ["en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT"]


class Gen:
    """Value generators (one Faker per locale, one RNG)."""

    def __init__(self, seed: int) -> None:
        Faker.seed(seed)
        self.rng = random.Random(seed)
        self.fake = Faker(["en_US", "en_GB"])
        self.us = Faker("en_US")
        self.iban_fakers = {loc: Faker(loc) for loc in IBAN_LOCALES}

    def PERSON(self) -> str:  # noqa: N802 - entity names
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def LOCATION(self) -> str:  # noqa: N802
        return self.rng.choice(PLACES)

    def EMAIL_ADDRESS(self) -> str:  # noqa: N802
        return self.rng.choice([self.fake.email, self.fake.free_email, self.fake.company_email])()

    def PHONE_NUMBER(self) -> str:  # noqa: N802
        region = self.rng.choice(PHONE_REGIONS)
        while True:
            example = phonenumbers.example_number(region)
            assert example is not None
            national = str(example.national_number)
            digits = national[:3] + "".join(self.rng.choice("0123456789") for _ in national[3:])
            number = phonenumbers.parse(digits, region)
            if phonenumbers.is_valid_number(number):
                break
        fmt = self.rng.choice(
            ["intl", "national", "e164"] + (["dots", "dashes"] if region == "US" else [])
        )
        if fmt == "intl":
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if fmt == "e164":
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if fmt in ("dots", "dashes"):
            n = str(number.national_number)
            sep = "." if fmt == "dots" else "-"
            return f"{n[:3]}{sep}{n[3:6]}{sep}{n[6:]}"
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    def CREDIT_CARD(self) -> str:  # noqa: N802
        card_type = self.rng.choice(CARD_TYPES)
        number = self.us.credit_card_number(card_type=card_type)
        # Faker also emits JCB numbers from 3500-3527 and Maestro numbers from the retired UK
        # range 0604; ISO/IEC 7812 assigns JCB 3528-3589 and Maestro 50, 56-69. Redraw those.
        while (card_type == "jcb16" and not "3528" <= number[:4] <= "3589") or number[0] == "0":
            number = self.us.credit_card_number(card_type=card_type)
        style = self.rng.choice(["plain", "spaces", "dashes"])
        if style == "plain" or len(number) not in (15, 16):
            return number
        sep = " " if style == "spaces" else "-"
        if len(number) == 15:  # amex 4-6-5
            return sep.join([number[:4], number[4:10], number[10:]])
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def IBAN_CODE(self) -> str:  # noqa: N802
        iban = self.iban_fakers[self.rng.choice(IBAN_LOCALES)].iban()
        if self.rng.random() < 0.5:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def IP_ADDRESS(self) -> str:  # noqa: N802
        return self.rng.choice([self.fake.ipv4_public, self.fake.ipv4_private, self.fake.ipv6])()

    def US_SSN(self) -> str:  # noqa: N802
        return self.us.ssn()


# Templates: {ENTITY} slots are filled and labeled; {first} is a first name (labeled PERSON).
TEMPLATES: dict[str, list[str]] = {
    "forum_post": [
        "Hi all, I'm {PERSON} from {LOCATION}. The installer keeps failing on my laptop; if anyone has ideas, drop me a line at {EMAIL_ADDRESS}. Thanks in advance!",
        "Posting for my colleague {PERSON}: the training run crashes after two epochs. She is reachable on {PHONE_NUMBER} during office hours in {LOCATION}.",
        "Re: dataset access. {PERSON} wrote that the mirror at {IP_ADDRESS} is down again. Can someone in {LOCATION} confirm before we open a ticket?",
        "Does anyone know how to cite this properly? My advisor {PERSON} says we need permission first. Contact: {EMAIL_ADDRESS} or {PHONE_NUMBER}.",
        "Selling my old GPU, pickup in {LOCATION} only. Message {PERSON} at {PHONE_NUMBER}, no emails please.",
    ],
    "support_ticket": [
        "Ticket #4821: customer {PERSON} reports a double charge on card {CREDIT_CARD}. Callback number {PHONE_NUMBER}. Priority: high.",
        "Refund request from {PERSON} ({EMAIL_ADDRESS}). Please send the money to IBAN {IBAN_CODE} and confirm by email.",
        "Account locked after too many attempts from {IP_ADDRESS}. Owner {PERSON} verified identity with SSN {US_SSN}.",
        "Billing update: {PERSON} changed the payment method to {CREDIT_CARD}; invoice address is in {LOCATION}.",
        "Escalation: login from unknown address {IP_ADDRESS} for user {EMAIL_ADDRESS}. Agent on duty: {PERSON}.",
        "Please update the payroll record of {PERSON}: new IBAN {IBAN_CODE}, social security number {US_SSN}.",
    ],
    "resume": [
        "{PERSON}\n{LOCATION}\nEmail: {EMAIL_ADDRESS} | Phone: {PHONE_NUMBER}\nSummary: machine learning engineer with six years of experience in search and ranking.",
        "Curriculum vitae of {PERSON}. Based in {LOCATION}. Reach me at {EMAIL_ADDRESS}. References available from {PERSON} on request.",
        "Name: {PERSON}\nSSN: {US_SSN}\nAddress: {LOCATION}\nMobile: {PHONE_NUMBER}\nEducation: MSc in Computer Science.",
        "{PERSON} - Data Scientist - {LOCATION}\nContact {PHONE_NUMBER} / {EMAIL_ADDRESS}\nSkills: Python, SQL, distributed training.",
    ],
    "chat": [
        "[10:02] {first}: hey, can you send me the slides?\n[10:03] me: sure, what's your email?\n[10:03] {first}: {EMAIL_ADDRESS}",
        "user: my card {CREDIT_CARD} was declined twice\nassistant: Sorry to hear that. Could you confirm the phone number on the account?\nuser: {PHONE_NUMBER}",
        "A: did {PERSON} ever reply?\nB: yes, she said to call her at {PHONE_NUMBER} after six\nA: great, I'll ping her from {LOCATION}",
        "customer: please wire it to {IBAN_CODE}\nagent: Thanks {PERSON}, the transfer is scheduled for Monday.",
        "user: here is my SSN {US_SSN}, is that what you need?\nassistant: Please do not share that here, {first}.",
    ],
    "log": [
        "2024-03-15T10:22:01Z INFO auth: login ok user={EMAIL_ADDRESS} ip={IP_ADDRESS}",
        "2024-03-15 10:22:07 WARN gateway: 5 failed attempts from {IP_ADDRESS}, blocking for 900s",
        "Mar 15 10:22:09 web-01 sshd[2231]: Accepted publickey for deploy from {IP_ADDRESS} port 52144",
        "2024-03-15T10:23:44Z ERROR billing: charge failed card={CREDIT_CARD} customer={EMAIL_ADDRESS}",
        "2024-03-15T10:24:12Z DEBUG sms: sent verification code to {PHONE_NUMBER}",
        "2024-03-15T10:25:00Z INFO payouts: queued transfer to {IBAN_CODE} for {PERSON}",
    ],
    "code_comment": [
        "# TODO({first}): remove the hard-coded test account {EMAIL_ADDRESS} before release",
        "// Contact {PERSON} <{EMAIL_ADDRESS}> before changing the retry policy.",
        "# staging DB lives at {IP_ADDRESS}; ask {PERSON} for credentials",
        "/* test card used in fixtures: {CREDIT_CARD} (remove before open-sourcing) */",
        "# fallback support line: {PHONE_NUMBER}",
        "# Author: {PERSON}, {LOCATION}. Licensed under Apache-2.0.",
    ],
}

LOOKALIKES: list[Callable[[random.Random], str]] = [
    lambda r: (
        f"Upgrade to torch=={r.randint(1, 2)}.{r.randint(0, 9)}.{r.randint(0, 9)} and transformers v4.{r.randint(20, 45)}.{r.randint(0, 3)} before running the script."
    ),
    lambda r: (
        f"seed: {r.randint(0, 2**32 - 1)}\nlearning_rate: {r.choice(['3e-4', '1e-5', '0.0002'])}\nbatch_size: {r.choice([32, 64, 256])}\nmax_steps: {r.randint(1000, 2000000)}"
    ),
    lambda r: f"commit {r.getrandbits(160):040x}\nsha256: {r.getrandbits(256):064x}",
    lambda r: (
        f"model_id: {r.choice(['meta-llama/Llama-2-7b-hf', 'mistralai/Mistral-7B-v0.1', 'bert-base-uncased', 'google/flan-t5-xl', 'EleutherAI/pythia-1.4b'])}\nrevision: {r.getrandbits(28):07x}"
    ),
    lambda r: (
        f"Pricing: ${r.randint(1, 999)}.{r.randint(0, 99):02d} per month, or €{r.randint(1, 99)},{r.randint(0, 99):02d} for students. Storage {r.randint(1, 999)}.{r.randint(0, 9)} GB included."
    ),
    lambda r: (
        f"license: {r.choice(['Apache-2.0', 'MIT', 'CC-BY-SA-4.0', 'GPL-3.0-or-later', 'BSD-3-Clause', 'OpenRAIL-M', 'CC-BY-NC-4.0'])}\ncreated: 20{r.randint(18, 26)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}\nupdated: 20{r.randint(18, 26)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z"
    ),
    lambda r: (
        f"Released v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 20)}.{r.randint(0, 99)} with {r.randint(2, 70)}B parameters trained on {r.randint(1, 15)}T tokens; eval loss {r.random():.4f}."
    ),
    lambda r: (
        f"run_id={r.getrandbits(64):016x} step={r.randint(0, 10**6)} loss={r.random() * 3:.5f} tokens/s={r.randint(1000, 90000)} gpu_mem={r.randint(10, 80)}GiB"
    ),
    lambda r: (
        f"See arXiv:{r.randint(1501, 2412)}.{r.randint(1000, 29999):05d} and doi:10.{r.randint(1000, 9999)}/{r.randint(100000, 999999)} for the ablation; table {r.randint(1, 9)} reports {r.randint(50, 99)}.{r.randint(0, 9)}% accuracy."
    ),
    lambda r: (
        f'uuid = "{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-a{r.getrandbits(12):03x}-{r.getrandbits(48):012x}"  # dataset shard id'
    ),
    lambda r: (
        f"Serving on http://localhost:{r.randint(1024, 65535)} with {r.randint(1, 64)} workers; timeout {r.randint(5, 600)}s; max_tokens {r.choice([512, 2048, 4096, 8192])}."
    ),
    lambda r: (
        f"Order total 1,{r.randint(100, 999)},{r.randint(100, 999)} tokens across {r.randint(10, 999)} files ({r.randint(1, 999)} MB); checksum {r.getrandbits(32):08X}."
    ),
]

_SLOT = re.compile(r"\{([A-Za-z_]+)\}")


def fill(template: str, gen: Gen) -> tuple[str, list[dict[str, object]]]:
    text, spans, pos = "", [], 0
    for match in _SLOT.finditer(template):
        text += template[pos : match.start()]
        name = match.group(1)
        value = gen.fake.first_name() if name == "first" else getattr(gen, name)()
        entity = "PERSON" if name == "first" else name
        spans.append({"start": len(text), "end": len(text) + len(value), "entity_type": entity})
        text += value
        pos = match.end()
    return text + template[pos:], spans


def build(per_kind: int, lookalikes: int) -> list[dict[str, object]]:
    gen = Gen(SEED)
    rows: list[dict[str, object]] = []
    for kind, templates in TEMPLATES.items():
        for i in range(per_kind):
            text, spans = fill(templates[i % len(templates)], gen)
            rows.append({"id": f"{kind}-{i:04d}", "kind": kind, "text": text, "spans": spans})
    for i in range(lookalikes):
        text = LOOKALIKES[i % len(LOOKALIKES)](gen.rng)
        rows.append({"id": f"lookalike-{i:04d}", "kind": "lookalike", "text": text, "spans": []})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--lookalikes", type=int, default=240)
    args = parser.parse_args()
    rows = build(args.per_kind, args.lookalikes)
    args.out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"wrote {len(rows)} texts to {args.out}")


if __name__ == "__main__":
    main()
