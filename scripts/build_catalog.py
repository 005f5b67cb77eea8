#!/usr/bin/env python3
"""Build dsar/catalog/data/*.json from the research files in ../shared/catalog/.

Usage:  .venv/bin/python scripts/build_catalog.py [SHARED_DIR] [--out dsar/catalog/data]

The app never reads the shared folder at run time: this script turns it into the versioned JSON
that `manage.py load_catalog` validates and loads. Run it after the research files change,
review the diff of dsar/catalog/data/, then commit both.

Decisions made here (and nowhere else):
1. Contact precedence: a verbatim datenanfragen record (CC0) wins; otherwise more-contacts.json
   (with its confidence); otherwise the contact notes of datasets-and-organisations.json.
2. Contact quality: datenanfragen "verified" and more-contacts "confirmed" -> verified;
   more-contacts "partial" -> public_record; everything else -> unconfirmed (some value known)
   or none (nothing known).
3. Known users named in a list (AIAAIC operators, MegaPixels or citation analyses) are marked
   `list_based`: evidence of use by researchers, not proof the organisation still holds data.
4. Eligibility questions and their translations are written here (CURATED section); the facts
   behind them are in eligibility-facts.md.
Pure standard library, so it runs without Django.
"""
from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

DATENANFRAGEN_COMMIT = "0a29c3d6feee53b02e73204a3dbd312eafe56629"
DATENANFRAGEN_REPO = "datenanfragen/data"
Json = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# CURATED: names as the research files spell them -> one organisation slug.
# ---------------------------------------------------------------------------------------------
NAME_TO_SLUG = {
    "Alibaba": "alibaba",
    "Alphabet/Google": "google",
    "Google": "google",
    "Google (Imagen)": "google",
    "Google (privacy contact)": "google",
    "Amazon": "amazon",
    "Amazon (research entity)": "amazon",
    "Beihang University": "beihang-university",
    "Beijing University of Technology": "beijing-university-of-technology",
    "ChaLearn": "chalearn",
    "Chinese Academy of Sciences": "chinese-academy-of-sciences",
    "Chinese Academy of Sciences Institute of Automation (CASIA)": "casia",
    "CloudWalk": "cloudwalk",
    "CyberLink": "cyberlink",
    "Delft University of Technology": "tu-delft",
    "TU Delft": "tu-delft",
    "Disney": "disney",
    "Disney (research)": "disney",
    "EPFL": "epfl",
    "HES-SO": "hes-so",
    "Hikvision": "hikvision",
    "Hikvision (Hangzhou Hikvision Digital Technology; Hikvision Europe B.V.)": "hikvision",
    "Hitachi": "hitachi",
    "Hitachi (Hitachi, Ltd.; Hitachi Europe)": "hitachi",
    "Honeywell Technology Solutions": "honeywell",
    "Honeywell": "honeywell",
    "Huawei": "huawei",
    "IBM": "ibm",
    "IDIAP Research Institute": "idiap",
    "IDIAP (Idiap Research Institute)": "idiap",
    "IIT Madras": "iit-madras",
    "IntelliVision": "intellivision",
    "Megvii": "megvii",
    "Megvii (Beijing Kuangshi Technology)": "megvii",
    "Microsoft": "microsoft",
    "Microsoft (EU privacy contact / DPO)": "microsoft",
    "Mitsubishi": "mitsubishi-electric",
    "Mitsubishi Electric": "mitsubishi-electric",
    "Mitsubishi Electric (Europe)": "mitsubishi-electric",
    "N-TechLab": "ntechlab",
    "NtechLab": "ntechlab",
    "NEC": "nec",
    "NEC (NEC Corporation; NEC Laboratories Europe GmbH)": "nec",
    "National University of Defense Technology (China)": "nudt",
    "National University of Defense Technology (NUDT)": "nudt",
    "National University of Defense Technology (NUDT), China": "nudt",
    "North University of China": "north-university-of-china",
    "Nvidia": "nvidia",
    "OSRAM": "osram",
    "OSRAM (ams OSRAM)": "osram",
    "Orion Star Technology": "orion-star",
    "Orion Star": "orion-star",
    "PLA Army Engineering University": "pla-army-engineering-university",
    "Panasonic": "panasonic",
    "Philips": "philips",
    "Qualcomm": "qualcomm",
    "Samsung": "samsung",
    "SeeQuestor": "seequestor",
    "SenseNets": "sensenets",
    "SenseTime": "sensetime",
    "Shenzhen University": "shenzhen-university",
    "Simula Research Laboratory": "simula",
    "Sogou": "sogou",
    "Stability AI (Stable Diffusion)": "stability-ai",
    "Stability AI": "stability-ai",
    "Tencent": "tencent",
    "UC Berkeley": "uc-berkeley",
    "Universidad Autonoma de Madrid": "uam",
    "Universidad Autónoma de Madrid (UAM)": "uam",
    "Universitat Autonoma de Barcelona": "uab",
    "University of Electronic Science and Technology of China": "uestc",
    "UESTC (University of Electronic Science and Technology of China)": "uestc",
    "University of Leicester": "university-of-leicester",
    "Vision Semantics": "vision-semantics",
    "Stanford University": "stanford-university",
    "University of Washington": "university-of-washington",
    "LAION e.V.": "laion",
    "University of Colorado Colorado Springs (UCCS)": "uccs",
    "University of North Carolina Wilmington (UNCW)": "uncw",
    "Duke University": "duke-university",
    "Qualcomm ": "qualcomm",
    "Dahua Technology (Zhejiang Dahua; Dahua Europe B.V.)": "dahua",
    "Intel": "intel",
    "Baidu": "baidu",
    "Toshiba": "toshiba",
    "Fujitsu": "fujitsu",
    "Bosch": "bosch",
    "Siemens": "siemens",
    "Accenture": "accenture",
    "PimEyes": "pimeyes",
    "iFlytek": "iflytek",
    "Yitu": "yitu",
    "Beihang University ": "beihang-university",
}

# Organisations named only as users (no contact research) or publishers not in the 22.
EXTRA_ORGANISATIONS: dict[str, Json] = {
    "chalearn": {"name": "ChaLearn", "kind": "nonprofit", "country": ""},
    "chinese-academy-of-sciences": {
        "name": "Chinese Academy of Sciences", "kind": "institute", "country": "CN"
    },
    "hes-so": {
        "name": "HES-SO (University of Applied Sciences and Arts Western Switzerland)",
        "kind": "university", "country": "CH",
    },
    "pla-army-engineering-university": {
        "name": "PLA Army Engineering University", "kind": "university", "country": "CN"
    },
    "simula": {"name": "Simula Research Laboratory", "kind": "institute", "country": "NO"},
    "uc-berkeley": {"name": "University of California, Berkeley", "kind": "university",
                    "country": "US"},
    "uab": {"name": "Universitat Autònoma de Barcelona", "kind": "university", "country": "ES"},
    "umass-amherst": {"name": "University of Massachusetts Amherst", "kind": "university",
                      "country": "US"},
    "nyu": {"name": "New York University", "kind": "university", "country": "US"},
}

# Publishers named by a dataset besides its controller_org_ids.
EXTRA_PUBLISHERS = {"lfw": ["umass-amherst"], "tiny-images": ["mit", "nyu"]}

KINDS = {
    "research institute": "institute",
    "idiap": "institute", "casia": "institute", "laion": "nonprofit",
}
UNIVERSITY_WORDS = ("university", "universit", "institute of technology", "epfl", "iit ",
                    "tu delft", "uestc", "nudt", "uam", "uccs", "uncw")

# Where a datenanfragen record from organisation-records.json is the right one for a slug.
RECORD_PATHS = {"disney": "companies/disney.json", "samsung": "companies/samsung.json"}

STATUS = {
    "ms-celeb-1m": "withdrawn", "duke-mtmc": "withdrawn", "brainwash": "withdrawn",
    "oxford-town-centre": "no_longer_distributed", "uccs": "no_longer_distributed",
    "megaface": "no_longer_distributed", "ibm-dif": "unconfirmed",
    "hrt-transgender": "withdrawn", "vggface2": "no_longer_distributed",
    "vgg-face": "no_longer_distributed", "facescrub": "unconfirmed",
    "casia-webface": "unconfirmed", "yfcc100m": "unconfirmed", "laion-5b": "re_released",
    "tiny-images": "withdrawn", "lfw": "not_withdrawn",
}
WITHDRAWN_ON = {"duke-mtmc": "2019-04-25", "tiny-images": "2020-06-29"}

# What a letter should give so the holder can find the person (IdentifyingDetail keys), and
# dataset-specific facts to cite. From eligibility-facts.md, in our own words.
LETTER = {
    "ms-celeb-1m": (["name_as_listed", "list_id", "profession", "image_urls"],
                    "Entities are Freebase identifiers (MID, of the form m.0...); the circulated "
                    "entity list is Top1M_MidList.Name.tsv. Ask about derivatives such as MS1MV2 "
                    "and about models trained on the data."),
    "duke-mtmc": (["presence", "appearance", "reference_photo"],
                  "Recorded on Friday 14 March 2014 by eight cameras around the Chapel Quad. "
                  "DukeMTMC-reID file names encode identity, camera and frame "
                  "(e.g. 0005_c2_f0046985.jpg). Ask whether the raw video is still held and who "
                  "received copies."),
    "brainwash": (["presence", "appearance", "reference_photo"],
                  "The three days are 27 October, 13 November and 24 November 2014 (from the "
                  "dataset's folder names). Cite Stanford Digital Repository item sx925dc9385."),
    "oxford-town-centre": (["presence", "appearance", "reference_photo"],
                           "CCTV camera at the corner of Cornmarket Street and Market Street, "
                           "Oxford; footage from about 2009."),
    "uccs": (["presence", "appearance", "reference_photo"],
             "Long-lens photographs of a campus path on 20 days between February 2012 and "
             "September 2013. Say whether you were a student, staff member or visitor."),
    "megaface": (["flickr_account", "flickr_photos"],
                 "Folder names embed the Flickr NSID and photo ID "
                 "(e.g. 46976970@N00_identity_8/2331657915_0.jpg)."),
    "ibm-dif": (["flickr_account", "flickr_photos"],
                "The data holds image URLs, not Flickr IDs: give the NSID with consent to use it "
                "only to find your URLs, and ask for the URLs and annotations to be deleted."),
    "hrt-transgender": (["youtube_videos"],
                        "Say the videos document your own transition; ask which frames and "
                        "videos are held and who received the link."),
    "vggface2": (["name_as_listed", "list_id"],
                 "identity_meta.csv lists Class_ID (n000001...) and the name. Ask about trained "
                 "models and derived annotations (MAAD-Face)."),
    "vgg-face": (["name_as_listed", "image_urls"],
                 "One text file per person, files/<Name>.txt, listing image URLs."),
    "facescrub": (["name_as_listed", "list_id", "image_urls"],
                  "Names are in facescrub_actors.txt and facescrub_actresses.txt with image and "
                  "face IDs."),
    "casia-webface": (["name_as_listed", "imdb_id"],
                      "Folders have 7-digit IDs that reportedly correspond to IMDb name numbers "
                      "(unconfirmed officially)."),
    "yfcc100m": (["flickr_account", "flickr_photos"],
                 "The metadata holds photo ID, user NSID and nickname per item; the media files "
                 "are mirrored in the Multimedia Commons S3 bucket."),
    "laion-5b": (["image_urls", "caption"],
                 "Give image and page URLs, the caption and the SAMPLE_ID if known. LAION's FAQ "
                 "points to a GDPR takedown form."),
    "tiny-images": ([], "There is no usable identifier: ask MIT to confirm deletion and to name "
                        "who received copies."),
    "lfw": (["name_as_listed", "list_id"],
            "The name list is lfw-names.txt; files are named after the person."),
}

SELF_CHECK = {
    "megaface": ("exposing.ai search by Flickr username, NSID, photo URL or hashtag",
                 "https://exposing.ai/"),
    "ibm-dif": ("exposing.ai search (covers part of Diversity in Faces)", "https://exposing.ai/"),
    "vgg-face": ("exposing.ai search for the Flickr-hosted images (the 2,622 names are the file "
                 "names of the circulated list)", "https://exposing.ai/"),
    "facescrub": ("exposing.ai search for the 211 Flickr images (names: the circulated "
                  "facescrub_actors.txt and facescrub_actresses.txt)", "https://exposing.ai/"),
    "laion-5b": ("Have I Been Trained (Spawning), search by text or image",
                 "https://haveibeentrained.com/"),
    # Name lists without an official address: the name tells the person what to look for.
    "ms-celeb-1m": ("Look for your name or Freebase ID (m.0...) in the circulated entity list "
                    "Top1M_MidList.Name.tsv (no lookup tool exists)", ""),
    "vggface2": ("Look for your name in the circulated identity list identity_meta.csv", ""),
    "casia-webface": ("Look for your name or IMDb number in the circulated CASIA-WebFace names "
                      "list", ""),
    "lfw": ("LFW's public name list lfw-names.txt", "http://vis-www.cs.umass.edu/lfw/lfw-names.txt"),
}
SELF_CHECK_UNCONFIRMED = {
    "megaface": "whether the exposing.ai search still works today",
    "ibm-dif": "whether the exposing.ai search still works today",
    "vgg-face": "whether the exposing.ai search still works today",
    "facescrub": "whether the exposing.ai search still works today",
    "laion-5b": "whether Have I Been Trained still works (a 2025 listing says it is under "
                "maintenance)",
}

# Capture details from eligibility-facts.md that sharpen the shared JSON.
CAPTURE_EXTRA = {
    "brainwash": ("BrainWash Cafe and laundromat, Folsom Street between 7th and 8th Streets "
                  "(SoMa), San Francisco, USA (cafe closed December 2017)",
                  "27 October, 13 November and 24 November 2014 (from the dataset's folder "
                  "names; times of day unconfirmed)",
                  ["https://sfist.com/2016/12/27/brainwash_cafe_may_be_forced_to_clo",
                   "https://sf.curbed.com/2017/12/18/16775442/brainwash-soma-laundry-laundromat-san-francisco"]),
}

# ---------------------------------------------------------------------------------------------
# CURATED: the eligibility questions (issue 5, item 1). Strength of a "yes" follows the summary
# table of eligibility-facts.md: "likely" only where being in the named group nearly implies
# being in the data; a yes here never proves a name is on a list, so most are "possible".
# ---------------------------------------------------------------------------------------------
ELIGIBILITY_SOURCES = {
    "public-figure": ["https://exposing.ai/datasets/msceleb", "https://www.msceleb.org/download/full"],
    "credited-actor": ["https://exposing.ai/face_scrub", "https://www.sciencestack.ai/paper/1411.7923",
                       "https://exposing.ai/vgg_face", "https://ar5iv.labs.arxiv.org/html/1710.08092"],
    "flickr-cc-2004-2014": ["https://lbsn.vgiscience.org/tutorial/yfcc-introduction/",
                            "https://megapixels.cc/megaface/", "https://exposing.ai/ibm_dif"],
    "duke-chapel-2014": [
        "https://www.cbs17.com/news/local-news/durham-county-news/thousands-of-pictures-of-duke-university%E2%80%8B-students-captured-for-chinese-artificial-intelligence-research/",
        "https://www.dukechronicle.com/article/2019/06/duke-university-dataset-surveillance-facial-recognition-study-you-asked-heres-what-we-know"],
    "brainwash-cafe-2014": [
        "https://www.aiaaic.org/aiaaic-repository/ai-algorithmic-and-automation-incidents/brainwash-dataset",
        "https://sfist.com/2016/12/27/brainwash_cafe_may_be_forced_to_clo"],
    "uccs-2012-2013": ["https://vast.uccs.edu/uccsfaces/",
                       "https://www.snopes.com/ap/2019/05/28/colorado-students-photographed-for-facial-recognition-study/"],
    "oxford-cornmarket": [
        "https://www.aiaaic.org/aiaaic-repository/ai-algorithmic-and-automation-incidents/oxford-town-centre-dataset"],
    "youtube-transition-before-2013": ["https://algorithmwatch.org/en/dataset-face-recognition/",
                                       "https://www.theverge.com/2017/8/22/16180080/transgender-youtubers-ai-facial-recognition-dataset"],
    "images-on-open-web": ["https://laion.ai/faq/", "https://laion.ai/blog/laion-5b/",
                           "http://www.infochimps.com/datasets/80-million-tiny-images"],
    "in-facescrub-list": ["https://exposing.ai/face_scrub"],
    "in-vgg-face-list": ["https://exposing.ai/vgg_face"],
    "in-vggface2-list": ["https://github.com/ox-vgg/vgg_face2/issues/50"],
    "in-casia-webface-list": ["https://www.sciencestack.ai/paper/1411.7923",
                              "https://github.com/happynear/AMSoftmax/issues/14"],
    "yahoo-news-2002-2004": [
        "https://gwern.net/metadata/annotation/%252Fdoc%252Fai%252Fdataset%252F2008-huang.pdf.html",
        "https://git.ghghgh.us/megapixels_dev.git/plain/site/public/datasets_v0/lfw/index.html?id=fde90ad3a559bca2ce663814276d572c8b57d03b"],
    "in-lfw-list": ["http://vis-www.cs.umass.edu/lfw/lfw-names.txt"],
    "in-ms-celeb-with-images": [
        "https://www.msceleb.org/download/full",
        "https://www.microsoft.com/en-us/research/project/ms-celeb-1m-challenge-recognizing-one-million-celebrities-real-world/"],
    "exposing-ai-megaface": [
        "https://www.marktechpost.com/2021/02/05/exposing-ai-develops-a-tool-that-can-detect-whether-your-image-was-used-in-ai-surveillance-research/",
        "https://megapixels.cc/megaface/"],
    "exposing-ai-ibm-dif": ["https://exposing.ai/ibm_dif",
                            "https://cubicgarden.com/tag/creative-commons"],
    "laion-search-hit": [
        "https://malwaretips.com/threads/haveibeentrained-com-artists-can-search-these-databases-for-links-to-their-work-and-flag-them-for-removal.125158/",
        "https://laion.ai/faq/"],
}


def _t(en: str, de: str, fr: str) -> dict[str, str]:
    return {"en": en, "de": de, "fr": fr}


QUESTIONS: list[Json] = [
    {
        "slug": "public-figure",
        "texts": _t(
            "Are you publicly known by name: for example a journalist, academic, artist, "
            "activist, politician, author or athlete?",
            "Sind Sie unter Ihrem Namen öffentlich bekannt, etwa als Journalistin, "
            "Wissenschaftler, Künstlerin, Aktivist, Politikerin, Autor oder Sportlerin?",
            "Êtes-vous connu·e publiquement sous votre nom : journaliste, universitaire, "
            "artiste, militant·e, personnalité politique, auteur·e ou sportif·ve ?"),
        "help_texts": _t(
            "Microsoft's MS-Celeb-1M took its names from a knowledge base of about a million "
            "people, far beyond film stars.",
            "Microsofts MS-Celeb-1M nahm die Namen aus einer Wissensdatenbank mit rund einer "
            "Million Personen, weit über Filmstars hinaus.",
            "MS-Celeb-1M de Microsoft a tiré ses noms d'une base de connaissances d'environ un "
            "million de personnes, bien au-delà des vedettes de cinéma."),
        "outcomes": [
            ("ms-celeb-1m", "possible", _t(
                "MS-Celeb-1M collected search-engine images of about 100,000 publicly known "
                "people, including journalists, academics and activists; copies and derived "
                "sets such as MS1MV2 still circulate.",
                "MS-Celeb-1M sammelte Suchmaschinenbilder von rund 100.000 bekannten Personen, "
                "auch Journalisten, Wissenschaftlerinnen und Aktivisten; Kopien und abgeleitete "
                "Sätze wie MS1MV2 sind weiter im Umlauf.",
                "MS-Celeb-1M a rassemblé des images de moteurs de recherche d'environ 100 000 "
                "personnes connues, dont des journalistes, universitaires et militants ; des "
                "copies et des dérivés comme MS1MV2 circulent encore.")),
        ],
    },
    {
        "slug": "credited-actor",
        "texts": _t(
            "Have you been credited as an actor or actress (for example on IMDb)?",
            "Wurden Sie als Schauspielerin oder Schauspieler genannt (zum Beispiel auf IMDb)?",
            "Avez-vous été crédité·e comme acteur ou actrice (par exemple sur IMDb) ?"),
        "help_texts": _t(
            "Several face datasets built their name lists from IMDb and then searched the web "
            "for photos of each name.",
            "Mehrere Gesichtsdatensätze bildeten ihre Namenslisten aus IMDb und suchten dann im "
            "Netz nach Fotos zu jedem Namen.",
            "Plusieurs jeux de données de visages ont constitué leurs listes de noms à partir "
            "d'IMDb, puis ont cherché des photos de chaque nom sur le web."),
        "outcomes": [
            ("facescrub", "possible", _t(
                "FaceScrub holds web images of 695 public figures whose names came from IMDb.",
                "FaceScrub enthält Netzbilder von 695 Personen des öffentlichen Lebens, deren "
                "Namen aus IMDb stammen.",
                "FaceScrub contient des images du web de 695 personnalités dont les noms "
                "viennent d'IMDb.")),
            ("casia-webface", "possible", _t(
                "CASIA-WebFace copied photos from the IMDb pages of 10,575 people.",
                "CASIA-WebFace kopierte Fotos von den IMDb-Seiten von 10.575 Personen.",
                "CASIA-WebFace a copié les photos des pages IMDb de 10 575 personnes.")),
            ("vgg-face", "possible", _t(
                "VGG Face picked 2,622 names from IMDb's popularity ranking and collected "
                "images of each.",
                "VGG Face wählte 2.622 Namen aus der IMDb-Beliebtheitsliste und sammelte Bilder "
                "zu jedem.",
                "VGG Face a retenu 2 622 noms du classement de popularité d'IMDb et collecté "
                "des images de chacun.")),
            ("vggface2", "possible", _t(
                "VGGFace2 holds 3.3 million search-engine images of 9,131 actors, athletes and "
                "politicians.",
                "VGGFace2 enthält 3,3 Millionen Suchmaschinenbilder von 9.131 Schauspielern, "
                "Sportlerinnen und Politikern.",
                "VGGFace2 contient 3,3 millions d'images de 9 131 acteurs, sportifs et "
                "personnalités politiques.")),
            ("ms-celeb-1m", "possible", _t(
                "Most people in MS-Celeb-1M are film and television actors.",
                "Die meisten Personen in MS-Celeb-1M sind Film- und Fernsehschauspieler.",
                "La plupart des personnes de MS-Celeb-1M sont des acteurs de cinéma et de "
                "télévision.")),
        ],
    },
    {
        "slug": "flickr-cc-2004-2014",
        "texts": _t(
            "Did you, or someone else, post photos of you on Flickr under a Creative Commons "
            "licence between 2004 and 2014?",
            "Haben Sie oder andere zwischen 2004 und 2014 Fotos von Ihnen unter einer Creative-"
            "Commons-Lizenz auf Flickr veröffentlicht?",
            "Vous-même ou d'autres avez-vous publié des photos de vous sur Flickr sous licence "
            "Creative Commons entre 2004 et 2014 ?"),
        "help_texts": _t(
            "You can search exposing.ai by Flickr username, photo address or hashtag to see "
            "whether photos were used in MegaFace or IBM's Diversity in Faces.",
            "Auf exposing.ai können Sie nach Flickr-Benutzername, Fotoadresse oder Hashtag "
            "suchen und sehen, ob Fotos in MegaFace oder IBMs Diversity in Faces verwendet "
            "wurden.",
            "Sur exposing.ai, vous pouvez chercher par nom d'utilisateur Flickr, adresse de "
            "photo ou hashtag si des photos ont servi dans MegaFace ou Diversity in Faces "
            "d'IBM."),
        "outcomes": [
            ("yfcc100m", "possible", _t(
                "YFCC100M lists about 99 million Creative Commons Flickr photos uploaded from "
                "2004 to 2014, with uploader and location data.",
                "YFCC100M verzeichnet rund 99 Millionen Creative-Commons-Fotos, die 2004 bis "
                "2014 auf Flickr hochgeladen wurden, mit Angaben zu Uploader und Ort.",
                "YFCC100M répertorie environ 99 millions de photos Flickr sous Creative Commons "
                "publiées de 2004 à 2014, avec l'auteur et le lieu.")),
            ("megaface", "possible", _t(
                "MegaFace took 4.7 million faces from Creative Commons Flickr photos of that "
                "period; a hit on exposing.ai makes this likely.",
                "MegaFace entnahm 4,7 Millionen Gesichter aus Creative-Commons-Flickr-Fotos "
                "dieser Zeit; ein Treffer auf exposing.ai macht es wahrscheinlich.",
                "MegaFace a extrait 4,7 millions de visages de photos Flickr Creative Commons "
                "de cette période ; un résultat sur exposing.ai le rend probable.")),
            ("ibm-dif", "possible", _t(
                "IBM's Diversity in Faces annotated one million faces from the same Flickr "
                "photos; a hit on exposing.ai makes this likely.",
                "IBMs Diversity in Faces vermaß eine Million Gesichter aus denselben Flickr-"
                "Fotos; ein Treffer auf exposing.ai macht es wahrscheinlich.",
                "Diversity in Faces d'IBM a annoté un million de visages issus des mêmes photos "
                "Flickr ; un résultat sur exposing.ai le rend probable.")),
        ],
    },
    {
        "slug": "duke-chapel-2014",
        "texts": _t(
            "Were you around the Chapel Quad on Duke University's West Campus (Durham, North "
            "Carolina) on Friday 14 March 2014?",
            "Waren Sie am Freitag, dem 14. März 2014, am Chapel Quad auf dem West Campus der "
            "Duke University (Durham, North Carolina)?",
            "Étiez-vous aux abords du Chapel Quad du West Campus de l'université Duke (Durham, "
            "Caroline du Nord) le vendredi 14 mars 2014 ?"),
        "help_texts": _t(
            "Eight cameras filmed the open space in front of the Chapel, the entrances of Page "
            "Auditorium and the Divinity School, the side walkways and the bike rack.",
            "Acht Kameras filmten den Platz vor der Kapelle, die Eingänge von Page Auditorium "
            "und Divinity School, die seitlichen Wege und den Fahrradständer.",
            "Huit caméras filmaient l'esplanade devant la chapelle, les entrées du Page "
            "Auditorium et de la Divinity School, les allées latérales et le parc à vélos."),
        "outcomes": [
            ("duke-mtmc", "possible", _t(
                "DukeMTMC filmed about 2,000 people walking past Duke Chapel that day; its "
                "re-identification crops (DukeMTMC-reID) are still shared.",
                "DukeMTMC filmte an diesem Tag rund 2.000 Menschen an der Duke Chapel; die "
                "Ausschnitte für Re-Identifikation (DukeMTMC-reID) werden weiter geteilt.",
                "DukeMTMC a filmé environ 2 000 personnes passant devant la chapelle ce jour-là "
                "; ses extraits de ré-identification (DukeMTMC-reID) circulent encore.")),
        ],
    },
    {
        "slug": "brainwash-cafe-2014",
        "texts": _t(
            "Were you inside the BrainWash Cafe on Folsom Street, San Francisco, in October or "
            "November 2014?",
            "Waren Sie im Oktober oder November 2014 im BrainWash Cafe in der Folsom Street, "
            "San Francisco?",
            "Étiez-vous au BrainWash Cafe, Folsom Street, à San Francisco, en octobre ou "
            "novembre 2014 ?"),
        "help_texts": _t(
            "The frames come from three days: 27 October, 13 November and 24 November 2014.",
            "Die Bilder stammen von drei Tagen: 27. Oktober, 13. November und 24. November "
            "2014.",
            "Les images proviennent de trois jours : 27 octobre, 13 novembre et 24 novembre "
            "2014."),
        "outcomes": [
            ("brainwash", "possible", _t(
                "Stanford researchers saved nearly 12,000 frames of the cafe's live webcam on "
                "three days in autumn 2014.",
                "Forschende in Stanford speicherten an drei Herbsttagen 2014 fast 12.000 Bilder "
                "der Live-Webcam des Cafés.",
                "Des chercheurs de Stanford ont enregistré près de 12 000 images de la webcam "
                "du café sur trois jours de l'automne 2014.")),
        ],
    },
    {
        "slug": "uccs-2012-2013",
        "texts": _t(
            "Did you walk on the campus of the University of Colorado Colorado Springs between "
            "February 2012 and September 2013?",
            "Waren Sie zwischen Februar 2012 und September 2013 auf dem Campus der University "
            "of Colorado Colorado Springs unterwegs?",
            "Avez-vous marché sur le campus de l'université du Colorado à Colorado Springs "
            "entre février 2012 et septembre 2013 ?"),
        "help_texts": _t(
            "A long-range camera in an office window photographed a busy path, mostly in the "
            "spring semesters.",
            "Eine Kamera mit Teleobjektiv in einem Bürofenster fotografierte einen belebten "
            "Weg, vor allem im Frühjahrssemester.",
            "Un appareil à longue focale, placé à une fenêtre de bureau, photographiait une "
            "allée fréquentée, surtout aux semestres de printemps."),
        "outcomes": [
            ("uccs", "possible", _t(
                "The UCCS dataset holds over 16,000 covert photographs of about 1,700 people "
                "on that campus path.",
                "Der UCCS-Datensatz enthält über 16.000 heimlich aufgenommene Fotos von rund "
                "1.700 Personen auf diesem Campusweg.",
                "Le jeu UCCS contient plus de 16 000 photos prises à leur insu d'environ 1 700 "
                "personnes sur cette allée.")),
        ],
    },
    {
        "slug": "oxford-cornmarket",
        "texts": _t(
            "Did you walk past the corner of Cornmarket Street and Market Street in Oxford "
            "around 2009?",
            "Sind Sie um 2009 an der Ecke Cornmarket Street und Market Street in Oxford "
            "vorbeigegangen?",
            "Êtes-vous passé·e à l'angle de Cornmarket Street et Market Street, à Oxford, vers "
            "2009 ?"),
        "help_texts": _t(
            "The exact recording date is not known, so a yes here is a weak signal.",
            "Das genaue Aufnahmedatum ist unbekannt; ein Ja ist daher nur ein schwaches "
            "Zeichen.",
            "La date exacte de l'enregistrement est inconnue ; un oui reste un indice faible."),
        "outcomes": [
            ("oxford-town-centre", "possible", _t(
                "Oxford Town Centre is CCTV footage of about 2,200 pedestrians at that corner.",
                "Oxford Town Centre besteht aus Videoüberwachungsaufnahmen von rund 2.200 "
                "Passanten an dieser Ecke.",
                "Oxford Town Centre est un enregistrement de vidéosurveillance d'environ 2 200 "
                "passants à cet angle.")),
        ],
    },
    {
        "slug": "youtube-transition-before-2013",
        "texts": _t(
            "Did you post videos about your gender transition (for example hormone therapy "
            "timelines) on YouTube before 2013?",
            "Haben Sie vor 2013 Videos über Ihre Geschlechtsangleichung (etwa Verläufe einer "
            "Hormontherapie) auf YouTube veröffentlicht?",
            "Avez-vous publié avant 2013 sur YouTube des vidéos sur votre transition (par "
            "exemple l'évolution d'un traitement hormonal) ?"),
        "help_texts": None,
        "outcomes": [
            ("hrt-transgender", "possible", _t(
                "The HRT Transgender dataset took frames from the transition videos of 38 "
                "YouTube users without their consent.",
                "Der HRT-Transgender-Datensatz entnahm ohne Einwilligung Einzelbilder aus den "
                "Transitionsvideos von 38 YouTube-Nutzenden.",
                "Le jeu HRT Transgender a extrait sans consentement des images des vidéos de "
                "transition de 38 personnes sur YouTube.")),
        ],
    },
    {
        "slug": "images-on-open-web",
        "texts": _t(
            "Have photos of you appeared on public web pages (news sites, blogs, social media "
            "profiles) before 2022?",
            "Sind vor 2022 Fotos von Ihnen auf öffentlichen Webseiten erschienen "
            "(Nachrichtenseiten, Blogs, öffentliche Profile)?",
            "Des photos de vous sont-elles parues sur des pages web publiques (sites "
            "d'information, blogs, profils publics) avant 2022 ?"),
        "help_texts": _t(
            "Have I Been Trained lets you search LAION by text or image; whether it still "
            "works is unconfirmed.",
            "Mit Have I Been Trained lässt sich LAION per Text oder Bild durchsuchen; ob der "
            "Dienst noch funktioniert, ist unbestätigt.",
            "Have I Been Trained permet de chercher dans LAION par texte ou image ; son "
            "fonctionnement actuel n'est pas confirmé."),
        "outcomes": [
            ("laion-5b", "possible", _t(
                "LAION-5B lists 5.85 billion image addresses with their captions, taken from "
                "public web pages; a hit in a search makes this likely.",
                "LAION-5B verzeichnet 5,85 Milliarden Bildadressen samt Bildunterschriften von "
                "öffentlichen Webseiten; ein Suchtreffer macht es wahrscheinlich.",
                "LAION-5B répertorie 5,85 milliards d'adresses d'images et leurs légendes "
                "issues de pages web publiques ; un résultat de recherche le rend probable.")),
            ("tiny-images", "possible", _t(
                "80 Million Tiny Images copied web image-search results around 2006-2007 at "
                "thumbnail size; a very weak link.",
                "80 Million Tiny Images kopierte um 2006-2007 Ergebnisse der Bildersuche in "
                "Miniaturgröße; ein sehr schwacher Bezug.",
                "80 Million Tiny Images a copié vers 2006-2007 des résultats de recherche "
                "d'images en vignettes ; un lien très faible.")),
        ],
    },
]


# CURATED: self-check follow-ups (issue 5, item 1), listed after the question they are placed
# behind; FOLLOWS says which questions each one follows up. The public flow asks a follow-up
# only when one of those was not answered "no", after all the questions that follow none. A
# person who has not looked answers "I am not sure", which matches nothing. A "yes" means the
# person found themselves in a published list or search, so it is "likely" (summary table of
# eligibility-facts.md).
NOT_CHECKED_HELP = _t(
    "Answer yes only if you found yourself there. If you have not looked, answer \u201cI am "
    "not sure\u201d.",
    "Antworten Sie nur mit Ja, wenn Sie sich dort gefunden haben. Wenn Sie nicht nachgesehen "
    "haben, w\u00e4hlen Sie \u201eIch bin nicht sicher\u201c.",
    "Ne r\u00e9pondez oui que si vous vous y \u00eates trouv\u00e9\u00b7e. Si vous n'avez pas "
    "v\u00e9rifi\u00e9, r\u00e9pondez que vous n'\u00eates pas s\u00fbr\u00b7e.")

FOLLOW_UPS: dict[str, list[Json]] = {
    "credited-actor": [
        {
            "slug": "in-facescrub-list",
            "texts": _t(
                "Is your name in FaceScrub's published actor or actress list "
                "(facescrub_actors.txt, facescrub_actresses.txt)?",
                "Steht Ihr Name in FaceScrubs ver\u00f6ffentlichter Liste der Schauspieler oder "
                "Schauspielerinnen (facescrub_actors.txt, facescrub_actresses.txt)?",
                "Votre nom figure-t-il dans les listes d'acteurs ou d'actrices publi\u00e9es par "
                "FaceScrub (facescrub_actors.txt, facescrub_actresses.txt) ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("facescrub", "likely", _t(
                    "Your name is in FaceScrub's list of 695 people, where each name comes with "
                    "web images of that person.",
                    "Ihr Name steht in FaceScrubs Liste von 695 Personen; zu jedem Namen geh\u00f6ren "
                    "Netzbilder dieser Person.",
                    "Votre nom figure dans la liste de 695 personnes de FaceScrub, o\u00f9 chaque nom "
                    "est accompagn\u00e9 d'images du web de cette personne.")),
            ],
        },
        {
            "slug": "in-vgg-face-list",
            "texts": _t(
                "Is your name among the 2,622 names of VGG Face (one file per person, named "
                "after them)?",
                "Ist Ihr Name unter den 2.622 Namen von VGG Face (eine Datei pro Person, nach ihr "
                "benannt)?",
                "Votre nom fait-il partie des 2 622 noms de VGG Face (un fichier par personne, "
                "\u00e0 son nom) ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("vgg-face", "likely", _t(
                    "Your name is among VGG Face's 2,622 people; the file with your name lists "
                    "the addresses of images of you.",
                    "Ihr Name geh\u00f6rt zu den 2.622 Personen von VGG Face; die Datei mit Ihrem "
                    "Namen listet die Adressen von Bildern von Ihnen.",
                    "Votre nom fait partie des 2 622 personnes de VGG Face ; le fichier \u00e0 votre "
                    "nom liste les adresses d'images de vous.")),
            ],
        },
        {
            "slug": "in-vggface2-list",
            "texts": _t(
                "Is your name in VGGFace2's identity list (identity_meta.csv, 9,131 names)?",
                "Steht Ihr Name in der Identit\u00e4tsliste von VGGFace2 (identity_meta.csv, 9.131 "
                "Namen)?",
                "Votre nom figure-t-il dans la liste des identit\u00e9s de VGGFace2 "
                "(identity_meta.csv, 9 131 noms) ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("vggface2", "likely", _t(
                    "Your name is in VGGFace2's identity list; the set holds on average more than "
                    "300 search-engine images of each listed person.",
                    "Ihr Name steht in der Identit\u00e4tsliste von VGGFace2; der Satz enth\u00e4lt im "
                    "Schnitt \u00fcber 300 Suchmaschinenbilder jeder gelisteten Person.",
                    "Votre nom figure dans la liste des identit\u00e9s de VGGFace2 ; le jeu contient "
                    "en moyenne plus de 300 images de moteur de recherche par personne list\u00e9e.")),
            ],
        },
        {
            "slug": "in-casia-webface-list",
            "texts": _t(
                "Is your name or IMDb number (nm\u2026) in CASIA-WebFace's names list?",
                "Steht Ihr Name oder Ihre IMDb-Nummer (nm\u2026) in der Namensliste von "
                "CASIA-WebFace?",
                "Votre nom ou votre num\u00e9ro IMDb (nm\u2026) figure-t-il dans la liste de noms de "
                "CASIA-WebFace ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("casia-webface", "likely", _t(
                    "Your name or IMDb number is in CASIA-WebFace's list of 10,575 people, whose "
                    "IMDb photos it copied.",
                    "Ihr Name oder Ihre IMDb-Nummer steht in der Liste von CASIA-WebFace mit "
                    "10.575 Personen, deren IMDb-Fotos kopiert wurden.",
                    "Votre nom ou num\u00e9ro IMDb figure dans la liste de 10 575 personnes de "
                    "CASIA-WebFace, dont les photos IMDb ont \u00e9t\u00e9 copi\u00e9es.")),
            ],
        },
        {
            "slug": "yahoo-news-2002-2004",
            "texts": _t(
                "Did news photos of you appear on Yahoo News between 2002 and 2004?",
                "Erschienen zwischen 2002 und 2004 Pressefotos von Ihnen auf Yahoo News?",
                "Des photos de presse de vous ont-elles paru sur Yahoo News entre 2002 et 2004 ?"),
            "help_texts": _t(
                "Labeled Faces in the Wild (LFW) was built from captioned Yahoo News photos of "
                "those years.",
                "Labeled Faces in the Wild (LFW) entstand aus Yahoo-News-Fotos dieser Jahre samt "
                "Bildunterschriften.",
                "Labeled Faces in the Wild (LFW) a \u00e9t\u00e9 constitu\u00e9 \u00e0 partir de photos "
                "l\u00e9gend\u00e9es de Yahoo News de ces ann\u00e9es-l\u00e0."),
            "outcomes": [
                ("lfw", "possible", _t(
                    "LFW holds 13,233 Yahoo News photos of 5,749 named people from 2002-2004; it "
                    "was never withdrawn and is still downloaded.",
                    "LFW enth\u00e4lt 13.233 Yahoo-News-Fotos von 5.749 namentlich genannten "
                    "Personen aus 2002 bis 2004; der Satz wurde nie zur\u00fcckgezogen und wird "
                    "weiter heruntergeladen.",
                    "LFW contient 13 233 photos Yahoo News de 5 749 personnes nomm\u00e9es, de 2002 "
                    "\u00e0 2004 ; il n'a jamais \u00e9t\u00e9 retir\u00e9 et se t\u00e9l\u00e9charge encore.")),
            ],
        },
        {
            "slug": "in-lfw-list",
            "texts": _t(
                "Is your name in LFW's published name list (lfw-names.txt)?",
                "Steht Ihr Name in der ver\u00f6ffentlichten Namensliste von LFW (lfw-names.txt)?",
                "Votre nom figure-t-il dans la liste de noms publi\u00e9e de LFW (lfw-names.txt) ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("lfw", "likely", _t(
                    "Your name is in lfw-names.txt; LFW's image files are named after each listed "
                    "person.",
                    "Ihr Name steht in lfw-names.txt; die Bilddateien von LFW sind nach den "
                    "gelisteten Personen benannt.",
                    "Votre nom figure dans lfw-names.txt ; les fichiers d'images de LFW portent le "
                    "nom de chaque personne list\u00e9e.")),
            ],
        },
        {
            "slug": "in-ms-celeb-with-images",
            "texts": _t(
                "Did you find your name or Freebase ID (m.0\u2026) among the 99,952 people with "
                "images in MS-Celeb-1M?",
                "Haben Sie Ihren Namen oder Ihre Freebase-ID (m.0\u2026) unter den 99.952 Personen "
                "mit Bildern in MS-Celeb-1M gefunden?",
                "Avez-vous trouv\u00e9 votre nom ou votre identifiant Freebase (m.0\u2026) parmi les "
                "99 952 personnes avec images de MS-Celeb-1M ?"),
            "help_texts": _t(
                "The circulated list Top1M_MidList.Name.tsv names a million people, but only "
                "about 100,000 of them got images; being on the long list alone keeps this "
                "possible. If you have not looked, answer \u201cI am not sure\u201d.",
                "Die kursierende Liste Top1M_MidList.Name.tsv nennt eine Million Personen, aber "
                "nur rund 100.000 davon bekamen Bilder; nur auf der langen Liste zu stehen, "
                "bleibt ein M\u00f6glich. Wenn Sie nicht nachgesehen haben, w\u00e4hlen Sie \u201eIch "
                "bin nicht sicher\u201c.",
                "La liste Top1M_MidList.Name.tsv qui circule nomme un million de personnes, mais "
                "seules 100 000 environ ont des images ; figurer sur la longue liste seulement "
                "reste un \u00ab possible \u00bb. Si vous n'avez pas v\u00e9rifi\u00e9, r\u00e9pondez que vous "
                "n'\u00eates pas s\u00fbr\u00b7e."),
            "outcomes": [
                ("ms-celeb-1m", "likely", _t(
                    "Your name or Freebase ID is among the 99,952 people whose search-engine "
                    "images MS-Celeb-1M holds; copies such as MS1MV2 still circulate.",
                    "Ihr Name oder Ihre Freebase-ID geh\u00f6rt zu den 99.952 Personen, deren "
                    "Suchmaschinenbilder MS-Celeb-1M enth\u00e4lt; Kopien wie MS1MV2 sind weiter im "
                    "Umlauf.",
                    "Votre nom ou identifiant Freebase fait partie des 99 952 personnes dont "
                    "MS-Celeb-1M contient des images de moteur de recherche ; des copies comme "
                    "MS1MV2 circulent encore.")),
            ],
        },
    ],
    "flickr-cc-2004-2014": [
        {
            "slug": "exposing-ai-megaface",
            "texts": _t(
                "Did a search on exposing.ai (by Flickr username, photo address or hashtag) find "
                "photos of you in MegaFace?",
                "Hat eine Suche auf exposing.ai (nach Flickr-Benutzername, Fotoadresse oder "
                "Hashtag) Fotos von Ihnen in MegaFace gefunden?",
                "Une recherche sur exposing.ai (par nom d'utilisateur Flickr, adresse de photo ou "
                "hashtag) a-t-elle trouv\u00e9 des photos de vous dans MegaFace ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("megaface", "likely", _t(
                    "exposing.ai found Flickr photos of you in MegaFace, whose folder names carry "
                    "the Flickr account and photo numbers.",
                    "exposing.ai fand Flickr-Fotos von Ihnen in MegaFace; dessen Ordnernamen "
                    "enthalten die Flickr-Konto- und Fotonummern.",
                    "exposing.ai a trouv\u00e9 des photos Flickr de vous dans MegaFace, dont les noms "
                    "de dossiers portent les num\u00e9ros du compte et des photos Flickr.")),
            ],
        },
        {
            "slug": "exposing-ai-ibm-dif",
            "texts": _t(
                "Did a search on exposing.ai find photos of you in IBM's Diversity in Faces?",
                "Hat eine Suche auf exposing.ai Fotos von Ihnen in IBMs Diversity in Faces "
                "gefunden?",
                "Une recherche sur exposing.ai a-t-elle trouv\u00e9 des photos de vous dans "
                "Diversity in Faces d'IBM ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("ibm-dif", "likely", _t(
                    "exposing.ai found Flickr photos of you in IBM's Diversity in Faces; IBM has "
                    "deleted a Flickr user's addresses and annotations on request before.",
                    "exposing.ai fand Flickr-Fotos von Ihnen in IBMs Diversity in Faces; IBM hat "
                    "auf Anfrage schon die Adressen und Vermessungen eines Flickr-Nutzers "
                    "gel\u00f6scht.",
                    "exposing.ai a trouv\u00e9 des photos Flickr de vous dans Diversity in Faces "
                    "d'IBM ; IBM a d\u00e9j\u00e0 supprim\u00e9 sur demande les adresses et annotations "
                    "d'un utilisateur Flickr.")),
            ],
        },
    ],
    "images-on-open-web": [
        {
            "slug": "laion-search-hit",
            "texts": _t(
                "Did a search of LAION (for example with Have I Been Trained) find a photo of "
                "you?",
                "Hat eine Suche in LAION (zum Beispiel mit Have I Been Trained) ein Foto von "
                "Ihnen gefunden?",
                "Une recherche dans LAION (par exemple avec Have I Been Trained) a-t-elle "
                "trouv\u00e9 une photo de vous ?"),
            "help_texts": NOT_CHECKED_HELP,
            "outcomes": [
                ("laion-5b", "likely", _t(
                    "A LAION search found a photo of you; LAION-5B lists its address and caption, "
                    "and copies of the old release still circulate.",
                    "Eine LAION-Suche fand ein Foto von Ihnen; LAION-5B verzeichnet dessen "
                    "Adresse und Bildunterschrift, und Kopien der alten Version sind weiter im "
                    "Umlauf.",
                    "Une recherche LAION a trouv\u00e9 une photo de vous ; LAION-5B en r\u00e9pertorie "
                    "l'adresse et la l\u00e9gende, et des copies de l'ancienne version circulent "
                    "encore.")),
            ],
        },
    ],
}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100]


def source(text: str, supports: str) -> Json:
    """A research file's source string -> {supports, url, note}.

    Strings are either a URL, a URL followed by a remark, or a description ("public code: ...").
    """
    text = text.strip()
    if text.startswith(("http://", "https://")):
        url, _, rest = text.partition(" ")
        return {"supports": supports, "url": url, "note": rest.strip(" ()")}
    return {"supports": supports, "url": "", "note": text}


def sources(texts: list[str] | None, supports: str) -> list[Json]:
    return [source(text, supports) for text in texts or []]


def dedupe_sources(items: list[Json]) -> list[Json]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for item in items:
        key = (item["supports"], item["url"], item["note"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def country_code(raw: str | None) -> str:
    match = re.match(r"\s*([A-Z]{2})\b", raw or "")
    return match.group(1) if match else ""


def postal_country(address: str) -> str:
    last = address.strip().splitlines()[-1].lower() if address.strip() else ""
    names = {"germany": "DE", "deutschland": "DE", "austria": "AT", "österreich": "AT",
             "france": "FR", "switzerland": "CH", "schweiz": "CH", "suisse": "CH"}
    return next((code for name, code in names.items() if name in last), "")


def letter_language(country: str, address: str, slug: str) -> str:
    # French for the two Swiss institutes in Romandy; German for German-speaking addresses.
    if slug in {"epfl", "idiap", "hes-so"}:
        return "fr"
    code = postal_country(address) or country
    return {"DE": "de", "AT": "de", "FR": "fr"}.get(code, "en")


def kind_for(slug: str, name: str, raw: str | None = None) -> str:
    if raw:
        return KINDS.get(raw, raw)
    if slug in KINDS:
        return KINDS[slug]
    lowered = f"{slug} {name}".lower()
    return "university" if any(word in lowered for word in UNIVERSITY_WORDS) else "company"


def channel_for(medium: str | None, email: str, webform: str) -> str:
    medium = {"letter": "post", "fax": "post"}.get(medium or "", medium or "")
    if medium in {"post", "email", "webform"}:
        return medium
    return "email" if email else ("webform" if webform else "post")


def is_url(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://"))


def blank_org(slug: str, name: str, kind: str, country_raw: str) -> Json:
    return {
        "slug": slug, "name": name, "legal_name": "", "kind": kind,
        "country": country_code(country_raw), "country_note": "",
        "postal_address": "", "email": "", "webform": "", "phone": "", "website": "",
        "eu_representative": "", "preferred_channel": "post", "letter_language": "en",
        "contact_quality": "none", "contact_note": "", "notes": [], "unconfirmed": [],
        "last_checked": None, "origin": "own_research",
        "upstream": None, "sources": [],
    }


def apply_datenanfragen(org: Json, record: Json, path: str, changed: str | None) -> None:
    """Take the datenanfragen record verbatim for the contact; keep it whole as provenance."""
    org.update({
        "legal_name": record.get("name", ""),
        "postal_address": record.get("address", ""),
        "email": record.get("email", "") or "",
        "webform": record.get("webform", "") or "",
        "phone": record.get("phone", "") or "",
        "website": record.get("web", "") or "",
        "preferred_channel": channel_for(record.get("suggested-transport-medium"),
                                         record.get("email", ""), record.get("webform", "")),
        "contact_quality": "verified" if record.get("quality") == "verified" else "public_record",
        "origin": "datenanfragen",
        "last_checked": changed,
        "upstream": {"repo": DATENANFRAGEN_REPO, "commit": DATENANFRAGEN_COMMIT, "path": path,
                     "licence": "CC0-1.0", "record": record},
    })
    org["sources"] += sources(record.get("sources"), "contact")
    org["sources"].append({
        "supports": "contact",
        "url": f"https://github.com/{DATENANFRAGEN_REPO}/blob/{DATENANFRAGEN_COMMIT}/{path}",
        "note": "datenanfragen.de record (CC0), snapshot commit " + DATENANFRAGEN_COMMIT[:10],
    })


def apply_more_contacts(org: Json, entry: Json) -> None:
    confidence = entry["confidence"]
    email = entry.get("email") or ""
    webform = entry.get("webform") if is_url(entry.get("webform")) else ""
    address = entry.get("postal_address") or ""
    known = bool(email or webform or address or entry.get("phone"))
    quality = {"confirmed": "verified", "partial": "public_record"}.get(
        confidence, "unconfirmed" if known else "none"
    )
    org.update({
        "legal_name": entry.get("legal_entity") or org["legal_name"],
        "postal_address": address, "email": email, "webform": webform or "",
        "phone": entry.get("phone") or "",
        "eu_representative": entry.get("eu_representative") or "",
        "preferred_channel": channel_for(None, email, webform or ""),
        "contact_quality": quality,
        "contact_note": entry.get("notes") or "",
    })
    if entry.get("uk_representative"):
        org["notes"].append("UK representative: " + entry["uk_representative"])
    if confidence != "confirmed":
        org["unconfirmed"].append(f"privacy contact (research confidence: {confidence})")
    org["sources"] += sources(entry.get("sources"), "contact")


def apply_draft_contact(org: Json, contact: Json) -> None:
    """The earliest notes: used only when nothing better exists."""
    email = contact.get("email") or ""
    webform = contact.get("webform") if is_url(contact.get("webform")) else ""
    address = contact.get("postal_address") or ""
    org.update({"email": email, "webform": webform or "", "postal_address": address,
                "preferred_channel": channel_for(None, email, webform or "")})
    if email or webform or address:
        org["contact_quality"] = "unconfirmed"
    details = [f"{key.replace('_', ' ')}: {value}" for key, value in contact.items()
               if value and key not in {"email", "webform", "postal_address", "relevant_countries",
                                        "suggested_transport_medium"}
               and isinstance(value, str)]
    org["contact_note"] = "; ".join(details)


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------
def build_organisations(shared: Path) -> dict[str, Json]:
    draft = json.loads((shared / "datasets-and-organisations.json").read_text())
    more = json.loads((shared / "more-contacts.json").read_text())
    records = json.loads((shared / "organisation-records.json").read_text())
    orgs: dict[str, Json] = {}

    for item in draft["organisations"]:
        slug = item["id"]
        org = blank_org(slug, item["name"], kind_for(slug, item["name"], item.get("kind")),
                        item.get("country"))
        org["country_note"] = item["country"] if item["country"] != org["country"] else ""
        org["notes"] = list(item.get("notes") or [])
        org["unconfirmed"] = list(item.get("unconfirmed") or [])
        org["sources"] = sources(item.get("sources"), "general")
        org["_draft_contact"] = item.get("contact") or {}
        dn = item.get("datenanfragen")
        if dn and dn.get("record"):
            apply_datenanfragen(org, dn["record"], dn["path"], dn.get("file_last_changed_date"))
        orgs[slug] = org

    for entry in more:
        slug = NAME_TO_SLUG.get(entry["name"]) or slugify(entry["name"])
        org = orgs.get(slug)
        if org is None:
            org = blank_org(slug, entry["name"].split(" (")[0], kind_for(slug, entry["name"]),
                            entry.get("country"))
            org["country_note"] = (entry.get("country") or "") if (
                entry.get("country") != org["country"]) else ""
            orgs[slug] = org
        if org["origin"] == "datenanfragen":
            # The record stays the contact; the research adds its sources and caveats.
            org["sources"] += sources(entry.get("sources"), "contact")
            org["contact_note"] = entry.get("notes") or ""
            if entry.get("eu_representative"):
                org["eu_representative"] = entry["eu_representative"]
        else:
            apply_more_contacts(org, entry)

    for entry in records:
        for slug, path in RECORD_PATHS.items():
            if entry["path"] == path and entry.get("record"):
                apply_datenanfragen(orgs[slug], entry["record"], path, entry.get("last_commit_date"))

    for slug, extra in EXTRA_ORGANISATIONS.items():
        org = blank_org(slug, extra["name"], extra["kind"], extra["country"])
        org["contact_note"] = ("No privacy contact has been researched yet. Write to the "
                               "organisation's head office and ask for its data protection "
                               "officer; check the address before sending.")
        orgs.setdefault(slug, org)

    for org in orgs.values():
        draft_contact = org.pop("_draft_contact", None)
        if draft_contact and org["origin"] != "datenanfragen" and org["contact_quality"] == "none":
            apply_draft_contact(org, draft_contact)
        org["letter_language"] = letter_language(org["country"], org["postal_address"], org["slug"])
        org["sources"] = dedupe_sources(org["sources"])
        if org["contact_quality"] == "none" and not org["contact_note"]:
            org["contact_note"] = ("No privacy contact was found. Write to the head office and "
                                   "ask for the data protection officer.")
    return orgs


def use_after_withdrawal(item: Json) -> str:
    stats = item.get("post_retraction_use") or {}
    parts = []
    if "papers_after_june_2019_at_least" in stats:
        parts.append(f"At least {stats['papers_after_june_2019_at_least']} papers published "
                     f"after the June 2019 takedown used the data, at least "
                     f"{stats['of_which_used_derived_datasets_at_least']} of them through "
                     f"derived datasets ({stats['source_statement']}).")
    if "sampled_papers_2020_using" in stats:
        parts.append(f"Of {stats['peng_sampled_papers']} sampled citing papers, "
                     f"{stats['sampled_papers_using_dataset_or_derivative']} used the dataset or "
                     f"a derivative; {stats['sampled_papers_2020_using']} of those were "
                     f"published in 2020 (Peng, Mathur & Narayanan).")
    elif "sampled_papers_using_dataset_or_derivative" in stats:
        parts.append(f"Of {stats['peng_sampled_papers']} sampled citing papers, "
                     f"{stats['sampled_papers_using_dataset_or_derivative']} used the dataset or "
                     f"a derivative (Peng, Mathur & Narayanan).")
    if "semantic_scholar_citations_aug_2020" in stats:
        parts.append(f"{stats['semantic_scholar_citations_aug_2020']} citations on Semantic "
                     f"Scholar by August 2020.")
    if "derivative_datasets_identified" in stats:
        parts.append(f"{stats['derivative_datasets_identified']} derived datasets identified.")
    return " ".join(parts)


def build_datasets(shared: Path, orgs: dict[str, Json]) -> tuple[list[Json], list[Json]]:
    draft = json.loads((shared / "datasets-and-organisations.json").read_text())
    datasets, uses = [], {}
    for item in draft["datasets"]:
        slug = item["id"]
        withdrawal, contents = item["withdrawal"], item.get("contents") or {}
        capture = item.get("capture") or {}
        publishers = list(item.get("controller_org_ids") or []) + EXTRA_PUBLISHERS.get(slug, [])
        unconfirmed = list(item.get("unconfirmed") or [])
        if slug in SELF_CHECK_UNCONFIRMED:
            unconfirmed.append(SELF_CHECK_UNCONFIRMED[slug])
        record_sources = (
            sources(item.get("sources"), "general")
            + sources(withdrawal.get("sources"), "withdrawal")
            + sources(contents.get("sources"), "contents")
            + sources(capture.get("sources"), "capture")
            + sources((item.get("original_opt_out") or {}).get("sources"), "opt_out")
            + sources((item.get("post_retraction_use") or {}).get("sources"), "use_after_withdrawal")
            + sources((item.get("legal") or {}).get("sources"), "legal")
            + sources((item.get("lookup_tool") or {}).get("sources"), "self_check")
        )
        place, time = capture.get("place") or "", capture.get("time") or ""
        if slug in CAPTURE_EXTRA:
            place, time, extra = CAPTURE_EXTRA[slug]
            record_sources += [source(url, "capture") for url in extra]
        for user in item.get("known_users") or []:
            for name in user["organisations"]:
                if name not in NAME_TO_SLUG:
                    continue  # e.g. "at least 175 additional papers": kept in the text below
                add_use(uses, slug, NAME_TO_SLUG[name], "user", user)
        for org_slug in publishers:
            add_use(uses, slug, org_slug, "publisher", {
                "basis": "Named as publisher of the dataset: " + item["publisher"]["organisation"],
                "sources": withdrawal.get("sources") or item.get("sources") or [],
            })
        details, letter_note = LETTER[slug]
        check_name, check_url = SELF_CHECK.get(slug, ("", ""))
        extra_use = [f"{', '.join(u['organisations'])} ({u['basis']})"
                     for u in item.get("known_users") or []
                     if not any(n in NAME_TO_SLUG for n in u["organisations"])]
        datasets.append({
            "slug": slug, "name": item["name"], "aliases": item.get("aliases") or [],
            "publisher": publishers[0] if publishers else None,
            "publisher_credit": item["publisher"]["organisation"],
            "released_year": item.get("year_released"),
            "status": STATUS[slug], "status_note": withdrawal.get("status") or "",
            "withdrawn_year": withdrawal.get("year") if STATUS[slug] != "not_withdrawn" else None,
            "withdrawn_on": WITHDRAWN_ON.get(slug),
            "withdrawal": withdrawal.get("how") or "",
            "images": contents.get("images") or "", "identities": contents.get("identities") or "",
            "collection_method": contents.get("collection_method") or "",
            "people_included": contents.get("people_included") or "",
            "capture_place": place, "capture_time": time,
            "opt_out": (item.get("original_opt_out") or {}).get("text") or "",
            "use_after_withdrawal": " ".join([use_after_withdrawal(item)] + [
                "Also: " + text + "." for text in extra_use]).strip(),
            "legal_note": (item.get("legal") or {}).get("note") or "",
            "self_check_name": check_name, "self_check_url": check_url,
            "identifying_details": details, "letter_note": letter_note,
            "unconfirmed": unconfirmed, "last_checked": None,
            "sources": dedupe_sources(record_sources),
            "derivatives": build_derivatives(item),
        })
        for org_slug in publishers:
            if org_slug not in orgs:
                raise SystemExit(f"{slug}: publisher {org_slug} is not an organisation")
    return datasets, list(uses.values())


def build_derivatives(item: Json) -> list[Json]:
    out, taken = [], set()
    for entry in item.get("derivatives") or []:
        slug = slugify(entry["name"].split(" (")[0])[:60] or "derivative"
        while slug in taken:
            slug += "-x"
        taken.add(slug)
        notes = [entry.get("note"), entry.get("relation_to_ms_celeb")]
        still = entry.get("still_available_per_peng")
        out.append({
            "slug": slug, "name": entry["name"], "aliases": entry.get("aliases") or [],
            "where": entry.get("where") or "", "counts": entry.get("counts") or "",
            "still_circulating": still,
            "note": "; ".join(n for n in notes if n)
                    + ("" if still is None else " Availability per Peng et al. (2021)."),
            "sources": sources(entry.get("sources") or item.get("sources"), "derivative"),
        })
    return out


LIST_BASIS = ("aiaaic", "megapixels", "exposing.ai", "citation")


def add_use(uses: dict[tuple[str, str, str], Json], dataset: str, org: str, role: str,
            evidence: Json) -> None:
    basis = evidence.get("basis") or ("Named in reporting on the dataset's use "
                                      "(training of a model)")
    list_based = role == "user" and any(word in basis.lower() for word in LIST_BASIS)
    key = (dataset, org, role)
    new_sources = sources(evidence.get("sources"), "use")
    if key in uses:
        use = uses[key]
        if basis not in use["basis"]:
            use["basis"] += "; " + basis
        use["list_based"] = use["list_based"] and list_based
        use["sources"] = dedupe_sources(use["sources"] + new_sources)
        return
    uses[key] = {"dataset": dataset, "organisation": org, "role": role, "basis": basis,
                 "list_based": list_based, "sources": dedupe_sources(new_sources)}


LAND_REGIONS = {
    "Baden-Württemberg": "DE-BW", "Bayern": "DE-BY", "Berlin": "DE-BE", "Brandenburg": "DE-BB",
    "Bremen": "DE-HB", "Hamburg": "DE-HH", "Hessen": "DE-HE", "Mecklenburg-Vorpommern": "DE-MV",
    "Niedersachsen": "DE-NI", "Nordrhein-Westfalen": "DE-NW", "Rheinland-Pfalz": "DE-RP",
    "Saarland": "DE-SL", "Sachsen": "DE-SN", "Sachsen-Anhalt": "DE-ST",
    "Schleswig-Holstein": "DE-SH", "Thüringen": "DE-TH",
}
# Bavaria has two: BayLDA supervises companies, the BayLfD only public bodies.
PUBLIC_SECTOR_ONLY = {"debayldb"}


def flatten_text(*values: object) -> list[str]:
    out: list[str] = []
    for value in values:
        if isinstance(value, list):
            out += flatten_text(*value)
        elif value:
            out.append(str(value))
    return out


def build_authorities(shared: Path) -> list[Json]:
    out = []
    for item in json.loads((shared / "supervisory-authorities.json").read_text()):
        raw_scope = item.get("scope") or ""
        region = ""
        if raw_scope.startswith("Land "):
            scope, region = "regional", LAND_REGIONS[raw_scope.removeprefix("Land ")]
        elif raw_scope.startswith("federal"):
            scope = "federal"
        elif raw_scope.startswith("church"):
            scope = "church"
        elif "broadcasting" in raw_scope:
            scope = "broadcasting"
        else:
            scope = "national"
        private = scope in {"national", "federal", "regional"} and item["slug"] not in PUBLIC_SECTOR_ONLY
        out.append({
            "slug": item["slug"], "name": item["name"], "country": item["country"],
            "region": region, "scope": scope,
            "scope_note": "; ".join(flatten_text(raw_scope, item.get("scope_note"),
                                                 item.get("comments"))),
            "private_sector": private,
            "postal_address": item.get("address") or "", "email": item.get("email") or "",
            "phone": item.get("phone") or "", "fax": item.get("fax") or "",
            "webform": item.get("webform") or "", "website": item.get("web") or "",
            "complaint_language": item.get("complaint_language") or "",
            "unconfirmed": [], "last_checked": item.get("last_commit_date"),
            "upstream": {"repo": DATENANFRAGEN_REPO, "commit": item["snapshot_commit"],
                         "path": item["datenanfragen_path"], "licence": "CC0-1.0"},
            "sources": dedupe_sources(sources(item.get("sources"), "contact") + [{
                "supports": "contact",
                "url": f"https://github.com/{DATENANFRAGEN_REPO}/blob/{item['snapshot_commit']}/"
                       f"{item['datenanfragen_path']}",
                "note": "datenanfragen.de record (CC0)",
            }]),
        })
    return out


# CURATED: which answers make a self-check worth asking. The name lists of VGG Face, VGGFace2
# and CASIA-WebFace were drawn from IMDb and search engines (actors and other public figures);
# LFW from Yahoo News captions; MS-Celeb-1M's list from Freebase public figures; MegaFace and
# IBM DiF from CC-licensed Flickr photos; LAION from captioned images on the open web.
FOLLOWS: dict[str, tuple[str, ...]] = {
    "in-facescrub-list": ("credited-actor",),
    "in-vgg-face-list": ("public-figure", "credited-actor"),
    "in-vggface2-list": ("public-figure", "credited-actor"),
    "in-casia-webface-list": ("public-figure", "credited-actor"),
    "in-lfw-list": ("yahoo-news-2002-2004",),
    "in-ms-celeb-with-images": ("public-figure",),
    "exposing-ai-megaface": ("flickr-cc-2004-2014",),
    "exposing-ai-ibm-dif": ("flickr-cc-2004-2014",),
    "laion-search-hit": ("images-on-open-web",),
}


def ordered_questions() -> list[Json]:
    """QUESTIONS, each followed by the questions placed behind it, with what they follow up."""
    ordered = [item for question in QUESTIONS
               for item in [question, *FOLLOW_UPS.get(question["slug"], [])]]
    return [{**item, "follows": list(FOLLOWS.get(item["slug"], ()))} for item in ordered]


def build_questions() -> list[Json]:
    out = []
    for position, question in enumerate(ordered_questions(), start=1):
        out.append({
            "slug": question["slug"], "position": position * 10,
            "follows": question["follows"],
            "texts": question["texts"], "help_texts": question["help_texts"],
            "sources": sources(ELIGIBILITY_SOURCES[question["slug"]], "eligibility"),
            "outcomes": [
                {"answer": "yes", "dataset": dataset, "strength": strength, "reasons": reasons}
                for dataset, strength, reasons in question["outcomes"]
            ],
        })
    return out


def write(path: Path, payload: Json) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", default="../shared/catalog")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent
                                              / "dsar" / "catalog" / "data"))
    args = parser.parse_args()
    shared, out = Path(args.shared), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    orgs = build_organisations(shared)
    datasets, uses = build_datasets(shared, orgs)
    used = {use["organisation"] for use in uses}
    unknown = used - set(orgs)
    if unknown:
        raise SystemExit(f"uses name unknown organisations: {sorted(unknown)}")
    for use in uses:
        # The evidence that names an organisation is also a source for the organisation.
        org = orgs[use["organisation"]]
        org["sources"] = dedupe_sources(org["sources"] + [
            {**item, "supports": "named_as_" + use["role"]} for item in use["sources"]])
    dropped = sorted(slug for slug, org in orgs.items() if not org["sources"])
    for slug in dropped:
        del orgs[slug]  # named in the research without any source or dataset: nothing to show
    provenance = {"built_from": "shared/catalog", "datenanfragen_commit": DATENANFRAGEN_COMMIT}
    write(out / "organisations.json",
          {**provenance, "organisations": sorted(orgs.values(), key=lambda o: o["slug"])})
    write(out / "datasets.json", {**provenance, "datasets": datasets})
    write(out / "uses.json", {**provenance, "uses": sorted(
        uses, key=lambda u: (u["dataset"], u["role"], u["organisation"]))})
    write(out / "authorities.json", {**provenance, "authorities": build_authorities(shared)})
    write(out / "eligibility.json", {**provenance, "questions": build_questions()})
    print(f"organisations {len(orgs)}, datasets {len(datasets)}, uses {len(uses)}, "
          f"without a dataset link: {sorted(set(orgs) - used)}, dropped (no source): {dropped}")


if __name__ == "__main__":
    main()
