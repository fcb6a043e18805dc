"""Demo content for the ``seed_demo`` management command.

Plain Python data only (no Django imports): topics, the trials' plain-language eligibility and
articles about metastatic breast cancer. All article text was written for this project.

Conventions
-----------
* Article bodies are Markdown with ``## `` headings and ``[@N]`` citation markers, where N is
  the 1-based index into that article's ``references`` list.
* Reference fields use ``""`` for an unknown string and ``None`` for an unknown year. PMIDs and
  DOIs are only filled in where they could be checked; otherwise they are left blank.
* ``evidence_level`` is set only on citations of treatment trials. In this demo set:
  A1 = randomised trial with overall survival as the main or a formally tested end point,
  A2 = randomised trial judged mainly on progression-free survival or time to progression,
  A3 = randomised trial judged on symptoms, quality of life or skeletal events.
* ``image:{key}`` in a body, and ``lead_image``, name one of the demo's diagrams
  (``articles/demo_images.py``); ``seed_demo`` puts the stored image's id in its place.
* Trials are ClinicalTrials.gov API v2 study records in ``articles/demo_trials/`` (written for
  this project); their locations are a small sample of plausible sites, not a full list.
"""

# ---------------------------------------------------------------------------
# Topics (two levels)
# ---------------------------------------------------------------------------

TOPICS = [
    {
        "slug": "metastasis",
        "name": "Metastatic breast cancer",
        "description": "What it means when breast cancer spreads beyond the breast and nearby lymph nodes.",
        "children": [
            {
                "slug": "bone-metastases",
                "name": "Bone metastases",
                "description": "Breast cancer that has spread to the bones, its symptoms and its care.",
            },
            {
                "slug": "lung-metastases",
                "name": "Lung metastases",
                "description": "Breast cancer that has spread to the lungs or the lining around them.",
            },
            {
                "slug": "liver-metastases",
                "name": "Liver metastases",
                "description": "Breast cancer that has spread to the liver, its symptoms and its care.",
            },
            {
                "slug": "brain-metastases",
                "name": "Brain metastases",
                "description": "Breast cancer that has spread to the brain or the tissues around it.",
            },
        ],
    },
    {
        "slug": "diagnosis",
        "name": "Diagnosis and monitoring",
        "description": "The scans, biopsies and blood tests used to find and follow metastatic breast cancer.",
    },
    {
        "slug": "subtypes",
        "name": "Breast cancer subtypes",
        "description": "How hormone receptor and HER2 status sort breast cancer into groups that guide treatment.",
    },
    {
        "slug": "treatments",
        "name": "Treatments",
        "description": "The medicines and local treatments used to control metastatic breast cancer.",
        "children": [
            {
                "slug": "endocrine-therapy",
                "name": "Endocrine (hormone) therapy",
                "description": "Medicines that block or lower oestrogen to slow hormone-receptor-positive cancer.",
            },
            {
                "slug": "chemotherapy",
                "name": "Chemotherapy",
                "description": "Drugs that kill fast-dividing cells, used when other treatments are not suitable.",
            },
            {
                "slug": "her2-targeted-therapy",
                "name": "HER2-targeted therapy",
                "description": "Antibodies, antibody-drug conjugates and tablets that act on the HER2 protein.",
            },
            {
                "slug": "immunotherapy",
                "name": "Immunotherapy",
                "description": "Medicines that help the immune system find and attack cancer cells.",
            },
            {
                "slug": "radiotherapy",
                "name": "Radiotherapy",
                "description": "High-energy X-rays aimed at one area to ease symptoms or control cancer there.",
            },
            {
                "slug": "surgery",
                "name": "Surgery",
                "description": "Operations used in selected situations, such as protecting a weak bone.",
            },
            {
                "slug": "supportive-and-palliative-care",
                "name": "Supportive and palliative care",
                "description": "Care that eases pain and other symptoms and supports emotional wellbeing.",
            },
        ],
    },
    {
        "slug": "clinical-trials",
        "name": "Clinical trials",
        "description": "Research studies that test new treatments, and how to find one that may suit you.",
    },
    {
        "slug": "living-with-metastatic-breast-cancer",
        "name": "Living with metastatic breast cancer",
        "description": "Practical and emotional help for day-to-day life with a long-term illness.",
    },
]

# ---------------------------------------------------------------------------
# Clinical trials
# ---------------------------------------------------------------------------

# Plain-language "who can take part" of each demo trial, written by the editors (a sync from
# ClinicalTrials.gov never touches it). The trials themselves are loaded from the v2 study
# records in articles/demo_trials/ by the same importer as manage.py sync_trials.
TRIAL_ELIGIBILITY_SUMMARIES = {
    "NCT03529110": "Adults with HER2-positive breast cancer that was metastatic or unresectable and had progressed after trastuzumab and a taxane. People who had already received an anti-HER2 antibody-drug conjugate for advanced disease, or who had significant heart problems, could not take part.",
    "NCT02819518": "Adults with triple-negative breast cancer, confirmed centrally, that was inoperable locally recurrent or metastatic and had not been treated with chemotherapy in that setting. At least six months had to have passed since any curative treatment. Tumours had to be measurable on scans.",
    "NCT04191499": "Adults with hormone-receptor-positive, HER2-negative breast cancer carrying a PIK3CA mutation, whose cancer had come back during or within a year of finishing adjuvant endocrine therapy and who had not yet had treatment for advanced disease.",
    "NCT00567190": "Adults with HER2-positive breast cancer that had spread or come back and could not be operated on, who had not had chemotherapy or HER2-targeted treatment for metastatic disease. Heart function had to be normal at the start.",
    "NCT01740427": "Postmenopausal women with ER-positive, HER2-negative breast cancer that had spread or come back, who had not had any systemic treatment for advanced disease.",
}

# ---------------------------------------------------------------------------
# References, shared between articles (each article takes a copy with {**REF})
# ---------------------------------------------------------------------------

_REF_ABC5 = {
    "authors": "Cardoso F, Paluch-Shimon S, Senkus E, et al.",
    "title": "5th ESO-ESMO international consensus guidelines for advanced breast cancer (ABC 5)",
    "journal": "Ann Oncol",
    "year": 2020,
    "volume": "31",
    "issue": "12",
    "pages": "1623-1649",
    "pmid": "32979513",
    "doi": "10.1016/j.annonc.2020.09.010",
    "nct_id": "",
    "url": "",
    "evidence_level": "",
}

_REF_ESMO_MBC = {
    "authors": "Gennari A, André F, Barrios CH, et al.",
    "title": "ESMO Clinical Practice Guideline for the diagnosis, staging and treatment of patients with metastatic breast cancer",
    "journal": "Ann Oncol",
    "year": 2021,
    "volume": "32",
    "issue": "12",
    "pages": "1475-1495",
    "pmid": "34678411",
    "doi": "10.1016/j.annonc.2021.09.019",
    "nct_id": "",
    "url": "",
    "evidence_level": "",
}

_REF_NCI_METASTATIC = {
    "authors": "National Cancer Institute",
    "title": "Metastatic Cancer: When Cancer Spreads",
    "journal": "",
    "year": None,
    "volume": "",
    "issue": "",
    "pages": "",
    "pmid": "",
    "doi": "",
    "nct_id": "",
    "url": "https://www.cancer.gov/types/metastatic-cancer",
    "evidence_level": "",
}

_REF_NCI_PAIN_PDQ = {
    "authors": "PDQ Supportive and Palliative Care Editorial Board",
    "title": "Cancer Pain (PDQ) - Patient Version",
    "journal": "National Cancer Institute",
    "year": None,
    "volume": "",
    "issue": "",
    "pages": "",
    "pmid": "",
    "doi": "",
    "nct_id": "",
    "url": "https://www.cancer.gov/about-cancer/treatment/side-effects/pain/pain-pdq",
    "evidence_level": "",
}

_REF_CTGOV = {
    "authors": "National Library of Medicine",
    "title": "ClinicalTrials.gov",
    "journal": "",
    "year": None,
    "volume": "",
    "issue": "",
    "pages": "",
    "pmid": "",
    "doi": "",
    "nct_id": "",
    "url": "https://clinicaltrials.gov/",
    "evidence_level": "",
}

_REF_CTGOV_LEARN = {
    "authors": "National Library of Medicine",
    "title": "Learn About Clinical Studies",
    "journal": "ClinicalTrials.gov",
    "year": None,
    "volume": "",
    "issue": "",
    "pages": "",
    "pmid": "",
    "doi": "",
    "nct_id": "",
    "url": "https://clinicaltrials.gov/study-basics/learn-about-studies",
    "evidence_level": "",
}

_REF_SLAMON_2001 = {
    "authors": "Slamon DJ, Leyland-Jones B, Shak S, et al.",
    "title": "Use of chemotherapy plus a monoclonal antibody against HER2 for metastatic breast cancer that overexpresses HER2",
    "journal": "N Engl J Med",
    "year": 2001,
    "volume": "344",
    "issue": "11",
    "pages": "783-792",
    "pmid": "11248153",
    "doi": "10.1056/NEJM200103153441101",
    "nct_id": "",
    "url": "",
    "evidence_level": "A1",
}

_REF_BASELGA_2012 = {
    "authors": "Baselga J, Cortés J, Kim SB, et al.",
    "title": "Pertuzumab plus trastuzumab plus docetaxel for metastatic breast cancer",
    "journal": "N Engl J Med",
    "year": 2012,
    "volume": "366",
    "issue": "2",
    "pages": "109-119",
    "pmid": "22149875",
    "doi": "10.1056/NEJMoa1113216",
    "nct_id": "NCT00567190",
    "url": "",
    "evidence_level": "A2",
}

_REF_SWAIN_2015 = {
    "authors": "Swain SM, Baselga J, Kim SB, et al.",
    "title": "Pertuzumab, trastuzumab, and docetaxel in HER2-positive metastatic breast cancer",
    "journal": "N Engl J Med",
    "year": 2015,
    "volume": "372",
    "issue": "8",
    "pages": "724-734",
    "pmid": "25693012",
    "doi": "10.1056/NEJMoa1413513",
    "nct_id": "NCT00567190",
    "url": "",
    "evidence_level": "A1",
}

_REF_CORTES_2022_DB03 = {
    "authors": "Cortés J, Kim SB, Chung WP, et al.",
    "title": "Trastuzumab Deruxtecan versus Trastuzumab Emtansine for Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2022,
    "volume": "386",
    "issue": "12",
    "pages": "1143-1154",
    "pmid": "35320644",
    "doi": "10.1056/NEJMoa2115022",
    "nct_id": "NCT03529110",
    "url": "",
    "evidence_level": "A2",
}

_REF_GEYER_2006 = {
    "authors": "Geyer CE, Forster J, Lindquist D, et al.",
    "title": "Lapatinib plus capecitabine for HER2-positive advanced breast cancer",
    "journal": "N Engl J Med",
    "year": 2006,
    "volume": "355",
    "issue": "26",
    "pages": "2733-2743",
    "pmid": "17192538",
    "doi": "10.1056/NEJMoa064320",
    "nct_id": "",
    "url": "",
    "evidence_level": "A2",
}

_REF_MURTHY_2020 = {
    "authors": "Murthy RK, Loi S, Okines A, et al.",
    "title": "Tucatinib, Trastuzumab, and Capecitabine for HER2-Positive Metastatic Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2020,
    "volume": "382",
    "issue": "7",
    "pages": "597-609",
    "pmid": "31825569",
    "doi": "10.1056/NEJMoa1914609",
    "nct_id": "NCT02614794",
    "url": "",
    "evidence_level": "A2",
}

_REF_MODI_2022 = {
    "authors": "Modi S, Jacot W, Yamashita T, et al.",
    "title": "Trastuzumab Deruxtecan in Previously Treated HER2-Low Advanced Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2022,
    "volume": "387",
    "issue": "1",
    "pages": "9-20",
    "pmid": "35665782",
    "doi": "10.1056/NEJMoa2203690",
    "nct_id": "NCT03734029",
    "url": "",
    "evidence_level": "A2",
}

_REF_FINN_2016 = {
    "authors": "Finn RS, Martin M, Rugo HS, et al.",
    "title": "Palbociclib and Letrozole in Advanced Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2016,
    "volume": "375",
    "issue": "20",
    "pages": "1925-1936",
    "pmid": "27959613",
    "doi": "10.1056/NEJMoa1607303",
    "nct_id": "NCT01740427",
    "url": "",
    "evidence_level": "A2",
}

_REF_HORTOBAGYI_2016 = {
    "authors": "Hortobagyi GN, Stemmer SM, Burris HA, et al.",
    "title": "Ribociclib as First-Line Therapy for HR-Positive, Advanced Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2016,
    "volume": "375",
    "issue": "18",
    "pages": "1738-1748",
    "pmid": "27717303",
    "doi": "10.1056/NEJMoa1609709",
    "nct_id": "NCT01958021",
    "url": "",
    "evidence_level": "A2",
}

_REF_GOETZ_2017 = {
    "authors": "Goetz MP, Toi M, Campone M, et al.",
    "title": "MONARCH 3: Abemaciclib As Initial Therapy for Advanced Breast Cancer",
    "journal": "J Clin Oncol",
    "year": 2017,
    "volume": "35",
    "issue": "32",
    "pages": "3638-3646",
    "pmid": "28968163",
    "doi": "10.1200/JCO.2017.75.6155",
    "nct_id": "NCT02246621",
    "url": "",
    "evidence_level": "A2",
}

_REF_ROBERTSON_2016 = {
    "authors": "Robertson JFR, Bondarenko IM, Trishkina E, et al.",
    "title": "Fulvestrant 500 mg versus anastrozole 1 mg for hormone receptor-positive advanced breast cancer (FALCON): an international, randomised, double-blind, phase 3 trial",
    "journal": "Lancet",
    "year": 2016,
    "volume": "388",
    "issue": "10063",
    "pages": "2997-3005",
    "pmid": "27908454",
    "doi": "10.1016/S0140-6736(16)32389-3",
    "nct_id": "",
    "url": "",
    "evidence_level": "A2",
}

_REF_TURNER_2024 = {
    "authors": "Turner NC, Im SA, Saura C, et al.",
    "title": "Inavolisib-Based Therapy in PIK3CA-Mutated Advanced Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2024,
    "volume": "391",
    "issue": "17",
    "pages": "1584-1596",
    "pmid": "",
    "doi": "10.1056/NEJMoa2404625",
    "nct_id": "NCT04191499",
    "url": "",
    "evidence_level": "A2",
}

_REF_MOURIDSEN_2001 = {
    "authors": "Mouridsen H, Gershanovich M, Sun Y, et al.",
    "title": "Superior efficacy of letrozole versus tamoxifen as first-line therapy for postmenopausal women with advanced breast cancer: results of a phase III study of the International Letrozole Breast Cancer Group",
    "journal": "J Clin Oncol",
    "year": 2001,
    "volume": "19",
    "issue": "10",
    "pages": "2596-2606",
    "pmid": "",
    "doi": "10.1200/JCO.2001.19.10.2596",
    "nct_id": "",
    "url": "",
    "evidence_level": "A2",
}

_REF_CORTES_2020_KN355 = {
    "authors": "Cortes J, Cescon DW, Rugo HS, et al.",
    "title": "Pembrolizumab plus chemotherapy versus placebo plus chemotherapy for previously untreated locally recurrent inoperable or metastatic triple-negative breast cancer (KEYNOTE-355): a randomised, placebo-controlled, double-blind, phase 3 clinical trial",
    "journal": "Lancet",
    "year": 2020,
    "volume": "396",
    "issue": "10265",
    "pages": "1817-1828",
    "pmid": "33278935",
    "doi": "10.1016/S0140-6736(20)32531-9",
    "nct_id": "NCT02819518",
    "url": "",
    "evidence_level": "A2",
}

_REF_CORTES_2022_KN355 = {
    "authors": "Cortes J, Rugo HS, Cescon DW, et al.",
    "title": "Pembrolizumab plus Chemotherapy in Advanced Triple-Negative Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2022,
    "volume": "387",
    "issue": "3",
    "pages": "217-226",
    "pmid": "35857659",
    "doi": "10.1056/NEJMoa2202809",
    "nct_id": "NCT02819518",
    "url": "",
    "evidence_level": "A1",
}

_REF_BARDIA_2021 = {
    "authors": "Bardia A, Hurvitz SA, Tolaney SM, et al.",
    "title": "Sacituzumab Govitecan in Metastatic Triple-Negative Breast Cancer",
    "journal": "N Engl J Med",
    "year": 2021,
    "volume": "384",
    "issue": "16",
    "pages": "1529-1541",
    "pmid": "33882206",
    "doi": "10.1056/NEJMoa2028485",
    "nct_id": "",
    "url": "",
    "evidence_level": "A2",
}

_REF_STOPECK_2010 = {
    "authors": "Stopeck AT, Lipton A, Body JJ, et al.",
    "title": "Denosumab compared with zoledronic acid for the treatment of bone metastases in patients with advanced breast cancer: a randomized, double-blind study",
    "journal": "J Clin Oncol",
    "year": 2010,
    "volume": "28",
    "issue": "35",
    "pages": "5132-5139",
    "pmid": "21060033",
    "doi": "10.1200/JCO.2010.29.7101",
    "nct_id": "",
    "url": "",
    "evidence_level": "A3",
}

_REF_LUTZ_2017 = {
    "authors": "Lutz S, Balboni T, Jones J, et al.",
    "title": "Palliative radiation therapy for bone metastases: Update of an ASTRO Evidence-Based Guideline",
    "journal": "Pract Radiat Oncol",
    "year": 2017,
    "volume": "7",
    "issue": "1",
    "pages": "4-12",
    "pmid": "",
    "doi": "10.1016/j.prro.2016.08.001",
    "nct_id": "",
    "url": "",
    "evidence_level": "",
}

_REF_VOGELBAUM_2022 = {
    "authors": "Vogelbaum MA, Brown PD, Messersmith H, et al.",
    "title": "Treatment for Brain Metastases: ASCO-SNO-ASTRO Guideline",
    "journal": "J Clin Oncol",
    "year": 2022,
    "volume": "40",
    "issue": "5",
    "pages": "492-516",
    "pmid": "",
    "doi": "10.1200/JCO.21.02314",
    "nct_id": "",
    "url": "",
    "evidence_level": "",
}

_REF_VAN_POZNAK_2015 = {
    "authors": "Van Poznak C, Somerfield MR, Bast RC, et al.",
    "title": "Use of Biomarkers to Guide Decisions on Systemic Therapy for Women With Metastatic Breast Cancer: American Society of Clinical Oncology Clinical Practice Guideline",
    "journal": "J Clin Oncol",
    "year": 2015,
    "volume": "33",
    "issue": "24",
    "pages": "2695-2704",
    "pmid": "",
    "doi": "10.1200/JCO.2015.61.1459",
    "nct_id": "",
    "url": "",
    "evidence_level": "",
}

_REF_BADWE_2015 = {
    "authors": "Badwe R, Hawaldar R, Nair N, et al.",
    "title": "Locoregional treatment versus no treatment of the primary tumour in metastatic breast cancer: an open-label randomised controlled trial",
    "journal": "Lancet Oncol",
    "year": 2015,
    "volume": "16",
    "issue": "13",
    "pages": "1380-1388",
    "pmid": "26363985",
    "doi": "10.1016/S1470-2045(15)00135-7",
    "nct_id": "",
    "url": "",
    "evidence_level": "A1",
}

_REF_KHAN_2022 = {
    "authors": "Khan SA, Zhao F, Goldstein LJ, et al.",
    "title": "Early Local Therapy for the Primary Site in De Novo Stage IV Breast Cancer: Results of a Randomized Clinical Trial (EA2108)",
    "journal": "J Clin Oncol",
    "year": 2022,
    "volume": "40",
    "issue": "9",
    "pages": "978-987",
    "pmid": "",
    "doi": "10.1200/JCO.21.02006",
    "nct_id": "",
    "url": "",
    "evidence_level": "A1",
}

_REF_FERRELL_2017 = {
    "authors": "Ferrell BR, Temel JS, Temin S, et al.",
    "title": "Integration of Palliative Care Into Standard Oncology Care: American Society of Clinical Oncology Clinical Practice Guideline Update",
    "journal": "J Clin Oncol",
    "year": 2017,
    "volume": "35",
    "issue": "1",
    "pages": "96-112",
    "pmid": "28034065",
    "doi": "10.1200/JCO.2016.70.1474",
    "nct_id": "",
    "url": "",
    "evidence_level": "",
}

_REF_TEMEL_2010 = {
    "authors": "Temel JS, Greer JA, Muzikansky A, et al.",
    "title": "Early palliative care for patients with metastatic non-small-cell lung cancer",
    "journal": "N Engl J Med",
    "year": 2010,
    "volume": "363",
    "issue": "8",
    "pages": "733-742",
    "pmid": "20818875",
    "doi": "10.1056/NEJMoa1000678",
    "nct_id": "",
    "url": "",
    "evidence_level": "A3",
}

# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------

ARTICLES = [
    # ----------------------------------------------------------------- overview
    {
        "title": "What is metastatic breast cancer?",
        "slug": "what-is-metastatic-breast-cancer",
        "summary": "Metastatic (stage IV) breast cancer has spread to other parts of the body. It is usually not curable, but it can often be treated and controlled for a long time.",
        "body": """\
## What the words mean

Metastatic breast cancer is breast cancer that has spread. Cancer cells have moved away from the breast and the lymph nodes close to it. They travel in the blood or in the lymph system. This is a network of thin tubes that carries fluid around the body. The cells then settle and grow in other organs [@2].

Doctors also call this stage IV (stage 4) breast cancer. It most often spreads to the bones, lungs, liver or brain.

A tumour in the liver that came from the breast is still breast cancer. It is not liver cancer. This matters, because it is treated with medicines for breast cancer [@2].

## Two ways it can happen

- **De novo** means "from the start". Some people learn the cancer has spread at their very first diagnosis.
- **Recurrent** means the cancer has come back. Most people with metastatic breast cancer were treated for an earlier stage in the past. Months or years later, the cancer shows up in another part of the body [@1].

Neither is your fault. Tiny numbers of cancer cells can hide in the body where no test can find them.

## Treatable, but not curable

For most people, metastatic breast cancer cannot be cured today. But it can be treated, often for a long time [@1]. Many people live for years with it. Some think of it as a long-term illness that needs ongoing care, like some other health problems.

Treatment has four main aims:

- keep the cancer under control for as long as possible
- ease symptoms such as pain or shortness of breath
- help you feel well and keep doing the things you care about
- help you live longer [@3]

## How treatment is chosen

There is no single plan that fits everyone. Your care team will look at where the cancer is and which type of breast cancer you have. They will also think about the treatment you had before, your general health and what you want from your care [@3].

Most treatments work through the whole body. These include hormone therapy, targeted drugs, chemotherapy and immunotherapy. Local treatments, such as radiotherapy, help one part of the body.

## Questions you might ask

- Where has the cancer spread?
- What type of breast cancer do I have?
- What is the main goal of the treatment you suggest?
- Who can I call if I have new symptoms?

Take your time. You can bring someone with you and ask again if something is not clear.
""",
        "audience": "patient",
        "topics": ["metastasis"],
        "author": "writer",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "lead_image": "sites-of-spread",
        "references": [{**_REF_ABC5}, {**_REF_NCI_METASTATIC}, {**_REF_ESMO_MBC}],
    },
    # ----------------------------------------------------------------- sites
    {
        "title": "Breast cancer that has spread to the bones",
        "slug": "bone-metastases",
        "summary": "Bone is the most common place for breast cancer to spread. Learn the warning signs, how bone metastases are found, and the treatments that protect bones and ease pain.",
        "body": """\
## Why the bones are affected

Bone is the most common place for breast cancer to spread. Cancer cells can settle in the spine, ribs, hips, skull or the long bones of the arms and legs. There they can weaken the bone [@1].

## Signs to look out for

- pain in a bone that does not go away, often worse at night or when you move
- a bone that breaks after only a small bump or fall
- swelling or a tender spot over a bone
- feeling very thirsty, sick, muddled or constipated. This can mean there is too much calcium in your blood, which can happen when bone breaks down.

**Get help straight away** if you have new back pain with numbness, weak legs, or trouble controlling your bladder or bowels. This can mean the cancer is pressing on the spinal cord. It needs urgent treatment to protect your nerves [@1].

## How it is found and checked

- **Bone scan**: a small amount of a safe radioactive tracer is put into a vein. Damaged areas of bone show up on the pictures.
- **CT or PET-CT scan**: detailed pictures of the bones and organs.
- **MRI scan**: the best test for the spine and spinal cord.
- **X-rays**: show whether a bone is at risk of breaking.
- **Blood tests**: check your calcium and other levels.

Sometimes a small sample of bone is taken. This is called a biopsy. It confirms the cancer and shows its type. Scans are repeated every few months to see if treatment is working [@1].

## How it is treated

Treatment for the whole body is the main way to control cancer in the bones. This may be hormone therapy, targeted drugs or chemotherapy.

Other treatments protect the bones and ease pain:

- **Bone-strengthening medicines**, such as zoledronic acid or denosumab. They lower the chance of fractures and other bone problems. In a large study, denosumab delayed these problems a little longer than zoledronic acid [@2]. Your team will check your teeth first, because these drugs can rarely harm the jawbone.
- **Radiotherapy** to a painful bone. Often one session is enough to ease the pain [@3].
- **Surgery** to fix a bone that has broken or may break, or to take pressure off the spinal cord.
- **Pain medicines**, which work best when taken the way your team explains.

## Living with bone metastases

Staying active helps you keep your strength. Ask your team which activities are safe for you. A physiotherapist can help you move with less pain.

Tell your team about any new or worse pain. You do not need to wait for your next visit.
""",
        "audience": "patient",
        "topics": ["bone-metastases", "metastasis"],
        "author": "writer2",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_ESMO_MBC}, {**_REF_STOPECK_2010}, {**_REF_LUTZ_2017}],
    },
    {
        "title": "Breast cancer that has spread to the lungs",
        "slug": "lung-metastases",
        "summary": "Breast cancer can spread to the lungs or to the lining around them. This page explains the symptoms, the tests used, and the treatments that control the cancer and ease breathing.",
        "body": """\
## What happens when cancer spreads to the lungs

Breast cancer cells can travel to the lungs and form small lumps called nodules. Sometimes the cancer affects the pleura instead. This is the thin lining around the lungs. When cancer reaches it, fluid can build up between the lung and the chest wall. This is called a pleural effusion [@2].

Some people have no symptoms at all. The spread is found on a routine scan.

## Symptoms

- a cough that does not go away
- feeling short of breath, especially when you are active
- pain in the chest, which may be worse when you breathe in
- coughing up blood, which is less common
- feeling very tired

Other things can cause these symptoms too. Examples are an infection, a blood clot or a side effect of treatment. So tell your care team about them quickly [@1]. Call for urgent help if you are suddenly very short of breath or have chest pain.

## How it is diagnosed and monitored

- **CT scan of the chest**: the main test for finding spots in the lungs.
- **PET-CT scan**: can show which spots are active.
- **Chest X-ray**: a quick way to look for fluid.
- **Biopsy**: a doctor takes a small sample of tissue or fluid. This checks that the spots are breast cancer and not an infection or a new lung cancer. It also shows the type of cancer, which can change over time [@1].
- **Breathing tests**: these check how well your lungs work.

Once treatment starts, chest scans are usually repeated every few months. Your team will also ask how your breathing feels.

## How it is treated

The main treatment is medicine that works through the whole body. This may be hormone therapy, targeted therapy, chemotherapy or immunotherapy. The choice depends on your type of breast cancer [@1].

Other treatments can ease symptoms:

- **Draining fluid**: a thin needle or tube drains fluid from around the lung. This can make breathing much easier [@2].
- **Stopping fluid from coming back**: a doctor may place a small tube that can be drained at home. Or they may seal the space around the lung. This is called pleurodesis.
- **Radiotherapy or surgery**: sometimes used for one or a few spots, or to stop bleeding. These suit only some people.
- **Easing breathlessness**: breathing exercises, sitting upright, a fan blowing on your face and some medicines can all help.

## Tips for everyday life

- Pace yourself and plan rests between tasks.
- Do not smoke, and stay away from smoky places.
- Ask your team about flu and other vaccines.
- Tell your team if your cough or breathing changes.
""",
        "audience": "patient",
        "topics": ["lung-metastases", "metastasis"],
        "author": "writer",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_ESMO_MBC}, {**_REF_ABC5}],
    },
    {
        "title": "Breast cancer that has spread to the liver",
        "slug": "liver-metastases",
        "summary": "When breast cancer spreads to the liver it may cause no symptoms at first. Learn the signs to watch for, how the liver is checked, and how the cancer is treated.",
        "body": """\
## What liver metastases are

The liver is a large organ on the right side of your belly, under the ribs. It cleans your blood, helps you digest food and stores energy. When breast cancer cells spread there, they form tumours called liver metastases [@2].

Small areas of spread often cause no symptoms. They may first show up on a scan or in a blood test.

## Symptoms

- pain or discomfort under the ribs on the right side
- feeling sick (nausea) or not wanting to eat
- losing weight without trying
- a swollen belly, which can be caused by fluid
- yellow skin or yellow whites of the eyes, called jaundice
- itchy skin, dark pee or pale poo
- feeling very tired

Tell your care team quickly if your skin or eyes turn yellow [@1].

## How it is diagnosed and monitored

- **Blood tests** called liver function tests show how well the liver is working.
- **CT scan** of the belly is the most common scan.
- **MRI scan** or **ultrasound** can give a closer look.
- **PET-CT scan** may be used in some cases.
- **Biopsy**: a thin needle takes a tiny piece of the liver. This confirms the cancer and checks its type, such as its hormone receptor and HER2 status [@1].

Scans and blood tests are repeated during treatment to see how the cancer is responding.

## How it is treated

Medicines that work through the whole body are the main treatment. These include hormone therapy, targeted drugs, chemotherapy or immunotherapy. The choice depends on the type of breast cancer [@2].

If the liver is badly affected and the cancer is growing fast, your team may suggest a treatment that works quickly, such as chemotherapy [@2].

A few people have cancer in only one or two spots in the liver. For them, local treatments may be discussed:

- **surgery** to remove part of the liver
- **ablation**, which uses heat or cold to destroy a small tumour
- **focused radiotherapy**, also called stereotactic radiotherapy

These treatments are only right for carefully chosen people [@1]. Ask your team whether they could help you.

The liver breaks down many medicines. If it is not working well, your team may change which drugs you have. Always tell them about all the medicines and supplements you take, including herbal ones.

## Looking after yourself

- Eat small meals often if you feel full quickly.
- Ask for anti-sickness medicine if you feel sick.
- A dietitian can help if you are losing weight.
- Avoid alcohol unless your team says it is safe.
""",
        "audience": "patient",
        "topics": ["liver-metastases", "metastasis"],
        "author": "writer2",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_ESMO_MBC}, {**_REF_ABC5}],
    },
    {
        "title": "Breast cancer that has spread to the brain",
        "slug": "brain-metastases",
        "summary": "Breast cancer can spread to the brain, most often in HER2-positive and triple-negative disease. This page covers the symptoms, the MRI scans used, and treatments such as radiosurgery and surgery.",
        "body": """\
## What brain metastases are

Sometimes breast cancer cells reach the brain. More rarely, they reach the fluid and thin lining around the brain and spinal cord. Brain spread is more common in HER2-positive and triple-negative breast cancer [@3].

## Symptoms

Symptoms depend on which part of the brain is affected. They can include:

- headaches that are new, keep coming back, or are worse in the morning
- feeling sick or being sick, often with headaches
- changes in your eyesight, such as blurred or double vision
- problems with memory, thinking or focus
- changes in mood or behaviour
- weakness or numbness in an arm or leg
- trouble with balance or speech
- seizures (fits)

**Call for emergency help** if you have a seizure, sudden weakness, or cannot speak clearly.

## How it is diagnosed and monitored

- **MRI scan of the brain** is the best test. It uses a strong magnet and radio waves. A dye is usually injected to make spots easier to see [@3].
- **CT scan** may be used if you cannot have an MRI.
- **Lumbar puncture** (spinal tap) may be needed if the lining of the brain could be affected. A thin needle takes a little fluid from your lower back.

After treatment, you will usually have brain MRI scans every few months.

## How it is treated

Several experts will plan your care together. This often includes a brain surgeon and a radiotherapy specialist [@1].

- **Steroid medicines**, such as dexamethasone, quickly reduce swelling and ease symptoms.
- **Anti-seizure medicines** are used if you have had a seizure.
- **Stereotactic radiosurgery** aims many precise beams at a few small spots. It spares the healthy brain around them [@1].
- **Whole-brain radiotherapy** treats the whole brain. It may be used when there are many spots. It can cause tiredness and memory problems, and there are ways to lower this risk.
- **Surgery** can remove a large tumour that is pressing on the brain. Radiotherapy is usually given afterwards [@1].
- **Medicines that reach the brain.** For HER2-positive cancer, a tablet called tucatinib, given with trastuzumab and capecitabine, helped people live longer in a large study. This included people with brain spread [@2]. Trastuzumab deruxtecan can also shrink brain tumours in some people.

## Daily life

There may be rules about driving after a seizure or brain spread. Ask your team what applies to you. Let family and friends know the warning signs, so they can get help if needed.
""",
        "audience": "patient",
        "topics": ["brain-metastases", "metastasis"],
        "author": "writer",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_VOGELBAUM_2022}, {**_REF_MURTHY_2020}, {**_REF_ESMO_MBC}],
    },
    # ----------------------------------------------------------------- diagnosis
    {
        "title": "Tests for diagnosing and monitoring metastatic breast cancer",
        "slug": "diagnosis-and-monitoring",
        "summary": "Scans, a biopsy and blood tests show where the cancer is and what type it is. Regular checks then show how well treatment is working.",
        "body": """\
## Finding out the cancer has spread

Metastatic breast cancer may be found because of new symptoms. Or it may show up on a scan done for another reason. Your team then does tests to answer three questions: Is it cancer? Where is it? What type is it? [@1]

## Scans

Different scans show different things:

- **CT scan**: many X-rays taken from different angles. They make detailed pictures of the chest, belly and bones.
- **Bone scan**: shows areas of damage in the bones.
- **PET-CT scan**: a mildly radioactive sugar is injected. Cancer cells take up more sugar, so they show up brightly.
- **MRI scan**: uses a magnet and radio waves. It is best for the brain and spine, and sometimes the liver.

Most people have a CT scan of the chest and belly and a bone scan. A PET-CT may help if the results are unclear [@1].

## Biopsy: testing the cancer itself

A biopsy means taking a small sample of tissue, usually with a thin needle. A specialist looks at it under a microscope. It is important because the cancer can change after it spreads. The tests check for:

- **hormone receptors**: whether the cells have oestrogen receptors (ER) or progesterone receptors (PR)
- **HER2**: whether the cells make too much of a protein called HER2

Your team may also test for **molecular markers**. These are changes in the cancer's genes or proteins. Examples are changes in the PIK3CA, ESR1 or BRCA genes, and a protein called PD-L1. Some tests use a tumour sample. Others use a blood sample, sometimes called a liquid biopsy. The results can open up more treatment choices [@2].

## Blood tests

Routine blood tests check your blood counts, liver and kidneys.

Some people also have **tumour markers** measured, such as CA 15-3, CA 27.29 or CEA. These are substances that cancer cells can release into the blood. A rising level may be a sign that the cancer is growing. But these markers are not reliable enough to use on their own. They are always read together with your scans and how you feel [@3].

## Checks during treatment

Once treatment starts, your team will keep checking how it is working. This usually means:

- scans about every two to four months, or sooner if something changes
- regular blood tests
- talking about your symptoms, side effects and how you are coping [@1]

Tell your team about any new symptom between visits. You know your body best.
""",
        "audience": "patient",
        "topics": ["diagnosis"],
        "author": "writer2",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_ESMO_MBC}, {**_REF_ABC5}, {**_REF_VAN_POZNAK_2015}],
    },
    # ----------------------------------------------------------------- subtypes
    {
        "title": "Types of breast cancer and why they matter",
        "slug": "breast-cancer-subtypes",
        "summary": "Breast cancer is sorted into hormone-receptor-positive, HER2-positive and triple-negative types. The type is one of the most important things in choosing treatment.",
        "body": """\
## Why the type matters

Breast cancer is not one single disease. The cells can look and act differently from person to person. Doctors test a sample of the cancer and sort it into groups called subtypes. The subtype is one of the most important things in choosing your treatment [@1].

There are three main subtypes.

![](image:{subtype-grid})

## Hormone-receptor-positive

This is the most common type. The cells have receptors for the hormones oestrogen (ER-positive) or progesterone (PR-positive), or both. A receptor is like a lock. The hormone is like a key that switches on growth.

The main treatment is hormone therapy, also called endocrine therapy. It blocks the hormones or lowers the amount in the body. It is often given with a targeted drug [@1].

## HER2-positive

HER2 is a protein on the surface of cells that tells them to grow. In HER2-positive breast cancer, the cells make far too much of it.

This type can grow quickly. But many drugs now target HER2, and they have greatly improved the outlook for people with this subtype [@2]. A cancer can be both HER2-positive and hormone-receptor-positive.

## Triple-negative

Triple-negative breast cancer has no oestrogen receptors, no progesterone receptors and no extra HER2. So hormone therapy and standard HER2 drugs do not work for it.

Chemotherapy is the main treatment. If the cancer makes a protein called PD-L1, immunotherapy may be added. Newer drugs called antibody-drug conjugates are another choice [@1]. Triple-negative breast cancer is more common in younger women and in people with a BRCA gene change.

## HER2-low: a newer group

Some cancers have a small amount of HER2, but not enough to be called HER2-positive. This is called HER2-low. In a large study, a drug called trastuzumab deruxtecan helped people with HER2-low cancer live longer than chemotherapy did [@3].

## The type can change

The cancer that has spread is not always the same type as the first cancer in the breast. That is one reason your team may suggest a new biopsy [@2]. Ask your team which subtype you have, and what it means for your treatment.
""",
        "audience": "patient",
        "topics": ["subtypes"],
        "author": "writer",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_ESMO_MBC}, {**_REF_ABC5}, {**_REF_MODI_2022}],
    },
    # ----------------------------------------------------------------- treatments
    {
        "title": "Hormone therapy for metastatic breast cancer",
        "slug": "endocrine-therapy",
        "summary": "Hormone (endocrine) therapy is the main treatment for hormone-receptor-positive metastatic breast cancer, often combined with a CDK4/6 inhibitor or, for PIK3CA changes, a PI3K inhibitor.",
        "body": """\
## How hormone therapy works

In hormone-receptor-positive breast cancer, the hormone oestrogen helps the cancer grow. Hormone therapy, also called endocrine therapy, blocks oestrogen or lowers the amount in your body. It is usually the first treatment when this type of cancer has spread. It can keep the cancer under control for a long time [@7].

It does not work for cancer that is hormone-receptor-negative.

## The main hormone medicines

- **Tamoxifen** is a tablet that stops oestrogen from attaching to cancer cells. It can be used before or after menopause.
- **Aromatase inhibitors**, such as **letrozole** and **anastrozole**, are tablets. They lower the oestrogen your body makes after menopause. In a large study, letrozole held back the cancer for longer than tamoxifen [@6].
- **Fulvestrant** is an injection into a muscle. It blocks oestrogen receptors and breaks them down. In one study it kept the cancer in check a bit longer than anastrozole [@4].

If you have not been through menopause, you will usually also have treatment to stop your ovaries making oestrogen. Men can have these medicines too, often with a drug that lowers hormone levels.

## Adding a CDK4/6 inhibitor

CDK4/6 inhibitors are tablets that block proteins cancer cells need to divide. There are three: **palbociclib**, **ribociclib** and **abemaciclib**. Each is taken with an aromatase inhibitor or fulvestrant.

In large studies, adding one of these drugs held back the cancer for many more months than hormone therapy alone [@1] [@2] [@3]. For many people, this pairing is now the first treatment. It can cause tiredness and low white blood cell counts. Abemaciclib often causes diarrhoea. You will have regular blood tests.

## A treatment for PIK3CA changes

Many people with this type of cancer have a change in a gene called PIK3CA. Your team can test for it using a tumour or blood sample.

For some people with this change, there is a three-drug treatment: **inavolisib + palbociclib + fulvestrant**. It is for ER-positive, HER2-negative cancer that came back during or soon after earlier hormone therapy. In a large study, it held the cancer back much longer than palbociclib and fulvestrant alone [@5]. Longer follow-up of the same study has also reported that people lived longer with the three drugs. Inavolisib can raise blood sugar, so your sugar level will be checked.

## Side effects

Hormone therapy can cause hot flushes, joint aches, tiredness and thin bones. Tamoxifen slightly raises the risk of blood clots. Tell your team about side effects. There are often ways to ease them, or to switch to another medicine.

When one hormone treatment stops working, another one is often tried [@7].
""",
        "audience": "patient",
        "topics": ["endocrine-therapy", "treatments"],
        "author": "writer2",
        "review_interval_months": 12,
        "related_trials": ["NCT01740427", "NCT04191499"],
        "counterpart": None,
        "references": [
            {**_REF_FINN_2016},
            {**_REF_HORTOBAGYI_2016},
            {**_REF_GOETZ_2017},
            {**_REF_ROBERTSON_2016},
            {**_REF_TURNER_2024},
            {**_REF_MOURIDSEN_2001},
            {**_REF_ESMO_MBC},
        ],
    },
    {
        "title": "Chemotherapy for metastatic breast cancer",
        "slug": "chemotherapy",
        "summary": "Chemotherapy is used for triple-negative and hormone-resistant cancer, and when the cancer is growing fast. It is usually given one drug at a time.",
        "body": """\
## What chemotherapy is

Chemotherapy uses drugs that kill cells that divide quickly, such as cancer cells. The drugs travel in the blood. So they can reach cancer almost anywhere in the body. Some are given through a drip into a vein. Others are tablets you take at home.

## When it is used

It is often the main treatment when:

- the cancer is **triple-negative**. This means hormone therapy will not help.
- the cancer has **stopped responding** to hormone therapy.
- the cancer is **growing fast** or harming an organ such as the liver or lungs. Then a quick response is needed [@1].

For HER2-positive cancer, it is usually given with HER2-targeted drugs. For some triple-negative cancers, it is given with immunotherapy.

## How it is given

Doctors usually give one drug at a time. Using drugs one after another causes fewer side effects than giving several at once. For most people, it works about as well [@2]. Two drugs may be used together if the cancer needs to shrink quickly.

![](image:{treatment-timeline})

Treatment is given in cycles. A cycle is a period of treatment followed by a rest, so your body can recover. Your blood is checked before each cycle.

You may stay on the same drug while it is working and you are coping with it. If it stops working, there are usually other drugs to try. Common ones include capecitabine, paclitaxel, docetaxel, eribulin and vinorelbine.

## Antibody-drug conjugates

These newer drugs join a chemotherapy drug to an antibody. The antibody finds the cancer cells and carries the drug straight to them. One example is sacituzumab govitecan. It helped people with triple-negative breast cancer that had already been treated live longer than standard chemotherapy [@3]. Trastuzumab deruxtecan is another example.

## Side effects

Side effects depend on the drug. They may include:

- feeling tired or sick
- a higher chance of getting an infection
- hair loss, with some drugs but not all
- a sore mouth
- numbness or tingling in the hands and feet
- sore, red hands and feet, with capecitabine

**If you get a fever or feel suddenly unwell, call your team's emergency number straight away.** An infection can be serious when your white blood cell count is low.

Many side effects can be prevented or eased. Tell your team how you feel, so they can adjust your treatment.
""",
        "audience": "patient",
        "topics": ["chemotherapy", "treatments"],
        "author": "writer",
        "review_interval_months": 12,
        "related_trials": ["NCT02819518"],
        "counterpart": None,
        "references": [{**_REF_ESMO_MBC}, {**_REF_ABC5}, {**_REF_BARDIA_2021}],
    },
    {
        "title": "HER2-targeted therapy",
        "slug": "her2-targeted-therapy",
        "summary": "HER2-targeted drugs such as trastuzumab, pertuzumab, trastuzumab deruxtecan and lapatinib have greatly improved treatment for HER2-positive breast cancer.",
        "body": """\
## What HER2 is

HER2 is a protein on the surface of some breast cancer cells. It works like a switch that tells the cells to grow. About 1 in 5 breast cancers make too much HER2. These are called HER2-positive.

HER2-targeted drugs find and block HER2. They have made a big difference for people with this type of cancer [@5].

## The main HER2 drugs

- **Trastuzumab** is an antibody. It sticks to HER2 and blocks the growth signal. It also helps your immune system find the cancer cells. In an early key study, adding it to chemotherapy helped people live longer [@1].
- **Pertuzumab** is another antibody that blocks HER2 in a different way. Given with trastuzumab and chemotherapy as a first treatment, it helped people live much longer [@2]. These two antibodies are given into a vein or as an injection under the skin.
- **Trastuzumab deruxtecan (T-DXd)** is an antibody-drug conjugate. It joins trastuzumab to a strong chemotherapy drug, which is carried straight to the cancer cells. In a large study, it held back the cancer far longer than an older drug of the same kind, called T-DM1 [@3].
- **Lapatinib** is a tablet. It is a tyrosine kinase inhibitor, which means it blocks the HER2 signal from inside the cell. Given with the chemotherapy tablet capecitabine, it slowed the cancer more than capecitabine alone [@4]. A newer tablet, tucatinib, works in a similar way.

## A typical treatment plan

Many people start with trastuzumab, pertuzumab and a chemotherapy drug. After some months, the chemotherapy may stop while the antibodies carry on. If the cancer grows, the next treatment is often T-DXd. Other HER2 drugs can follow [@5].

If your cancer is also hormone-receptor-positive, hormone therapy may be added.

## Side effects to know about

- **Heart**: trastuzumab and pertuzumab can weaken the heart muscle in some people. You will have heart scans before and during treatment.
- **Lungs**: T-DXd can cause swelling in the lungs. This is not common, but it can be serious. Tell your team straight away about a new cough, fever or shortness of breath.
- **Diarrhoea**: this is common with pertuzumab, lapatinib and tucatinib.
- **Feeling sick and tired**: common with T-DXd.

Your team will explain how to manage these side effects.

## Research

The CLEOPATRA and DESTINY-Breast03 studies helped bring these drugs into use. You can read about them on this site. Research is still looking for better ways to treat HER2-positive breast cancer. Ask your team if a clinical trial could suit you.
""",
        "audience": "patient",
        "topics": ["her2-targeted-therapy", "treatments"],
        "author": "writer2",
        "review_interval_months": 12,
        "related_trials": ["NCT00567190", "NCT03529110"],
        "counterpart": "her2-targeted-therapy-professional",
        "references": [
            {**_REF_SLAMON_2001},
            {**_REF_SWAIN_2015},
            {**_REF_CORTES_2022_DB03},
            {**_REF_GEYER_2006},
            {**_REF_ESMO_MBC},
        ],
    },
    {
        "title": "HER2-targeted therapy in metastatic breast cancer: evidence summary for health professionals",
        "slug": "her2-targeted-therapy-professional",
        "summary": "Evidence summary of HER2-directed treatment in metastatic breast cancer: dual antibody blockade first line, trastuzumab deruxtecan second line, tyrosine kinase inhibitors later, and key safety monitoring.",
        "body": """\
## Definition and testing

HER2 positivity is defined by ASCO/CAP criteria as IHC 3+ or IHC 2+ with ISH amplification, and accounts for roughly 15-20% of breast cancers. Because receptor status can differ between the primary tumour and metastases, a biopsy of an accessible metastatic lesion with reassessment of ER, PR and HER2 is recommended at first presentation of metastatic disease [@8]. Tumours scoring IHC 1+ or IHC 2+/ISH-negative are now described as HER2-low; in DESTINY-Breast04, trastuzumab deruxtecan (T-DXd) improved progression-free and overall survival over treatment of physician's choice in previously treated HER2-low disease [@7].

## First line: dual antibody blockade

Adding trastuzumab to chemotherapy established the overall survival benefit of HER2 blockade in metastatic disease [@1]. In CLEOPATRA (NCT00567190), pertuzumab added to trastuzumab and docetaxel prolonged median progression-free survival from 12.4 to 18.5 months [@2] and median overall survival from 40.8 to 56.5 months [@3]. Pertuzumab, trastuzumab and a taxane therefore remain the preferred first-line regimen for most patients, with maintenance antibodies after the chemotherapy phase and endocrine therapy added for hormone-receptor-positive disease [@8].

## Second line: trastuzumab deruxtecan

DESTINY-Breast03 (NCT03529110) randomised patients previously treated with trastuzumab and a taxane to T-DXd or trastuzumab emtansine (T-DM1). Twelve-month progression-free survival was 75.8% with T-DXd versus 34.1% with T-DM1 (hazard ratio for progression or death 0.28) [@4]. Later analyses of the trial also reported an overall survival advantage, and T-DXd has become the usual second-line choice.

Drug-related interstitial lung disease or pneumonitis occurred in 10.5% of patients on T-DXd versus 1.9% on T-DM1, mostly grade 1-2 [@4]. Patients should be told to report cough, dyspnoea or fever promptly; suspected pneumonitis requires treatment interruption, imaging and, for symptomatic cases, corticosteroids.

## Later lines: tyrosine kinase inhibitors

Lapatinib plus capecitabine roughly doubled median time to progression compared with capecitabine alone (8.4 vs 4.4 months) after trastuzumab-based treatment [@5]. In HER2CLIMB (NCT02614794), tucatinib added to trastuzumab and capecitabine improved both progression-free and overall survival, including in patients with active or stable brain metastases [@6]. Trastuzumab emtansine remains an option after T-DXd.

## Central nervous system disease

Brain metastases are frequent in HER2-positive disease. Local therapy (stereotactic radiosurgery, surgery, or whole-brain radiotherapy where needed) remains standard for symptomatic lesions; tucatinib-based therapy and T-DXd both have documented intracranial activity and may be considered for selected patients, after multidisciplinary discussion.

## Safety monitoring

- **Cardiac**: assess left ventricular ejection fraction at baseline and periodically during trastuzumab and pertuzumab; dysfunction is usually reversible after interruption.
- **Pulmonary**: baseline and symptom-driven assessment for interstitial lung disease with T-DXd.
- **Gastrointestinal**: diarrhoea is common with pertuzumab, lapatinib and tucatinib; lapatinib and tucatinib need liver function monitoring.

A plain-language version of this page is available for patients.
""",
        "audience": "professional",
        "topics": ["her2-targeted-therapy", "treatments"],
        "author": "writer",
        "review_interval_months": 12,
        "related_trials": ["NCT00567190", "NCT03529110"],
        "counterpart": "her2-targeted-therapy",
        "references": [
            {**_REF_SLAMON_2001},
            {**_REF_BASELGA_2012},
            {**_REF_SWAIN_2015},
            {**_REF_CORTES_2022_DB03},
            {**_REF_GEYER_2006},
            {**_REF_MURTHY_2020},
            {**_REF_MODI_2022},
            {**_REF_ESMO_MBC},
        ],
    },
    {
        "title": "Immunotherapy for metastatic breast cancer",
        "slug": "immunotherapy",
        "summary": "Immunotherapy with the checkpoint inhibitor pembrolizumab is used mainly for triple-negative breast cancer that makes the protein PD-L1, together with chemotherapy.",
        "body": """\
## What immunotherapy does

Your immune system protects you from germs. It can also find and attack cancer cells. But cancer cells can press "brakes" on immune cells to hide from them. These brakes are called checkpoints. One of them is a protein called PD-L1.

Checkpoint inhibitors are drugs that release these brakes. This helps your immune system see the cancer and attack it.

## Who it may help

In metastatic breast cancer, immunotherapy is mainly used for **triple-negative** breast cancer. It works best when the cancer makes a fair amount of PD-L1. Your team will test a sample of the cancer for PD-L1 first. The test gives a number called a combined positive score, or CPS [@3].

Right now, immunotherapy is not a standard treatment for hormone-receptor-positive or HER2-positive metastatic breast cancer. Research is going on.

## Pembrolizumab

**Pembrolizumab** is a checkpoint inhibitor. It is given through a drip into a vein every few weeks. For triple-negative breast cancer that has spread, it is given with chemotherapy as the first treatment.

The KEYNOTE-355 study tested this. People whose cancer had a CPS of 10 or more did better with pembrolizumab and chemotherapy. The cancer was held back for longer [@1]. People also lived longer: about 23 months on average, compared with about 16 months with chemotherapy alone [@2]. People with lower PD-L1 levels did not get the same clear benefit.

## Side effects

Immunotherapy makes your immune system more active. Sometimes it attacks healthy parts of the body and causes swelling and irritation there. Possible problems include:

- skin rash or itching
- diarrhoea or tummy pain
- cough or shortness of breath
- tiredness, weight change or feeling cold, from thyroid problems
- liver problems, found in blood tests

Most side effects are mild. But some can be serious, and they can start even months after treatment stops. **Tell your team straight away about any new symptom.** Many of these side effects can be treated with steroid medicines, especially when found early.

Carry the alert card your team gives you. Show it if you see another doctor or go to hospital.

## Clinical trials

Researchers are testing new immunotherapy drugs and combinations for all types of breast cancer. Ask your team if a clinical trial could be right for you.
""",
        "audience": "patient",
        "topics": ["immunotherapy", "treatments"],
        "author": "writer",
        "review_interval_months": 12,
        "related_trials": ["NCT02819518"],
        "counterpart": None,
        "references": [
            {**_REF_CORTES_2020_KN355},
            {**_REF_CORTES_2022_KN355},
            {**_REF_ESMO_MBC},
        ],
    },
    {
        "title": "Radiotherapy for metastatic breast cancer",
        "slug": "radiotherapy",
        "summary": "Radiotherapy treats one area of the body. In metastatic breast cancer it is mostly used to ease bone pain and to control cancer in the brain, skin or lymph nodes.",
        "body": """\
## What radiotherapy is

Radiotherapy uses high-energy X-rays to kill cancer cells. It is a local treatment. It only treats the part of the body where the beams are aimed. The treatment does not hurt, and you cannot see or feel the beams.

In metastatic breast cancer, radiotherapy is mostly used to ease symptoms and to control the cancer in one place [@3].

## When it can help

- **Bone pain.** This is the most common reason. Radiotherapy eases pain for many people. Often one session is enough, though some people have a few [@1].
- **Pressure on the spinal cord.** Radiotherapy, sometimes with surgery, can protect the nerves. This is an emergency.
- **After bone surgery**, to help stop the cancer growing back in that bone.
- **Brain metastases.** Radiosurgery or whole-brain radiotherapy may be used [@2].
- **Skin or lymph nodes.** Cancer in the skin of the chest or in lymph nodes can bleed, leak fluid or hurt. Radiotherapy can shrink it and help the area heal [@3].
- **Bleeding** from a tumour.

Sometimes a very precise type, called stereotactic radiotherapy, is used for one or a few small areas of cancer.

## What to expect

First you will have a planning visit. You lie still while a CT scan is taken. The team may make a few tiny dots on your skin as markers. For treatment to the head, a fitted mask may be made to help you keep still.

Each treatment takes only a few minutes, though getting you into position can take longer. You are alone in the room, but the team can see and hear you the whole time.

Radiotherapy from a machine does not make you radioactive. It is safe to be with other people, including children.

## Side effects

Side effects depend on the area treated. They usually start during or soon after treatment and get better over a few weeks. They may include:

- tiredness
- red or sore skin in the treated area
- feeling sick, if your belly is treated
- a short "pain flare" in a bone, which can be eased with pain medicine
- hair loss, if your head is treated

Your team will tell you what to expect and how to care for your skin.
""",
        "audience": "patient",
        "topics": ["radiotherapy", "treatments"],
        "author": "writer2",
        "review_interval_months": 12,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_LUTZ_2017}, {**_REF_VOGELBAUM_2022}, {**_REF_ESMO_MBC}],
    },
    {
        "title": "Surgery for metastatic breast cancer",
        "slug": "surgery",
        "summary": "Surgery is not the main treatment for metastatic breast cancer, but it can help in selected cases, such as fixing a weak bone or removing a brain tumour.",
        "body": """\
## Surgery is not the main treatment

When breast cancer has spread, there is cancer in more than one place. Surgery can only remove the cancer a surgeon can reach. So medicines that work through the whole body are usually the main treatment. Surgery is used only for some people, in certain situations [@4].

## Removing the tumour in the breast

Some people have cancer in the breast and in other parts of the body when they are first diagnosed. Many ask if removing the breast tumour would help them live longer.

Large studies have looked at this. On average, surgery on the breast did not help people live longer [@1] [@2]. So it is not usually offered for that reason alone.

Surgery on the breast may still help if the tumour causes problems, such as pain, bleeding or an open wound, and other treatments have not worked.

## Surgery to protect bones

- **Fixing a bone** that has broken, or is likely to break. A surgeon may use metal rods, plates or screws. A special cement may be put into a spine bone that has collapsed.
- **Taking pressure off the spinal cord.** This can protect your ability to walk. It is often followed by radiotherapy.

## Surgery for brain metastases

A surgeon may remove a single large tumour in the brain, or one that causes serious symptoms. Radiotherapy to that area usually follows [@3].

## Other situations

- A small number of people have only one or two spots of cancer, for example in the liver or lung. Surgery or another local treatment may be discussed. This is a careful choice made for each person. It is not yet certain that it helps people live longer [@4].
- Small procedures can ease symptoms. Examples are draining fluid from around the lungs, or fitting a port. A port is a small device under the skin that makes it easier to give drugs and take blood.

![](image:{implanted-port})

## Questions to ask

- What is the aim of this operation?
- What are the risks?
- How long will it take to recover?
- Will it delay my other treatment?
- What would happen if I did not have surgery?
""",
        "audience": "patient",
        "topics": ["surgery", "treatments"],
        "author": "writer",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [
            {**_REF_BADWE_2015},
            {**_REF_KHAN_2022},
            {**_REF_VOGELBAUM_2022},
            {**_REF_ABC5},
        ],
    },
    {
        "title": "Supportive and palliative care",
        "slug": "supportive-and-palliative-care",
        "summary": "Supportive and palliative care helps with pain, eating, feelings and practical worries at any stage of metastatic breast cancer, alongside cancer treatment.",
        "body": """\
## What it means

Supportive care, also called palliative care, helps you feel as well as you can. It treats symptoms, side effects and worries, rather than the cancer itself. It supports your family too.

Palliative care is not only for the end of life. You can have it at any stage, alongside treatment for the cancer [@1]. In a study of people with advanced lung cancer, those who saw a palliative care team early had a better quality of life and less low mood [@2].

The team may include doctors, nurses, social workers, dietitians, physiotherapists and chaplains.

## Managing pain

Pain can almost always be eased. Tell your team:

- where the pain is
- how bad it is, perhaps on a scale from 0 to 10
- what makes it better or worse
- how it affects your sleep and daily life

Pain can be treated with medicines, from simple painkillers to stronger ones called opioids. Other treatments include radiotherapy for bone pain, nerve blocks, heat, gentle exercise and relaxation [@3].

Some people worry about becoming addicted to opioids. When they are used for cancer pain with support from your team, this is uncommon. Ask your team if you have concerns.

## Eating well

Good nutrition helps you keep your strength. But cancer and its treatment can change your appetite, taste and weight. A dietitian can help you:

- get enough energy and protein
- cope with feeling sick, a sore mouth or changes in taste
- try small, frequent meals or nourishing drinks

Talk to your team before taking vitamins, herbal remedies or special diets. Some can affect how cancer treatment works.

## Your feelings matter

It is normal to feel shock, fear, anger or sadness. These feelings can come and go. Help is available:

- **Counselling** gives you a safe space to talk with a trained person.
- A **psychologist** or **psychiatrist** can help with anxiety or depression. Medicines may also help.
- **Support groups** bring together people in a similar situation, in person or online. Many people find it helps to talk with others who understand.

Your partner, children and carers may need support too. Ask your team what help is available near you [@1].

## Planning ahead

It can help to talk with your loved ones and care team about what matters most to you. This is called advance care planning. You can change your wishes at any time.
""",
        "audience": "patient",
        "topics": ["supportive-and-palliative-care", "treatments"],
        "author": "writer2",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_FERRELL_2017}, {**_REF_TEMEL_2010}, {**_REF_NCI_PAIN_PDQ}],
    },
    # ----------------------------------------------------------------- trials
    {
        "title": "Clinical trials: what they are and how to find one",
        "slug": "clinical-trials-explained",
        "summary": "Clinical trials test new treatments. Learn about trial phases, who can take part, your rights, and how to search ClinicalTrials.gov using NCT numbers.",
        "body": """\
## What a clinical trial is

A clinical trial is a research study with people. It tests whether a new treatment, or a new way of using an existing one, is safe and works better than the current standard. Every treatment used today was once tested in a trial [@2].

For metastatic breast cancer, experts encourage people to think about trials at every stage of their illness [@3].

## Phases of trials

Trials happen in steps called phases:

- **Phase 1** tests a new drug in a small group. It looks for a safe dose and learns about side effects.
- **Phase 2** gives the treatment to more people to see if it works against a certain cancer.
- **Phase 3** compares the new treatment with the current standard in a large group, often hundreds of people. People are usually put into groups by chance. This is called randomisation.
- **Phase 4** studies a treatment after it has been approved, to learn more about long-term effects.

Some phase 3 trials give one group a placebo (a dummy drug) on top of standard treatment. In cancer trials, a placebo is rarely used instead of a treatment that is known to work.

## Who can take part

Each trial has rules about who can join. These are called eligibility criteria. They may include the type of breast cancer, which treatments you have had, your age and your general health. The rules protect your safety and help make the results clear. If you cannot join one trial, another may suit you.

## Safety and your rights

- Before you join, the research team must explain the trial, including possible risks and benefits. You will be asked to sign a form. This is called informed consent [@2].
- Ethics committees check trials to protect the people taking part.
- You will be watched closely for side effects.
- Taking part is your choice. **You can leave (withdraw from) a trial at any time, for any reason.** Leaving will not affect your right to good care [@2].

Ask who pays for what, how often you need to visit, and what happens when the trial ends.

## How to find a trial

- Ask your cancer doctor or nurse about trials at your hospital or nearby.
- Search **ClinicalTrials.gov**. It is a free public list of studies from around the world [@1].
- Each study there has its own number. It starts with "NCT" followed by eight digits, such as NCT03529110. That is the number for the DESTINY-Breast03 trial. You can use the number to look up a trial or to talk about it with your team.
- Try searching for "metastatic breast cancer" plus your subtype, and choose trials that are "recruiting".
- Cancer charities often have helplines that can help you search.
""",
        "audience": "patient",
        "topics": ["clinical-trials"],
        "author": "writer",
        "review_interval_months": 12,
        "related_trials": [
            "NCT03529110",
            "NCT02819518",
            "NCT04191499",
            "NCT00567190",
            "NCT01740427",
        ],
        "counterpart": None,
        "references": [{**_REF_CTGOV}, {**_REF_CTGOV_LEARN}, {**_REF_ABC5}],
    },
    # ----------------------------------------------------------------- living with
    {
        "title": "Living well with metastatic breast cancer",
        "slug": "living-well-with-metastatic-breast-cancer",
        "summary": "Practical ideas for coping day to day with metastatic breast cancer: tiredness, work and money, family, waiting for scan results, and finding trusted information.",
        "body": """\
## Life after the diagnosis

Learning that breast cancer has spread can turn life upside down. Many people feel shocked at first. Over time, most find ways to live with the illness, and many live well for years. Treatment and care aim to help you keep doing the things that matter to you [@1].

## Everyday energy

Tiredness, or fatigue, is one of the most common problems. It can come from the cancer, its treatment, low blood counts, poor sleep or low mood.

- Plan your day. Do the most important things when you have the most energy.
- Gentle activity, such as walking, can boost your energy. Ask your team what is safe for you.
- Say yes to offers of help with shopping, cooking or lifts.
- Tell your team if tiredness gets worse. Some causes, such as a low blood count, can be treated.

## Work, money and practical help

Some people keep working, perhaps with changes to their hours. Others stop. You may have a right to time off or support at work. A social worker or a cancer charity can help with benefits, travel costs and forms.

## Family and relationships

Cancer affects the people around you too. Talking openly can help, even when it is hard. Children usually cope better when they are told the truth in words that fit their age. Your team or a counsellor can suggest ways to start these talks [@2].

Changes in your body, energy and mood can affect sex and closeness. This is common, and you can raise it with your team.

## Waiting for scan results

Many people feel anxious before scans and while they wait for results. Some people call it "scanxiety". It may help to:

- ask when and how you will get your results
- bring someone with you to the appointment
- plan something to look forward to

## Finding trusted information

There is a lot of information online, and not all of it is true. Be careful with websites that sell products or promise a cure. Check where information comes from, and talk to your team about anything you read.

## Your team is there for you

You can contact your team between visits. Keep a list of questions, and a note of symptoms and side effects. Your specialist nurse is often a good first person to ask.
""",
        "audience": "patient",
        "topics": ["living-with-metastatic-breast-cancer"],
        "author": "writer2",
        "review_interval_months": 36,
        "related_trials": [],
        "counterpart": None,
        "references": [{**_REF_ABC5}, {**_REF_FERRELL_2017}],
    },
]

# ---------------------------------------------------------------------------
# Spanish translations of demo articles
# ---------------------------------------------------------------------------

# Each is written for this project from the English demo article it names (``source``): the
# same sections and citation markers, in plain Spanish for patients, addressing the reader as
# "usted". Everything a translation does not give (audience, topics, related trials, lead
# image, review interval, references) is taken from its source's demo data, so the citations
# are the same ones. A body image keeps its ``image:{key}`` with Spanish alt text and caption.
TRANSLATIONS = [
    {
        "source": "what-is-metastatic-breast-cancer",
        "language": "es",
        "title": "¿Qué es el cáncer de mama metastásico?",
        "slug": "que-es-el-cancer-de-mama-metastasico",
        "summary": "El cáncer de mama metastásico (estadio IV) se ha extendido a otras partes del cuerpo. Por lo general no se puede curar, pero a menudo se puede tratar y controlar durante mucho tiempo.",
        "body": """\
## Qué quieren decir las palabras

El cáncer de mama metastásico es un cáncer de mama que se ha extendido. Algunas células del cáncer se han ido de la mama y de los ganglios linfáticos que están cerca. Viajan por la sangre o por el sistema linfático. Este sistema es una red de tubos muy finos que lleva líquido por todo el cuerpo. Después, las células se instalan y crecen en otros órganos [@2].

Los médicos también lo llaman cáncer de mama en estadio IV (estadio 4). Lo más frecuente es que se extienda a los huesos, los pulmones, el hígado o el cerebro.

Un tumor en el hígado que viene de la mama sigue siendo cáncer de mama. No es un cáncer de hígado. Esto es importante, porque se trata con medicamentos para el cáncer de mama [@2].

## Dos formas en que puede ocurrir

- **De novo** quiere decir "desde el principio". Algunas personas saben que el cáncer se ha extendido desde su primer diagnóstico.
- **Recurrente** quiere decir que el cáncer ha vuelto. La mayoría de las personas con cáncer de mama metastásico ya tuvieron tratamiento por un cáncer en una fase anterior. Meses o años después, el cáncer aparece en otra parte del cuerpo [@1].

Ninguna de las dos cosas es culpa suya. Pueden quedar unas pocas células de cáncer escondidas en el cuerpo, donde ninguna prueba las puede ver.

## Se puede tratar, pero no curar

Hoy, para la mayoría de las personas, el cáncer de mama metastásico no se puede curar. Pero sí se puede tratar, a menudo durante mucho tiempo [@1]. Muchas personas viven años con él. Hay quien lo ve como una enfermedad crónica, que necesita cuidados de forma continua, como otros problemas de salud.

El tratamiento tiene cuatro metas principales:

- tener el cáncer bajo control el mayor tiempo posible
- aliviar síntomas como el dolor o la falta de aire
- ayudarle a sentirse bien y a seguir con lo que le importa
- ayudarle a vivir más tiempo [@3]

## Cómo se elige el tratamiento

No hay un plan único que sirva para todos. Su equipo médico verá dónde está el cáncer y qué tipo de cáncer de mama tiene usted. También tendrá en cuenta los tratamientos que tuvo antes, su salud y lo que usted quiere de sus cuidados [@3].

La mayoría de los tratamientos actúan en todo el cuerpo. Son, por ejemplo, la terapia hormonal, los fármacos dirigidos, la quimioterapia y la inmunoterapia. Los tratamientos locales, como la radioterapia, tratan una sola parte del cuerpo.

## Preguntas que puede hacer

- ¿Dónde se ha extendido el cáncer?
- ¿Qué tipo de cáncer de mama tengo?
- ¿Cuál es la meta principal del tratamiento que me proponen?
- ¿A quién puedo llamar si tengo síntomas nuevos?

Tómese su tiempo. Puede venir con alguien de su confianza. Y puede volver a preguntar si algo no le queda claro.
""",
        "author": "writer",
    },
    {
        "source": "bone-metastases",
        "language": "es",
        "title": "Cáncer de mama que se ha extendido a los huesos",
        "slug": "metastasis-oseas",
        "summary": "El hueso es el lugar al que más a menudo se extiende el cáncer de mama. Conozca las señales de alarma, cómo se encuentran las metástasis en los huesos y los tratamientos que los protegen y alivian el dolor.",
        "body": """\
## Por qué se afectan los huesos

El hueso es el lugar al que más a menudo se extiende el cáncer de mama. Las células del cáncer pueden instalarse en la columna, las costillas, las caderas, el cráneo o los huesos largos de brazos y piernas. Allí pueden debilitar el hueso [@1].

## Señales de alarma

- un dolor en un hueso que no se va, a menudo peor de noche o al moverse
- un hueso que se rompe con un golpe o una caída pequeña
- hinchazón o una zona que duele al tocar un hueso
- mucha sed, ganas de vomitar, confusión o estreñimiento. Puede ser señal de que hay demasiado calcio en la sangre. Esto puede pasar cuando el hueso se desgasta y suelta calcio a la sangre.

**Pida ayuda enseguida** si tiene un dolor de espalda nuevo con adormecimiento, piernas débiles o problemas para controlar la orina o las heces. Puede querer decir que el cáncer presiona la médula espinal. Hace falta un tratamiento urgente para proteger los nervios [@1].

## Cómo se encuentra y se vigila

- **Gammagrafía ósea**: se pone en una vena una pequeña cantidad de un líquido con algo de radiación, que no hace daño. Las partes dañadas del hueso se ven en las imágenes.
- **TAC o PET-TAC**: imágenes con mucho detalle de los huesos y los órganos.
- **Resonancia magnética**: la mejor prueba para la columna y la médula espinal.
- **Radiografías**: muestran si un hueso corre peligro de romperse.
- **Análisis de sangre**: miden el calcio y otros valores.

A veces se toma un trocito de hueso. Esto se llama biopsia. Confirma el cáncer y muestra de qué tipo es. Las pruebas de imagen se repiten cada pocos meses para ver si el tratamiento funciona [@1].

## Cómo se trata

El tratamiento para todo el cuerpo es la forma principal de controlar el cáncer en los huesos. Puede ser terapia hormonal, fármacos dirigidos o quimioterapia.

Otros tratamientos protegen los huesos y alivian el dolor:

- **Medicamentos que fortalecen el hueso**, como el ácido zoledrónico o el denosumab. Bajan el riesgo de fracturas y de otros problemas de los huesos. En un estudio grande, el denosumab retrasó estos problemas un poco más que el ácido zoledrónico [@2]. Antes, su equipo le revisará los dientes, porque en casos raros estos medicamentos pueden dañar el hueso de la mandíbula.
- **Radioterapia** en un hueso que duele. Muchas veces basta una sola sesión para aliviar el dolor [@3].
- **Cirugía** para fijar un hueso que se ha roto o que se puede romper, o para quitar presión de la médula espinal.
- **Medicamentos para el dolor**, que funcionan mejor si los toma como le explica su equipo.

## Vivir con metástasis en los huesos

Mantenerse en movimiento le ayuda a conservar la fuerza. Pregunte a su equipo qué actividades son seguras para usted. Un fisioterapeuta le puede ayudar a moverse con menos dolor.

Cuente a su equipo cualquier dolor nuevo o que vaya a peor. No hace falta esperar a la próxima cita.
""",
        "author": "writer2",
    },
    {
        "source": "her2-targeted-therapy",
        "language": "es",
        "title": "Tratamientos dirigidos contra HER2",
        "slug": "tratamientos-dirigidos-contra-her2",
        "summary": "Los fármacos dirigidos contra HER2, como trastuzumab, pertuzumab, trastuzumab deruxtecán y lapatinib, han mejorado mucho el tratamiento del cáncer de mama HER2 positivo.",
        "body": """\
## Qué es HER2

HER2 es una proteína que está en la superficie de algunas células del cáncer de mama. Funciona como un interruptor que les dice a las células que crezcan. Más o menos 1 de cada 5 cánceres de mama tiene demasiada HER2. Se llaman HER2 positivos.

Los fármacos dirigidos contra HER2 buscan esta proteína y la bloquean. Han cambiado mucho las cosas para las personas con este tipo de cáncer [@5].

## Los principales fármacos contra HER2

- **Trastuzumab** es un anticuerpo. Se une a HER2 y bloquea la señal de crecimiento. También ayuda a sus defensas a encontrar las células del cáncer. En uno de los primeros estudios clave, añadirlo a la quimioterapia ayudó a las personas a vivir más tiempo [@1].
- **Pertuzumab** es otro anticuerpo que bloquea HER2 de otra manera. Usado junto con trastuzumab y quimioterapia como primer tratamiento, ayudó a las personas a vivir bastante más tiempo [@2]. Estos dos anticuerpos se ponen por una vena o con una inyección debajo de la piel.
- **Trastuzumab deruxtecán (T-DXd)** es un anticuerpo unido a un fármaco. Une el trastuzumab a una quimioterapia fuerte, que así llega directamente a las células del cáncer. En un estudio grande, frenó el cáncer mucho más tiempo que un fármaco más antiguo del mismo tipo, llamado T-DM1 [@3].
- **Lapatinib** es una pastilla. Es un inhibidor de la tirosina cinasa: bloquea la señal de HER2 desde dentro de la célula. Junto con la capecitabina, una quimioterapia en pastillas, frenó el cáncer más que la capecitabina sola [@4]. Una pastilla más nueva, el tucatinib, funciona de forma parecida.

## Un plan de tratamiento frecuente

Muchas personas empiezan con trastuzumab, pertuzumab y una quimioterapia. Pasados unos meses, se puede dejar la quimioterapia y seguir con los anticuerpos. Si el cáncer crece, el siguiente tratamiento suele ser T-DXd. Después pueden venir otros fármacos contra HER2 [@5].

Si su cáncer también tiene receptores de hormonas, se puede sumar una terapia hormonal.

## Efectos secundarios que debe conocer

- **Corazón**: el trastuzumab y el pertuzumab pueden debilitar el músculo del corazón en algunas personas. Le harán pruebas del corazón antes y durante el tratamiento.
- **Pulmones**: el T-DXd puede inflamar los pulmones. No es frecuente, pero puede ser grave. Avise a su equipo enseguida si tiene tos nueva, fiebre o falta de aire.
- **Diarrea**: es frecuente con pertuzumab, lapatinib y tucatinib.
- **Ganas de vomitar y cansancio**: son frecuentes con T-DXd.

Su equipo le explicará cómo llevar estos efectos secundarios.

## Investigación

Los estudios CLEOPATRA y DESTINY-Breast03 ayudaron a que hoy se usen estos fármacos. En este sitio puede leer sobre ellos. La investigación sigue buscando mejores formas de tratar el cáncer de mama HER2 positivo. Pregunte a su equipo si un ensayo clínico podría ser para usted.
""",
        "author": "writer",
    },
    {
        "source": "clinical-trials-explained",
        "language": "es",
        "title": "Ensayos clínicos: qué son y cómo encontrar uno",
        "slug": "ensayos-clinicos",
        "summary": "Los ensayos clínicos prueban tratamientos nuevos. Conozca las fases de los ensayos, quién puede participar, sus derechos y cómo buscar en ClinicalTrials.gov con los números NCT.",
        "body": """\
## Qué es un ensayo clínico

Un ensayo clínico es un estudio de investigación con personas. Prueba si un tratamiento nuevo, o una forma nueva de usar uno que ya existe, es seguro y funciona mejor que el tratamiento de siempre. Todos los tratamientos que se usan hoy se probaron antes en un ensayo [@2].

En el cáncer de mama metastásico, los expertos animan a pensar en los ensayos en cada etapa de la enfermedad [@3].

## Las fases de los ensayos

Los ensayos se hacen por pasos, que se llaman fases:

- **Fase 1**: prueba un fármaco nuevo en un grupo pequeño. Busca una dosis segura y estudia los efectos secundarios.
- **Fase 2**: da el tratamiento a más personas para ver si funciona contra un tipo de cáncer.
- **Fase 3**: compara el tratamiento nuevo con el de siempre en un grupo grande, a menudo de cientos de personas. Lo normal es que las personas se repartan en grupos al azar. Esto se llama aleatorización.
- **Fase 4**: estudia un tratamiento ya aprobado, para saber más de sus efectos a largo plazo.

Algunos ensayos de fase 3 dan a un grupo un placebo (un producto que no lleva medicamento) además del tratamiento de siempre. En los ensayos de cáncer, casi nunca se da un placebo en lugar de un tratamiento que se sabe que funciona.

## Quién puede participar

Cada ensayo tiene reglas sobre quién puede entrar. Se llaman criterios de elegibilidad. Pueden tener en cuenta el tipo de cáncer de mama, los tratamientos que ya tuvo, su edad y su salud. Estas reglas cuidan de su seguridad y ayudan a que los resultados sean claros. Si no puede entrar en un ensayo, puede que otro sí sea para usted.

## Su seguridad y sus derechos

- Antes de entrar, el equipo del estudio le tiene que explicar el ensayo, con sus posibles riesgos y beneficios. Le pedirán que firme un documento. Esto se llama consentimiento informado [@2].
- Unos comités de ética revisan los ensayos para proteger a las personas que participan.
- Le vigilarán de cerca por si tiene efectos secundarios.
- Participar es decisión suya. **Puede dejar el ensayo (retirarse) en cualquier momento y por cualquier motivo.** Dejarlo no cambia su derecho a recibir una buena atención [@2].

Pregunte quién paga cada cosa, cada cuánto tendrá que ir y qué pasa cuando termina el ensayo.

## Cómo encontrar un ensayo

- Pregunte a su equipo médico por los ensayos en su hospital o cerca de usted.
- Busque en **ClinicalTrials.gov**. Es una lista pública y gratuita de estudios de todo el mundo [@1]. La página está en inglés.
- Cada estudio tiene su propio número. Empieza por "NCT" y sigue con ocho cifras, como NCT03529110. Ese es el número del ensayo DESTINY-Breast03. Con el número puede buscar un ensayo o hablar de él con su equipo.
- Pruebe a buscar "metastatic breast cancer" (cáncer de mama metastásico) y su subtipo. Elija los ensayos que dicen "recruiting", es decir, que buscan participantes.
- Las asociaciones contra el cáncer suelen tener teléfonos de apoyo que pueden orientarle en la búsqueda.
""",
        "author": "writer2",
    },
    {
        "source": "breast-cancer-subtypes",
        "language": "es",
        "title": "Tipos de cáncer de mama y por qué importan",
        "slug": "tipos-de-cancer-de-mama",
        "summary": "El cáncer de mama se divide en tipos: con receptores hormonales positivos, HER2 positivo y triple negativo. El tipo es uno de los datos más importantes para elegir el tratamiento.",
        "body": """\
## Por qué importa el tipo

El cáncer de mama no es una sola enfermedad. Las células pueden tener un aspecto y un comportamiento distintos de una persona a otra. Los médicos estudian una muestra del cáncer y lo clasifican en grupos que se llaman subtipos. El subtipo es uno de los datos más importantes para elegir su tratamiento [@1].

Hay tres subtipos principales.

![Una tabla de dos por dos según los receptores de hormonas y HER2. Los dos positivos: fármacos contra HER2, a menudo con terapia hormonal. Solo receptores de hormonas: terapia hormonal con un inhibidor de CDK4/6. Solo HER2 positivo: fármacos contra HER2 con quimioterapia. Triple negativo: quimioterapia e inmunoterapia.](image:{subtype-grid} "Cómo guían los receptores el tratamiento principal.")

## Con receptores hormonales positivos

Es el tipo más frecuente. Las células tienen receptores para las hormonas estrógeno (RE positivo) o progesterona (RP positivo), o para las dos. Un receptor es como una cerradura. La hormona es como una llave que pone en marcha el crecimiento.

El tratamiento principal es la terapia hormonal, también llamada terapia endocrina. Bloquea las hormonas o baja la cantidad que hay en el cuerpo. A menudo se da junto con un fármaco dirigido [@1].

## HER2 positivo

HER2 es una proteína de la superficie de las células que les dice que crezcan. En el cáncer de mama HER2 positivo, las células tienen demasiada.

Este tipo puede crecer deprisa. Pero hoy muchos fármacos van contra HER2, y han mejorado mucho el pronóstico de las personas con este subtipo [@2]. Un cáncer puede ser a la vez HER2 positivo y tener receptores de hormonas.

## Triple negativo

El cáncer de mama triple negativo no tiene receptores de estrógeno, ni de progesterona, ni un exceso de HER2. Por eso la terapia hormonal y los fármacos de siempre contra HER2 no funcionan en este tipo.

La quimioterapia es el tratamiento principal. Si el cáncer tiene una proteína llamada PD-L1, se puede sumar inmunoterapia. Otra opción son unos fármacos más nuevos: anticuerpos unidos a una quimioterapia [@1]. El cáncer de mama triple negativo es más frecuente en mujeres jóvenes y en personas con un cambio en un gen BRCA.

## HER2 bajo: un grupo más nuevo

Algunos cánceres tienen un poco de HER2, pero no tanto como para llamarse HER2 positivos. Esto se llama HER2 bajo. En un estudio grande, un fármaco llamado trastuzumab deruxtecán ayudó a las personas con cáncer HER2 bajo a vivir más tiempo que la quimioterapia [@3].

## El tipo puede cambiar

El cáncer que se ha extendido no siempre es del mismo tipo que el primer cáncer de la mama. Por eso su equipo le puede proponer una nueva biopsia [@2]. Pregunte a su equipo qué subtipo tiene usted y qué quiere decir para su tratamiento.
""",
        "author": "writer2",
    },
]

# A change to an English source after its Spanish translation was published, reviewed and
# published as a new version, so that the demo has one translation out of date. ``after`` is
# the sentence of the source's body the ``addition`` follows.
SOURCE_UPDATES = [
    {
        "slug": "breast-cancer-subtypes",
        "after": "Triple-negative breast cancer is more common in younger women and in people with a BRCA gene change.",
        "addition": " If you have a BRCA change, tablets called PARP inhibitors may be another choice, so your team may offer a blood test for it [@1].",
        "author": "writer",
        "comment": "Added that a BRCA test may open up PARP inhibitor tablets.",
        "change_note": "Added that people with a BRCA gene change may be offered PARP inhibitor tablets.",
    },
]
