"""Hand-built parties shaped like the catalogue's Microsoft, Duke and Irish DPC records, so the
render tests run without the catalogue (the demo command test uses the real one)."""
from __future__ import annotations

from dsar.letters.data import Authority, DatasetRef, Recipient
from dsar.letters.demo import Parties

MICROSOFT = Recipient(
    name="Microsoft",
    legal_name="Microsoft Ireland Operations Limited",
    address_lines=("One Microsoft Place", "South County Business Park", "Leopardstown", "Dublin 18, D18 P521", "Ireland"),
    email="privacy@example.com",
    country="IE",
)
DUKE = Recipient(
    name="Duke University",
    legal_name="Duke University, Office of Audit, Risk and Compliance",
    address_lines=("2200 W. Main Street", "Durham, NC 27705", "USA"),
    country="US",
)
DPC = Authority(
    name="Irish Data Protection Commission",
    address_lines=("21 Fitzwilliam Square South", "Dublin 2", "D02 RD28", "Ireland"),
    email="info@dataprotection.ie",
    country="IE",
)
PARTIES = Parties(
    first=MICROSOFT,
    first_dataset=DatasetRef(
        name="MS-Celeb-1M",
        aliases=("MS1M", "MSCeleb"),
        derivatives=("MS1MV2", "MS1M-RetinaFace"),
        identifying_details=(("Name as listed", "Zoe Orsted"), ("Profession or public role", "Photographer")),
        role="publisher",
        withdrawn="2019",
    ),
    second=DUKE,
    second_dataset=DatasetRef(
        name="DukeMTMC",
        derivatives=("DukeMTMC-reID",),
        identifying_details=(("Present at (place, date, time)", "Chapel Quad, 14 March 2014, 11:00"),),
        role="publisher",
        withdrawn="2019",
    ),
    authority=DPC,
    authority_recipient=Recipient(name=DPC.name, address_lines=DPC.address_lines, email=DPC.email, country="IE"),
)
