"""Deterministic sample data for PVVNL's February 2026 smart-meter awareness drive.

`generate` writes every contract file as CSV. The organisation (10 zones over PVVNL's 14
districts) is fixed data below; consumers are simulated in chunks with vectorised numpy and
streamed to disk, so a million consumers take seconds and little memory. The same seed and
arguments always give byte-identical files.

The story the numbers tell: on 2026-02-01 about 80% of prepaid accounts are in arrears; from
02-02 to 02-07 field staff verify mobile numbers by OTP, install and teach the UPPCL Smart App
and visit negative-balance consumers; contacted consumers and app users recharge more (app
users mostly through the app), so some arrears are cleared. Zones differ in arrears, campaign
intensity and response, and the localities named in the news report get extra attention.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import numpy as np

from lib.data.contract import (
    ACTIVITIES,
    CATEGORIES,
    CHANNELS,
    COMPLAINT_CATEGORIES,
    DUES_BANDS,
    FILES,
    TARGET_METRICS,
)

FIRST_DAY = date(2026, 2, 1)  # first balance snapshot; day index 0 everywhere below
CAMPAIGN_ID = "SMAD-2026-02"
CAMPAIGN_NAME = "Smart Meter Consumer Awareness Drive"
CAMPAIGN_NAME_HI = "स्मार्ट मीटर उपभोक्ता जागरूकता अभियान"
CAMPAIGN_START = date(2026, 2, 2)
CAMPAIGN_END = date(2026, 2, 7)
CAMPAIGN_DAYS = range((CAMPAIGN_START - FIRST_DAY).days, (CAMPAIGN_END - FIRST_DAY).days + 1)
# Field work ramps up as teams get going: share of each campaign day's events.
CAMPAIGN_RAMP = np.array([0.10, 0.13, 0.16, 0.18, 0.21, 0.22])
CHUNK = 100_000  # consumers simulated and written at a time: bounds memory at any size

# --- the organisation ----------------------------------------------------------------------
# Zone: (code, name, Hindi name, chief engineer or None to name the post, circles).
# Circle: (name, Hindi name, divisions). Division: (name, Hindi name, district, urban, areas).
# Areas are "English|हिन्दी". Codes derive from positions, so keep the order when editing.
ZONES: tuple = (
    ("MZ1", "Meerut Zone-I", "मेरठ ज़ोन-प्रथम", "Munish Chopra", (
        ("Meerut Circle-I", "मेरठ मंडल-प्रथम", (
            ("Meerut City-I", "मेरठ नगर-प्रथम", "Meerut", True, (
                "Ganganagar|गंगानगर", "Shastri Nagar|शास्त्री नगर", "Jagriti Vihar|जागृति विहार",
                "Pallavpuram|पल्लवपुरम", "Modipuram|मोदीपुरम", "Kankerkhera|कंकरखेड़ा",
                "Saket|साकेत")),
            ("Meerut City-II", "मेरठ नगर-द्वितीय", "Meerut", True, (
                "Civil Lines (Meerut)|सिविल लाइंस (मेरठ)", "Sadar Bazar|सदर बाज़ार",
                "Lalkurti|लालकुर्ती", "Begum Bagh|बेगम बाग", "Abu Lane|आबू लेन",
                "Meerut Cantt|मेरठ कैंट", "Shivaji Road|शिवाजी रोड")),
            ("Meerut City-III", "मेरठ नगर-तृतीय", "Meerut", True, (
                "Surajkund|सूरजकुंड", "Brahmpuri|ब्रह्मपुरी", "Kotwali|कोतवाली",
                "Lisari Gate|लिसाड़ी गेट", "Zakir Hussain Colony|ज़ाकिर हुसैन कॉलोनी",
                "Victoria Park|विक्टोरिया पार्क", "Shahpeer Gate|शाहपीर गेट")),
        )),
        ("Meerut Circle-II", "मेरठ मंडल-द्वितीय", (
            ("Mawana", "मवाना", "Meerut", False, (
                "Mawana Town|मवाना नगर", "Hastinapur|हस्तिनापुर", "Parikshitgarh|परीक्षितगढ़",
                "Bahsuma|बहसूमा", "Kithore|किठौर", "Phalauda|फलावदा")),
            ("Sardhana", "सरधना", "Meerut", False, (
                "Sardhana Town|सरधना नगर", "Daurala|दौराला", "Sarurpur|सरूरपुर",
                "Rohta|रोहटा", "Jani Khurd|जानी खुर्द")),
        )),
        ("Baghpat Circle", "बागपत मंडल", (
            ("Baghpat", "बागपत", "Baghpat", False, (
                "Baghpat Town|बागपत नगर", "Khekra|खेकड़ा", "Aminagar Sarai|अमीनगर सराय",
                "Tatiri|टटीरी", "Saroorpur Kalan|सरूरपुर कलां")),
            ("Baraut", "बड़ौत", "Baghpat", False, (
                "Baraut Town|बड़ौत नगर", "Binauli|बिनौली", "Chhaprauli|छपरौली",
                "Doghat|दोघट", "Ramala|रमाला")),
        )),
    )),
    ("MZ2", "Meerut Zone-II", "मेरठ ज़ोन-द्वितीय", "Gurjeet Singh", (
        ("Meerut Circle-III", "मेरठ मंडल-तृतीय", (
            ("Meerut City-IV", "मेरठ नगर-चतुर्थ", "Meerut", True, (
                "Kazipur|काजीपुर", "Partapur|परतापुर", "Shatabdi Nagar|शताब्दी नगर",
                "Tejgarhi|तेजगढ़ी", "Garh Road|गढ़ रोड", "Rithani|रिठानी")),
            ("Meerut City-V", "मेरठ नगर-पंचम", "Meerut", True, (
                "Hapur Road|हापुड़ रोड", "Kasampur|कासमपुर", "Jail Chungi|जेल चुंगी",
                "Tarapuri|तारापुरी", "Ismail Nagar|इस्माइल नगर", "Samar Garden|समर गार्डन")),
            ("Meerut Rural", "मेरठ ग्रामीण", "Meerut", False, (
                "Kharkhauda|खरखौदा", "Machhra|माछरा", "Bhawanpur|भावनपुर",
                "Rajpura|राजपुरा", "Mohiuddinpur|मोहिउद्दीनपुर")),
        )),
        ("Hapur Circle", "हापुड़ मंडल", (
            ("Hapur", "हापुड़", "Hapur", True, (
                "Hapur City|हापुड़ शहर", "Freeganj|फ्रीगंज", "Kothi Gate|कोठी गेट",
                "Babugarh|बाबूगढ़", "Dhaulana|धौलाना",
                "Shivpuri (Hapur)|शिवपुरी (हापुड़)")),
            ("Pilkhuwa", "पिलखुवा", "Hapur", False, (
                "Pilkhuwa Town|पिलखुवा नगर", "Bahadurgarh|बहादुरगढ़", "Simbhaoli|सिंभावली",
                "Garhmukteshwar|गढ़मुक्तेश्वर", "Brajghat|बृजघाट")),
        )),
    )),
    ("GZ1", "Ghaziabad Zone-I", "गाजियाबाद ज़ोन-प्रथम", None, (
        ("Ghaziabad Circle-I", "गाजियाबाद मंडल-प्रथम", (
            ("Raj Nagar", "राज नगर", "Ghaziabad", True, (
                "Raj Nagar|राज नगर", "Kavi Nagar|कवि नगर",
                "Shastri Nagar (Ghaziabad)|शास्त्री नगर (गाजियाबाद)", "Nehru Nagar|नेहरू नगर",
                "Lohia Nagar|लोहिया नगर", "Govindpuram|गोविंदपुरम",
                "Patel Nagar (Ghaziabad)|पटेल नगर (गाजियाबाद)")),
            ("Vijay Nagar", "विजय नगर", "Ghaziabad", True, (
                "Vijay Nagar|विजय नगर", "Pratap Vihar|प्रताप विहार", "Sihani Gate|सिहानी गेट",
                "Ghantaghar|घंटाघर", "Kaila Bhatta|कैला भट्टा", "Bamheta|बम्हेटा")),
            ("Raj Nagar Extension", "राज नगर एक्सटेंशन", "Ghaziabad", True, (
                "Raj Nagar Extension|राज नगर एक्सटेंशन", "Nandgram|नंदग्राम", "Morta|मोरटा",
                "Noor Nagar|नूर नगर", "Duhai|दुहाई", "Sadarpur|सदरपुर")),
        )),
        ("Ghaziabad Circle-II", "गाजियाबाद मंडल-द्वितीय", (
            ("Indirapuram", "इंदिरापुरम", "Ghaziabad", True, (
                "Indirapuram|इंदिरापुरम", "Vaishali|वैशाली", "Vasundhara|वसुंधरा",
                "Kaushambi|कौशांबी", "Khoda|खोड़ा", "Makanpur|मकनपुर",
                "Shakti Khand|शक्ति खंड")),
            ("Sahibabad", "साहिबाबाद", "Ghaziabad", True, (
                "Sahibabad|साहिबाबाद", "Shalimar Garden|शालीमार गार्डन",
                "Rajendra Nagar|राजेंद्र नगर", "Mohan Nagar|मोहन नगर", "Lajpat Nagar|लाजपत नगर",
                "Site-IV Industrial Area|साइट-4 औद्योगिक क्षेत्र", "Karhera|करहेड़ा")),
        )),
    )),
    ("GZ2", "Ghaziabad Zone-II", "गाजियाबाद ज़ोन-द्वितीय", None, (
        ("Ghaziabad Circle-III", "गाजियाबाद मंडल-तृतीय", (
            ("Loni", "लोनी", "Ghaziabad", True, (
                "Loni Town|लोनी नगर", "Loni Border|लोनी बॉर्डर", "Banthla|बंथला",
                "Tronica City|ट्रोनिका सिटी", "Ankur Vihar|अंकुर विहार", "Mandola|मंडोला")),
            ("Muradnagar", "मुरादनगर", "Ghaziabad", False, (
                "Muradnagar Town|मुरादनगर नगर", "Ukhlarsi|उखलारसी", "Jalalabad|जलालाबाद",
                "Sarna|सरना", "Bhanera|भनेड़ा")),
            ("Loni Dehat", "लोनी देहात", "Ghaziabad", False, (
                "Tila Shahbazpur|टीला शाहबाजपुर", "Behta Hajipur|बेहटा हाजीपुर",
                "Sirora|सिरौरा", "Pabi Sadakpur|पावी सादकपुर", "Nithora|निठोरा")),
        )),
        ("Ghaziabad Circle-IV", "गाजियाबाद मंडल-चतुर्थ", (
            ("Modinagar", "मोदीनगर", "Ghaziabad", True, (
                "Modinagar Town|मोदीनगर नगर", "Niwari|निवाड़ी", "Begumabad|बेगमाबाद",
                "Kadrabad|कादराबाद", "Sikri Khurd|सीकरी खुर्द")),
            ("Dasna", "डासना", "Ghaziabad", False, (
                "Dasna|डासना", "Masuri|मसूरी", "Crossings Republik|क्रॉसिंग्स रिपब्लिक",
                "Dundahera|डूंडाहेड़ा", "Nahal|नाहल")),
        )),
    )),
    ("NDA", "Noida Zone (Gautam Buddh Nagar)", "नोएडा ज़ोन (गौतम बुद्ध नगर)", None, (
        ("Noida Circle-I", "नोएडा मंडल-प्रथम", (
            ("Noida-I", "नोएडा-प्रथम", "Gautam Buddh Nagar", True, (
                "Sector 18|सेक्टर 18", "Sector 15|सेक्टर 15", "Sector 27|सेक्टर 27",
                "Atta|अट्टा", "Sector 37|सेक्टर 37", "Hoshiyarpur|होशियारपुर",
                "Sector 12|सेक्टर 12")),
            ("Noida-II", "नोएडा-द्वितीय", "Gautam Buddh Nagar", True, (
                "Sector 62|सेक्टर 62", "Sector 63|सेक्टर 63", "Mamura|मामूरा",
                "Sector 71|सेक्टर 71", "Sector 76|सेक्टर 76", "Sector 121|सेक्टर 121",
                "Sector 55|सेक्टर 55")),
            ("Noida-III", "नोएडा-तृतीय", "Gautam Buddh Nagar", True, (
                "Sector 128|सेक्टर 128", "Sector 137|सेक्टर 137", "Sector 93|सेक्टर 93",
                "Salarpur|सलारपुर", "Bhangel|भंगेल", "Sector 44|सेक्टर 44")),
        )),
        ("Greater Noida Circle", "ग्रेटर नोएडा मंडल", (
            ("Greater Noida", "ग्रेटर नोएडा", "Gautam Buddh Nagar", True, (
                "Alpha|अल्फा", "Beta|बीटा", "Gamma|गामा", "Knowledge Park|नॉलेज पार्क",
                "Pari Chowk|परी चौक", "Greater Noida West|ग्रेटर नोएडा वेस्ट")),
            ("Dadri", "दादरी", "Gautam Buddh Nagar", False, (
                "Dadri Town|दादरी नगर", "Bisrakh|बिसरख", "Dankaur|दनकौर", "Jewar|जेवर",
                "Rabupura|रबूपुरा", "Jarcha|जारचा")),
            ("Greater Noida-II", "ग्रेटर नोएडा-द्वितीय", "Gautam Buddh Nagar", True, (
                "Delta|डेल्टा", "Omicron|ओमीक्रॉन", "Surajpur|सूरजपुर", "Kasna|कासना",
                "Ecotech-III|इकोटेक-3", "Tugalpur|तुगलपुर")),
        )),
    )),
    ("SRE", "Saharanpur Zone", "सहारनपुर ज़ोन", None, (
        ("Saharanpur Circle-I", "सहारनपुर मंडल-प्रथम", (
            ("Saharanpur City-I", "सहारनपुर नगर-प्रथम", "Saharanpur", True, (
                "Court Road|कोर्ट रोड", "Nehru Market|नेहरू मार्केट", "Ambala Road|अंबाला रोड",
                "Pul Kambohan|पुल कंबोहन", "Khan Alampura|खान आलमपुरा",
                "Chilkana Road|चिलकाना रोड")),
            ("Saharanpur City-II", "सहारनपुर नगर-द्वितीय", "Saharanpur", True, (
                "Delhi Road|दिल्ली रोड", "Paper Mill Road|पेपर मिल रोड", "Janakpuri|जनकपुरी",
                "Pathanpura|पठानपुरा", "Manakmau|मानकमऊ",
                "Hakikat Nagar|हकीकत नगर", "Mission Compound|मिशन कंपाउंड")),
            ("Saharanpur Rural", "सहारनपुर ग्रामीण", "Saharanpur", False, (
                "Sarsawa|सरसावा", "Rampur Maniharan|रामपुर मनिहारान", "Chilkana|चिलकाना",
                "Behat|बेहट", "Muzaffarabad|मुज़फ्फराबाद")),
        )),
        ("Saharanpur Circle-II", "सहारनपुर मंडल-द्वितीय", (
            ("Deoband", "देवबंद", "Saharanpur", False, (
                "Deoband Town|देवबंद नगर", "Nagal|नागल", "Jadauda|जड़ौदा",
                "Rankhandi|रणखंडी", "Bhayla|भायला")),
            ("Gangoh", "गंगोह", "Saharanpur", False, (
                "Gangoh Town|गंगोह नगर", "Nakur|नकुड़", "Titron|तीतरों",
                "Ambehta|अंबेहटा", "Sultanpur|सुल्तानपुर")),
        )),
    )),
    ("MBD", "Moradabad Zone", "मुरादाबाद ज़ोन", None, (
        ("Moradabad Circle", "मुरादाबाद मंडल", (
            ("Moradabad City-I", "मुरादाबाद नगर-प्रथम", "Moradabad", True, (
                "Civil Lines (Moradabad)|सिविल लाइंस (मुरादाबाद)", "Budh Bazar|बुध बाज़ार",
                "Katghar|कटघर", "Majhola|मझोला", "Ram Ganga Vihar|रामगंगा विहार",
                "Buddhi Vihar|बुद्धि विहार")),
            ("Moradabad City-II", "मुरादाबाद नगर-द्वितीय", "Moradabad", True, (
                "Mughalpura|मुगलपुरा", "Kanth Road|कांठ रोड", "Harthala|हरथला",
                "Asalatpura|असालतपुरा", "Peetal Nagri|पीतल नगरी",
                "Deen Dayal Nagar|दीनदयाल नगर")),
            ("Moradabad Rural", "मुरादाबाद ग्रामीण", "Moradabad", False, (
                "Kanth|कांठ", "Bilari|बिलारी", "Thakurdwara|ठाकुरद्वारा",
                "Kundarki|कुंदरकी", "Bhojpur|भोजपुर", "Pakbara|पाकबड़ा")),
        )),
        ("Rampur Circle", "रामपुर मंडल", (
            ("Rampur", "रामपुर", "Rampur", True, (
                "Rampur City|रामपुर शहर", "Civil Lines (Rampur)|सिविल लाइंस (रामपुर)",
                "Jwala Nagar|ज्वाला नगर", "Ganj|गंज", "Ajitpur|अजीतपुर",
                "Topkhana|तोपखाना")),
            ("Milak", "मिलक", "Rampur", False, (
                "Milak Town|मिलक नगर", "Bilaspur|बिलासपुर", "Swar|स्वार", "Tanda|टांडा",
                "Shahabad|शाहबाद")),
        )),
        ("Amroha-Sambhal Circle", "अमरोहा-संभल मंडल", (
            ("Amroha", "अमरोहा", "Amroha", False, (
                "Amroha Town|अमरोहा नगर", "Gajraula|गजरौला", "Hasanpur|हसनपुर",
                "Dhanaura|धनौरा", "Naugawan Sadat|नौगावां सादात")),
            ("Sambhal", "संभल", "Sambhal", False, (
                "Sambhal Town|संभल नगर", "Chandausi|चंदौसी", "Bahjoi|बहजोई",
                "Gunnaur|गुन्नौर", "Asmoli|असमोली")),
        )),
    )),
    ("MUZ", "Muzaffarnagar Zone", "मुजफ्फरनगर ज़ोन", None, (
        ("Muzaffarnagar Circle", "मुजफ्फरनगर मंडल", (
            ("Muzaffarnagar City-I", "मुजफ्फरनगर नगर-प्रथम", "Muzaffarnagar", True, (
                "Mahavir Chowk|महावीर चौक", "Gandhi Nagar|गांधी नगर", "Town Hall|टाउन हॉल",
                "Mandi|मंडी", "Shiv Chowk|शिव चौक",
                "Civil Lines (Muzaffarnagar)|सिविल लाइंस (मुजफ्फरनगर)")),
            ("Muzaffarnagar City-II", "मुजफ्फरनगर नगर-द्वितीय", "Muzaffarnagar", True, (
                "Nai Mandi|नई मंडी", "Ansari Road|अंसारी रोड", "Patel Nagar|पटेल नगर",
                "Abupura|अबूपुरा", "Khalapar|खालापार", "Sujdu|सुजडू",
                "Bhopa Road|भोपा रोड")),
            ("Khatauli", "खतौली", "Muzaffarnagar", False, (
                "Khatauli Town|खतौली नगर", "Mansurpur|मंसूरपुर", "Jansath|जानसठ",
                "Bhainsi|भैंसी", "Meerapur|मीरापुर")),
            ("Budhana", "बुढ़ाना", "Muzaffarnagar", False, (
                "Budhana Town|बुढ़ाना नगर", "Shahpur|शाहपुर", "Charthawal|चरथावल",
                "Purkazi|पुरकाज़ी", "Bhopa|भोपा")),
        )),
        ("Shamli Circle", "शामली मंडल", (
            ("Shamli", "शामली", "Shamli", False, (
                "Shamli Town|शामली नगर", "Thana Bhawan|थाना भवन", "Banat|बनत",
                "Jhinjhana|झिंझाना", "Un|ऊन")),
            ("Kairana", "कैराना", "Shamli", False, (
                "Kairana Town|कैराना नगर", "Kandhla|कांधला", "Elum|एलम",
                "Garhi Pukhta|गढ़ी पुख्ता", "Babri|बाबरी")),
        )),
    )),
    ("BSR", "Bulandshahr Zone", "बुलंदशहर ज़ोन", None, (
        ("Bulandshahr Circle-I", "बुलंदशहर मंडल-प्रथम", (
            ("Bulandshahr City", "बुलंदशहर नगर", "Bulandshahr", True, (
                "Kala Aam|काला आम", "Civil Lines (Bulandshahr)|सिविल लाइंस (बुलंदशहर)",
                "Awas Vikas|आवास विकास", "Moti Bagh|मोती बाग", "Bhoor|भूड़")),
            ("Sikandrabad", "सिकंदराबाद", "Bulandshahr", False, (
                "Sikandrabad Town|सिकंदराबाद नगर",
                "Sikandrabad Industrial Area|सिकंदराबाद औद्योगिक क्षेत्र",
                "Gulaothi|गुलावठी", "Siyana|स्याना", "Aurangabad|औरंगाबाद")),
        )),
        ("Bulandshahr Circle-II", "बुलंदशहर मंडल-द्वितीय", (
            ("Khurja", "खुर्जा", "Bulandshahr", False, (
                "Khurja Town|खुर्जा नगर", "Jahangirabad|जहांगीराबाद", "Arniya|अरनिया",
                "Pahasu|पहासू", "Chola|चोला")),
            ("Anupshahr", "अनूपशहर", "Bulandshahr", False, (
                "Anupshahr Town|अनूपशहर नगर", "Dibai|डिबाई", "Narora|नरौरा",
                "Shikarpur|शिकारपुर")),
            ("Bulandshahr Rural", "बुलंदशहर ग्रामीण", "Bulandshahr", False, (
                "Unchagaon|ऊंचागांव", "Ahmedgarh|अहमदगढ़", "Agauta|अगौता",
                "Lakhaoti|लखावटी", "Kakod|ककोड़")),
        )),
    )),
    ("BJN", "Bijnor Zone", "बिजनौर ज़ोन", None, (
        ("Bijnor Circle-I", "बिजनौर मंडल-प्रथम", (
            ("Bijnor City", "बिजनौर शहर", "Bijnor", True, (
                "Bijnor Old City|बिजनौर पुराना शहर", "Civil Lines (Bijnor)|सिविल लाइंस (बिजनौर)",
                "Nai Basti|नई बस्ती", "Mandawar|मंडावर", "Jhalu|झालू",
                "Kazipada|काज़ीपाड़ा")),
            ("Najibabad", "नजीबाबाद", "Bijnor", False, (
                "Najibabad Town|नजीबाबाद नगर", "Kiratpur|किरतपुर", "Kotdwar Road|कोटद्वार रोड",
                "Mandawali|मंडावली", "Sahanpur|साहनपुर")),
            ("Nagina", "नगीना", "Bijnor", False, (
                "Nagina Town|नगीना नगर", "Afzalgarh|अफ़ज़लगढ़", "Dhampur|धामपुर",
                "Sherkot|शेरकोट", "Seohara|स्योहारा")),
        )),
        ("Bijnor Circle-II", "बिजनौर मंडल-द्वितीय", (
            ("Chandpur", "चांदपुर", "Bijnor", False, (
                "Chandpur Town|चांदपुर नगर", "Haldaur|हल्दौर", "Jalilpur|जलीलपुर",
                "Bashta|बास्टा", "Tajpur|ताजपुर")),
            ("Noorpur", "नूरपुर", "Bijnor", False, (
                "Noorpur Town|नूरपुर नगर", "Nehtaur|नहटौर", "Sahaspur|सहसपुर",
                "Budhanpur|बुधनपुर")),
        )),
    )),
)


@dataclass(frozen=True)
class ZoneProfile:
    """How a zone behaves: arrears, campaign intensity, recharge response, target achievement."""

    negative_share: float  # share of accounts in arrears at the end of 2026-01-31
    intensity: float  # multiplies the field-activity rates
    response: float  # multiplies the extra recharges after a field contact
    achievement: float  # rough campaign achievement against target
    amisp: str  # the zone's metering service provider (AMISP contracts go by area)


ZONE_PROFILES = {
    "MZ1": ZoneProfile(0.78, 1.25, 1.20, 1.12, "Genus"),
    "MZ2": ZoneProfile(0.81, 1.15, 1.10, 1.04, "Genus"),
    "GZ1": ZoneProfile(0.76, 1.00, 1.00, 0.92, "Intellismart"),
    "GZ2": ZoneProfile(0.84, 0.85, 0.90, 0.76, "Intellismart"),
    "NDA": ZoneProfile(0.72, 0.95, 1.15, 0.97, "Intellismart"),
    "SRE": ZoneProfile(0.85, 0.82, 0.85, 0.66, "Polaris"),
    "MBD": ZoneProfile(0.89, 0.76, 0.75, 0.55, "Apraava"),
    "MUZ": ZoneProfile(0.82, 1.25, 1.25, 1.18, "Polaris"),
    "BSR": ZoneProfile(0.85, 0.90, 0.90, 0.84, "Genus"),
    "BJN": ZoneProfile(0.87, 0.80, 0.80, 0.60, "Polaris"),
}
AMISPS = ("Genus", "Intellismart", "Polaris", "Apraava")
METER_PREFIX = {"Genus": "GNS", "Intellismart": "ISL", "Polaris": "PLR", "Apraava": "APR"}
# Localities the Director (Commercial) and the chief engineers visited get extra field work.
FOCUS_AREAS = {"Mahavir Chowk": 1.5, "Gandhi Nagar": 1.35, "Town Hall": 1.35, "Mandi": 1.35,
               "Ganganagar": 1.5, "Kazipur": 1.5}
FOCUS_DIVISIONS = {"Khatauli": 1.3}
MAHAVIR_CHOWK_DESK = "Mahavir Chowk help desk"

# Category mix (order of CATEGORIES) in city and rural areas; overall ~85% domestic.
CATEGORY_MIX_URBAN = np.array([0.82, 0.135, 0.02, 0.012, 0.003, 0.01])
CATEGORY_MIX_RURAL = np.array([0.88, 0.06, 0.01, 0.01, 0.035, 0.005])
# Sanctioned load choices (kW) and daily consumption in rupees per kW, per category.
LOADS = {
    "domestic": ((1, 2, 3, 4, 5), (0.35, 0.30, 0.18, 0.10, 0.07), 14),
    "commercial": ((1, 2, 3, 5, 7.5, 10), (0.15, 0.25, 0.20, 0.20, 0.10, 0.10), 25),
    "industrial": ((10, 15, 25, 50, 75), (0.3, 0.25, 0.2, 0.15, 0.1), 30),
    "institutional": ((2, 5, 10), (0.4, 0.4, 0.2), 20),
    "agricultural": ((3, 5, 7.5, 10), (0.3, 0.4, 0.2, 0.1), 8),
    "other": ((1, 2, 3), (0.5, 0.3, 0.2), 15),
}
# Share of arrears in each dues band (DUES_BANDS order): domestic vs everyone else.
BAND_MIX_DOMESTIC = np.array([0.66, 0.245, 0.072, 0.021, 0.002])
BAND_MIX_OTHER = np.array([0.30, 0.31, 0.22, 0.14, 0.03])
ARREARS_FLOOR_PAISE = 50_00  # smallest arrears drawn
ARREARS_CEILING_PAISE = 6_00_000_00  # largest arrears drawn (open top band)
# Chance that a paying negative-balance consumer pays off the whole arrears, per dues band.
CLEAR_PROB_BY_BAND = np.array([0.80, 0.62, 0.38, 0.18, 0.06])
TOPUP_RUPEES = np.array([0, 100, 200, 300, 500, 1000])
POSITIVE_RECHARGE_RUPEES = np.array([100, 200, 300, 500, 1000, 2000])
POSITIVE_RECHARGE_MIX = np.array([0.10, 0.22, 0.13, 0.30, 0.18, 0.07])
# Channel mix (CHANNELS order) for consumers who have the app and who do not.
CHANNEL_MIX_APP = np.array([0.78, 0.12, 0.05, 0.03, 0.02])
CHANNEL_MIX_NO_APP = np.array([0.0, 0.45, 0.33, 0.15, 0.07])
SMART_APP = CHANNELS.index("smart_app")
COMPLAINTS_PER_CONSUMER_DAY = 1 / (350 * 8)  # about one ticket per 300 consumers in 8 days
COMPLAINT_MIX = np.array([0.28, 0.22, 0.20, 0.08, 0.15, 0.07])  # COMPLAINT_CATEGORIES order
COMPLAINT_MIX_CAMPAIGN = np.array([0.30, 0.17, 0.15, 0.21, 0.10, 0.07])


# --- hierarchy -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Hierarchy:
    """The organisation as CSV rows plus per-area arrays for vectorised lookups."""

    rows: list[dict[str, str]]
    zone_codes: list[str]
    circle_codes: list[str]
    circle_zone: np.ndarray  # zone index of each circle
    division_codes: list[str]
    division_names: list[str]
    area_zone: np.ndarray
    area_circle: np.ndarray
    area_division: np.ndarray
    area_urban: np.ndarray
    area_focus: np.ndarray  # extra field-work multiplier

    @property
    def area_codes(self) -> list[str]:
        """Area codes in file order."""
        return [r["area_code"] for r in self.rows]


def build_hierarchy() -> Hierarchy:
    """Expand ZONES into one hierarchy row per area with stable codes and named posts."""
    rows: list[dict[str, str]] = []
    zone_codes, circle_codes, circle_zone, division_codes, division_names = [], [], [], [], []
    per_area: dict[str, list] = {"zone": [], "circle": [], "division": [], "urban": [],
                                 "focus": []}
    for zone_code, zone_name, zone_hi, chief, circles in ZONES:
        zone_codes.append(zone_code)
        for c, (circle_name, circle_hi, divisions) in enumerate(circles, 1):
            circle_code = f"{zone_code}-C{c}"
            circle_zone.append(len(zone_codes) - 1)
            circle_codes.append(circle_code)
            for d, (div_name, div_hi, district, urban, areas) in enumerate(divisions, 1):
                div_code = f"{circle_code}-D{d}"
                division_codes.append(div_code)
                division_names.append(div_name)
                half = (len(areas) + 1) // 2  # two sub-divisions per division
                for a, area in enumerate(areas, 1):
                    name, name_hi = area.split("|")
                    sub = "I" if a <= half else "II"
                    sub_name = f"{div_name} Sub-division-{sub}"
                    rows.append({
                        "zone_code": zone_code, "zone_name": zone_name,
                        "chief_engineer": chief or f"Chief Engineer, {zone_name}",
                        "circle_code": circle_code, "circle_name": circle_name,
                        "division_code": div_code, "division_name": div_name,
                        "area_code": f"{div_code}-A{a:02d}", "area_name": name,
                        "superintending_engineer": f"Superintending Engineer, {circle_name}",
                        "executive_engineer": f"Executive Engineer, {div_name} Division",
                        "subdivision_code": f"{div_code}-S{1 if sub == 'I' else 2}",
                        "subdivision_name": sub_name, "sdo": f"SDO, {sub_name}",
                        "area_name_hi": name_hi, "district": district,
                        "zone_name_hi": zone_hi, "circle_name_hi": circle_hi,
                        "division_name_hi": div_hi,
                    })
                    per_area["zone"].append(len(zone_codes) - 1)
                    per_area["circle"].append(len(circle_codes) - 1)
                    per_area["division"].append(len(division_codes) - 1)
                    per_area["urban"].append(urban)
                    per_area["focus"].append(FOCUS_AREAS.get(name, 1.0)
                                             * FOCUS_DIVISIONS.get(div_name, 1.0))
    return Hierarchy(
        rows=rows, zone_codes=zone_codes, circle_codes=circle_codes,
        circle_zone=np.array(circle_zone), division_codes=division_codes,
        division_names=division_names, area_zone=np.array(per_area["zone"]),
        area_circle=np.array(per_area["circle"]), area_division=np.array(per_area["division"]),
        area_urban=np.array(per_area["urban"], dtype=bool),
        area_focus=np.array(per_area["focus"]),
    )


# --- fast CSV writing ------------------------------------------------------------------------
# Each column is an (n, width) uint8 matrix of ASCII/UTF-8 bytes where NUL bytes are padding;
# a block of rows is the columns side by side with separators, minus the NULs. This formats
# millions of rows in well under a second, with no Python object per value.


def _text(values: np.ndarray) -> np.ndarray:
    """Byte matrix of a bytes ('S') array; shorter values are NUL-padded."""
    values = np.ascontiguousarray(values)
    return values.view(np.uint8).reshape(len(values), values.dtype.itemsize)


def _lookup(strings: Iterable[str]) -> np.ndarray:
    """A bytes array of UTF-8 strings, to be indexed by integer codes and passed to _text."""
    return np.array([s.encode() for s in strings], dtype=bytes)


def _digits(values: np.ndarray, width: int, pad: bool = True) -> np.ndarray:
    """ASCII digits of non-negative integers; without pad, leading zeros become NUL."""
    values = np.asarray(values, dtype=np.int64)[:, None]
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    out = ((values // powers) % 10 + 48).astype(np.uint8)
    if not pad:
        out[(values < powers) & (powers > 1)] = 0
    return out


def _const(n: int, text: str) -> np.ndarray:
    """The same text on n rows."""
    return np.tile(np.frombuffer(text.encode(), dtype=np.uint8), (n, 1))


def _money(paise: np.ndarray) -> np.ndarray:
    """Rupees with two decimals and a leading minus when negative (e.g. -1234.50)."""
    paise = np.asarray(paise, dtype=np.int64)
    sign = np.where(paise < 0, ord("-"), 0).astype(np.uint8)[:, None]
    absolute = np.abs(paise)
    return np.hstack([sign, _digits(absolute // 100, 10, pad=False), _const(len(paise), "."),
                      _digits(absolute % 100, 2)])


def _timestamp(dates: np.ndarray, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """ISO timestamps without offset (IST): date lookup by day index plus HH:MM:SS."""
    n = len(day)
    return np.hstack([_text(dates[day]), _const(n, "T"), _digits(seconds // 3600, 2),
                      _const(n, ":"), _digits(seconds // 60 % 60, 2), _const(n, ":"),
                      _digits(seconds % 60, 2)])


def _write_rows(fh: BinaryIO, columns: Sequence[np.ndarray]) -> int:
    """Append rows made of byte-matrix columns as CSV lines; return the number of rows."""
    n = columns[0].shape[0]
    if n == 0:
        return 0
    parts: list[np.ndarray] = []
    for i, column in enumerate(columns):
        parts.append(column)
        parts.append(_const(n, "," if i < len(columns) - 1 else "\n"))
    block = np.hstack(parts)
    fh.write(block[block != 0].tobytes())
    return n


def _write_small(path: Path, name: str, rows: list[dict[str, object]]) -> int:
    """Write a small file with the csv module (quotes values holding commas)."""
    columns = FILES[name].columns
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return len(rows)


# --- consumer simulation -------------------------------------------------------------------


@dataclass
class Chunk:
    """One chunk of simulated consumers and everything that happened to them."""

    consumer_cols: list[np.ndarray]
    account: np.ndarray  # (n,) int64 account numbers
    area: np.ndarray  # (n,) area index
    balances: np.ndarray  # (n, sim_days) end-of-day balance in paise
    activities: dict[str, np.ndarray]  # consumer, kind, day, second, staff (one entry per event)
    recharges: dict[str, np.ndarray]  # consumer, day, second, paise, channel
    circle_actuals: np.ndarray  # (len(TARGET_METRICS), circles) counts over the campaign
    area_counts: np.ndarray  # consumers per area


@dataclass(frozen=True)
class Setup:
    """Everything fixed for one run: hierarchy, per-area tables, lookups, number mixing."""

    hierarchy: Hierarchy
    seed: int
    sim_days: int
    area_weights: np.ndarray
    area_negative_share: np.ndarray
    area_intensity: np.ndarray
    area_response: np.ndarray
    area_amisp: np.ndarray
    account_mul: int
    account_add: int
    meter_mul: int
    meter_add: int


def _setup(seed: int, sim_days: int) -> Setup:
    """Draw the run-wide parameters: area sizes, per-area behaviour, number scrambling."""
    h = build_hierarchy()
    rng = np.random.default_rng([seed, 0])
    n_areas = len(h.rows)
    # City localities hold more consumers; sizes vary within each kind.
    weights = np.where(h.area_urban, 3.0, 1.0) * rng.lognormal(0.0, 0.35, n_areas)
    profiles = [ZONE_PROFILES[z] for z in h.zone_codes]
    zone_neg = np.array([p.negative_share for p in profiles])[h.area_zone]
    zone_int = np.array([p.intensity for p in profiles])[h.area_zone]
    zone_resp = np.array([p.response for p in profiles])[h.area_zone]
    division_effect = rng.lognormal(0.0, 0.12, len(h.division_codes))[h.area_division]
    amisp = np.array([AMISPS.index(p.amisp) for p in profiles])[h.area_zone]

    def coprime(low: int, high: int) -> int:
        # Multipliers coprime with powers of ten make index -> number a bijection (unique).
        while True:
            m = int(rng.integers(low, high))
            if m % 2 and m % 5:
                return m

    return Setup(
        hierarchy=h, seed=seed, sim_days=sim_days,
        area_weights=weights / weights.sum(),
        area_negative_share=np.clip(zone_neg + rng.normal(0, 0.02, n_areas), 0.6, 0.95),
        area_intensity=zone_int * division_effect * h.area_focus,
        area_response=zone_resp * division_effect,
        area_amisp=amisp,
        account_mul=coprime(10**9, 10**10), account_add=int(rng.integers(0, 10**10)),
        meter_mul=coprime(10**7, 10**8), meter_add=int(rng.integers(0, 10**8)),
    )


def _pick(rng: np.random.Generator, probabilities: np.ndarray, n: int) -> np.ndarray:
    """n indices drawn from one probability vector (a zero-probability index never comes up)."""
    cumulative = np.cumsum(probabilities)
    return np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")


def _daytime(rng: np.random.Generator, n: int, start_h: float, end_h: float) -> np.ndarray:
    """Seconds after midnight, uniform between two hours of the day."""
    return rng.integers(int(start_h * 3600), int(end_h * 3600), n)


def _simulate(s: Setup, chunk_no: int, first: int, n: int) -> Chunk:
    """Simulate consumers first..first+n-1: attributes, balances, field events, payments."""
    h = s.hierarchy
    rng = np.random.default_rng([s.seed, 1, chunk_no])
    index = np.arange(first, first + n, dtype=np.int64)
    area = _pick(rng, s.area_weights, n)
    urban = h.area_urban[area]
    category = np.where(urban, _pick(rng, CATEGORY_MIX_URBAN, n),
                        _pick(rng, CATEGORY_MIX_RURAL, n))
    domestic = category == CATEGORIES.index("domestic")

    # Master data.
    account = (index * s.account_mul + s.account_add) % 10**10
    amisp = np.where(rng.random(n) < 0.92, s.area_amisp[area], rng.integers(0, len(AMISPS), n))
    meter_serial = (index * s.meter_mul + s.meter_add) % 10**8
    since = (rng.beta(2.0, 1.3, n) * 1095).astype(np.int64)  # days from 2023-01-01, later-heavy
    load_tenths = np.zeros(n, dtype=np.int64)
    rupees_per_day = np.zeros(n)
    for k, cat in enumerate(CATEGORIES):
        mask = category == k
        loads, mix, per_kw = LOADS[cat]
        load = np.asarray(loads, dtype=float)[_pick(rng, np.asarray(mix), int(mask.sum()))]
        load_tenths[mask] = np.rint(load * 10).astype(np.int64)
        rupees_per_day[mask] = load * per_kw
    daily_paise = rupees_per_day * 100 * rng.lognormal(0.0, 0.35, n)

    # Balance at the end of 2026-01-31: arrears drawn band by band, credit lognormal.
    negative = rng.random(n) < s.area_negative_share[area]
    band = np.where(domestic, _pick(rng, BAND_MIX_DOMESTIC, n), _pick(rng, BAND_MIX_OTHER, n))
    lows = np.array([max(low, ARREARS_FLOOR_PAISE) for _, low, _ in DUES_BANDS])
    highs = np.array([high or ARREARS_CEILING_PAISE for _, _, high in DUES_BANDS])
    arrears = np.exp(rng.uniform(np.log(lows[band] + 1), np.log(highs[band])))
    credit = rng.lognormal(np.log(700_00), 0.9, n) * np.where(domestic, 1.0, 3.0)
    balance = np.rint(np.where(negative, -arrears, credit)).astype(np.int64)

    # Field campaign, planned over the whole campaign whatever the number of output days.
    intensity = s.area_intensity[area]
    campaign_days = np.array(CAMPAIGN_DAYS)
    n_staff = 10
    staff = rng.integers(1, n_staff + 1, n)  # the team that visits the household
    never = np.full(n, 10**6)  # day index of an event that does not happen

    verified = rng.random(n) < np.clip(0.26 * intensity, 0, 0.9)
    otp_day = np.where(verified, campaign_days[_pick(rng, CAMPAIGN_RAMP, n)], never)
    otp_sec = _daytime(rng, n, 9.5, 18.5)
    # Some consumers already had the app; the rest install it mostly right after verification.
    pre_app = rng.random(n) < np.where(urban, 0.10, 0.04)
    p_app = np.where(verified, np.where(urban, 0.62, 0.46), 0.025 * intensity)
    app = ~pre_app & (rng.random(n) < np.clip(p_app, 0, 0.95))
    later = verified & (rng.random(n) < 0.2)
    app_day = np.where(verified, np.minimum(otp_day + later * rng.integers(1, 3, n),
                                            campaign_days[-1]),
                       campaign_days[_pick(rng, CAMPAIGN_RAMP, n)])
    app_day = np.where(app, app_day, never)
    app_sec = np.where(app_day == otp_day, otp_sec + rng.integers(120, 1200, n),
                       _daytime(rng, n, 9.5, 18.5))
    trained = (app & (rng.random(n) < 0.82)) | (verified & pre_app & (rng.random(n) < 0.3))
    trained_day = np.where(app, app_day, otp_day)
    trained_day = np.where(trained, trained_day, never)
    trained_sec = np.where(app, app_sec, otp_sec) + rng.integers(300, 1800, n)

    # Field contacts go to consumers in arrears, more to bigger arrears.
    band_push = np.array([0.8, 1.1, 1.4, 1.6, 1.8])[band]
    p_contact = np.where(negative, 0.30 * band_push, 0.02) * intensity
    contacted = rng.random(n) < np.clip(p_contact, 0, 0.95)
    contact_day = np.where(contacted, campaign_days[_pick(rng, CAMPAIGN_RAMP, n)], never)
    contact_sec = _daytime(rng, n, 9.0, 19.5)
    followup = contacted & (contact_day < campaign_days[-1]) & (rng.random(n) < 0.15)
    followup_day = np.where(followup, np.minimum(contact_day + rng.integers(1, 3, n),
                                                 campaign_days[-1]), never)
    followup_sec = _daytime(rng, n, 9.0, 19.5)

    # Day by day: consumption debits, recharges, end-of-day snapshot.
    response = s.area_response[area]
    balances = np.empty((n, s.sim_days), dtype=np.int64)
    pay_cols: dict[str, list[np.ndarray]] = {k: [] for k in
                                             ("consumer", "day", "second", "paise", "channel")}
    for day in range(s.sim_days):
        debit = np.rint(daily_paise * rng.uniform(0.75, 1.25, n)).astype(np.int64)
        in_arrears = balance < 0
        p = np.where(in_arrears, 0.022, np.where(balance < 300_00, 0.09, 0.03))
        p = p + in_arrears * response * np.where(
            contact_day == day, 0.20,
            np.where((contact_day < day) | (followup_day == day), 0.07, 0.0))
        has_app = pre_app | (app_day <= day)
        p = p * np.where(has_app, 1.35, 1.0)
        pays = rng.random(n) < np.clip(p, 0, 0.9)
        who = np.flatnonzero(pays)

        owed = -balance[who] + debit[who]  # what clears the account after today's use
        clears = rng.random(len(who)) < CLEAR_PROB_BY_BAND[band[who]]
        round_up = (owed + 100_00 - 1) // 100_00 * 100_00 + TOPUP_RUPEES[
            rng.integers(0, len(TOPUP_RUPEES), len(who))] * 100
        exact = rng.random(len(who)) < 0.2  # some pay the exact amount shown in the app
        clear_amount = np.where(exact, owed, round_up)
        partial = np.maximum(100_00, np.rint(-balance[who] * rng.uniform(0.2, 0.7, len(who))
                                             / 100_00).astype(np.int64) * 100_00)
        usual = POSITIVE_RECHARGE_RUPEES[_pick(rng, POSITIVE_RECHARGE_MIX, len(who))] * 100 * \
            np.where(domestic[who], 1, 3)
        amount = np.where(in_arrears[who], np.where(clears, clear_amount, partial), usual)

        channel = np.where(has_app[who], _pick(rng, CHANNEL_MIX_APP, len(who)),
                           _pick(rng, CHANNEL_MIX_NO_APP, len(who)))
        # A payment prompted by today's visit or made in today's new app comes after it.
        after = np.where(contact_day[who] == day, contact_sec[who], 0)
        new_app = (app_day[who] == day) & (channel == SMART_APP) & ~pre_app[who]
        after = np.maximum(after, np.where(new_app, app_sec[who], 0))
        second = np.where(after > 0, after + rng.integers(300, 10800, len(who)),
                          _daytime(rng, len(who), 6.0, 23.5))
        second = np.minimum(second, 86399)

        balance = balance - debit
        balance[who] += amount
        balances[:, day] = balance
        for key, value in (("consumer", who), ("day", np.full(len(who), day)),
                           ("second", second), ("paise", amount), ("channel", channel)):
            pay_cols[key].append(value)
    recharges = {k: np.concatenate(v) for k, v in pay_cols.items()}

    kinds = {name: ACTIVITIES.index(name) for name in ACTIVITIES}
    events = [(verified, kinds["otp_verified"], otp_day, otp_sec),
              (app, kinds["app_downloaded"], app_day, app_sec),
              (trained, kinds["app_trained"], trained_day, trained_sec),
              (contacted, kinds["contacted"], contact_day, contact_sec),
              (followup, kinds["contacted"], followup_day, followup_sec)]
    parts = {k: [] for k in ("consumer", "kind", "day", "second", "staff")}
    for mask, kind, days_, secs in events:
        who = np.flatnonzero(mask)
        parts["consumer"].append(who)
        parts["kind"].append(np.full(len(who), kind))
        parts["day"].append(days_[who])
        parts["second"].append(secs[who])
        # Contacts are made by the revenue team, installs by the household's field team.
        team = staff[who] if kind != kinds["contacted"] else rng.integers(1, n_staff + 1, len(who))
        parts["staff"].append(team)
    activities = {k: np.concatenate(v) for k, v in parts.items()}

    # Campaign results per circle, for sizing the targets.
    start, end = campaign_days[0] - 1, campaign_days[-1]
    circle = h.area_circle[area]
    circles = len(h.circle_codes)
    cleared = (balances[:, start] < 0) & (balances[:, end] >= 0)
    actuals = np.vstack([np.bincount(circle[m], minlength=circles)
                         for m in (verified, app, cleared)])

    consumer_cols = [
        _digits(account, 10),
        _text(_lookup(h.area_codes)[area]),
        _text(_lookup(CATEGORIES)[category]),
        np.hstack([_text(_lookup(METER_PREFIX[a] for a in AMISPS)[amisp]),
                   _digits(meter_serial, 8)]),
        _text(_lookup((date(2023, 1, 1) + timedelta(d)).isoformat() for d in range(1096))[since]),
        np.hstack([_digits(load_tenths // 10, 3, pad=False), _const(n, "."),
                   _digits(load_tenths % 10, 1)]),
        _text(_lookup(AMISPS)[amisp]),
    ]
    return Chunk(consumer_cols=consumer_cols, account=account, area=area, balances=balances,
                 activities=activities, recharges=recharges, circle_actuals=actuals,
                 area_counts=np.bincount(area, minlength=len(h.rows)))


def _write_chunk(c: Chunk, s: Setup, days: int, files: dict[str, BinaryIO],
                 counters: dict[str, int]) -> None:
    """Append one chunk's consumers, balances, activities and recharges to the open files."""
    h = s.hierarchy
    dates = _lookup((FIRST_DAY + timedelta(d)).isoformat() for d in range(s.sim_days))
    n = len(c.account)
    counters["consumers"] += _write_rows(files["consumers"], c.consumer_cols)

    # One row per account and day, account by account.
    account = np.repeat(c.account, days)
    day = np.tile(np.arange(days), n)
    counters["balances"] += _write_rows(files["balances"], [
        _digits(account, 10), _text(dates[day]), _money(c.balances[:, :days].ravel())])

    a = c.activities
    keep = np.flatnonzero(a["day"] < days)
    keep = keep[np.lexsort((a["second"][keep], a["day"][keep], a["consumer"][keep]))]
    who = a["consumer"][keep]
    ids = counters["activities"] + 1 + np.arange(len(keep))
    consumer_division = h.area_division[c.area]
    counters["activities"] += _write_rows(files["activities"], [
        np.hstack([_const(len(keep), "ACT"), _digits(ids, 10)]),
        _digits(c.account[who], 10),
        _text(_lookup(ACTIVITIES)[a["kind"][keep]]),
        _timestamp(dates, a["day"][keep], a["second"][keep]),
        _const(len(keep), CAMPAIGN_ID),
        np.hstack([_text(_lookup(h.division_codes)[consumer_division[who]]),
                   _const(len(keep), "-FS"), _digits(a["staff"][keep], 2)]),
    ])

    r = c.recharges
    keep = np.flatnonzero(r["day"] < days)
    keep = keep[np.lexsort((r["consumer"][keep], r["second"][keep], r["day"][keep]))]
    ids = counters["recharges"] + 1 + np.arange(len(keep))
    counters["recharges"] += _write_rows(files["recharges"], [
        np.hstack([_const(len(keep), "TXN"), _digits(ids, 10)]),
        _digits(c.account[r["consumer"][keep]], 10),
        _timestamp(dates, r["day"][keep], r["second"][keep]),
        _money(r["paise"][keep]),
        _text(_lookup(CHANNELS)[r["channel"][keep]]),
    ])


# --- targets and complaints ----------------------------------------------------------------


def _nice(value: float) -> int:
    """Round a target the way an office would: to 10s, 5s or units by size."""
    step = 10 if value >= 500 else 5 if value >= 100 else 1
    return max(1, int(round(value / step)) * step)


def _targets(s: Setup, actuals: np.ndarray) -> list[dict[str, object]]:
    """Circle targets sized from the campaign's results and the zone's achievement; zone = sum."""
    h = s.hierarchy
    rng = np.random.default_rng([s.seed, 3])
    achievement = np.array([ZONE_PROFILES[z].achievement for z in h.zone_codes])[h.circle_zone]
    circle_targets = np.zeros_like(actuals)
    for m in range(len(TARGET_METRICS)):
        wobble = rng.uniform(0.93, 1.07, len(h.circle_codes))
        circle_targets[m] = [_nice(v) for v in actuals[m] / (achievement * wobble)]
    rows: list[dict[str, object]] = []
    for z, zone in enumerate(h.zone_codes):
        for m, metric in enumerate(TARGET_METRICS):
            rows.append({"campaign_id": CAMPAIGN_ID, "level": "zone", "code": zone,
                         "metric": metric, "target": int(circle_targets[m, h.circle_zone == z].sum())})
    for c, circle in enumerate(h.circle_codes):
        for m, metric in enumerate(TARGET_METRICS):
            rows.append({"campaign_id": CAMPAIGN_ID, "level": "circle", "code": circle,
                         "metric": metric, "target": int(circle_targets[m, c])})
    return rows


def _desk_hours(moment: datetime, into_morning: int) -> datetime:
    """Move a closure outside desk hours (08:00-20:00) to the next morning."""
    if 8 <= moment.hour < 20:
        return moment
    morning = moment.replace(hour=8, minute=0, second=0)
    if moment.hour >= 20:
        morning += timedelta(days=1)
    return morning + timedelta(seconds=into_morning)


def _complaints(s: Setup, area_counts: np.ndarray, days: int) -> list[dict[str, object]]:
    """Help-desk tickets per area and day, most resolved within hours, a few left open."""
    h = s.hierarchy
    rng = np.random.default_rng([s.seed, 2])
    campaign = np.isin(np.arange(days), np.array(CAMPAIGN_DAYS))
    # Help desks see more walk-ins (and app questions) while the drive is on.
    rate = area_counts[:, None] * COMPLAINTS_PER_CONSUMER_DAY * np.where(campaign, 1.3, 0.8)
    # The Mahavir Chowk desk (inspected by the Director) is busy every day of the drive.
    mahavir = np.array([r["area_name"] == "Mahavir Chowk" for r in h.rows])
    rate[mahavir] *= np.where(campaign, 3.0, 1.0)
    per_area_day = rng.poisson(rate)
    busy = mahavir[:, None] & campaign[None, :] & (area_counts[:, None] > 0)
    per_area_day[busy] = np.maximum(per_area_day[busy], 1)
    area, day = np.nonzero(per_area_day)
    repeat = per_area_day[area, day]
    area, day = np.repeat(area, repeat), np.repeat(day, repeat)
    n = len(area)
    second = _daytime(rng, n, 8.0, 20.0)
    category = np.where(campaign[day], _pick(rng, COMPLAINT_MIX_CAMPAIGN, n),
                        _pick(rng, COMPLAINT_MIX, n))
    hours = np.minimum(rng.lognormal(np.log(5.0), 1.1, n), 120.0)
    stuck = rng.random(n) < 0.04
    late = rng.integers(0, 7200, n)  # how long into the next morning a late closure lands
    order = np.lexsort((area, second, day))
    start = datetime.combine(FIRST_DAY, datetime.min.time())
    end = start + timedelta(days=days)  # data extracted at the end of the last day
    rows: list[dict[str, object]] = []
    for k, i in enumerate(order, 1):
        row = h.rows[area[i]]
        opened = start + timedelta(days=int(day[i]), seconds=int(second[i]))
        resolved = _desk_hours(opened + timedelta(seconds=max(600, int(hours[i] * 3600))),
                               int(late[i]))
        desk = (MAHAVIR_CHOWK_DESK if row["area_name"] == "Mahavir Chowk"
                else f"{row['division_name']} division office help desk")
        rows.append({
            "ticket_id": f"TKT{k:08d}", "area_code": row["area_code"], "help_desk": desk,
            "opened_at": opened.isoformat(),
            "resolved_at": "" if stuck[i] or resolved >= end else resolved.isoformat(),
            "category": COMPLAINT_CATEGORIES[category[i]],
        })
    return rows


# --- entry point ---------------------------------------------------------------------------


def generate(out: Path, consumers: int = 20_000, seed: int = 1, days: int = 8,
             progress: Callable[[float, str], None] | None = None) -> dict[str, int]:
    """Write contract CSVs (hierarchy, campaigns, targets, consumers, balances, activities, recharges, complaints) to `out`; return rows written per file."""
    if consumers < 0 or days < 1:
        raise ValueError("consumers must be >= 0 and days >= 1")
    report = progress or (lambda fraction, message: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # Simulate at least through the campaign so targets do not depend on `days`.
    s = _setup(seed % 2**63, max(days, CAMPAIGN_DAYS[-1] + 1))
    h = s.hierarchy
    # Write to .part files and rename at the end: a crash never leaves a half sample behind.
    part = {name: out / f"{name}.csv.part" for name in FILES}
    counts = {name: 0 for name in ("hierarchy", "campaigns", "targets", "consumers",
                                   "balances", "activities", "recharges", "complaints")}
    report(0.0, "hierarchy and campaign")
    counts["hierarchy"] = _write_small(part["hierarchy"], "hierarchy", h.rows)
    counts["campaigns"] = _write_small(part["campaigns"], "campaigns", [{
        "campaign_id": CAMPAIGN_ID, "name": CAMPAIGN_NAME, "name_hi": CAMPAIGN_NAME_HI,
        "start_date": CAMPAIGN_START.isoformat(), "end_date": CAMPAIGN_END.isoformat()}])

    streamed = ("consumers", "balances", "activities", "recharges")
    actuals = np.zeros((len(TARGET_METRICS), len(h.circle_codes)), dtype=np.int64)
    area_counts = np.zeros(len(h.rows), dtype=np.int64)
    files = {name: part[name].open("wb") for name in streamed}
    try:
        for name, fh in files.items():
            fh.write((",".join(FILES[name].columns) + "\n").encode())
        for chunk_no, first in enumerate(range(0, consumers, CHUNK)):
            chunk = _simulate(s, chunk_no, first, min(CHUNK, consumers - first))
            _write_chunk(chunk, s, days, files, counts)
            actuals += chunk.circle_actuals
            area_counts += chunk.area_counts
            done = first + len(chunk.account)
            report(0.95 * done / consumers, f"consumers {done:,} of {consumers:,}")
    finally:
        for fh in files.values():
            fh.close()

    report(0.96, "targets and complaints")
    counts["targets"] = _write_small(part["targets"], "targets", _targets(s, actuals))
    counts["complaints"] = _write_small(part["complaints"], "complaints",
                                        _complaints(s, area_counts, days))
    for name in sorted(part, key=lambda n: n == "consumers"):  # consumers.csv last
        part[name].replace(out / f"{name}.csv")
    report(1.0, "done")
    return counts
