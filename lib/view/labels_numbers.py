"""Labels of issue #11 (what each number on screen is), English and Hindi; part of lib.view.labels."""

from __future__ import annotations

NUMBERS: dict[str, tuple[str, str]] = {
    "tile.change_since": ("since {day}", "{day} से"),
    "tile.day_vs_day": ("day, vs {before}", "दैनिक, {before} से"),
    "tile.help_stock": (
        "Badge: the change from {before} to {last} (the day chart's last two days).",
        "बैज: {before} से {last} तक का बदलाव (दैनिक चार्ट के अंतिम दो दिन)।"),
    "tile.help_flow": (
        "Big number: the whole period. Badge: {last}'s count ({v_last}) minus {before}'s "
        "({v_before}), the day chart's last two days.",
        "बड़ी संख्या: पूरी अवधि। बैज: {last} की संख्या ({v_last}) में से {before} की संख्या "
        "({v_before}) घटाकर (दैनिक चार्ट के अंतिम दो दिन)।"),
    "tile.campaign_target": ("Campaign {start}–{end}: {pct} of target ({target})",
                             "अभियान {start}–{end}: लक्ष्य ({target}) का {pct}"),
    "tile.all_categories": ("target counts all categories", "लक्ष्य सभी श्रेणियों का है"),
    "msg.no_data_period": ("No data for this period ({start} – {end}); data runs {first} – {last}",
                           "इस अवधि ({start} – {end}) के लिए कोई डेटा नहीं; डेटा {first} – {last} तक है"),
}
