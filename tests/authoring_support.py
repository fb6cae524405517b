"""A small form in English and Burmese for the Forms page tests."""

from __future__ import annotations

CLINIC = """\
id: clinic_visits
version: {version}
title: {{en: Clinic visits, my: ဆေးခန်းသွားခြင်း}}
languages: [en, my]
default_language: en
consent:
  version: 1
  text:
    en: We ask about clinic visits. You may stop at any time.
    my: ဆေးခန်းသွားခြင်းအကြောင်း မေးပါမည်။ အချိန်မရွေး ရပ်နိုင်ပါသည်။
sections:
  - name: visits
    title: {{en: Visits, my: သွားရောက်မှု}}
    questions:
      - name: visits
        type: integer
        {label_key}: {{en: "How many times did you see a doctor this year?", my: "ဒီနှစ် ဆရာဝန်ကို ဘယ်နှစ်ကြိမ် ပြခဲ့သလဲ"}}
        required: true
        constraint: ". >= 0 and . <= 100"
        constraint_message: {{en: Between 0 and 100, my: ၀ နှင့် ၁၀၀ ကြား}}
{extra}"""

EXTRA_QUESTION = """\
      - name: distance
        type: select_one
        label: {en: "How far is the clinic?", my: "ဆေးခန်း ဘယ်လောက်ဝေးသလဲ"}
        choices:
          - {value: near, label: {en: Near, my: နီး}}
          - {value: far, label: {en: Far, my: ဝေး}}
"""


def clinic(version: int = 1, *, broken: bool = False, extra: bool = False) -> str:
    return CLINIC.format(version=version, label_key="lable" if broken else "label",
                         extra=EXTRA_QUESTION if extra else "")
