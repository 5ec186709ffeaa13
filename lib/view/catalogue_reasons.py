"""The catalogue's importer reasons and warnings: ``reason.<code>`` for every code of
``lib.data.reasons``, the English made from its template there (one source of truth for the
English), the Hindi written here. Placeholders are the reason's values; the Data page fills them
in the page's formats (``lib.view.load_view.reason_text``)."""

from __future__ import annotations

import re

from lib.data.reasons import FILE_TYPES, TEMPLATES

_SAVE = "इसे 'CSV UTF-8 (Comma delimited)' में सहेजें"
_LOADED = "(न पहले से लोड, न इसी लोड में)"
_FORMATS = "केवल .csv (UTF-8) और .xlsx फ़ाइलें लोड हो सकती हैं"
_COMMA = "जिस मान में अल्पविराम (कॉमा) हो, उसे दोहरे उद्धरण चिह्नों में रखें"

_HINDI = {
    "required_empty": "आवश्यक मान ख़ाली है",
    "digits": "अंक 0-9 में लिखें: संख्याओं और तिथियों में देवनागरी या अन्य अंक स्वीकार नहीं हैं",
    "account_scientific": "खाता संख्या नहीं: एक्सेल ने इसे वैज्ञानिक संकेतन (scientific "
                          "notation) की संख्या बना दिया (कॉलम को Text प्रारूप में रखें)",
    "account": "खाता संख्या नहीं: इसमें केवल 6 से 20 अंक होने चाहिए, और कुछ नहीं",
    "date_format": "तिथि नहीं: YYYY-MM-DD, DD-MM-YYYY या DD/MM/YYYY में लिखें",
    "date_month_first": "वास्तविक कैलेंडर तिथि नहीं: तिथि में दिन पहले आता है (DD-MM-YYYY), "
                        "माह कभी पहले नहीं",
    "date_unreal": "वास्तविक कैलेंडर तिथि नहीं",
    "date_window": "स्वीकार्य तिथियों ({earliest} से {latest}) से बाहर: वर्ष जाँचें",
    "timestamp_format": "दिनांक-समय नहीं: YYYY-MM-DD HH:MM[:SS] में लिखें (ISO 8601; +05:30 या "
                        "Z जैसा ऑफ़सेट वैकल्पिक है, उसके बिना समय IST माना जाता है)",
    "timestamp_unreal": "वास्तविक दिनांक और समय नहीं",
    "amount_format": "रुपये में राशि नहीं (उदाहरण: 1234.50, -₹1,234.50, ₹12,34,567.50)",
    "amount_too_large": "राशि बहुत बड़ी है (रुपये के {digits} अंकों से अधिक)",
    "negative": "0 या अधिक होना चाहिए",
    "not_whole": "पूर्ण संख्या नहीं",
    "not_number": "संख्या नहीं (0 या अधिक, जैसे 2.5)",
    "not_one_of": "इनमें से कोई नहीं: {choices}",
    "too_long": "{limit} अक्षरों से लंबा",
    "nul": "इसमें NUL अक्षर है",
    "not_email": "ई-मेल पता नहीं (name@example.org)",
    "not_positive": "राशि शून्य से अधिक होनी चाहिए",
    "end_before_start": "end_date, start_date {start} से पहले है",
    "resolved_before_opened": "resolved_at, opened_at {opened} से पहले है",
    "role_level": "{role} का दायरा {expected} होता है, {level} नहीं",
    "discom_code": "पूरे डिस्कॉम (scope_level discom) के लिए ख़ाली होना चाहिए",
    "scope_code_empty": "आवश्यक मान ख़ाली है: {level} का कोड",
    "short_row": "इसमें {n} मान हैं पर हेडर में {width} कॉलम हैं; हर पंक्ति में प्रत्येक कॉलम का "
                 "एक मान (या अल्पविरामों के बीच ख़ाली मान) होना चाहिए",
    "long_row": "इसमें {n} मान हैं पर हेडर में {width} कॉलम हैं; " + _COMMA,
    "same_key": "वही {keys} जो पंक्ति {lines} में है, पर बाक़ी मान भिन्न हैं",
    "same_key_lines": "वही {keys} जो पंक्तियों {lines} में है, पर बाक़ी मान भिन्न हैं",
    "unknown_area": "अज्ञात area_code: संगठन संरचना में नहीं " + _LOADED,
    "unknown_account": "अज्ञात खाता: उपभोक्ताओं में नहीं " + _LOADED,
    "unknown_campaign": "अज्ञात campaign_id: अभियानों में नहीं " + _LOADED,
    "unknown_unit": "अज्ञात {level} कोड: संगठन संरचना में ऐसा कोई {level} नहीं " + _LOADED,
    "repeats": "{name}: किसी पिछली पंक्ति को हूबहू दोहराने वाली पंक्तियाँ: {n}, ये एक ही बार "
               "गिनी गईं ({pairs}{more})",
    "repeat_pair": "पंक्ति {line} पंक्ति {earlier} को दोहराती है",
    "bad_suffix": "{name} एक {suffix} फ़ाइल है; " + _FORMATS,
    "no_suffix": "{name} का कोई एक्सटेंशन नहीं है; " + _FORMATS,
    "empty": "{name} ख़ाली है",
    "utf16": "{name} UTF-16 (एक्सेल का 'Unicode Text') में सहेजी गई है; इसके स्थान पर " + _SAVE,
    "not_csv": "{name} {what} है, सीएसवी फ़ाइल नहीं; " + _SAVE,
    "html": "{name} एक वेब पेज (HTML/XML) है, सीएसवी फ़ाइल नहीं; " + _SAVE,
    "binary": "{name} एक बाइनरी फ़ाइल है, सीएसवी टेक्स्ट नहीं",
    "not_utf8_line": "{name} UTF-8 टेक्स्ट नहीं है (पंक्ति {line} पर बाइट 0x{byte}); " + _SAVE,
    "not_utf8_after": "{name} UTF-8 टेक्स्ट नहीं है ({bytes} बाइट के बाद ऐसा बाइट जो UTF-8 में "
                      "मान्य नहीं); " + _SAVE,
    "csv_unreadable": "{name} सीएसवी के रूप में पढ़ी नहीं जा सकी ({error})",
    "csv_unreadable_line": "{name} सीएसवी के रूप में पढ़ी नहीं जा सकी (पंक्ति {line}: {error})",
    "header_empty": "{name} में हेडर पंक्ति नहीं है: इसकी पहली पंक्ति ख़ाली है; पंक्ति 1 में "
                    "कॉलमों के नाम ({columns}) होने चाहिए",
    "not_comma": "{name} अल्पविराम (कॉमा) से विभाजित नहीं है (इसका हेडर एक ही कॉलम '{header}' "
                 "है); " + _SAVE,
    "no_header": "{name} में हेडर पंक्ति नहीं है: पंक्ति 1 में कॉलमों के नाम ({columns}) होने "
                 "चाहिए, पर उसमें '{reads}' लिखा है",
    "column_twice": "{name} में कॉलम {column} दो बार है (कॉलम {at} और {again})",
    "missing_column": "{name} में आवश्यक कॉलम {columns} नहीं है",
    "missing_columns": "{name} में आवश्यक कॉलम {columns} नहीं हैं",
    "ignored_column": "{name}: अनुबंध से बाहर का कॉलम छोड़ दिया गया: {columns}",
    "ignored_columns": "{name}: अनुबंध से बाहर के कॉलम छोड़ दिए गए: {columns}",
    "parser_long_row": "{name} की पंक्ति {line} में {n} मान हैं पर हेडर में {width} कॉलम हैं; "
                       + _COMMA,
    "unclosed_quote": "{name} में एक दोहरा उद्धरण चिह्न कभी बंद नहीं होता (पंक्ति {line} से); "
                      "मानों के आसपास के उद्धरण चिह्न जाँचें",
    "xls_renamed": "{name} पुरानी एक्सेल 97-2003 (.xls) वर्कबुक है जिसका नाम .xlsx कर दिया गया "
                   "है; इसे एक्सेल में खोलकर .xlsx या 'CSV UTF-8 (Comma delimited)' में सहेजें",
    "xlsx_is_pdf": "{name} एक पीडीएफ़ दस्तावेज़ है, एक्सेल वर्कबुक नहीं",
    "not_xlsx": "{name} एक्सेल .xlsx वर्कबुक नहीं है (यह टेक्स्ट लगती है; सीएसवी हो तो इसका नाम "
                ".csv रखें)",
    "xlsx_unreadable": "{name} एक्सेल वर्कबुक के रूप में खुल नहीं सकी ({error})",
    "no_worksheet": "{name} में कोई वर्कशीट नहीं है",
    "empty_sheet": "{name} ख़ाली है (इसकी पहली शीट '{sheet}' में कोई पंक्ति नहीं)",
    "first_sheet_only": "{name}: केवल पहली शीट '{sheet}' पढ़ी गई; अन्य {others} शीट छोड़ दी गईं",
    "no_rows": "{name} में हेडर है पर डेटा की कोई पंक्ति नहीं",
    "unreadable": "{name} पढ़ी नहीं जा सकी ({error})",
    "nothing_to_load": "लोड करने को कुछ नहीं: कोई फ़ोल्डर या अनुबंध फ़ाइलें दें",
    "not_contract_name": "{name} अनुबंध फ़ाइल नहीं है: इसका नाम {names} में से एक होना चाहिए "
                         "(.csv या .xlsx)",
    "missing_path": "{path} मौजूद नहीं है",
    "several_files": "{kind} की {n} फ़ाइलें हैं ({paths}); एक बार में एक ही लोड करें",
    "folder_ignored": "{folder} में {name} छोड़ दी गई: यह अनुबंध फ़ाइल का नाम नहीं ({names})",
    "empty_folder": "फ़ोल्डर {folder} में कोई अनुबंध फ़ाइल नहीं ({names} नाम की .csv या .xlsx "
                    "फ़ाइलें अपेक्षित)",
    "no_name": "अपलोड की गई एक फ़ाइल का कोई नाम नहीं है",
    "uploaded_twice": "{name} दो बार अपलोड हुई है; हर फ़ाइल एक बार अपलोड करें",
    "load_failed": "लोड विफल रहा और कुछ भी लोड नहीं हुआ ({error})",
    "archived": "{day} की बैलेंस आर्काइव किए गए माह में आती हैं ({before} से पहले का सब आर्काइव "
                "है); इन्हें दोबारा लोड नहीं किया जा सकता",
}

_FILE_TYPES_HI = {"pdf": "एक पीडीएफ़ दस्तावेज़", "zip": "एक एक्सेल वर्कबुक या ज़िप आर्काइव",
                  "xls": "एक पुरानी एक्सेल 97-2003 (.xls) वर्कबुक", "gzip": "एक gzip आर्काइव",
                  "png": "एक PNG चित्र", "jpeg": "एक JPEG चित्र"}


def _plain(template: str) -> str:
    """A template without format specs (``{n:,}`` -> ``{n}``): the page formats the values."""
    return re.sub(r"\{(\w+):[^}]*\}", r"{\1}", template)


REASONS = {
    **{f"reason.{code}": (_plain(TEMPLATES[code]), hindi) for code, hindi in _HINDI.items()},
    **{f"reason.filetype.{k}": (FILE_TYPES[k], hindi) for k, hindi in _FILE_TYPES_HI.items()},
    "reason.and": ("and", "और"),
    "reason.discom": ("discom", "डिस्कॉम"),
}
