"""The label catalogue: every UI string as key -> (English, Hindi), by section (see lib.view.labels)."""

# ---------------------------------------------------------------------------------------------
# The catalogue, by section: key -> (English, Hindi).
# ---------------------------------------------------------------------------------------------

_APP = {
    "app.title": ("Smart Meter Campaign Dashboard", "स्मार्ट मीटर अभियान डैशबोर्ड"),
    "app.subtitle": ("Smart prepaid meter consumer awareness campaign, PVVNL",
                     "स्मार्ट प्री-पेड मीटर उपभोक्ता जागरूकता अभियान, पीवीवीएनएल"),
    "app.org": ("Paschimanchal Vidyut Vitran Nigam Ltd", "पश्चिमांचल विद्युत वितरण निगम लिमिटेड"),
    "app.org_short": ("PVVNL", "पीवीवीएनएल"),
    "app.error": ("Something went wrong showing this page. Try again or change the filters; if it "
                  "persists, tell the MIS team (reference {ref}).",
                  "यह पृष्ठ दिखाने में त्रुटि हुई। फिर प्रयास करें या फ़िल्टर बदलें; बार-बार हो तो "
                  "एमआईएस टीम को बताएँ (संदर्भ {ref})।"),
}

_PAGES = {
    "page.overview": ("Overview", "अवलोकन"),
    "page.zones": ("Zones & areas", "ज़ोन एवं क्षेत्र"),
    "page.chief_engineers": ("Chief engineers", "मुख्य अभियंता"),
    "page.negative_balance": ("Negative balance", "निगेटिव बैलेंस"),
    "page.verification": ("Verification & app", "सत्यापन एवं ऐप"),
    "page.recharges": ("Recharges", "रिचार्ज"),
    "page.help_desks": ("Help desks", "हेल्प डेस्क"),
    "page.data": ("Data", "डेटा"),
    "page.display": ("Meeting-room display", "बैठक कक्ष डिस्प्ले"),
}

# Short tile labels of the KPI object (lib.figures.metrics.KPI_KEYS), then the longer help text.
_KPIS = {
    "kpi.consumers": ("Consumers", "उपभोक्ता"),
    "kpi.negative_balance": ("Negative-balance consumers", "निगेटिव बैलेंस उपभोक्ता"),
    "kpi.arrears_inr": ("Arrears", "बकाया राशि"),
    "kpi.negative_at_start": ("Negative at start", "प्रारंभ में निगेटिव"),
    "kpi.negative_cleared": ("Negative cleared", "निगेटिव बैलेंस समाप्त"),
    "kpi.otp_verified": ("OTP verified", "ओटीपी सत्यापित"),
    "kpi.app_downloaded": ("App downloads", "ऐप डाउनलोड"),
    "kpi.app_trained": ("Trained on app", "ऐप प्रशिक्षण"),
    "kpi.contacted": ("Contacted", "संपर्क किया गया"),
    "kpi.verification_coverage": ("Verification coverage", "सत्यापन कवरेज"),
    "kpi.app_coverage": ("App coverage", "ऐप कवरेज"),
    "kpi.recharge_count": ("Recharges", "रिचार्ज"),
    "kpi.recharge_inr": ("Recharge amount", "रिचार्ज राशि"),
    "kpi.app_recharge_share": ("Smart App share of recharges", "रिचार्ज में स्मार्ट ऐप का हिस्सा"),
    "kpi.complaints_received": ("Complaints received", "प्राप्त शिकायतें"),
    "kpi.complaints_resolved": ("Complaints resolved", "निस्तारित शिकायतें"),
    "kpi.complaints_open": ("Complaints open", "लंबित शिकायतें"),
    "kpi.resolution_hours_median": ("Median resolution time", "निस्तारण समय (माध्यिका)"),
    "kpi.target": ("Target", "लक्ष्य"),
    "kpi.achievement": ("Achievement", "उपलब्धि"),
    "kpi.target_achievement": ("Target achievement", "लक्ष्य प्राप्ति"),
}

_KPI_HELP = {
    "kpi_help.consumers": ("Prepaid smart-meter accounts in the selected scope.",
                           "चयनित दायरे में स्मार्ट प्री-पेड मीटर वाले खाते।"),
    "kpi_help.negative_balance": (
        "Accounts whose latest balance on the last day of the period is below zero.",
        "वे खाते जिनका अवधि के अंतिम दिन का नवीनतम बैलेंस शून्य से कम (निगेटिव) है।"),
    "kpi_help.arrears_inr": (
        "Total of the negative balances on the last day of the period, in rupees.",
        "अवधि के अंतिम दिन सभी निगेटिव बैलेंस का कुल योग (रुपये में)।"),
    "kpi_help.negative_at_start": (
        "Accounts with a negative balance on the day before the period starts.",
        "अवधि शुरू होने से एक दिन पहले निगेटिव बैलेंस वाले खाते।"),
    "kpi_help.negative_cleared": (
        "Of the accounts negative at the start, those at zero or above by the last day.",
        "प्रारंभ में निगेटिव खातों में से वे, जिनका बैलेंस अंतिम दिन तक शून्य या उससे अधिक हो गया।"),
    "kpi_help.otp_verified": (
        "Consumers whose mobile number was confirmed by OTP during the period.",
        "अवधि में जिन उपभोक्ताओं का मोबाइल नंबर ओटीपी से सत्यापित किया गया।"),
    "kpi_help.app_downloaded": (
        "Consumers who installed the UPPCL Smart App and logged in during the period.",
        "अवधि में जिन उपभोक्ताओं ने यूपीपीसीएल स्मार्ट ऐप डाउनलोड कर लॉग-इन किया।"),
    "kpi_help.app_trained": (
        "Consumers shown how to check balance and recharge in the app during the period.",
        "अवधि में जिन उपभोक्ताओं को ऐप में बैलेंस देखने और रिचार्ज करने का प्रशिक्षण दिया गया।"),
    "kpi_help.contacted": (
        "Negative-balance consumers reached in person or by phone during the period.",
        "अवधि में व्यक्तिगत रूप से या फ़ोन पर संपर्क किए गए निगेटिव बैलेंस उपभोक्ता।"),
    "kpi_help.verification_coverage": (
        "Share of consumers whose mobile number has ever been verified by OTP.",
        "उन उपभोक्ताओं का प्रतिशत जिनका मोबाइल नंबर अब तक ओटीपी से सत्यापित हो चुका है।"),
    "kpi_help.app_coverage": (
        "Share of consumers who have ever downloaded the UPPCL Smart App.",
        "उन उपभोक्ताओं का प्रतिशत जिन्होंने अब तक यूपीपीसीएल स्मार्ट ऐप डाउनलोड किया है।"),
    "kpi_help.recharge_count": ("Number of recharges (payments) made in the period.",
                                "अवधि में किए गए रिचार्ज (भुगतान) की संख्या।"),
    "kpi_help.recharge_inr": ("Total amount recharged in the period, in rupees.",
                              "अवधि में किए गए रिचार्ज की कुल राशि (रुपये में)।"),
    "kpi_help.app_recharge_share": (
        "Share of the recharged rupees paid through the UPPCL Smart App.",
        "कुल रिचार्ज राशि में यूपीपीसीएल स्मार्ट ऐप से किए गए भुगतान का हिस्सा।"),
    "kpi_help.complaints_received": ("Help-desk tickets opened in the period.",
                                     "अवधि में हेल्प डेस्क पर दर्ज शिकायतें।"),
    "kpi_help.complaints_resolved": ("Help-desk tickets resolved in the period.",
                                     "अवधि में निस्तारित शिकायतें।"),
    "kpi_help.complaints_open": (
        "Tickets opened on or before the last day and not resolved by its end.",
        "अंतिम दिन तक दर्ज वे शिकायतें जिनका उस दिन के अंत तक निस्तारण नहीं हुआ।"),
    "kpi_help.resolution_hours_median": (
        "Median hours from opening to resolution, over tickets resolved in the period.",
        "अवधि में निस्तारित शिकायतों में दर्ज होने से निस्तारण तक लगे घंटों की माध्यिका।"),
    "kpi_help.target_achievement": (
        "Campaign figure divided by the targets set for the units in scope.",
        "अभियान की उपलब्धि, चयनित इकाइयों के लिए निर्धारित लक्ष्य के सापेक्ष।"),
}

# Organisation levels (lib.data.contract.LEVELS), singular and plural, and the officers.
_LEVELS = {
    "level.zone": ("Zone", "ज़ोन"),
    "level.circle": ("Circle", "सर्किल"),
    "level.division": ("Division", "खंड"),
    "level.area": ("Area", "क्षेत्र"),
    "levels.zone": ("Zones", "ज़ोन"),
    "levels.circle": ("Circles", "सर्किल"),
    "levels.division": ("Divisions", "खंड"),
    "levels.area": ("Areas", "क्षेत्र"),
    "officer.chief_engineer": ("Chief engineer", "मुख्य अभियंता"),
    "officer.superintending_engineer": ("Superintending engineer", "अधीक्षण अभियंता"),
    "officer.executive_engineer": ("Executive engineer", "अधिशासी अभियंता"),
    "officer.sdo": ("Sub-divisional officer", "उपखंड अधिकारी"),
    "org.subdivision": ("Sub-division", "उपखंड"),
    "org.district": ("District", "जनपद"),
    "org.help_desk": ("Help desk", "हेल्प डेस्क"),
}

# Vocabularies of lib.data.contract: consumer categories, activities, channels, complaint categories.
_VOCABS = {
    "category.domestic": ("Domestic", "घरेलू"),
    "category.commercial": ("Commercial", "वाणिज्यिक"),
    "category.industrial": ("Industrial", "औद्योगिक"),
    "category.institutional": ("Institutional", "संस्थागत"),
    "category.agricultural": ("Agricultural", "कृषि"),
    "category.other": ("Other", "अन्य"),
    "activity.otp_verified": ("Mobile number verified (OTP)", "मोबाइल नंबर सत्यापन (ओटीपी)"),
    "activity.app_downloaded": ("App downloaded", "ऐप डाउनलोड"),
    "activity.app_trained": ("Trained on app", "ऐप प्रशिक्षण"),
    "activity.contacted": ("Consumer contacted", "उपभोक्ता से संपर्क"),
    "channel.smart_app": ("UPPCL Smart App", "यूपीपीसीएल स्मार्ट ऐप"),
    "channel.upi": ("UPI", "यूपीआई"),
    "channel.counter": ("Cash counter", "कैश काउंटर"),
    "channel.bank": ("Bank / net banking", "बैंक / नेट बैंकिंग"),
    "channel.other": ("Other", "अन्य"),
    "complaint_category.recharge": ("Recharge", "रिचार्ज"),
    "complaint_category.billing": ("Billing", "बिलिंग"),
    "complaint_category.meter": ("Meter", "मीटर"),
    "complaint_category.app": ("App", "ऐप"),
    "complaint_category.supply": ("Power supply", "विद्युत आपूर्ति"),
    "complaint_category.other": ("Other", "अन्य"),
}

# Dues bands (lib.data.contract.DUES_BANDS), by band number.
_BANDS = {
    "band.1": ("Up to ₹1,000", "₹1,000 तक"),
    "band.2": ("₹1,001–5,000", "₹1,001–5,000"),
    "band.3": ("₹5,001–25,000", "₹5,001–25,000"),
    "band.4": ("₹25,001–1,00,000", "₹25,001–1,00,000"),
    "band.5": ("Above ₹1,00,000", "₹1,00,000 से अधिक"),
    "band.title": ("Dues band", "बकाया श्रेणी"),
}

_FILTERS = {
    "filter.title": ("Filters", "फ़िल्टर"),
    "filter.campaign": ("Campaign", "अभियान"),
    "filter.date_range": ("Date range", "अवधि"),
    "filter.from": ("From", "से"),
    "filter.to": ("To", "तक"),
    "filter.zone": ("Zone", "ज़ोन"),
    "filter.circle": ("Circle", "सर्किल"),
    "filter.division": ("Division", "खंड"),
    "filter.area": ("Area", "क्षेत्र"),
    "filter.category": ("Consumer category", "उपभोक्ता श्रेणी"),
    "filter.language": ("Language", "भाषा"),
    "filter.reset": ("Reset", "रीसेट करें"),
    "filter.all": ("All", "सभी"),
    "filter.level": ("Show by", "स्तर"),
    "filter.metric": ("Metric", "मापदंड"),
    "filter.no_campaign": ("No campaign (any dates)", "कोई अभियान नहीं (कोई भी अवधि)"),
}

_MESSAGES = {
    "msg.no_data": ("No data for this selection", "इस चयन के लिए कोई डेटा नहीं है"),
    "msg.as_of": ("as of {date}", "{date} की स्थिति"),
    "msg.period": ("Period: {start} – {end}", "अवधि: {start} – {end}"),
    "msg.scope": ("Scope: {scope}", "दायरा: {scope}"),
    "msg.page_not_found_title": ("Page not found", "पेज नहीं मिला"),
    "msg.page_not_found": ("The dashboard has no page at {path}. Check the link, or start from "
                           "the Overview.",
                           "डैशबोर्ड में {path} पर कोई पेज नहीं है। लिंक जाँचें, या अवलोकन से शुरू करें।"),
    "msg.go_to_overview": ("Go to the Overview", "अवलोकन पर जाएँ"),
    # The page header: how far the data goes, then the period shown and why.
    "msg.data_to": ("Data to {date}", "डेटा {date} तक"),
    "msg.showing": ("showing {start} – {end}", "दिखाई गई अवधि {start} – {end}"),
    "msg.period_campaign": ("campaign", "अभियान"),
    "msg.period_recent": ("the data's last 7 days", "डेटा के अंतिम 7 दिन"),
    "msg.scope_all": ("All of PVVNL", "संपूर्ण पीवीवीएनएल"),
    "msg.empty_db": (
        "The database has no data yet. Load the source files on the Data page, or run "
        "`python -m lib.cli demo` to load the sample data set.",
        "डेटाबेस में अभी कोई डेटा नहीं है। डेटा पृष्ठ पर स्रोत फ़ाइलें लोड करें, या नमूना डेटा "
        "लोड करने के लिए `python -m lib.cli demo` चलाएँ।"),
    "msg.data_updated": ("Data updated {when}", "डेटा अद्यतन: {when}"),
    "msg.never_loaded": ("not loaded yet", "अभी लोड नहीं हुआ"),
    "msg.loading": ("Loading…", "लोड हो रहा है…"),
    "msg.click_to_drill": ("Click a bar to see its units", "इकाइयाँ देखने के लिए बार पर क्लिक करें"),
    "msg.selected": ("Selected: {name}", "चयनित: {name}"),
    "msg.top_n": ("Top {n}", "शीर्ष {n}"),
    "msg.bottom_n": ("Bottom {n}", "निम्नतम {n}"),
    "msg.vs_previous_day": ("vs previous day", "पिछले दिन की तुलना में"),
    "msg.of_target": ("{pct} of target", "लक्ष्य का {pct}"),
    "msg.no_target": ("No target set", "लक्ष्य निर्धारित नहीं"),
}

_DOWNLOADS = {
    "download.csv": ("Download CSV", "सीएसवी डाउनलोड करें"),
    "table.rows_shown": ("The first {n} of {total} rows are shown here; the downloads hold all "
                         "of them.",
                         "यहाँ {total} में से पहली {n} पंक्तियाँ दिखाई गई हैं; डाउनलोड में सभी हैं।"),
    "download.excel": ("Download Excel", "एक्सेल डाउनलोड करें"),
    "download.values_note": (
        "For Excel, use the Excel file: account and meter numbers stay text, balances are "
        "numbers with paise. The CSV has the same values for other programs; Excel drops the "
        "leading zeros of account numbers when it opens a CSV directly.",
        "एक्सेल में एक्सेल फ़ाइल खोलें: खाता और मीटर संख्याएँ टेक्स्ट रहती हैं, बैलेंस पैसे सहित "
        "संख्याएँ हैं। सीएसवी में यही मान अन्य प्रोग्रामों के लिए हैं; एक्सेल सीएसवी को सीधे खोलने पर "
        "खाता संख्याओं के आगे के शून्य हटा देता है।"),
}

# Words used by lib.view.formats and on chart axes.
_UNITS = {
    "unit.consumers": ("consumers", "उपभोक्ता"),
    "unit.lakh": ("lakh", "लाख"),
    "unit.crore": ("crore", "करोड़"),
    "unit.hours": ("h", "घंटे"),
    "unit.pct_point": ("pp", "प्रतिशत अंक"),
    "unit.ist": ("IST", "IST"),
    "unit.rupees": ("rupees", "रुपये"),
}

# Generic chart and table words (axis titles, legends, tooltips, column headers).
_CHART = {
    "chart.day": ("Day", "दिनांक"),
    "chart.value": ("Value", "मान"),
    "chart.count": ("Count", "संख्या"),
    "chart.amount": ("Amount", "राशि"),
    "chart.share": ("Share", "हिस्सा"),
    "chart.series": ("Series", "श्रेणी"),
    "chart.unit": ("Unit", "इकाई"),
    "chart.name": ("Name", "नाम"),
    "chart.code": ("Code", "कोड"),
    "chart.total": ("Total", "कुल"),
}

_OVERVIEW = {
    "overview.trend": ("Campaign day by day", "अभियान – दिन-प्रतिदिन"),
    "overview.daily_activity": ("Field work and recharges per day", "प्रतिदिन फ़ील्ड कार्य एवं रिचार्ज"),
    "overview.league": ("Zone league table", "ज़ोन तालिका (रैंकिंग)"),
    "overview.rank": ("Rank", "रैंक"),
    "overview.negative_change": ("Negative-balance change", "निगेटिव बैलेंस में बदलाव"),
    "overview.arrears_change": ("Arrears change", "बकाया में बदलाव"),
    "overview.attention": ("Needs attention", "ध्यान देने योग्य"),
    "overview.all_on_track": ("Every unit is on track.", "सभी इकाइयाँ लक्ष्य के अनुरूप हैं।"),
    "msg.day_before_period": ("Day before the period: {value}", "अवधि से पहले के दिन: {value}"),
    "msg.invalid_url_value": ("Ignored an unknown value in the link: {name}={value}",
                              "लिंक में अमान्य मान छोड़ा गया: {name}={value}"),
    "msg.invalid_url_period": ("Ignored the period in the link ({reason}): dates={value}",
                               "लिंक की अवधि छोड़ी गई ({reason}): dates={value}"),
    "msg.period_two_dates": ("it needs two dates", "दो तिथियाँ चाहिए"),
    "msg.period_bad_date": ("not a date from 2015 to tomorrow", "2015 से कल तक की तिथि नहीं"),
    "msg.period_too_long": ("longer than 400 days", "400 दिनों से लंबी"),
    "msg.period_after_data": ("after the data ends", "डेटा समाप्त होने के बाद"),
    "msg.period_cut": ("The period is cut to its last {days} days",
                       "अवधि को अंतिम {days} दिनों तक सीमित किया गया"),
    # The PDF brief (lib.tools.brief) and its buttons on the Overview.
    "brief.title": ("Campaign brief", "अभियान सारांश"),
    "brief.made": ("Made {when}", "निर्मित: {when}"),
    "brief.league": ("{units}: league table", "{units}: तालिका (रैंकिंग)"),
    "brief.why": ("What puts it here", "कारण"),
    "brief.definitions": ("Definitions", "परिभाषाएँ"),
    "brief.pdf": ("Download brief (PDF)", "सारांश डाउनलोड करें (पीडीएफ)"),
    "brief.png": ("Brief as image (PNG)", "सारांश चित्र (पीएनजी)"),
}

# The Zones & areas page and the Chief-engineers drill-down.
_ZONES_CE = {
    "zones.by_level": ("{metric} by {level}", "{level}वार {metric}"),
    "zones.top_caption": (
        "The chart and the heatmap show the top {n} of {total} {units} by {metric}; "
        "the table lists them all.",
        "चार्ट एवं हीटमैप में {metric} के अनुसार {total} में से शीर्ष {n} {units} दिखाए गए हैं; "
        "तालिका में सभी हैं।"),
    "zones.day_by_day": ("{metric} day by day", "{metric} – दिन-प्रतिदिन"),
    "zones.all_metrics": ("Every metric by {level}", "{level}वार सभी मापदंड"),
    "ce.cards": ("Zones and their chief engineers", "ज़ोन एवं उनके मुख्य अभियंता"),
    "ce.rank": ("Rank {rank} of {n}", "{n} में से रैंक {rank}"),
    "ce.rank_col": ("Rank", "रैंक"),
    "ce.no_targets": ("{units}: no targets are set, so no target achievement or rank.",
                      "{units}: कोई लक्ष्य निर्धारित नहीं, इसलिए लक्ष्य प्राप्ति या रैंक नहीं।"),
    "ce.open": ("Open", "खोलें"),
    "ce.opened": ("Open below", "नीचे खुला है"),
    "ce.pick_zone": ("Open a zone to drill down to its circles, divisions and areas.",
                     "ज़ोन के सर्किल, खंड एवं क्षेत्र देखने के लिए उसे खोलें।"),
    "ce.all_zones": ("All zones", "सभी ज़ोन"),
    "ce.units_of": ("{units} of {name}", "{name} के {units}"),
    "ce.figures_of": ("{name}: key figures", "{name}: मुख्य आँकड़े"),
    "ce.compare_by": ("Compare by", "तुलना का आधार"),
}

# Topic pages (negative balance, verification, recharges, help desks) and the Data page.
_TOPICS = {
    "topic.by_unit": ("By unit", "इकाईवार"),
    "topic.day_by_day": ("Day by day", "दिन-प्रतिदिन"),
    "topic.chart_data": ("Figures behind the charts", "चार्ट के आंकड़े"),
    "topic.top_of": ("Chart: top {n} of {total}; the table lists all.",
                     "चार्ट: {total} में से शीर्ष {n}; तालिका में सभी।"),
    "topic.bottom_of": ("Chart: bottom {n} of {total}; the table lists all.",
                        "चार्ट: {total} में से निम्नतम {n}; तालिका में सभी।"),
    "topic.rank_by": ("Rank by", "रैंकिंग का आधार"),
    "topic.show": ("Show", "दिखाएँ"),
    "topic.yes": ("Yes", "हाँ"),
    "topic.no": ("No", "नहीं"),
    # Negative balance
    "nb.bands": ("Dues bands on {date}", "{date} को बकाया श्रेणियाँ"),
    "nb.start_vs_cleared": ("Negative at start vs cleared", "प्रारंभ में निगेटिव बनाम समाप्त"),
    "nb.accounts": ("Negative-balance accounts of one area", "एक क्षेत्र के निगेटिव बैलेंस खाते"),
    "nb.accounts_help": (
        "Pick an area to get the list its field team works through, most arrears first; "
        "download it as CSV or Excel.",
        "क्षेत्र चुनें: फ़ील्ड टीम के लिए खातों की सूची, सबसे अधिक बकाया पहले; "
        "सीएसवी या एक्सेल में डाउनलोड करें।"),
    "nb.area_option": ("{name} ({n} negative)", "{name} ({n} निगेटिव)"),
    "nb.accounts_summary": ("{n} accounts, arrears {total}, on {date}",
                            "{date} को {n} खाते, बकाया {total}"),
    "nb.accounts_limit": ("Only the first {n} accounts are listed (most arrears first).",
                          "केवल पहले {n} खाते दिखाए गए हैं (सबसे अधिक बकाया पहले)।"),
    "nb.meter_no": ("Meter number", "मीटर संख्या"),
    "nb.account_no": ("Account no.", "खाता संख्या"),
    "nb.balance": ("Balance", "बैलेंस"),
    "nb.days_negative": ("Days negative", "निगेटिव दिन"),
    "nb.app": ("Smart App", "स्मार्ट ऐप"),
    # Verification & app
    "ver.daily_counts": ("Consumers per day", "प्रतिदिन उपभोक्ता"),
    "ver.daily_coverage": ("Coverage so far", "अब तक का कवरेज"),
    # Recharges
    "rch.channels": ("Recharge channels", "रिचार्ज माध्यम"),
    "rch.channel_share": ("Share of the amount by channel", "माध्यमवार राशि का हिस्सा"),
    "rch.channel": ("Channel", "माध्यम"),
    # Help desks
    "hd.category_note": (
        "Complaints belong to areas, not to consumers: the category filter does not narrow them.",
        "शिकायतें क्षेत्र से जुड़ी हैं, उपभोक्ता से नहीं: श्रेणी फ़िल्टर इन पर लागू नहीं होता।"),
    "hd.daily": ("Complaints per day", "प्रतिदिन शिकायतें"),
    "hd.per_desk": ("Per help desk", "हेल्प डेस्कवार"),
    "hd.open_by_desk": ("Complaints open, by help desk", "हेल्प डेस्कवार लंबित शिकायतें"),
    "hd.none_open": ("No complaint is open at the end of the period.",
                     "अवधि के अंत में कोई शिकायत लंबित नहीं है।"),
    # Data page
    "data.upload": ("Upload contract files", "अनुबंध फ़ाइलें अपलोड करें"),
    "data.upload_help": (
        "CSV (UTF-8) or Excel files named after the data they hold: {files}. Any subset; a load "
        "is applied whole or not at all.",
        "सीएसवी (UTF-8) या एक्सेल फ़ाइलें, डेटा के नाम से: {files}। कोई भी फ़ाइलें; लोड या तो पूरा "
        "लागू होता है या बिल्कुल नहीं।"),
    "data.files": ("Files", "फ़ाइलें"),
    "data.skip_invalid": ("Skip invalid rows", "अमान्य पंक्तियाँ छोड़ें"),
    "data.skip_invalid_help": (
        "Load the valid rows and put every invalid row, with its reason, in a rejects file. "
        "Without this, one invalid row rejects the whole load.",
        "मान्य पंक्तियाँ लोड करें और हर अमान्य पंक्ति कारण सहित अस्वीकृत फ़ाइल में रखें। इसके बिना "
        "एक भी अमान्य पंक्ति पूरे लोड को अस्वीकृत कर देती है।"),
    "data.load": ("Load", "लोड करें"),
    "data.loaded": ("Loaded: {n} rows accepted from {files} file(s).",
                    "लोड हो गया: {files} फ़ाइलों से {n} पंक्तियाँ स्वीकार।"),
    "data.skipped": ("{n} invalid rows were skipped; download them below.",
                     "{n} अमान्य पंक्तियाँ छोड़ी गईं; नीचे से डाउनलोड करें।"),
    "data.rejected": ("Rejected: nothing was loaded; the database is unchanged. {n} problem(s).",
                      "अस्वीकृत: कुछ भी लोड नहीं हुआ; डेटाबेस अपरिवर्तित है। {n} समस्या(एँ)।"),
    "data.problems": ("Problems", "समस्याएँ"),
    "data.rejected_list": ("Rejected rows", "अस्वीकृत पंक्तियाँ"),
    "data.more_problems": ("… and {n} more problems.", "… और {n} अन्य समस्याएँ।"),
    "data.warnings": ("Warnings", "चेतावनियाँ"),
    "data.warning": ("Warning", "चेतावनी"),
    "data.download_rejects": ("Download rejected rows (CSV)", "अस्वीकृत पंक्तियाँ डाउनलोड करें (सीएसवी)"),
    "data.file": ("File", "फ़ाइल"),
    "data.line": ("Line", "पंक्ति"),
    "data.column": ("Column", "कॉलम"),
    "data.value": ("Value", "मान"),
    "data.reason": ("Reason", "कारण"),
    "data.kind": ("Data", "डेटा"),
    "data.rows": ("Rows", "पंक्तियाँ"),
    "data.accepted": ("Accepted", "स्वीकृत"),
    "data.rejected_rows": ("Rejected", "अस्वीकृत"),
    "data.duplicates": ("Repeated rows", "दोहराई गई पंक्तियाँ"),
    "data.demo_hint": ("No source files at hand? Load the sample data set:",
                       "स्रोत फ़ाइलें नहीं हैं? नमूना डेटा लोड करें:"),
    "data.freshness": ("How fresh each kind of data is", "प्रत्येक डेटा कितना ताज़ा है"),
    "data.latest_day": ("Latest day", "नवीनतम दिनांक"),
    "data.last_loaded_at": ("Last loaded", "अंतिम लोड"),
    "data.history": ("Load history", "लोड इतिहास"),
    "data.no_loads": ("No load yet.", "अभी तक कोई लोड नहीं हुआ।"),
    "data.load_id": ("Load", "लोड"),
    "data.when": ("When", "कब"),
    "data.by": ("By", "किसके द्वारा"),
    "data.status": ("Status", "स्थिति"),
    "data.message": ("Summary", "सारांश"),
    # The load history's summary, from the load's counts (never the log's English line).
    "data.history_loaded": ("{n} rows from {files} files", "{files} फ़ाइलों से {n} पंक्तियाँ"),
    "data.history_loaded_one": ("{n} rows from 1 file", "1 फ़ाइल से {n} पंक्तियाँ"),
    "data.history_skipped": ("{n} invalid rows skipped", "{n} अमान्य पंक्तियाँ छोड़ी गईं"),
    "data.history_rejected": ("nothing loaded: {n} problems", "कुछ भी लोड नहीं हुआ: {n} समस्याएँ"),
    "data.history_rejected_plain": ("nothing loaded", "कुछ भी लोड नहीं हुआ"),
    "data.status.loaded": ("Loaded", "लोड हुआ"),
    "data.status.rejected": ("Rejected", "अस्वीकृत"),
    "data.kind.hierarchy": ("Organisation hierarchy", "संगठन संरचना"),
    "data.kind.consumers": ("Consumers", "उपभोक्ता"),
    "data.kind.balances": ("Balances (MDM)", "बैलेंस (एमडीएम)"),
    "data.kind.activities": ("Field activities", "फ़ील्ड गतिविधियाँ"),
    "data.kind.recharges": ("Recharges", "रिचार्ज"),
    "data.kind.complaints": ("Help-desk complaints", "हेल्प डेस्क शिकायतें"),
    "data.kind.campaigns": ("Campaigns", "अभियान"),
    "data.kind.targets": ("Targets", "लक्ष्य"),
}

# The meeting-room display (pages/display.py): slide names, freshness, stale and offline notes.
_DISPLAY = {
    "display.slide.kpis": ("Headline figures", "मुख्य आँकड़े"),
    "display.slide.league": ("League table", "रैंकिंग तालिका"),
    "display.slide.trend": ("Campaign day by day", "अभियान – दिन-प्रतिदिन"),
    "display.slide.negative": ("Negative balance and arrears", "निगेटिव बैलेंस एवं बकाया"),
    "display.slide.ce": ("Chief-engineer leaderboard", "मुख्य अभियंता रैंकिंग"),
    "display.slide.desks": ("Help-desk backlog", "हेल्प डेस्क पर लंबित शिकायतें"),
    "display.next": ("Next: {name}", "अगला: {name}"),
    "display.fresh": ("Data to {date}, loaded {time} IST", "{date} तक का डेटा, {time} IST पर लोड"),
    "display.stale": ("Data is over {hours} hours old", "डेटा {hours} घंटे से अधिक पुराना है"),
    "display.down": ("Not updated since {time}: the database cannot be reached, retrying",
                     "{time} से अद्यतन नहीं: डेटाबेस उपलब्ध नहीं, पुनः प्रयास जारी"),
    "display.no_figures": ("The database cannot be reached; retrying", "डेटाबेस उपलब्ध नहीं; पुनः प्रयास जारी"),
    "display.ignored": ("Ignored in the link:", "लिंक में छोड़ा गया:"),
}

# What each number on screen is: tile comparisons, targets, empty periods.
_NUMBERS = {
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

# Access by role (lib.view.access) and the audit trail on the Data page.
_ACCESS = {
    "access.local": ("Local mode: one user, as director, sees all of PVVNL. Load a users file "
                     "to turn on access by role.",
                     "लोकल मोड: एक उपयोगकर्ता, निदेशक के रूप में, संपूर्ण पीवीवीएनएल देखता है। "
                     "भूमिका के अनुसार पहुँच के लिए उपयोगकर्ता फ़ाइल लोड करें।"),
    "access.signed_in": ("Signed in: {name} · {role} · {scope}",
                         "साइन इन: {name} · {role} · {scope}"),
    "access.role.director": ("Director", "निदेशक"),
    "access.role.chief_engineer": ("Chief engineer", "मुख्य अभियंता"),
    "access.role.circle_engineer": ("Circle engineer", "अधीक्षण अभियंता (सर्किल)"),
    "access.role.division_engineer": ("Division engineer", "अधिशासी अभियंता (डिवीज़न)"),
    "access.role.viewer": ("Viewer", "दर्शक"),
    "access.title": ("No access", "पहुँच नहीं"),
    "access.not_identified": ("This dashboard shows only what each user may see, so it needs to "
                              "know who you are. Sign in with your office account.",
                              "यह डैशबोर्ड हर उपयोगकर्ता को केवल उसका दायरा दिखाता है, इसलिए आपकी "
                              "पहचान आवश्यक है। अपने कार्यालय खाते से साइन इन करें।"),
    "access.not_listed": ("{email} is not on this dashboard's users list.",
                          "{email} इस डैशबोर्ड की उपयोगकर्ता सूची में नहीं है।"),
    "access.ask": ("To get access, ask a director: {names}.",
                   "पहुँच के लिए किसी निदेशक से कहें: {names}।"),
    "access.ask_mis": ("To get access, ask the MIS team.", "पहुँच के लिए एमआईएस टीम से कहें।"),
    "access.login": ("Sign in", "साइन इन करें"),
    "access.logout": ("Sign out", "साइन आउट"),
    "access.director_only": ("Only a director can load data and read the load history and "
                             "the audit trail.",
                             "डेटा लोड करना तथा लोड इतिहास और ऑडिट देखना केवल निदेशक के लिए है।"),
    "data.kind.users": ("Users and roles", "उपयोगकर्ता एवं भूमिकाएँ"),
    "data.recorded_as": ("The load is recorded as made by {who}.",
                         "यह लोड {who} के नाम से दर्ज होगा।"),
    "data.audit": ("Audit trail: loads, exports and briefs", "ऑडिट: लोड, डाउनलोड एवं सारांश"),
    "data.no_audit": ("Nothing recorded yet.", "अभी कुछ दर्ज नहीं।"),
    "data.who": ("Who", "कौन"),
    "data.email": ("E-mail", "ई-मेल"),
    "data.role": ("Role", "भूमिका"),
    "data.action": ("Action", "कार्य"),
    "data.detail": ("Detail", "विवरण"),
    "data.action.load": ("Load", "लोड"),
    "data.action.export": ("Export", "डाउनलोड"),
    "data.action.brief": ("Brief", "सारांश"),
}

SECTIONS = (_APP, _PAGES, _KPIS, _KPI_HELP, _LEVELS, _VOCABS, _BANDS, _FILTERS, _MESSAGES,
             _DOWNLOADS, _UNITS, _CHART, _OVERVIEW, _ZONES_CE, _TOPICS, _DISPLAY, _NUMBERS,
             _ACCESS)
